"""Handing work over (#19 item 3): a client moves with its deals and planned
work, recorded in the history; a deputy sees an absent colleague's clients
until a date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop.cli import main
from services.core import bootstrap
from services.core.access import PermissionDenied
from services.core.errors import ValidationError
from services.core.history import history
from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import board, deals, lists, transfers
from services.parties import records as parties
from tests.conftest import Team

NOW = dt.datetime.now(dt.UTC)


def _world(db: Database, team: Team) -> dict[str, int]:
    anna = team.anna
    with db.uow(anna.id) as uow:
        client = parties.add_client(uow, anna, "ООО Передача")
        deal = deals.add_deal(uow, anna, "Поставка труб", client_id=client.id)
        planned = ix.create(
            uow,
            anna,
            ix.NewInteraction(
                type="call", planned=True, start=NOW + dt.timedelta(days=2), client_id=client.id
            ),
        )
        done = ix.create(
            uow,
            anna,
            ix.NewInteraction(type="call", planned=False, start=NOW, client_id=client.id),
        )
        uow.commit()
    return {"client": client.id, "deal": deal.id, "planned": planned.id, "done": done.id}


def test_a_transfer_moves_deals_and_planned_work_and_is_in_the_history(
    db: Database, team: Team
) -> None:
    ids = _world(db, team)
    moved = transfers.transfer(db, team.admin, "client", ids["client"], "boris")
    assert (moved.value.deals, moved.value.planned) == (1, 1)
    assert moved.changes.touches("client", [ids["client"]])
    with db.reader() as uow:
        assert parties.get_client(uow, team.boris, ids["client"]).owner_name == "Борис Петров"
        assert deals.get(uow, team.boris, ids["deal"]).owner_id == team.boris.id
        assert ix.get(uow, team.boris, ids["planned"]).owner_id == team.boris.id
        # What Anna already did stays hers: the history of her work is not rewritten.
        assert ix.get(uow, team.admin, ids["done"]).owner_id == team.anna.id
        owners = [
            e
            for e in history(uow, team.admin, "client", ids["client"])
            if e.field in ("owner", "owner_id")
        ]
        assert owners, "the owner change is in the card's history"
        with pytest.raises(PermissionDenied):
            parties.get_client(uow, team.anna, ids["client"])


def test_a_deputy_sees_the_absent_colleagues_clients_until_the_date(
    db: Database, team: Team
) -> None:
    ids = _world(db, team)
    until = NOW + dt.timedelta(days=3)
    named = transfers.set_deputy(db, team.anna, "boris", until).value
    assert (named.absent_name, named.deputy_name) == ("Анна Смирнова", "Борис Петров")
    with db.reader() as uow:
        boris = bootstrap.actor_for(uow, "boris")
        assert parties.get_client(uow, boris, ids["client"]).name == "ООО Передача"
        # ... and finds it where he looks: the client list and the CLI's list.
        listed = {row.name for row in lists.client_page(uow, boris).rows}
        assert "ООО Передача" in listed
        assert lists.count_clients(uow, boris) == len(listed)
        assert "ООО Передача" in {c.name for c in parties.list_clients(uow, boris)}
    # Anna is back early: the end moves to now, and Boris no longer sees it.
    transfers.set_deputy(db, team.anna, "boris", NOW + dt.timedelta(seconds=1), now=NOW)
    with db.uow() as uow:  # a second later the absence is over
        from sqlalchemy import update

        from models import Deputy

        uow.session.execute(update(Deputy).values(until=NOW - dt.timedelta(seconds=1)))
        uow.commit()
    with db.reader() as uow:
        later = bootstrap.actor_for(uow, "boris")
        assert team.anna.id not in later.also_sees
        with pytest.raises(PermissionDenied):
            parties.get_client(uow, later, ids["client"])
    with pytest.raises(PermissionDenied):
        transfers.set_deputy(db, team.anna, "anna", until, absent="boris")
    with pytest.raises(ValidationError):
        transfers.set_deputy(db, team.anna, "anna", until)
    with pytest.raises(ValidationError):
        transfers.set_deputy(db, team.anna, "boris", NOW - dt.timedelta(days=1))


def test_transfer_and_deputy_from_the_command_line(
    db: Database, team: Team, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.integration.helpers import acting_as

    ids = _world(db, team)
    admin = acting_as(db_url, team.admin.login)
    capsys.readouterr()
    code = main([*admin, "clients", "transfer", str(ids["client"]), "--to", "boris", "--json"])
    assert code == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    assert (out["deals"], out["planned"], out["to_owner_id"]) == (1, 1, team.boris.id)
    boris = acting_as(db_url, "boris")
    assert main([*boris, "users", "deputy", "anna", "--until", "2099-01-01 10:00"]) == 2
    assert "next 366 days" in capsys.readouterr().err
    until = (NOW + dt.timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    assert main([*boris, "users", "deputy", "anna", "--until", until]) == 0
    assert "Анна Смирнова stands in for Борис Петров" in capsys.readouterr().out
    anna = acting_as(db_url, "anna")
    assert main([*anna, "clients", "show", str(ids["client"]), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["owner_name"] == "Борис Петров"


def test_a_head_of_department_sees_the_departments_clients(db: Database, team: Team) -> None:
    from sqlalchemy import select, update

    from models import Client, Role, User
    from services.core.access import MANAGER_PERMISSIONS, Permission

    ids = _world(db, team)
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
    with db.uow(team.boris.id) as uow:
        parties.add_client(uow, team.boris, "ООО Южный клиент")
        uow.commit()
    with db.reader() as uow:
        gleb = bootstrap.actor_for(uow, "gleb")
        assert gleb.also_sees == {team.anna.id}
        listed = {row.name for row in lists.client_page(uow, gleb).rows}
        assert listed == {"ООО Передача"}
        assert parties.get_client(uow, gleb, ids["client"]).owner_name == "Анна Смирнова"
        shown = [
            d.title for col in board.board(uow, gleb, zone_name="UTC").columns for d in col.deals
        ]
        assert shown == ["Поставка труб"]
        boris_client = uow.session.scalar(
            select(Client.id).where(Client.name == "ООО Южный клиент")
        )
        with pytest.raises(PermissionDenied):
            parties.get_client(uow, gleb, boris_client)
