"""Who reads the sync bookkeeping on a team server (#20, migrations 0037, 0038, 0043).

A field clock names a record, a field, when it was last written and by
whom; a conflict holds both values. Each colleague is their own PostgreSQL
login here and reads with plain SQL, so row-level security is the guard,
not the service layer: Boris (a manager of another department) reads
nothing of Anna's private client, Gleb (her head) and Alla (administrator)
read it, and a client Anna shares with Boris is readable by him until she
stops sharing it. The sync's own read (``clock_reads``) goes through the
same policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from models import Client, Contact, Interaction, Note, User
from models.base import utcnow
from models.sync import SyncConflict
from services.core.access import Actor
from services.core.bootstrap import session_actor
from services.core.storage import Database, open_database
from services.interactions import actions as ix
from services.interactions import notes
from services.interactions import use_cases as interactions
from services.parties import shares
from services.parties import use_cases as parties
from services.sync import clock_reads
from tests.integration.team_rls_helpers import TeamDb, as_login
from tests.integration.test_team_rls import team_db as team_db  # a fresh team database

pytestmark = pytest.mark.postgres

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@contextmanager
def _login(team_db: TeamDb, who: str) -> Iterator[tuple[Database, Actor]]:
    db = open_database(team_db.url_of(who))
    try:
        with db.reader() as uow:
            actor = session_actor(uow)
        yield db, actor
    finally:
        db.dispose()


def _card(db: Database, actor: Actor, name: str) -> tuple[int, set[str]]:
    """A client with a phone and a contact person, made by ``actor`` on the
    server (the change-log hook writes their field clocks); its id and the
    uids of the three records."""
    client = parties.add_client(db, actor, name, address="Казань, ул. Баумана, 1").value
    parties.add_point(db, actor, "phone", "+7 843 123-45-67", "client", client.id, link=False)
    parties.add_contact(db, actor, "Иван Петров", client_id=client.id, position="Бухгалтер")
    with db.reader() as uow:
        s = uow.session
        uids = {s.scalar(select(Client.uid).where(Client.id == client.id)) or ""}
        uids |= set(s.scalars(select(Contact.uid).where(Contact.client_id == client.id)))
        uids |= set(
            s.scalars(text("SELECT uid FROM contact_points WHERE client_id = :c"), {"c": client.id})
        )
    return client.id, uids


def _conflict(team_db: TeamDb, uid: str) -> None:
    """A conflict kept on a client's address (written as the schema owner)."""
    with team_db.db.uow() as uow:
        uow.session.add(
            SyncConflict(
                kind="client",
                uid=uid,
                field="address",
                mine="Казань, ул. Пушкина, 5",
                theirs="Казань, ул. Баумана, 1",
                mine_hlc="0001970a3b2c1d:0000:laptop",
                theirs_hlc="0001970a3b2c1e:0000:u1",
                created_at=utcnow(),
            )
        )
        uow.commit()


def _read(team_db: TeamDb, who: str) -> tuple[set[str], set[str]]:
    """The uids ``who``'s login reads in sync_clock and sync_conflicts."""
    with as_login(team_db, who) as conn:
        clocks = set(conn.execute(text("SELECT uid FROM sync_clock")).scalars())
        conflicts = set(conn.execute(text("SELECT uid FROM sync_conflicts")).scalars())
    return clocks, conflicts


def test_a_colleagues_login_reads_no_clock_or_conflict_of_a_private_client(
    team_db: TeamDb,
) -> None:
    with _login(team_db, "anna") as (anna_db, anna):
        _, anna_uids = _card(anna_db, anna, "ООО «Ромашка»")
    with _login(team_db, "boris") as (boris_db, boris):
        _, boris_uids = _card(boris_db, boris, "АО «Южный берег»")
    client_uid = next(iter(anna_uids & _client_uids(team_db)))
    _conflict(team_db, client_uid)

    clocks, conflicts = _read(team_db, "boris")
    assert clocks & anna_uids == set()
    assert conflicts == set()
    assert boris_uids <= clocks  # his own client's clocks stay his

    for who in ("anna", "head", "admin"):  # the owner, her head, an administrator
        clocks, conflicts = _read(team_db, who)
        assert anna_uids <= clocks, who
        assert conflicts == {client_uid}, who
    assert _read(team_db, "anna")[0] & boris_uids == set()

    # Nor does his login move or write one of them.
    with as_login(team_db, "boris") as conn:
        moved = conn.execute(
            text("UPDATE sync_clock SET hlc = 'ffffffffffff:0000:boris' WHERE uid = :u"),
            {"u": client_uid},
        )
        assert moved.rowcount == 0
    with as_login(team_db, "boris") as conn, pytest.raises(DBAPIError):
        conn.execute(
            text(
                "INSERT INTO sync_clock (kind, uid, field, hlc) "
                "VALUES ('client', :u, 'name', 'ffffffffffff:0000:boris')"
            ),
            {"u": client_uid},
        )
    # The sync's own read of named records goes through the same policy.
    named = [("client", client_uid)]
    with _login(team_db, "boris") as (boris_db, _), boris_db.reader() as uow:
        assert clock_reads.clock_rows(uow.session, named) == []
        assert clock_reads.conflicts_of(uow.session, named) == []
    with _login(team_db, "anna") as (anna_db, _), anna_db.reader() as uow:
        assert {"name", "address"} <= {r.field for r in clock_reads.clock_rows(uow.session, named)}
        assert [c.mine for c in clock_reads.conflicts_of(uow.session, named)] == [
            "Казань, ул. Пушкина, 5"
        ]


def test_a_shared_clients_clocks_are_read_by_the_colleague_until_unshared(
    team_db: TeamDb,
) -> None:
    with _login(team_db, "anna") as (anna_db, anna):
        shared, shared_uids = _card(anna_db, anna, "ООО «Общая карточка»")
        _, private_uids = _card(anna_db, anna, "ООО «Личная карточка Анны»")
        shares.set_shared(anna_db, anna, "client", shared, team_db.logins["boris"], shared=True)
        clocks, _ = _read(team_db, "boris")
        assert shared_uids <= clocks
        assert clocks & private_uids == set()
        shares.set_shared(anna_db, anna, "client", shared, team_db.logins["boris"], shared=False)
    clocks, _ = _read(team_db, "boris")
    assert clocks & (shared_uids | private_uids) == set()


def _client_uids(team_db: TeamDb) -> set[str]:
    with team_db.db.reader() as uow:
        return set(uow.session.scalars(select(Client.uid)))


def _tombstone(team_db: TeamDb, kind: str, uid: str) -> None:
    with team_db.db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sync_tombstones (kind, uid, hlc, deleted_at) "
                "VALUES (:k, :u, '0001970a3b2c1d:0000:server', now())"
            ),
            {"k": kind, "u": uid},
        )


def test_a_tombstone_naming_a_colleagues_records_is_read_only_where_they_are(
    team_db: TeamDb,
) -> None:
    with _login(team_db, "anna") as (anna_db, anna):
        client_id, _ = _card(anna_db, anna, "ООО «Ромашка»")
        call = interactions.log_interaction(
            anna_db,
            anna,
            ix.NewInteraction(type="call", planned=False, start=START, client_id=client_id),
        ).value
        with anna_db.uow(anna.id) as uow:
            note_id = notes.add_note(uow, anna, "client", client_id, "Перезвонить в пятницу")
            uow.commit()
        with anna_db.reader() as uow:
            s = uow.session
            call_uid = s.scalar(select(Interaction.uid).where(Interaction.id == call.id))
            note_uid = s.scalar(select(Note.uid).where(Note.id == note_id))
            client_uid = s.scalar(select(Client.uid).where(Client.id == client_id))
            contact_uid = s.scalar(select(Contact.uid).where(Contact.client_id == client_id))
            boris_uid = s.scalar(select(User.uid).where(User.login == team_db.logins["boris"]))
    naming = {
        ("interaction_contact", f"{call_uid}:{contact_uid}"),
        ("custom_value", f"0192a6c4-field:{client_uid}"),
        ("note_mention", f"{note_uid}:{boris_uid}"),  # Boris was mentioned: his to read
    }
    removed = ("contact_point", "0192a6c4-0000-7000-8000-removed00001")
    for kind, uid in (*naming, removed):
        _tombstone(team_db, kind, uid)

    def read(who: str) -> set[tuple[str, str]]:
        with as_login(team_db, who) as conn:
            return {
                (r.kind, r.uid) for r in conn.execute(text("SELECT kind, uid FROM sync_tombstones"))
            }

    assert read("boris") == {("note_mention", f"{note_uid}:{boris_uid}"), removed}
    for who in ("anna", "head", "admin"):
        assert naming | {removed} <= read(who), who
    # Boris cannot put a tombstone on her call either (his laptop would
    # make colleagues' laptops drop the link).
    with as_login(team_db, "boris") as conn, pytest.raises(DBAPIError):
        conn.execute(
            text(
                "INSERT INTO sync_tombstones (kind, uid, hlc, deleted_at) "
                "VALUES ('interaction_contact', :u, 'ffffffffffff:0000:boris', now())"
            ),
            {"u": f"{call_uid}:0192a6c4-other"},
        )


def _tombstone_filters(plan: dict[str, Any]) -> list[str]:
    """The conditions PostgreSQL checks on ``sync_tombstones`` rows in a plan."""
    scans = plan.get("Relation Name") == "sync_tombstones" and "Filter" in plan
    found = [plan["Filter"]] if scans else []
    for below in plan.get("Plans", []):
        found += _tombstone_filters(below)
    return found


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT hlc FROM sync_tombstones WHERE kind = :k AND uid = :u",
        "UPDATE sync_tombstones SET hlc = 'ffffffffffff:0000:anna' WHERE kind = :k AND uid = :u",
    ],
)
def test_a_tombstone_read_or_moved_probes_what_it_names_not_the_whole_team(
    team_db: TeamDb, statement: str
) -> None:
    """0043: a custom value's tombstone is visible where its card is, checked
    by one index probe of that card per row, not a hash of every client,
    lead and contact person the login sees, built per statement (a pushed
    removal's tombstone cost ~80 ms at 1,000 clients, growing with them)."""
    with _login(team_db, "anna") as (anna_db, anna):
        _, uids = _card(anna_db, anna, "ООО «Ромашка»")
    client_uid = next(iter(uids & _client_uids(team_db)))
    uid = f"0192a6c4-field:{client_uid}"
    _tombstone(team_db, "custom_value", uid)
    with as_login(team_db, "anna") as conn:
        [[plan]] = conn.execute(
            text(f"EXPLAIN (FORMAT JSON) {statement}"), {"k": "custom_value", "u": uid}
        ).all()
        filters = _tombstone_filters(plan[0]["Plan"])
        assert filters
        assert all("SubPlan" in f and "hashed" not in f for f in filters), filters
        # and hers to read and move, as before (rolled back)
        assert conn.execute(text(statement), {"k": "custom_value", "u": uid}).rowcount == 1


def test_no_login_but_one_that_sees_all_tombstones_a_live_record(team_db: TeamDb) -> None:
    """A tombstone makes every laptop that pulls it drop its copy (0039).

    Boris once saw Anna's client (she shared it, then stopped): its uid is
    no secret to him, but a tombstone he wrote for it would make Anna's
    laptop drop a client the server still holds. Nor may he tombstone a
    colleague as a user, or his own live client; a record that is really
    gone is tombstoned as before, by the server's trigger.
    """
    with _login(team_db, "anna") as (anna_db, anna):
        _, anna_uids = _card(anna_db, anna, "ООО «Ромашка»")
    client_uid = next(iter(anna_uids & _client_uids(team_db)))
    with _login(team_db, "boris") as (boris_db, boris):
        _, boris_uids = _card(boris_db, boris, "АО «Южный берег»")
    own_uid = next(iter(boris_uids & _client_uids(team_db)))
    with team_db.db.reader() as uow:
        anna_user = uow.session.scalar(select(User.uid).where(User.login == team_db.logins["anna"]))

    def tombstone(kind: str, uid: str) -> set[tuple[str, str]]:
        """Boris writes one; what the table then holds, seen by the owner of his transaction."""
        with as_login(team_db, "boris") as conn:  # rolled back at the end
            conn.execute(
                text(
                    "INSERT INTO sync_tombstones (kind, uid, hlc, deleted_at) "
                    "VALUES (:k, :u, 'ffffffffffff:0000:boris', now())"
                ),
                {"k": kind, "u": uid},
            )
            return {
                (r.kind, r.uid) for r in conn.execute(text("SELECT kind, uid FROM sync_tombstones"))
            }

    for kind, uid in (("client", client_uid), ("client", own_uid), ("user", anna_user or "")):
        with pytest.raises(DBAPIError, match="row-level security"):
            tombstone(kind, uid)
    # A uid no record has (a laptop's record the server never had) is his to write.
    laptop_only = ("contact_point", "0192a6c4-0000-7000-8000-laptop000001")
    assert laptop_only in tombstone(*laptop_only)


def test_the_sync_clock_functions_answer_as_the_callers_login(team_db: TeamDb) -> None:
    """The clock read and upsert the sync calls (0042) run as whoever calls
    them, so the policies above decide: Boris calling them by hand reads
    none of Anna's client's clocks and moves none, and the app's own
    connections say ``jit = off`` (the policies' estimate would have
    PostgreSQL compile every statement on these tables first)."""
    with _login(team_db, "anna") as (anna_db, anna):
        _, anna_uids = _card(anna_db, anna, "ООО «Ромашка»")
        with anna_db.reader() as uow:
            assert uow.session.execute(text("SHOW jit")).scalar() == "off"
    client_uid = next(iter(anna_uids & _client_uids(team_db)))
    read = text("SELECT field, hlc FROM tp_sync_clock_rows('client', CAST(:u AS text[]))")
    write = text(
        "SELECT tp_sync_set_clocks(ARRAY['client'], CAST(:u AS text[]), ARRAY['name'], "
        "ARRAY['ffffffffffff:0000:boris'], NULL)"
    )
    with as_login(team_db, "boris") as conn:
        assert conn.execute(read, {"u": [client_uid]}).all() == []
    with as_login(team_db, "boris") as conn, pytest.raises(DBAPIError, match="row-level security"):
        conn.execute(write, {"u": [client_uid]})
    with as_login(team_db, "anna") as conn:
        before = {r.field: r.hlc for r in conn.execute(read, {"u": [client_uid]})}
        assert {"name", "address"} <= set(before)
        assert before["name"] != "ffffffffffff:0000:boris"
        conn.execute(write, {"u": [client_uid]})  # hers to move (rolled back)
        after = {r.field: r.hlc for r in conn.execute(read, {"u": [client_uid]})}
        assert after["name"] == "ffffffffffff:0000:boris"
