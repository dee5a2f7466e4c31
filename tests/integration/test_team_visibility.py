"""A deputy and a head of department see in the service layer what the team
database's policies let them see (#19): global search, My agenda and the
other lists filtered by owner, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update

from models import Role, User
from services.core import bootstrap
from services.core.access import MANAGER_PERMISSIONS, Permission, PermissionDenied
from services.core.storage import Database
from services.exchange import exports
from services.feed import search
from services.interactions import actions as ix
from services.interactions import agenda
from services.parties import deals, transfers
from services.parties import records as parties
from tests.conftest import Team

NOW = dt.datetime.now(dt.UTC)


def _annas_work(db: Database, team: Team) -> dict[str, int]:
    anna, boris = team.anna, team.boris
    with db.uow(anna.id) as uow:
        client = parties.add_client(uow, anna, "ООО Заместительство")
        deal = deals.add_deal(uow, anna, "Поставка заместительства", client_id=client.id)
        planned = ix.create(
            uow,
            anna,
            ix.NewInteraction(
                type="call",
                planned=True,
                start=NOW + dt.timedelta(hours=30),
                client_id=client.id,
                subject="Звонок заместителю",
            ),
        )
        uow.commit()
    with db.uow(boris.id) as uow:
        own = parties.add_client(uow, boris, "ООО Заместительство Бориса")
        uow.commit()
    return {"client": client.id, "deal": deal.id, "planned": planned.id, "own": own.id}


def _found(db: Database, login: str, text: str) -> set[tuple[str, int]]:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow, login)
        return {(hit.kind, hit.id) for hit in search.search(uow, actor, text)}


def test_a_deputy_finds_and_plans_the_absent_colleagues_work(
    db: Database, team: Team, tmp_path: Path
) -> None:
    ids = _annas_work(db, team)
    annas = {("client", ids["client"]), ("deal", ids["deal"])}
    # Before the absence Boris finds only his own card.
    assert _found(db, "boris", "Заместительств") == {("client", ids["own"])}
    with db.reader() as uow, pytest.raises(PermissionDenied):
        agenda.agenda(uow, team.boris, NOW, zone_name="UTC", owner_id=team.anna.id)

    transfers.set_deputy(db, team.anna, "boris", NOW + dt.timedelta(days=3))
    found = _found(db, "boris", "Заместительств")
    assert annas | {("client", ids["own"])} <= found
    assert ("interaction", ids["planned"]) in _found(db, "boris", "заместителю")
    # Anna's own search (one prepared statement) is unchanged by Boris standing in.
    assert ("client", ids["own"]) not in _found(db, "anna", "Заместительств")
    with db.reader() as uow:
        boris = bootstrap.actor_for(uow, "boris")
        annas_agenda = agenda.agenda(uow, boris, NOW, zone_name="UTC", owner_id=team.anna.id)
        planned = [
            item.id
            for section in (annas_agenda.today, annas_agenda.this_week, annas_agenda.later)
            for item in section.items
        ]
        assert planned == [ids["planned"]]
        # Still not a stranger's agenda: the administrator's is not his to read.
        with pytest.raises(PermissionDenied):
            agenda.agenda(uow, boris, NOW, zone_name="UTC", owner_id=team.admin.id)
        exported = exports.export_interactions_csv(uow, boris, tmp_path / "boris.csv")
        assert exported.rows == 1
        assert "Звонок заместителю" in (tmp_path / "boris.csv").read_text(encoding="utf-8-sig")


def test_a_head_finds_the_departments_records_only(db: Database, team: Team) -> None:
    ids = _annas_work(db, team)
    with db.uow() as uow:
        role = Role(
            name="Head of department",
            permissions=[*MANAGER_PERMISSIONS, Permission.CLIENTS_VIEW_DEPARTMENT.value],
        )
        uow.session.add(role)
        uow.session.flush()
        uow.session.add(
            User(login="gleb", full_name="Глеб Начальников", role_id=role.id, department="Север")
        )
        uow.session.execute(update(User).where(User.login == "anna").values(department="Север"))
        uow.session.execute(update(User).where(User.login == "boris").values(department="Юг"))
        uow.commit()
    found = _found(db, "gleb", "Заместительств")
    assert found == {("client", ids["client"]), ("deal", ids["deal"])}
    with db.reader() as uow:
        gleb = bootstrap.actor_for(uow, "gleb")
        annas_agenda = agenda.agenda(uow, gleb, NOW, zone_name="UTC", owner_id=team.anna.id)
        assert [i.subject for i in annas_agenda.this_week.items + annas_agenda.later.items] == [
            "Звонок заместителю"
        ]
        with pytest.raises(PermissionDenied):
            agenda.agenda(uow, gleb, NOW, zone_name="UTC", owner_id=team.boris.id)
