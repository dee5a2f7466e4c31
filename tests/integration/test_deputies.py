"""Deputy periods seen and ended early (#20): a manager lists the periods
they are part of, an administrator all; the absent colleague, the deputy or
an administrator ends one, and the deputy stops seeing the colleague's
clients at once. SQLite and PostgreSQL, several users, Cyrillic names."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import update

from models import Deputy
from services.core import bootstrap, users
from services.core.access import Actor, PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.parties import deputies, transfers
from services.parties import records as parties
from tests.conftest import Team

SOON = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
LATER = dt.datetime.now(dt.UTC) + dt.timedelta(days=9)


def _vera(db: Database, team: Team) -> Actor:
    users.add_user(db, team.admin, "vera", "Вера Козлова", "Manager")
    with db.reader() as uow:
        return bootstrap.actor_for(uow, "vera")


def _listed(db: Database, actor: Actor) -> list[tuple[str, str, bool]]:
    with db.reader() as uow:
        return [(p.absent_name, p.deputy_name, p.mine) for p in deputies.periods(uow, actor)]


def test_each_sees_the_periods_they_are_part_of_and_an_administrator_all(
    db: Database, team: Team
) -> None:
    vera = _vera(db, team)
    transfers.set_deputy(db, team.anna, "boris", SOON)
    transfers.set_deputy(db, team.admin, "vera", LATER, absent="boris")
    anna_boris = ("Анна Смирнова", "Борис Петров", True)
    boris_vera = ("Борис Петров", "Вера Козлова", True)

    assert _listed(db, team.anna) == [anna_boris]
    assert _listed(db, team.boris) == [anna_boris, boris_vera]  # soonest end first
    assert _listed(db, vera) == [boris_vera]
    assert _listed(db, team.admin) == [(*anna_boris[:2], False), (*boris_vera[:2], False)]
    with db.reader() as uow:
        [period] = deputies.periods(uow, team.anna)
    assert abs((period.until - SOON).total_seconds()) < 1
    # A period over is not listed.
    with db.uow() as uow:
        uow.session.execute(
            update(Deputy)
            .where(Deputy.id == period.id)
            .values(until=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
        uow.commit()
    assert _listed(db, team.anna) == []


def test_the_deputy_ends_a_period_and_no_longer_sees_the_clients(db: Database, team: Team) -> None:
    with db.uow(team.anna.id) as uow:
        client = parties.add_client(uow, team.anna, "ООО Замещение").id
        uow.commit()
    set_ = transfers.set_deputy(db, team.anna, "boris", SOON)
    with db.reader() as uow:
        boris = bootstrap.actor_for(uow, "boris")
        assert parties.get_client(uow, boris, client).name == "ООО Замещение"

    done = deputies.end_period(db, boris, set_.value.id)

    assert (done.value.absent_name, done.value.deputy_name) == ("Анна Смирнова", "Борис Петров")
    assert done.changes.touches("deputy")
    assert done.changes.touches("user")
    assert _listed(db, team.anna) == []
    with db.reader() as uow:
        later = bootstrap.actor_for(uow, "boris")
        assert team.anna.id not in later.also_sees
        with pytest.raises(PermissionDenied):
            parties.get_client(uow, later, client)


def test_the_absent_colleague_or_an_administrator_ends_one_and_nobody_else(
    db: Database, team: Team
) -> None:
    vera = _vera(db, team)
    first = transfers.set_deputy(db, team.anna, "boris", SOON).value
    second = transfers.set_deputy(db, team.admin, "anna", LATER, absent="vera").value

    with pytest.raises(PermissionDenied) as refused:
        deputies.end_period(db, vera, first.id)
    assert refused.value.code == "parties.deputies.not_yours"
    assert "only the absent colleague, the deputy or an administrator" in str(refused.value)
    with pytest.raises(PermissionDenied):
        deputies.end_period(db, team.boris, second.id)
    assert len(_listed(db, team.admin)) == 2  # nothing changed

    deputies.end_period(db, team.anna, first.id)  # back early
    deputies.end_period(db, team.admin, second.id)
    assert _listed(db, team.admin) == []
    with pytest.raises(NotFoundError):
        deputies.end_period(db, team.anna, first.id)  # ended already


def test_the_cli_lists_and_ends_periods(
    db: Database, team: Team, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main
    from tests.integration.helpers import acting_as

    _vera(db, team)
    transfers.set_deputy(db, team.anna, "boris", SOON)
    transfers.set_deputy(db, team.admin, "anna", LATER, absent="vera")
    anna, boris = acting_as(db_url, "anna"), acting_as(db_url, "boris")
    capsys.readouterr()

    assert main([*boris, "users", "deputies", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["absent_name"], listed["deputy_name"]) == ("Анна Смирнова", "Борис Петров")
    assert listed["mine"] is True
    assert main([*anna, "users", "deputies"]) == 0
    out = capsys.readouterr().out
    assert "Борис Петров stands in for Анна Смирнова until" in out
    assert "Анна Смирнова stands in for Вера Козлова until" in out

    # Boris is not part of Vera's period: refused, nothing changed.
    assert main([*boris, "users", "deputy", "anna", "--for", "vera", "--end"]) != 0
    assert main([*boris, "users", "deputy", "boris", "--for", "anna", "--end", "--json"]) == 0
    ended = json.loads(capsys.readouterr().out)
    assert (ended["absent_name"], ended["deputy_name"]) == ("Анна Смирнова", "Борис Петров")
    assert main([*anna, "users", "deputies"]) == 0
    assert "Борис Петров" not in capsys.readouterr().out
    # --until or --end, one of them: argparse's one line, exit 2.
    assert main([*anna, "users", "deputy", "boris", "--end", "--until", "2026-12-24 10:00"]) == 2
    [said] = capsys.readouterr().err.splitlines()
    assert "argument --until: not allowed with argument --end" in said
    assert main([*anna, "users", "deputy", "boris"]) == 2
    [said] = capsys.readouterr().err.splitlines()
    assert "one of the arguments --until --end is required" in said
