"""A laptop replica after a week away (#20): 10,000 changed records pulled
into the replica, against a plain bulk insert of the same rows into
PostgreSQL timed in the same run.

    .venv/bin/python bench/replica.py              # 10,000 rows: ~1-2 min on 2 vCPU
    .venv/bin/python bench/replica.py --json       # the bench contract's last line
    .venv/bin/python bench/replica.py --rows 50000
    .venv/bin/python bench/replica.py --pg postgresql://postgres@127.0.0.1:5432/postgres

The server is a team database (``admin init``) with a manager login; a
colleague's week is 1,000 of the manager's clients, each with two contact
persons, an address, a deal, four interactions and a note (10 rows per
client). The pull runs under the manager's login (row-level security on),
in batches of 500, each batch one SQLite transaction with its cursor. The
baseline inserts exactly those rows, read back from the server, into a
fresh database at the same schema with one executemany per table in one
transaction: what moving the bytes costs without any sync logic. The push
side (``replica sync`` of 10,000 offline edits) joins this bench when it
lands.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from models import Client, Contact, ContactPoint, Deal, Interaction, Note, Stage
from services.core import bootstrap, team
from services.core.storage import open_database
from services.sync.pull import pull
from services.sync.tables import synced_kinds
from services.sync.use_cases import init_replica, open_server

PER_CLIENT = 10
TARGET = 5.0  # pull / bulk insert (measured ~2 under load)
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
        }
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", metavar="URL", help="admin URL of a PostgreSQL cluster to use")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--full", action="store_true", help="100,000 rows")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.full:
        args.rows = max(args.rows, 100_000)
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
