"""The server's change feed (migration 0025) on the real PostgreSQL: a
replica that pulls ``sync_seq > cursor`` in order never skips a row, even
when transactions commit in another order than they wrote."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from models import Client, Contact, Interaction, User
from models.interactions import interaction_contacts
from services.core.storage import Database, open_database

pytestmark = pytest.mark.postgres

WRITERS = 4
TRANSACTIONS = 25


@pytest.fixture
def pg(pg_admin_url: str, pg_template: str) -> Iterator[Database]:
    from tests.conftest import _fresh_pg

    database = open_database(_fresh_pg(pg_admin_url, pg_template))
    yield database
    database.dispose()


def _owner(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(User.id).order_by(User.id)).scalars().first() or 0)


def _seq_of(engine: Engine, name: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(Client.sync_seq).where(Client.name == name)).scalar_one()


def test_a_row_is_numbered_when_it_commits_not_when_it_is_written(pg: Database) -> None:
    engine = create_engine(pg.url)
    owner = _owner(engine)
    first = engine.connect()
    first.execute(Client.__table__.insert().values(name="Первый", owner_id=owner, uid="u-first"))
    with engine.begin() as second:  # written later, committed earlier
        second.execute(
            Client.__table__.insert().values(name="Второй", owner_id=owner, uid="u-second")
        )
    assert _seq_of(engine, "Второй") is not None
    # Uncommitted: not visible at all, so a pull now moves the cursor past
    # "Второй" only.
    first.commit()
    first_seq, second_seq = _seq_of(engine, "Первый"), _seq_of(engine, "Второй")
    assert first_seq is not None
    assert second_seq is not None
    assert first_seq > second_seq
    # An update numbers the row again, a child row gets its own number.
    with engine.begin() as conn:
        conn.execute(
            Client.__table__.update().where(Client.name == "Второй").values(address="Тверь")
        )
        client_id = conn.execute(select(Client.id).where(Client.name == "Второй")).scalar_one()
        conn.execute(Contact.__table__.insert().values(full_name="Ира", client_id=client_id))
    again = _seq_of(engine, "Второй")
    assert again is not None
    assert again > first_seq
    first.close()
    engine.dispose()


def test_a_delete_leaves_a_numbered_tombstone(pg: Database) -> None:
    engine = create_engine(pg.url)
    owner = _owner(engine)
    with engine.begin() as conn:
        conn.execute(
            Client.__table__.insert().values(name="Удаляемый", owner_id=owner, uid="u-del")
        )
    with engine.begin() as conn:
        conn.execute(Client.__table__.delete().where(Client.uid == "u-del"))
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT kind, hlc, sync_seq FROM sync_tombstones WHERE uid = 'u-del'")
        ).one()
    assert row.kind == "client"
    assert row.hlc.endswith(":0000:server")
    assert row.sync_seq is not None
    engine.dispose()


def test_a_reader_following_the_cursor_sees_every_committed_row(pg: Database) -> None:
    """Writers hold their transactions open for random times and commit out
    of order while a reader pulls ``sync_seq > cursor`` again and again; at
    the end the reader has seen every row in its final numbering."""
    engine = create_engine(pg.url, pool_size=WRITERS + 2)
    owner = _owner(engine)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        rng = random.Random(worker)
        try:
            for n in range(TRANSACTIONS):
                with engine.begin() as conn:
                    conn.execute(
                        Client.__table__.insert().values(
                            name=f"Клиент {worker}-{n}", owner_id=owner, uid=f"w{worker}-{n}"
                        )
                    )
                    if n and rng.random() < 0.5:
                        conn.execute(
                            Client.__table__.update()
                            .where(Client.uid == f"w{worker}-{rng.randrange(n)}")
                            .values(address=f"правка {n}")
                        )
                    conn.execute(text("SELECT pg_sleep(:s)"), {"s": rng.random() / 50})
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    seen: dict[str, int] = {}
    cursor = 0
    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()

    def pull() -> None:
        nonlocal cursor
        with engine.connect() as conn:
            rows = conn.execute(
                select(Client.uid, Client.sync_seq)
                .where(Client.sync_seq > cursor)
                .order_by(Client.sync_seq)
                .limit(7)
            ).all()
        for uid, seq in rows:
            seen[uid] = seq
            cursor = seq

    while any(t.is_alive() for t in threads):
        pull()
    for thread in threads:
        thread.join()
    assert not errors, errors
    before = -1
    while before != cursor:
        before = cursor
        pull()
    with engine.connect() as conn:
        final = {
            uid: seq
            for uid, seq in conn.execute(
                select(Client.uid, Client.sync_seq).where(Client.uid.like("w%"))
            )
        }
    assert len(final) == WRITERS * TRANSACTIONS
    missed = {uid: seq for uid, seq in final.items() if seen.get(uid) != seq}
    assert not missed, f"the reader skipped {len(missed)} rows: {sorted(missed.items())[:5]}"
    engine.dispose()


def test_an_interactions_contact_persons_are_numbered_and_tombstoned(pg: Database) -> None:
    """Migration 0031: the rows of ``interaction_contacts`` (no uid of their
    own) enter the feed and leave a tombstone named "<interaction>:<contact>";
    one removed with its interaction leaves only the interaction's."""
    engine = create_engine(pg.url)
    owner = _owner(engine)
    with Session(engine) as session, session.begin():
        client = Client(name="Тверской завод", owner_id=owner)
        session.add(client)
        session.flush()
        anna = Contact(full_name="Анна Петрова", client_id=client.id)
        boris = Contact(full_name="Борис Ёлкин", client_id=client.id)
        call = Interaction(
            type="call",
            state="done",
            start_local=dt.datetime(2026, 12, 1, 10, 0),
            start_tz="Europe/Moscow",
            start_utc=dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC),
            owner_id=owner,
            client_id=client.id,
        )
        session.add_all([anna, boris, call])
        session.flush()
        pair = {"interaction_id": call.id}
        session.execute(
            interaction_contacts.insert(),
            [{**pair, "contact_id": anna.id}, {**pair, "contact_id": boris.id}],
        )
        call_id, call_uid, anna_id, anna_uid = call.id, call.uid, anna.id, anna.uid
        boris_uid = boris.uid
    with engine.connect() as conn:
        seqs = conn.execute(select(interaction_contacts.c.sync_seq)).scalars().all()
    assert len(seqs) == 2
    assert all(seq is not None for seq in seqs)
    with engine.begin() as conn:
        conn.execute(
            interaction_contacts.delete().where(interaction_contacts.c.contact_id == anna_id)
        )
    with engine.begin() as conn:
        conn.execute(Interaction.__table__.delete().where(Interaction.id == call_id))
    with engine.connect() as conn:
        tombs = conn.execute(
            text("SELECT kind, uid, sync_seq FROM sync_tombstones WHERE uid LIKE :u"),
            {"u": f"%{call_uid}%"},
        ).all()
    named = {(row.kind, row.uid) for row in tombs}
    assert named == {
        ("interaction_contact", f"{call_uid}:{anna_uid}"),
        ("interaction", call_uid),
    }
    assert ("interaction_contact", f"{call_uid}:{boris_uid}") not in named
    assert all(row.sync_seq is not None for row in tombs)
    engine.dispose()
