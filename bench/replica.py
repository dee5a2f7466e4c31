"""A laptop replica after a week away (#20): a colleague's week pulled into
the replica, and the laptop's own week synced (push, then pull), each
against a plain bulk insert of the same rows into PostgreSQL timed in the
same run.

    .venv/bin/python bench/replica.py              # pull 10,000 rows, sync 1,000 records
    .venv/bin/python bench/replica.py --json       # the bench contract's last line
    .venv/bin/python bench/replica.py --rows 50000 --sync-records 10000
    .venv/bin/python bench/replica.py --pg postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/replica.py --changes 10000   # the issue's week: 10,000 mixed changes

The server is a team database (``admin init``) with a manager login. Pull:
the laptop is seeded, then 1,000 of the manager's clients are written on
the server, each with two contact persons, an address, a deal, four
interactions and a note (10 rows per client), and the replica pulls them
under the manager's login (row-level security on) in batches of 500, each
batch one SQLite transaction with its cursor; baseline: exactly those rows
read back and inserted into a fresh database at the same schema, one
executemany per table in one transaction. Sync: the laptop then makes
``--sync-records`` records offline (per action, one unit of work: a contact
person with a number, a meeting, a note and a task) and ``sync`` pushes
them through the server's checks and pulls the verdict back; baseline:
those records, as the server then holds them, inserted into a copy of the
server made before the sync. The sync's default is 1,000 records, not the
issue's 10,000: at the push's present speed (~35 ms a record under load)
10,000 take ~6 min, longer than run_all.py waits for a bench.

``--changes N`` (``--full``: 10,000) replaces that sync by the issue's week
of N offline changes of mixed kinds, one user action each, in rotation:
an edit of a client's address, a new contact person with a phone number, a
logged meeting, a note, a task, an edit of a pulled call's subject, a
custom field value set on a client and one cleared again (a deletion: a
tombstone). Baseline: the same rows written into a copy of the server made
before the sync with one executemany per table and statement kind (INSERT
of the records made, as the server then holds them; UPDATE of the edited
ones' synced columns; DELETE of the cleared values), in one transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import bindparam, create_engine, select, text
from sqlalchemy.engine import make_url

from models import (
    Client,
    Contact,
    ContactPoint,
    CustomField,
    CustomValue,
    Deal,
    Interaction,
    Note,
    Stage,
    SyncLog,
    Task,
)
from services.core import bootstrap, team
from services.core.storage import open_database
from services.parties import custom_fields
from services.sync.pull import pull
from services.sync.tables import kind_of, synced_kinds
from services.sync.use_cases import init_replica, open_server, sync

PER_CLIENT = 10
TARGET = 5.0  # pull / bulk insert (measured ~2 under load)
SYNC_TARGET = 50.0  # sync / bulk insert
START = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)


@contextmanager
def cluster(pg: str | None) -> Iterator[str]:
    if pg:
        yield pg
        return
    from tests import servers

    yield from servers.postgres_server()


@contextmanager
def database(admin_url: str, name: str) -> Iterator[str]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def make_team(url: str) -> str:
    """A team database with one manager login."""
    db = open_database(url, upgrade=False)
    team.init(db)
    with db.reader() as uow:
        owner = bootstrap.actor_for(uow, uow.session.execute(text("SELECT session_user")).scalar())
    manager = team.add_user(
        db, owner, f"field_{os.getpid()}", "manager", full_name="Полевой Менеджер"
    )
    # A client field the week's changes set and clear (reference data: it comes down).
    custom_fields.add_field(db, owner, "client", "visit", "Visit", label_ru="Визит")
    db.dispose()
    return manager.login


def build(url: str, login: str, clients: int) -> None:
    """A week of work on the manager's clients, written on the server."""
    db = open_database(url, upgrade=False)
    with db.reader() as uow:
        me = bootstrap.actor_for(uow, login)
        stage = uow.session.scalar(select(Stage).order_by(Stage.id))
        assert stage is not None
        pipeline_id, stage_id = stage.pipeline_id, stage.id
    for first in range(0, clients, 200):
        with db.uow() as uow:
            s = uow.session
            for n in range(first, min(first + 200, clients)):
                client = Client(name=f"ООО «Клиент {n}»", owner_id=me.id, address=f"Улица {n}")
                s.add(client)
                s.flush()
                s.add_all(
                    [
                        Contact(full_name=f"Иванов {n}", client_id=client.id),
                        Contact(full_name=f"Петрова {n}", client_id=client.id),
                        ContactPoint(
                            kind="email",
                            raw=f"c{n}@example.test",
                            normalized=f"c{n}@example.test",
                            client_id=client.id,
                        ),
                        Deal(
                            title=f"Поставка {n}",
                            pipeline_id=pipeline_id,
                            stage_id=stage_id,
                            owner_id=me.id,
                            client_id=client.id,
                        ),
                        Note(client_id=client.id, author_id=me.id, body=f"Заметка {n}"),
                        *(
                            Interaction(
                                type="call",
                                direction="out",
                                state="done",
                                start_local=(START + dt.timedelta(hours=k)).replace(tzinfo=None),
                                start_tz="UTC",
                                start_utc=START + dt.timedelta(hours=k),
                                owner_id=me.id,
                                client_id=client.id,
                                subject=f"Звонок {n}.{k}",
                            )
                            for k in range(4)
                        ),
                    ]
                )
            uow.commit()
    db.dispose()


def bulk_insert(source_url: str, target_url: str) -> tuple[float, int]:
    """The synced rows of ``source_url`` inserted into ``target_url``: seconds, rows."""
    source = create_engine(source_url)
    tables: list[tuple[Any, list[dict[str, Any]]]] = []
    with source.connect() as conn:
        for spec in synced_kinds():
            if spec.kind == "interaction_type":  # the migrations made them already
                continue
            table = spec.model.__table__
            rows = [dict(r._mapping) | {"sync_seq": None} for r in conn.execute(select(table))]
            tables.append((table, rows))
    source.dispose()
    open_database(target_url).dispose()  # the same schema, empty
    target = create_engine(target_url)
    started = time.perf_counter()
    with target.begin() as conn:
        for table, rows in tables:
            if rows:
                conn.execute(table.insert(), rows)
    elapsed = time.perf_counter() - started
    target.dispose()
    return elapsed, sum(len(rows) for _, rows in tables)


OFFLINE_KINDS = ("contact", "contact_point", "interaction", "note", "task")


def offline_week(path: Path, login: str, records: int) -> None:
    """A week on the laptop: per action (one unit of work) a new contact
    person with a number, a logged call, a note and a task on one of the
    manager's clients; five records an action."""
    replica = open_database(f"sqlite:///{path}")
    with replica.reader() as uow:
        me = bootstrap.actor_for(uow, login)
        clients = list(uow.session.scalars(select(Client.id).order_by(Client.id)))
    for n in range(records // len(OFFLINE_KINDS)):
        client_id = clients[n % len(clients)]
        when = START + dt.timedelta(days=7, minutes=n)
        with replica.uow(me.id) as uow:
            s = uow.session
            contact = Contact(full_name=f"Новый контакт {n}", client_id=client_id)
            s.add(contact)
            s.flush()
            s.add_all(
                [
                    ContactPoint(
                        kind="phone",
                        raw=f"+7 495 {n:07d}",
                        normalized=f"+7495{n:07d}",
                        contact_id=contact.id,
                    ),
                    Interaction(
                        type="meeting",
                        direction="none",
                        state="done",
                        start_local=when.replace(tzinfo=None),
                        start_tz="UTC",
                        start_utc=when,
                        owner_id=me.id,
                        client_id=client_id,
                        subject=f"Встреча {n}",
                    ),
                    Note(client_id=client_id, author_id=me.id, body=f"Итоги встречи {n}"),
                    Task(
                        client_id=client_id,
                        title=f"Отправить КП {n}",
                        assignee_id=me.id,
                        author_id=me.id,
                    ),
                ]
            )
            uow.commit()
    replica.dispose()


def insert_pushed(server_url: str, copy_url: str, path: Path) -> tuple[float, int]:
    """The records the laptop created, as the server now holds them,
    inserted into a copy of the server made before the sync."""
    replica = create_engine(f"sqlite:///{path}")
    with replica.connect() as conn:
        made = {
            kind: list(
                conn.execute(
                    select(SyncLog.uid).where(SyncLog.kind == kind, SyncLog.field == "*created")
                ).scalars()
            )
            for kind in OFFLINE_KINDS
        }
    replica.dispose()
    source = create_engine(server_url)
    tables: list[tuple[Any, list[dict[str, Any]]]] = []
    with source.connect() as conn:
        for kind in OFFLINE_KINDS:
            table = kind_of(kind).model.__table__
            rows: list[dict[str, Any]] = []
            for start in range(0, len(made[kind]), 1000):
                chunk = made[kind][start : start + 1000]
                rows += [
                    dict(r._mapping) | {"sync_seq": None}
                    for r in conn.execute(select(table).where(table.c.uid.in_(chunk)))
                ]
            tables.append((table, rows))
    source.dispose()
    target = create_engine(copy_url)
    started = time.perf_counter()
    with target.begin() as conn:
        for table, rows in tables:
            if rows:
                conn.execute(table.insert(), rows)
    elapsed = time.perf_counter() - started
    target.dispose()
    return elapsed, sum(len(rows) for _, rows in tables)


def copy_of(admin_url: str, url: str, name: str) -> str:
    """A copy of the database at ``url`` (CREATE DATABASE … TEMPLATE)."""
    source = make_url(url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
            {"d": source},
        )
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {source}"))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


CHANGE_KINDS = (
    "client address",
    "new contact",
    "meeting",
    "note",
    "task",
    "call subject",
    "value set",
    "value cleared",
)


def offline_changes(path: Path, login: str, changes: int) -> dict[str, dict[str, list[Any]]]:
    """The issue's week: ``changes`` user actions of mixed kinds, one unit of
    work each (CHANGE_KINDS in rotation). Returns what it did for the
    baseline: per table, the uids made, the uids edited (with the columns)
    and the keys of the rows removed."""
    replica = open_database(f"sqlite:///{path}")
    with replica.reader() as uow:
        s = uow.session
        me = bootstrap.actor_for(uow, login)
        clients = list(s.scalars(select(Client.id).order_by(Client.id)))
        calls = list(s.scalars(select(Interaction.id).order_by(Interaction.id)))
        field_id = s.scalar(select(CustomField.id).where(CustomField.code == "visit"))
        assert field_id is not None
    done: dict[str, dict[str, list[Any]]] = {}

    def note(table: str, what: str, item: Any) -> None:
        done.setdefault(table, {}).setdefault(what, []).append(item)

    valued: list[int] = []
    for n in range(changes):
        what = CHANGE_KINDS[n % len(CHANGE_KINDS)]
        client_id = clients[(n // len(CHANGE_KINDS)) % len(clients)]
        when = START + dt.timedelta(days=7, minutes=n)
        with replica.uow(me.id) as uow:
            s = uow.session
            if what == "client address":
                client = s.get(Client, client_id)
                assert client is not None
                client.address = f"Новый адрес {n}"
                note("clients", "edited", (client.uid, ("address",)))
            elif what == "new contact":
                contact = Contact(full_name=f"Новый контакт {n}", client_id=client_id)
                s.add(contact)
                s.flush()
                point = ContactPoint(
                    kind="phone",
                    raw=f"+7 495 {n:07d}",
                    normalized=f"+7495{n:07d}",
                    contact_id=contact.id,
                )
                s.add(point)
                s.flush()
                note("contacts", "made", contact.uid)
                note("contact_points", "made", point.uid)
            elif what == "meeting":
                meeting = Interaction(
                    type="meeting",
                    direction="none",
                    state="done",
                    start_local=when.replace(tzinfo=None),
                    start_tz="UTC",
                    start_utc=when,
                    owner_id=me.id,
                    client_id=client_id,
                    subject=f"Встреча {n}",
                )
                s.add(meeting)
                s.flush()
                note("interactions", "made", meeting.uid)
            elif what == "note":
                made_note = Note(client_id=client_id, author_id=me.id, body=f"Итоги встречи {n}")
                s.add(made_note)
                s.flush()
                note("notes", "made", made_note.uid)
            elif what == "task":
                task = Task(
                    client_id=client_id,
                    title=f"Отправить КП {n}",
                    assignee_id=me.id,
                    author_id=me.id,
                )
                s.add(task)
                s.flush()
                note("tasks", "made", task.uid)
            elif what == "call subject":
                call = s.get(Interaction, calls[(n // len(CHANGE_KINDS)) % len(calls)])
                assert call is not None
                call.subject = f"Звонок, итог {n}"
                note("interactions", "edited", (call.uid, ("subject",)))
            elif what == "value set":
                custom_fields.set_values(uow, "client", client_id, {"visit": f"Визит {n}"})
                valued.append(client_id)
                note("custom_values", "made", (field_id, client_id))
            else:  # value cleared: the one set just before, a hard deletion
                cleared = valued.pop()
                custom_fields.set_values(uow, "client", cleared, {"visit": ""})
                note("custom_values", "removed", (field_id, cleared))
            uow.commit()
    replica.dispose()
    return done


TABLES = {
    "clients": Client,
    "contacts": Contact,
    "contact_points": ContactPoint,
    "interactions": Interaction,
    "notes": Note,
    "tasks": Task,
    "custom_values": CustomValue,
}


def write_changes(
    server_url: str, copy_url: str, done: dict[str, dict[str, list[Any]]]
) -> tuple[float, int]:
    """The week's rows as the server holds them after the sync, written into
    the copy made before it: one executemany per table and statement."""
    source = create_engine(server_url)
    statements: list[tuple[Any, list[dict[str, Any]]]] = []
    with source.connect() as conn:
        for name, what in done.items():
            model = TABLES[name]
            table = model.__table__
            if name == "custom_values":
                made = [dict(r._mapping) | {"sync_seq": None} for r in conn.execute(select(table))]
                if made:
                    statements.append((table.insert(), made))
                removed = [{"f": f, "e": e} for f, e in what.get("removed", [])]
                if removed:
                    statements.append(
                        (
                            table.delete().where(
                                table.c.field_id == bindparam("f"),
                                table.c.entity_id == bindparam("e"),
                            ),
                            removed,
                        )
                    )
                continue
            uids = what.get("made", [])
            for start in range(0, len(uids), 1000):
                rows = [
                    dict(r._mapping) | {"sync_seq": None}
                    for r in conn.execute(
                        select(table).where(table.c.uid.in_(uids[start : start + 1000]))
                    )
                ]
                if rows:
                    statements.append((table.insert(), rows))
            edited = what.get("edited", [])
            if edited:
                columns = sorted({c for _, cols in edited for c in cols})
                latest = {uid: None for uid, _ in edited}
                rows = [
                    {"u": r.uid, **{f"v_{c}": getattr(r, c) for c in columns}}
                    for start in range(0, len(latest), 1000)
                    for r in conn.execute(
                        select(table).where(table.c.uid.in_(list(latest)[start : start + 1000]))
                    )
                ]
                statements.append(
                    (
                        table.update()
                        .where(table.c.uid == bindparam("u"))
                        .values({c: bindparam(f"v_{c}") for c in columns}),
                        rows,
                    )
                )
    source.dispose()
    target = create_engine(copy_url)
    started = time.perf_counter()
    with target.begin() as conn:
        for statement, rows in statements:
            conn.execute(statement, rows)
    elapsed = time.perf_counter() - started
    target.dispose()
    return elapsed, sum(len(rows) for _, rows in statements)


def timed_sync(
    admin_url: str, url: str, path: Path, baseline: Callable[[str], tuple[float, int]]
) -> tuple[Any, float, float, int]:
    """The replica's sync timed, then BASELINE (seconds, rows) timed on a copy
    of the server as it was before the sync (dropped afterwards)."""
    copy_url = copy_of(admin_url, url, f"tp_replica_before_{os.getpid()}")
    try:
        replica = open_database(f"sqlite:///{path}")
        server = open_server(replica)
        try:
            started = time.perf_counter()
            report = sync(replica, server)
            synced = time.perf_counter() - started
        finally:
            server.dispose()
            replica.dispose()
        base, rows = baseline(copy_url)
    finally:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(
                text(f"DROP DATABASE IF EXISTS {make_url(copy_url).database} WITH (FORCE)")
            )
        admin.dispose()
    return report, synced, base, rows


def measure_changes(
    admin_url: str, url: str, path: Path, login: str, changes: int
) -> dict[str, Any]:
    """The issue's week of ``changes`` mixed offline changes, synced."""
    started = time.perf_counter()
    done = offline_changes(path, login, changes)
    print(
        f"offline week: {changes:,} changes in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    report, synced, written, rows = timed_sync(
        admin_url, url, path, lambda copy_url: write_changes(url, copy_url, done)
    )
    ratio = synced / written
    print(
        f"sync of a week's {changes:,} offline changes ({report.pushed:,} actions pushed, "
        f"{len(report.refused)} refused, {report.pulled:,} pulled back): {synced:.1f} s "
        f"({synced / 60:.1f} min, {synced / changes * 1000:.1f} ms a change); plain bulk "
        f"write of those {rows:,} rows into PostgreSQL: {written:.2f} s; ratio {ratio:.1f}",
        file=sys.stderr,
    )
    return {
        "name": f"replica sync, a week's {changes:,} mixed offline changes (sync / bulk write)",
        "ratio": round(ratio, 2),
        "target": SYNC_TARGET,
        "ok": ratio <= SYNC_TARGET and not report.refused,
        "ms": round(synced * 1000),
        "base_ms": round(written * 1000),
    }


def measure_sync(admin_url: str, url: str, path: Path, login: str, records: int) -> dict[str, Any]:
    started = time.perf_counter()
    offline_week(path, login, records)
    print(
        f"offline week: {records:,} records in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    report, synced, inserted, rows = timed_sync(
        admin_url, url, path, lambda copy_url: insert_pushed(url, copy_url, path)
    )
    ratio = synced / inserted
    print(
        f"sync of {rows:,} offline records ({report.pushed:,} actions pushed, "
        f"{len(report.refused)} refused, {report.pulled:,} pulled back): {synced:.2f} s; "
        f"bulk insert of those rows into PostgreSQL: {inserted:.2f} s; ratio {ratio:.1f} "
        f"(target {SYNC_TARGET:g})",
        file=sys.stderr,
    )
    return {
        "name": f"replica sync, {rows:,} offline records (sync / bulk insert)",
        "ratio": round(ratio, 2),
        "target": SYNC_TARGET,
        "ok": ratio <= SYNC_TARGET and not report.refused,
        "ms": round(synced * 1000),
        "base_ms": round(inserted * 1000),
    }


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    clients = max(1, args.rows // PER_CLIENT)
    with cluster(args.pg) as admin_url, database(admin_url, f"tp_replica_{os.getpid()}") as url:
        login = make_team(url)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "laptop.sqlite3"
            init_replica(path, url, login)  # the laptop before the week
            started = time.perf_counter()
            build(url, login, clients)
            print(
                f"built: {clients:,} clients, {clients * PER_CLIENT:,} rows in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            replica = open_database(f"sqlite:///{path}")
            server = open_server(replica)
            try:
                started = time.perf_counter()
                pull(replica, server, batch=args.batch)
                pulled = time.perf_counter() - started
            finally:
                server.dispose()
                replica.dispose()
            with database(admin_url, f"tp_replica_copy_{os.getpid()}") as copy_url:
                inserted, rows = bulk_insert(url, copy_url)
            if args.changes:
                synced = measure_changes(admin_url, url, path, login, args.changes)
            else:
                synced = measure_sync(admin_url, url, path, login, args.sync_records)
    ratio = pulled / inserted
    print(
        f"pull of {rows:,} rows: {pulled:.2f} s; bulk insert into PostgreSQL: "
        f"{inserted:.2f} s; ratio {ratio:.1f} (target {TARGET:g})",
        file=sys.stderr,
    )
    return [
        {
            "name": f"replica pull, {rows:,} rows (pull / bulk insert)",
            "ratio": round(ratio, 2),
            "target": TARGET,
            "ok": ratio <= TARGET,
            "ms": round(pulled * 1000),
            "base_ms": round(inserted * 1000),
        },
        synced,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", metavar="URL", help="admin URL of a PostgreSQL cluster to use")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--sync-records",
        type=int,
        default=1_000,
        help="records made offline and synced (10,000: ~5 min in all, past run_all's limit)",
    )
    parser.add_argument(
        "--changes",
        type=int,
        default=0,
        help="sync the issue's week of N mixed offline changes instead (10,000 with --full)",
    )
    parser.add_argument("--full", action="store_true", help="100,000 rows, 10,000 changes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.full:
        args.rows = max(args.rows, 100_000)
        args.changes = args.changes or 10_000
    rows = run(args)
    if args.json:
        print(json.dumps(rows))
    else:
        for row in rows:
            print(
                f"{row['name']:<60} {row['ratio']:>8} {row['target']:>8}  "
                f"{'yes' if row['ok'] else 'NO'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
