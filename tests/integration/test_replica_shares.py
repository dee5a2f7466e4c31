"""A share made or withdrawn on a laptop replica reaches the server through
the server's own share rules (issue #20).

Real PostgreSQL with a login per colleague and two laptop replicas
(tests/integration/replica_rig.py): Anna (department Север) shares her
client with Boris (department Юг, who does not see it) while offline; the
sync pushes it and Boris sees the card on the server; Gleb's laptop lists
the share in the card's Share dialog; withdrawn offline, it is withdrawn
on the server. A share the server's rules refuse (Boris left meanwhile) is
listed with the refused changes and the laptop takes the server's shares
back.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models import Client, PartyShare
from services.core import team
from services.core.bootstrap import actor_for
from services.core.storage import Database
from services.parties import shares, transfers
from services.sync import refused
from services.sync.pull import pull
from services.sync.use_cases import status, sync
from tests.integration.replica_rig import CLIENT, Rig

pytestmark = pytest.mark.postgres

BORIS = "Борис Петров"


def _share(rig: Rig, on: bool) -> None:
    """Anna, on her laptop, shares her client with Boris (or stops)."""
    laptop = rig.laptop["anna"]
    client_id = rig.local_id("anna", "client", rig.client_uid)
    done = shares.set_shared(
        laptop,
        rig.local_actor("anna"),
        "client",
        client_id,
        rig.tdb.logins["boris"],
        shared=on,
    )
    assert done.value.changed


def _listed(rig: Rig, who: str) -> list[str]:
    """The colleagues the card's Share dialog lists on ``who``'s laptop."""
    db = rig.laptop[who]
    with db.reader() as uow:
        views = shares.shared_with(
            uow, rig.local_actor(who), "client", rig.local_id(who, "client", rig.client_uid)
        )
    return [v.user_name for v in views]


def _boris_sees(rig: Rig) -> bool:
    with rig.server["boris"].reader() as uow:
        return uow.session.scalar(select(Client.id).where(Client.name == CLIENT)) is not None


def _server_shares(rig: Rig) -> int:
    with rig.server["admin"].reader() as uow:
        return len(list(uow.session.scalars(select(PartyShare.id))))


def test_a_share_made_offline_reaches_the_server_and_so_does_its_withdrawal(rig: Rig) -> None:
    laptop = rig.laptop["anna"]
    _share(rig, True)
    assert status(laptop).pending == 1
    assert not _boris_sees(rig)
    # A pull before the push keeps the laptop's share: it waits to be pushed.
    pull(laptop, rig.server["anna"])
    assert _listed(rig, "anna") == [BORIS]

    report = sync(laptop, rig.server["anna"])

    assert report.refused == ()
    assert status(laptop).pending == 0
    assert _boris_sees(rig)
    assert _listed(rig, "anna") == [BORIS]  # the next pull kept it: it is the server's now
    sync(rig.laptop["head"], rig.server["head"])
    assert _listed(rig, "head") == [BORIS]  # Gleb's laptop lists it too

    _share(rig, False)
    report = sync(laptop, rig.server["anna"])

    assert report.refused == ()
    assert not _boris_sees(rig)
    assert _server_shares(rig) == 0
    assert _listed(rig, "anna") == []
    sync(rig.laptop["head"], rig.server["head"])
    assert _listed(rig, "head") == []


def test_a_share_the_server_refuses_is_listed_and_the_servers_shares_come_back(
    rig: Rig,
) -> None:
    laptop = rig.laptop["anna"]
    _share(rig, True)
    # Meanwhile Boris left: the administrator deactivated him on the server.
    owner_db: Database = rig.tdb.db
    with owner_db.reader() as uow:
        owner = actor_for(uow, uow.session.execute(text("SELECT session_user")).scalar_one())
    team.deactivate(owner_db, owner, rig.tdb.logins["boris"])

    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert (refusal.kind, refusal.label) == ("party_share", CLIENT)
    assert refusal.code == "parties.shares.no_colleague"
    assert "Борис Петров" in refusal.reason  # named, not the server's id of him
    assert _server_shares(rig) == 0
    assert _listed(rig, "anna") == []  # the server's shares, none
    assert status(laptop).refused == 1
    [listed] = refused.refusals(laptop)
    assert (listed.label, listed.code) == (CLIENT, "parties.shares.no_colleague")


def test_only_the_owners_side_may_share_a_refusal_on_the_server_is_listed(rig: Rig) -> None:
    """Anna shares her client with Gleb offline; meanwhile the administrator
    hands it to Boris and shares it with Anna: she still sees it, but it is
    no longer hers to share, and the server says so."""
    laptop = rig.laptop["anna"]
    client_id = rig.local_id("anna", "client", rig.client_uid)
    shares.set_shared(
        laptop, rig.local_actor("anna"), "client", client_id, rig.tdb.logins["head"], shared=True
    )
    admin, on_server = rig.actor("admin"), rig.local_id("admin", "client", rig.client_uid)
    transfers.transfer(rig.server["admin"], admin, "client", on_server, rig.tdb.logins["boris"])
    shares.set_shared(
        rig.server["admin"], admin, "client", on_server, rig.tdb.logins["anna"], shared=True
    )

    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert (refusal.kind, refusal.label) == ("party_share", CLIENT)
    assert refusal.code == "parties.shares.only_owner_shares"
    with rig.server["admin"].reader() as uow:
        on_server_now = list(uow.session.scalars(select(PartyShare.user_id)))
    assert len(on_server_now) == 1  # Anna's, from the administrator; not Gleb's
    assert _listed(rig, "anna") == ["Анна Смирнова"]  # the server's shares came back
