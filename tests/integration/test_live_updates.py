"""Live updates between desktops (#19 item 5) on the real PostgreSQL: one
login's change reaches another login's listener as kinds and ids, and the
listener keeps only what its own session may see."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from models import Client, Interaction
from services.core import live
from services.core.storage import Database, open_database
from tests.integration.team_rls_helpers import TeamDb, make_team, seed_world

pytestmark = pytest.mark.postgres
WAIT_S = 15


@pytest.fixture
def team_db(pg_admin_url: str, pg_template: str) -> Iterator[TeamDb]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    seed_world(tdb, "anna", "anna")
    seed_world(tdb, "boris", "boris")
    yield tdb
    tdb.dispose()


class Listener:
    """``live.listen`` on a thread, as a desktop runs it."""

    def __init__(self, db: Database) -> None:
        self.got: queue.Queue[list[live.Notice]] = queue.Queue()
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=live.listen,
            args=(db, self.stop, self.got.put),
            kwargs={"on_listening": self.ready.set},
            daemon=True,
        )
        self.thread.start()
        assert self.ready.wait(WAIT_S)

    def next(self) -> list[live.Notice]:
        return self.got.get(timeout=WAIT_S)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive()


def test_a_colleagues_change_arrives_and_is_read_again_through_row_level_security(
    team_db: TeamDb,
) -> None:
    anna_db = open_database(team_db.url_of("anna"))
    anna = team_db.actor("anna")
    listener = Listener(anna_db)
    try:
        with team_db.db.reader() as uow:
            anna_client = uow.session.scalar(select(Client.id).where(Client.owner_id == anna.id))
            boris_client = uow.session.scalar(
                select(Client.id).where(Client.owner_id == team_db.actor("boris").id)
            )
            anna_call = uow.session.scalar(
                select(Interaction.id).where(Interaction.client_id == anna_client)
            )
        # Boris renames his own client: anna hears of it, but may not see it.
        with team_db.engine("boris").begin() as conn:
            conn.execute(text("UPDATE clients SET name = 'ООО Борис и сыновья'"))
        notices = listener.next()
        assert notices == [live.Notice("client", "update", (boris_client,))]
        assert not live.changes_for(anna_db, anna, notices)

        # Her head of department edits her call: her open card reloads.
        with team_db.engine("head").begin() as conn:
            conn.execute(
                text("UPDATE interactions SET subject = 'Перезвонить в пятницу' WHERE id = :i"),
                {"i": anna_call},
            )
        notices = listener.next()
        assert notices == [live.Notice("interaction", "update", (anna_call,))]
        changes = live.changes_for(anna_db, anna, notices)
        assert changes.touches("interaction", [anna_call])
        assert changes.touches_card("client", anna_client)
        assert not changes.touches_card("client", boris_client)
    finally:
        listener.close()
        anna_db.dispose()


def test_hostile_or_foreign_payloads_are_ignored() -> None:
    assert live.parse('{"kind": "client", "op": "update", "ids": [1, 2]}') == live.Notice(
        "client", "update", (1, 2)
    )
    assert live.parse('{"kind": "client", "op": "delete", "ids": null}') == live.Notice(
        "client", "delete", None
    )
    for bad in (
        "не json",
        "[]",
        '{"kind": "users", "op": "update", "ids": [1]}',
        '{"kind": "client", "op": "drop", "ids": [1]}',
        '{"kind": "client", "op": "update", "ids": ["1"]}',
        '{"kind": "client", "op": "update", "ids": [true]}',
        '{"kind": "client", "op": "update", "ids": [-1]}',
        '{"kind": "client", "op": "update", "ids": [' + ",".join(["1"] * 201) + "]}",
        "x" * 9000,
    ):
        assert live.parse(bad) is None, bad


def test_a_bulk_change_says_the_kind_without_ids(team_db: TeamDb) -> None:
    anna_db = open_database(team_db.url_of("anna"))
    listener = Listener(anna_db)
    try:
        with team_db.db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO notes (client_id, author_id, body, search_text, uid,"
                    " row_version, created_at, updated_at)"
                    " SELECT c.id, c.owner_id, 'Заметка ' || g, '', gen_random_uuid()::text,"
                    " 1, now(), now() FROM clients c, generate_series(1, 150) g"
                )
            )
        (notice,) = listener.next()
        assert notice == live.Notice("note", "insert", None)
        changes = live.changes_for(anna_db, team_db.actor("anna"), [notice])
        assert changes.touches("note")
    finally:
        listener.close()
        anna_db.dispose()


def test_a_new_ticket_on_her_client_reaches_her_list(team_db: TeamDb) -> None:
    from models import SupportTicket

    anna_db = open_database(team_db.url_of("anna"))
    anna = team_db.actor("anna")
    listener = Listener(anna_db)
    try:
        with team_db.db.uow() as uow:
            client = uow.session.scalar(select(Client.id).where(Client.owner_id == anna.id))
            ticket = SupportTicket(number=777, subject="Не работает", client_id=client)
            uow.session.add(ticket)
            uow.commit()
        notices = listener.next()
        assert notices == [live.Notice("ticket", "insert", (ticket.id,))]
        changes = live.changes_for(anna_db, anna, notices)
        assert changes.touches("ticket", [ticket.id])
        assert changes.touches_card("client", client)
    finally:
        listener.close()
        anna_db.dispose()
