"""Sharing a card with a colleague (#19 item 2): the colleague sees the
client and what is on it through the service layer's access check, the
history says who shared it with whom, and only the owner's side shares."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from services.core.access import PermissionDenied
from services.core.errors import ValidationError
from services.core.history import history
from services.core.storage import Database
from services.parties import deals, lists, shares
from services.parties import records as parties
from tests.conftest import Team


def _annas_card(db: Database, team: Team) -> dict[str, int]:
    with db.uow(team.anna.id) as uow:
        client = parties.add_client(uow, team.anna, "ООО Общая карточка")
        lead = parties.add_lead(uow, team.anna, "Общий лид")
        deal = deals.add_deal(uow, team.anna, "Общая сделка", client_id=client.id)
        uow.commit()
    return {"client": client.id, "lead": lead.id, "deal": deal.id}


def test_a_shared_client_is_seen_until_unshared_and_both_are_in_the_history(
    db: Database, team: Team
) -> None:
    ids = _annas_card(db, team)
    with db.reader() as uow, pytest.raises(PermissionDenied):
        parties.get_client(uow, team.boris, ids["client"])
    # Boris cannot share himself into Anna's card.
    with pytest.raises(PermissionDenied):
        shares.set_shared(db, team.boris, "client", ids["client"], "boris", shared=True)

    done = shares.set_shared(db, team.anna, "client", ids["client"], "boris", shared=True)
    assert (done.value.user_name, done.value.changed) == ("Борис Петров", True)
    assert done.changes.touches("client", [ids["client"]])
    again = shares.set_shared(db, team.anna, "client", ids["client"], "boris", shared=True)
    assert again.value.changed is False
    with db.reader() as uow:
        assert parties.get_client(uow, team.boris, ids["client"]).name == "ООО Общая карточка"
        assert deals.get(uow, team.boris, ids["deal"]).title == "Общая сделка"
        # ... and finds it in his lists (the big list, its count, 'clients list').
        assert "ООО Общая карточка" in {r.name for r in lists.client_page(uow, team.boris).rows}
        assert lists.count_clients(uow, team.boris) == 1
        assert [c.name for c in parties.list_clients(uow, team.boris)] == ["ООО Общая карточка"]
        # Shared with, not handed over: he may not pass it on to a third colleague.
        with pytest.raises(PermissionDenied):
            parties.get_lead(uow, team.boris, ids["lead"])
    with pytest.raises(PermissionDenied):
        shares.set_shared(db, team.boris, "client", ids["client"], "root", shared=True)

    shares.set_shared(db, team.anna, "client", ids["client"], "boris", shared=False)
    with db.reader() as uow:
        with pytest.raises(PermissionDenied):
            parties.get_client(uow, team.boris, ids["client"])
        lines = [
            (e.old, e.new)
            for e in history(uow, team.anna, "client", ids["client"])
            if e.field == "shared_with"
        ]
    assert sorted(lines, key=str) == sorted(
        [(None, "Борис Петров"), ("Борис Петров", None)], key=str
    )
    with pytest.raises(ValidationError):
        shares.set_shared(db, team.anna, "client", ids["client"], "anna", shared=True)
    with pytest.raises(ValidationError):
        shares.set_shared(db, team.anna, "deal", ids["deal"], "boris", shared=True)


def test_share_and_unshare_from_the_command_line(
    db: Database, team: Team, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.integration.helpers import acting_as

    ids = _annas_card(db, team)
    anna, boris = acting_as(db_url, "anna"), acting_as(db_url, "boris")
    capsys.readouterr()
    lead = str(ids["lead"])
    assert main([*boris, "leads", "show", lead, "--json"]) == 2
    assert main([*anna, "leads", "share", lead, "--with", "boris", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["kind"], out["user_name"], out["shared"]) == ("lead", "Борис Петров", True)
    assert main([*boris, "leads", "show", lead, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Общий лид"
    assert main([*anna, "leads", "unshare", lead, "--with", "boris"]) == 0
    assert "no longer shared with Борис Петров" in capsys.readouterr().out
    assert main([*boris, "leads", "show", lead, "--json"]) == 2
    assert "belongs to another manager" in capsys.readouterr().err
