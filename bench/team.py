"""A team of 50 on one PostgreSQL (#19 item 7): each simulated user a thread
with its own login role, opening client feeds and logging interactions at
once, against a single-user baseline and the table owner (no row-level
security) in the same run.

    .venv/bin/python bench/team.py                 # modest: ~1-2 min on 2 vCPU
    .venv/bin/python bench/team.py --full          # 20k clients, more rounds
    .venv/bin/python bench/team.py --pg postgresql://postgres@127.0.0.1:5432/postgres

Without ``--pg`` a throwaway cluster is started (tests/rigs/pg.sh, needs the
PostgreSQL server binaries); with it, a database ``tp_bench_<pid>`` is made
on that cluster (the URL's login needs CREATEDB and CREATEROLE) and dropped
at the end. See bench/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from models import Client
from services.core import bootstrap, team
from services.core.access import Actor
from services.core.storage import Database, open_database
from services.demo import generate as demo
from services.feed import pages as feed
from services.interactions import actions as ix
from services.interactions import use_cases as interactions

PAGE = 50


@contextmanager
def cluster(pg: str | None) -> Iterator[str]:
    """The admin URL of a cluster: the given one, or a throwaway one."""
    if pg:
        yield pg
        return
    from tests import servers

    yield from servers.postgres_server()


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    name = f"tp_bench_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def build(url: str, users: int, clients: int) -> tuple[Database, list[str]]:
    """A team database: demo data, then its clients and work dealt out to
    ``users`` managers, each a login role of their own."""
    db = open_database(url, upgrade=False)
    team.init(db)
    demo.generate(db, clients=clients, seed=7, interactions_per_client=10)
    with db.reader() as uow:
        owner = bootstrap.actor_for(uow, uow.session.execute(text("SELECT session_user")).scalar())
    tag = os.getpid()
    logins = []
    for n in range(users):
        member = team.add_user(
            db, owner, f"bench_{tag}_{n}", "manager", full_name=f"Менеджер {n}", password="x"
        )
        logins.append(member.login)
    with db.engine.begin() as conn:
        ids = [
            conn.execute(text("SELECT id FROM users WHERE login = :l"), {"l": login}).scalar_one()
            for login in logins
        ]
        conn.execute(
            text("UPDATE clients SET owner_id = (:ids)[1 + id % :n]"),
            {"ids": ids, "n": len(ids)},
        )
        for table in ("interactions", "deals"):
            conn.execute(
                text(
                    f"UPDATE {table} t SET owner_id = c.owner_id FROM clients c "
                    "WHERE t.client_id = c.id"
                )
            )
        conn.execute(text("ANALYZE"))
    return db, logins


class Seat:
    """One simulated user: their own engine (one connection), actor, clients."""

    def __init__(self, url: str, login: str | None) -> None:
        self.url = (
            url
            if login is None
            else make_url(url).set(username=login).render_as_string(hide_password=False)
        )
        self.db = open_database(self.url, upgrade=False)
        with self.db.reader() as uow:
            self.actor: Actor = bootstrap.session_actor(uow)
            owner = self.actor.id if login is not None else None
            query = select(Client.id).order_by(Client.id)
            if owner is not None:
                query = query.where(Client.owner_id == owner)
            self.clients = list(uow.session.scalars(query.limit(200)))

    def feed(self, client_id: int) -> float:
        started = time.perf_counter()
        with self.db.reader(self.actor.id) as uow:
            page = feed.page(uow, self.actor, feed.FeedScope(client_id=client_id), None, None, PAGE)
        assert page.items, "a demo client has a feed"
        return time.perf_counter() - started

    def save(self, client_id: int) -> float:
        spec = ix.NewInteraction(
            type="call",
            planned=False,
            start=dt.datetime.now(dt.UTC),
            client_id=client_id,
            direction="out",
            subject="Звонок из бенчмарка",
        )
        started = time.perf_counter()
        interactions.log_interaction(self.db, self.actor, spec)
        return time.perf_counter() - started


def work(seat: Seat, rounds: int, seed: int, feeds: list[float], saves: list[float]) -> None:
    rng = random.Random(seed)
    for _ in range(rounds):
        client = rng.choice(seat.clients)
        feeds.append(seat.feed(client))
        saves.append(seat.save(client))


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


def run(args: argparse.Namespace) -> int:
    with cluster(args.pg) as admin_url, database(admin_url) as url:
        t0 = time.perf_counter()
        db, logins = build(url, args.users, args.clients)
        print(
            f"built: {args.clients:,} clients, {args.users} logins "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        results: dict[str, tuple[list[float], list[float]]] = {}

        def measure(name: str, seats: list[Seat], rounds: int) -> None:
            feeds: list[float] = []
            saves: list[float] = []
            threads = [
                threading.Thread(target=work, args=(s, rounds, i, feeds, saves))
                for i, s in enumerate(seats)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
            results[name] = (feeds, saves)
            print(
                f"{name:<34} feed p50 {p(feeds, 50):7.1f} ms  p95 {p(feeds, 95):7.1f} ms   "
                f"save p50 {p(saves, 50):7.1f} ms  p95 {p(saves, 95):7.1f} ms   "
                f"({len(feeds)} each, {wall:.1f} s)"
            )

        owner = Seat(url, None)
        owner.clients = Seat(url, logins[0]).clients  # the same clients, RLS off
        one = Seat(url, logins[0])
        for seat in (owner, one):  # warm caches and prepared plans
            work(seat, 3, 99, [], [])
        rounds = args.rounds * 2
        measure("table owner, 1 user (no RLS)", [owner], rounds)
        measure("1 manager login (RLS)", [one], rounds)
        seats = [Seat(url, login) for login in logins]
        measure(f"{len(seats)} manager logins at once (RLS)", seats, args.rounds)
        base_f, base_s = results["1 manager login (RLS)"]
        own_f, own_s = results["table owner, 1 user (no RLS)"]
        many_f, many_s = results[f"{len(seats)} manager logins at once (RLS)"]
        print(
            f"RLS cost (manager / owner, one user): feed p95 x{p(base_f, 95) / p(own_f, 95):.2f}, "
            f"save p95 x{p(base_s, 95) / p(own_s, 95):.2f}"
        )
        print(
            f"{len(seats)} at once / one user: feed p95 x{p(many_f, 95) / p(base_f, 95):.2f}, "
            f"save p95 x{p(many_s, 95) / p(base_s, 95):.2f} (2 vCPU shared by client and server)"
        )
        for seat in [owner, one, *seats]:
            seat.db.dispose()
        db.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", metavar="URL", help="admin URL of a PostgreSQL cluster to use")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--full", action="store_true", help="20,000 clients, 20 rounds each")
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=4, help="feeds and saves per user")
    args = parser.parse_args(argv)
    if args.full:
        args.clients, args.rounds = max(args.clients, 20_000), max(args.rounds, 20)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
