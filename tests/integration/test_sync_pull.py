"""Seeding and pulling a laptop replica from the team PostgreSQL (#20):
the replica holds what the manager's own login may see and nothing else,
colleagues' later edits come down, a transfer takes the client away, and
pulling again changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models import (
    Client,
    Contact,
    ContactPoint,
    Interaction,
    Lead,
    Memo,
    Note,
    SyncClock,
    Task,
    User,
)
from services.core.storage import Database, open_database
from services.sync import state
from services.sync.pull import pull
from services.sync.tables import synced_kinds
from services.sync.use_cases import init_replica, open_server, server_url_for, status
from tests.integration.team_rls_helpers import TeamDb, make_team, seed_world, user_id

pytestmark = pytest.mark.postgres

CARD_KINDS = ("client", "lead", "contact", "contact_point", "deal", "interaction", "note", "task")


@pytest.fixture
def team_db(pg_admin_url: str, pg_template: str) -> Iterator[TeamDb]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    seed_world(tdb, "anna", "anna")
    seed_world(tdb, "boris", "boris")
    yield tdb
    tdb.dispose()


@pytest.fixture
def laptop(team_db: TeamDb, tmp_path: Path) -> Iterator[Database]:
    """Anna's laptop, seeded with a small batch so the seed takes many."""
    path = tmp_path / "laptop.sqlite3"
    init_replica(path, team_db.url, team_db.logins["anna"], batch=7)
    replica = open_database(f"sqlite:///{path}")
    yield replica
    replica.dispose()


def _uids(db: Database, kind: str) -> set[str]:
    spec = next(k for k in synced_kinds() if k.kind == kind)
    with db.reader() as uow:
        return set(uow.session.execute(select(spec.model.uid)).scalars())


def _everything(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every synced table's rows, as the replica holds them."""
    out = {}
    with db.engine.connect() as conn:
        for spec in synced_kinds():
            table = spec.model.__table__
            out[spec.kind] = sorted(
                (tuple(map(str, r)) for r in conn.execute(select(table))), key=str
            )
        out["clock"] = sorted(tuple(r) for r in conn.execute(select(SyncClock.__table__)))
    return out


def test_a_seeded_laptop_holds_exactly_what_the_managers_login_sees(
    team_db: TeamDb, laptop: Database
) -> None:
    anna_sees = open_database(server_url_for(team_db.url, team_db.logins["anna"]), upgrade=False)
    try:
        for kind in CARD_KINDS:
            assert _uids(laptop, kind) == _uids(anna_sees, kind), kind
    finally:
        anna_sees.dispose()
    assert _uids(laptop, "client")  # not vacuous
    with laptop.reader() as uow:
        s = uow.session
        names = set(s.execute(select(Client.name)).scalars())
        assert names == {"ООО anna"}  # not boris's
        client = s.scalar(select(Client))
        assert client is not None
        assert client.name_folded == "ооо anna"
        contact = s.scalar(select(Contact))
        assert contact is not None
        assert contact.client_id == client.id  # references translated to local ids
        assert contact.full_name == "Контакт anna"
        call = s.scalar(select(Interaction))
        assert call is not None
        assert call.search_text == "звонок anna"  # derived here, not carried
        assert call.start_utc == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
        memo = s.scalar(select(Memo))
        assert memo is not None
        assert (memo.object_kind, memo.object_id) == ("client", client.id)
        owner = s.get(User, client.owner_id)
        assert owner is not None
        assert owner.login == team_db.logins["anna"]
        assert owner.full_name == "Анна Смирнова"
    seen = status(laptop)
    assert seen.is_replica
    assert seen.login == team_db.logins["anna"]
    assert seen.server_url is not None
    assert ":@" not in seen.server_url  # no password anywhere
    assert seen.pending == 0
    assert seen.last_sync_at is not None


def test_later_server_edits_come_down_and_a_second_pull_changes_nothing(
    team_db: TeamDb, laptop: Database
) -> None:
    server = open_server(laptop)
    try:
        before = _everything(laptop)
        assert pull(laptop, server, batch=5) == 0
        assert _everything(laptop) == before
        with team_db.db.uow() as uow:  # a colleague (the administrator) edits
            client = uow.session.scalar(select(Client).where(Client.name == "ООО anna"))
            assert client is not None
            client.name = "ООО «Анна и партнёры»"
            note = uow.session.scalar(select(Note).where(Note.client_id == client.id))
            assert note is not None
            note.body = "Перезвонить в Ёлки"
            uow.commit()
        assert pull(laptop, server, batch=5) == 2
        with laptop.reader() as uow:
            client = uow.session.scalar(select(Client))
            assert client is not None
            assert client.name == "ООО «Анна и партнёры»"
            assert client.name_folded == "ооо «анна и партнеры»"
            note = uow.session.scalar(select(Note))
            assert note is not None
            assert note.search_text == "перезвонить в елки"
        after = _everything(laptop)
        assert pull(laptop, server) == 0
        assert _everything(laptop) == after
    finally:
        server.dispose()


def test_a_newer_local_edit_stays_and_a_newer_server_clock_wins(
    team_db: TeamDb, laptop: Database
) -> None:
    server = open_server(laptop)
    try:
        # Clocks set by hand: the change-log hook (services/sync/log.py)
        # stays out of these writes, as it does while a sync applies rows.
        with laptop.uow() as uow:
            uow.session.info["sync_applying"] = True
            client = uow.session.scalar(select(Client))
            assert client is not None
            uid = client.uid
            client.address = "Казань, офлайн"
            uow.session.merge(
                SyncClock(kind="client", uid=uid, field="address", hlc="0ff000000000:0000:laptop")
            )
            uow.commit()
        with team_db.db.uow() as uow:
            uow.session.info["sync_applying"] = True
            row = uow.session.scalar(select(Client).where(Client.uid == uid))
            assert row is not None
            row.address = "Москва, без часов"  # no clock: older than any edit
            uow.commit()
        pull(laptop, server)
        with laptop.reader() as uow:
            assert uow.session.scalar(select(Client.address)) == "Казань, офлайн"
        with team_db.db.uow() as uow:
            uow.session.info["sync_applying"] = True
            row = uow.session.scalar(select(Client).where(Client.uid == uid))
            assert row is not None
            row.address = "Самара, позже"
            uow.session.merge(
                SyncClock(kind="client", uid=uid, field="address", hlc="0ff000000001:0000:srv1")
            )
            uow.commit()
        pull(laptop, server)
        with laptop.reader() as uow:
            assert uow.session.scalar(select(Client.address)) == "Самара, позже"
            clock = uow.session.get(SyncClock, ("client", uid, "address"))
            assert clock is not None
            assert clock.hlc == "0ff000000001:0000:srv1"
            assert state.get(uow.session, "hlc_last") is not None
    finally:
        server.dispose()


def test_a_transfer_and_a_deletion_on_the_server_remove_rows_from_the_laptop(
    team_db: TeamDb, laptop: Database
) -> None:
    server = open_server(laptop)
    try:
        assert _uids(laptop, "contact_point")
        with team_db.db.uow() as uow:
            point = uow.session.scalar(
                select(ContactPoint).where(ContactPoint.raw == "anna@example.test")
            )
            assert point is not None
            uow.session.delete(point)
            uow.commit()
        pull(laptop, server)
        assert not _uids(laptop, "contact_point")
        assert _uids(laptop, "client")
        with team_db.db.uow() as uow:  # handed to boris: anna's login no longer sees it
            client = uow.session.scalar(select(Client).where(Client.name == "ООО anna"))
            assert client is not None
            client.owner_id = user_id(team_db, "boris")
            uow.session.execute(text("DELETE FROM party_shares"))
            uow.commit()
        pull(laptop, server)
        with laptop.reader() as uow:
            s = uow.session
            assert s.scalar(select(Client)) is None
            assert s.scalar(select(Contact)) is None
            assert s.scalar(select(Note)) is None
            assert s.scalar(select(Task).where(Task.client_id.is_not(None))) is None
            assert s.scalar(select(Memo).where(Memo.object_kind == "client")) is None
            # What anna still owns on the server stays (her lead).
            assert s.scalar(select(Lead.name)) == "Лид anna"
    finally:
        server.dispose()


def test_a_record_naming_one_the_login_may_not_see_is_listed_not_a_crash(
    team_db: TeamDb, tmp_path: Path
) -> None:
    anna = team_db.actor("anna")
    with team_db.db.uow() as uow:  # anna's call on boris's client
        boris_client = uow.session.scalar(select(Client).where(Client.name == "ООО boris"))
        assert boris_client is not None
        uow.session.add(
            Interaction(
                type="call",
                direction="out",
                state="planned",
                start_local=dt.datetime(2026, 12, 3, 10, 0),
                start_tz="UTC",
                start_utc=dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC),
                owner_id=anna.id,
                client_id=boris_client.id,
                subject="Чужой клиент",
            )
        )
        uow.commit()
    path = tmp_path / "laptop.sqlite3"
    init_replica(path, team_db.url, team_db.logins["anna"])
    replica = open_database(f"sqlite:///{path}")
    try:
        with replica.reader() as uow:
            unresolved = json.loads(state.get(uow.session, "unresolved") or "[]")
            subjects = set(uow.session.execute(select(Interaction.subject)).scalars())
        assert len(unresolved) == 1
        assert unresolved[0].startswith("interaction:")
        assert "Чужой клиент" not in subjects
        assert "Звонок anna" in subjects
    finally:
        replica.dispose()


def test_replica_init_and_status_from_the_command_line(
    team_db: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main

    path = tmp_path / "cli-laptop.sqlite3"
    login = team_db.logins["boris"]
    argv = ["replica", "init", "--server", team_db.url, "--login", login, "--path", str(path)]
    assert main([*argv, "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["is_replica"] is True
    assert made["login"] == login
    assert main(["replica", "status", "--path", str(path), "--json"]) == 0
    seen = json.loads(capsys.readouterr().out)
    assert seen["pending"] == 0
    assert seen["node"] == made["node"]
    assert main(["replica", "status", "--path", str(path)]) == 0
    assert f"as {login}" in capsys.readouterr().out
    assert main(["replica", "status", "--path", str(tmp_path / "none.sqlite3")]) == 2
    assert "There is no replica" in capsys.readouterr().err
    replica = open_database(f"sqlite:///{path}")
    try:
        assert _uids(replica, "client") == _uids(team_db.db, "client") - _uids_named(
            team_db, "ООО anna"
        )
    finally:
        replica.dispose()


def _uids_named(team_db: TeamDb, name: str) -> set[str]:
    with team_db.db.reader() as uow:
        return set(uow.session.execute(select(Client.uid).where(Client.name == name)).scalars())


def test_a_card_shared_with_the_manager_comes_down_whole_and_leaves_when_unshared(
    team_db: TeamDb, laptop: Database
) -> None:
    from models import PartyShare

    server = open_server(laptop)
    try:
        with team_db.db.uow() as uow:  # boris's card, unchanged, shared with anna
            boris_client = uow.session.scalar(select(Client).where(Client.name == "ООО boris"))
            assert boris_client is not None
            uow.session.add(PartyShare(client_id=boris_client.id, user_id=user_id(team_db, "anna")))
            uow.commit()
        pull(laptop, server)
        with laptop.reader() as uow:
            s = uow.session
            shared = s.scalar(select(Client).where(Client.name == "ООО boris"))
            assert shared is not None
            contact = s.scalar(select(Contact).where(Contact.full_name == "Контакт boris"))
            assert contact is not None
            assert contact.client_id == shared.id
            notes = set(s.scalars(select(Note.body).where(Note.client_id == shared.id)))
            assert notes == {"Заметка boris"}
            calls = set(
                s.scalars(select(Interaction.subject).where(Interaction.client_id == shared.id))
            )
            assert calls == {"Звонок boris"}
        assert pull(laptop, server) == 0  # nothing new the second time
        with team_db.db.uow() as uow:
            uow.session.execute(
                text("DELETE FROM party_shares WHERE client_id = :c"), {"c": boris_client.id}
            )
            uow.commit()
        pull(laptop, server)
        with laptop.reader() as uow:
            assert uow.session.scalar(select(Client).where(Client.name == "ООО boris")) is None
            assert uow.session.scalar(select(Client).where(Client.name == "ООО anna")) is not None
    finally:
        server.dispose()
