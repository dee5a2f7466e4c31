"""A deputy period set on a laptop reaches the server (#20): through the
server's own deputy use case under the user's login, so its rules judge it
(the absent colleague names their own deputy, an administrator anyone's;
an active colleague; an end within a year). A period the server refuses is
listed by the deputy's name and gone from the laptop after the sync.
Before, the laptop kept it and the server never heard of it. Real
PostgreSQL, the two-laptop rig, Cyrillic names."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from models import Client, Deputy, User
from services.core import users
from services.core.storage import Database
from services.parties import transfers
from services.sync import refused
from services.sync.use_cases import status, sync
from tests.integration.replica_rig import CLIENT, Rig

pytestmark = pytest.mark.postgres


def _periods(db: Database) -> set[tuple[str, str]]:
    """(absent, deputy) by full name, as this database shows its login."""
    absent, deputy = aliased(User), aliased(User)
    with db.reader() as uow:
        rows = uow.session.execute(
            select(absent.full_name, deputy.full_name)
            .select_from(Deputy)
            .join(absent, absent.id == Deputy.absent_id)
            .join(deputy, deputy.id == Deputy.deputy_id)
        ).all()
    return {(a, d) for a, d in rows}


def _clients(db: Database) -> list[str]:
    with db.reader() as uow:
        return list(uow.session.scalars(select(Client.name).order_by(Client.name)))


def test_a_deputy_named_offline_reaches_the_server_and_stands_in(rig: Rig) -> None:
    laptop = rig.laptop["anna"]
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    assert CLIENT not in _clients(rig.server["boris"])
    transfers.set_deputy(laptop, rig.local_actor("anna"), rig.tdb.logins["boris"], until)
    assert status(laptop).pending == 1

    report = sync(laptop, rig.server["anna"])

    assert report.refused == ()
    assert ("Анна Смирнова", "Борис Петров") in _periods(rig.tdb.db)
    assert CLIENT in _clients(rig.server["boris"])  # Boris stands in for her now
    assert ("Анна Смирнова", "Борис Петров") in _periods(laptop)  # and it stays on the laptop
    assert status(laptop).pending == 0
    sync(laptop, rig.server["anna"])
    assert ("Анна Смирнова", "Борис Петров") in _periods(laptop)
    with rig.tdb.db.reader() as uow:
        end = uow.session.scalar(select(Deputy.until))
    assert end is not None
    assert abs((end - until).total_seconds()) < 1


def test_a_deputy_the_server_refuses_is_listed_by_name_and_taken_off_the_laptop(
    rig: Rig,
) -> None:
    laptop = rig.laptop["anna"]
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    transfers.set_deputy(laptop, rig.local_actor("anna"), rig.tdb.logins["boris"], until)
    users.set_active(rig.server["admin"], rig.actor("admin"), rig.tdb.logins["boris"], False)

    report = sync(laptop, rig.server["anna"])

    [said] = report.refused
    assert said.code == "parties.transfers.inactive_colleague", said
    assert said.label == "Борис Петров"
    assert "Борис Петров is no longer an active colleague" in said.reason
    [listed] = refused.refusals(laptop)
    assert (listed.label, listed.code) == ("Борис Петров", "parties.transfers.inactive_colleague")
    assert _periods(rig.tdb.db) == set()
    assert _periods(laptop) == set()


def test_a_deputy_of_someone_else_is_the_administrators_to_name(rig: Rig) -> None:
    """Gleb, head of the department, on his laptop: the use case refuses him
    there already, and a hand-edited laptop's push is refused by the server
    by the same rule; nothing changes on the server."""
    laptop = rig.laptop["head"]
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=5)
    with pytest.raises(Exception, match="may not do this") as caught:
        transfers.set_deputy(
            laptop,
            rig.local_actor("head"),
            rig.tdb.logins["boris"],
            until,
            absent=rig.tdb.logins["anna"],
        )
    assert getattr(caught.value, "code", "") == "core.access.may_not_do_role"
    # The same period written to the laptop's log by hand (an old build):
    from services.sync import deputy_kind

    with laptop.uow(rig.local_actor("head").id) as uow:
        ids = dict(uow.session.execute(select(User.login, User.id)).all())
        deputy_kind.record_deputy(
            uow.session, ids[rig.tdb.logins["anna"]], ids[rig.tdb.logins["boris"]], until
        )
        uow.commit()
    report = sync(laptop, rig.server["head"])
    [said] = report.refused
    assert said.code == "core.access.may_not_do_role"
    assert "Глеб Начальников may not do this" in said.reason
    assert _periods(rig.tdb.db) == set()


def test_a_deputy_who_ends_the_period_offline_ends_it_on_the_server(rig: Rig) -> None:
    """Boris names Anna on the server; Anna, on her laptop, cannot stand in
    after all and ends it offline: the end reaches the server through its
    own use case under her login (the team database lets a deputy delete
    the period she stands in), and she no longer stands in there."""
    from services.core import bootstrap
    from services.parties import deputies

    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    transfers.set_deputy(rig.server["boris"], rig.actor("boris"), rig.tdb.logins["anna"], until)
    laptop = rig.laptop["anna"]
    sync(laptop, rig.server["anna"])
    assert ("Борис Петров", "Анна Смирнова") in _periods(laptop)
    anna = rig.local_actor("anna")
    with laptop.reader() as uow:
        [period] = deputies.periods(uow, anna)

    deputies.end_period(laptop, anna, period.id)
    assert status(laptop).pending == 1
    assert _periods(laptop) == set()
    report = sync(laptop, rig.server["anna"])

    assert report.refused == ()
    assert _periods(rig.tdb.db) == set()
    with rig.server["anna"].reader() as uow:
        assert rig.actor("boris").id not in bootstrap.who_acts(uow.session).also_sees
    assert _periods(laptop) == set()  # the pull does not bring it back
    sync(laptop, rig.server["anna"])
    assert _periods(laptop) == set()


def test_a_colleague_outside_the_pair_cannot_end_it_from_a_laptop(rig: Rig) -> None:
    """A hand-edited laptop log of Gleb's ends Anna's period with Boris: the
    server does not let him (his login neither sees nor may end it), and
    the period stays."""
    from services.sync import deputy_kind

    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
    transfers.set_deputy(rig.server["anna"], rig.actor("anna"), rig.tdb.logins["boris"], until)
    laptop = rig.laptop["head"]
    sync(laptop, rig.server["head"])
    with laptop.uow(rig.local_actor("head").id) as uow:
        ids = dict(uow.session.execute(select(User.login, User.id)).all())
        anna, boris = ids[rig.tdb.logins["anna"]], ids[rig.tdb.logins["boris"]]
        deputy_kind.record_end(uow.session, anna, boris)
        uow.commit()
    report = sync(laptop, rig.server["head"])
    assert ("Анна Смирнова", "Борис Петров") in _periods(rig.tdb.db)
    assert [said.code for said in report.refused] in ([], ["parties.deputies.not_yours"])


def test_on_the_team_server_the_deputy_ends_it_and_a_colleague_outside_cannot(
    rig: Rig,
) -> None:
    """In the window on the team database itself: Boris's login may delete the
    period he stands in (migration 0041); Gleb's login neither sees it nor
    ends it, and the period stays until Boris does."""
    from services.core.errors import NotFoundError
    from services.parties import deputies

    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=4)
    set_ = transfers.set_deputy(
        rig.server["anna"], rig.actor("anna"), rig.tdb.logins["boris"], until
    ).value
    with rig.server["head"].reader() as uow:
        assert deputies.periods(uow, rig.actor("head")) == []
    with pytest.raises(NotFoundError):
        deputies.end_period(rig.server["head"], rig.actor("head"), set_.id)
    assert ("Анна Смирнова", "Борис Петров") in _periods(rig.tdb.db)
    assert CLIENT in _clients(rig.server["boris"])  # he stands in for her

    ended = deputies.end_period(rig.server["boris"], rig.actor("boris"), set_.id).value

    assert (ended.absent_name, ended.deputy_name) == ("Анна Смирнова", "Борис Петров")
    assert _periods(rig.tdb.db) == set()
    assert CLIENT not in _clients(rig.server["boris"])
