"""Global search (Ctrl+K) at 1M items: ``services.feed.search.search`` for an
administrator and a manager, against the same search written by hand.

Builds (or reuses, ``--db``) the demo database of ``bench/feed.py``, picks 30
queries from its own text (common and rare words, prefixes, two words, phone
digits, names) and times each one, admin and manager in turns with the raw
SQL, as medians of ``--repeat`` runs of CPU time (``--wall``: wall clock).
The raw side is one hand-written statement on a plain ``sqlite3``
connection ranking the way the service does (names, addresses, titles and
subjects first, then notes and bodies; by kind; newest first: each kind's
newest 30 matches), a long prefix spelt out from the index's vocabulary as
the service does, and what each of the top 30 shows (title, text, time,
the card's name; the service also reads the matching address of a card
and makes the snippet); for the manager the same with ``access.check``'s
question asked of each match. Before timing, the bench asserts that it
finds the same top 30 in the same order as the service does, for both.

    .venv/bin/python bench/search.py                 # CI size
    .venv/bin/python bench/search.py --full --db /tmp/full.sqlite3
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import feed as feed_bench  # bench/feed.py: the same demo database
from sqlalchemy import func, select

from models import Client, ContactPoint, Interaction, User
from services.core import bootstrap
from services.core.access import Actor, Permission
from services.core.storage import Database, open_database
from services.feed import search

P95_TARGET_MS = 100.0
WALL = False  # --wall
RATIO_TARGET = 2.0
LIMIT = 30
KINDS = ("client", "lead", "contact", "deal", "note", "interaction")
# What a hit shows, per kind: title, text (for the snippet or a lead's
# company, a contact's position), time, and the name of the card it is on.
_ON_CARD = (
    " LEFT JOIN clients c ON c.id = x.client_id LEFT JOIN leads l ON l.id = x.lead_id"
    " WHERE x.id IN ({})"
)
DETAILS = {
    "client": "SELECT x.id, x.name, NULL, NULL, x.name FROM clients x WHERE x.id IN ({})",
    "lead": "SELECT x.id, x.name, x.company, NULL, x.name FROM leads x WHERE x.id IN ({})",
    "contact": "SELECT x.id, x.full_name, x.position, NULL, coalesce(c.name, l.name) "
    "FROM contacts x" + _ON_CARD,
    "deal": "SELECT x.id, x.title, NULL, NULL, coalesce(c.name, l.name) FROM deals x" + _ON_CARD,
    "note": "SELECT x.id, NULL, x.body, x.created_at, coalesce(c.name, l.name) "
    "FROM notes x" + _ON_CARD,
    "interaction": "SELECT x.id, x.subject, x.body, x.start_utc, coalesce(c.name, l.name) "
    "FROM interactions x" + _ON_CARD,
}


TABLES = {
    "client": "clients",
    "lead": "leads",
    "contact": "contacts",
    "deal": "deals",
    "note": "notes",
    "interaction": "interactions",
    "point": "contact_points",
}
SHARED = "(SELECT {0}_id FROM party_shares WHERE user_id = :me AND {0}_id IS NOT NULL)"


def _on_card(x: str) -> str:
    """``x`` is on a client or lead the manager owns or has been shared."""
    return (
        f"EXISTS (SELECT 1 FROM clients c WHERE c.id = {x}.client_id"
        f" AND (c.owner_id = :me OR c.id IN {SHARED.format('client')}))"
        f" OR EXISTS (SELECT 1 FROM leads l WHERE l.id = {x}.lead_id"
        f" AND (l.owner_id = :me OR l.id IN {SHARED.format('lead')}))"
    )


# What a manager sees (``access.check``), asked of each match as it is walked.
VISIBLE = {
    "client": f"x.owner_id = :me OR x.id IN {SHARED.format('client')}",
    "lead": f"x.owner_id = :me OR x.id IN {SHARED.format('lead')}",
    "contact": _on_card("x"),
    "note": _on_card("x"),
    "deal": "x.owner_id = :me OR " + _on_card("x"),
    "interaction": "x.owner_id = :me OR " + _on_card("x"),
    "point": _on_card("x")
    + f" OR EXISTS (SELECT 1 FROM contacts k WHERE k.id = x.contact_id AND ({_on_card('k')}))",
}


def _newest(kind: str, rank: int, seen: bool, source: str = "search_index") -> str:
    """The newest ``LIMIT`` matches of ``kind`` in the index (or the subjects'
    index), newest first, with the rank of their tier and kind; ``seen``:
    only those the manager ``:me`` sees."""
    if source == "search_index_subjects":
        ident, where = f"{source}.rowid", ""
    else:
        base = search.CODES[kind] * search.KIND_SPAN
        ident = f"{source}.rowid - {base}"
        where = f" AND {source}.rowid > {base} AND {source}.rowid < {base + search.KIND_SPAN}"
    join = ""
    if seen:
        join = f" JOIN {TABLES[kind]} x ON x.id = {ident}"
        where += f" AND ({VISIBLE[kind]})"
        ident = "x.id"
    return (
        f"SELECT * FROM (SELECT '{kind}' AS kind, {ident} AS id, {rank} AS rank FROM {source}"
        f"{join} WHERE {source} MATCH :q{where} ORDER BY {source}.rowid DESC LIMIT {LIMIT})"
    )


def _raw_sql(seen: bool) -> str:
    """Names, addresses, titles and subjects first (rank < 10), then notes
    and bodies; by kind, then newest first. An address counts for its card."""

    def newest(kind: str, rank: int, source: str = "search_index") -> str:
        return _newest(kind, rank, seen, source)

    return f"""
WITH points AS ({newest("point", 0)}),
found AS (
  SELECT CASE WHEN p.contact_id IS NOT NULL THEN 'contact'
              WHEN p.client_id IS NOT NULL THEN 'client' ELSE 'lead' END AS kind,
         coalesce(p.contact_id, p.client_id, p.lead_id) AS id,
         CASE WHEN p.contact_id IS NOT NULL THEN 3
              WHEN p.client_id IS NOT NULL THEN 1 ELSE 2 END AS rank
  FROM points m JOIN contact_points p ON p.id = m.id
  UNION ALL {newest("client", 1)} UNION ALL {newest("lead", 2)}
  UNION ALL {newest("contact", 3)} UNION ALL {newest("deal", 4)}
  UNION ALL {newest("interaction", 6, "search_index_subjects")}
  UNION ALL {newest("note", 15)} UNION ALL {newest("interaction", 16)}
)
SELECT kind, id, min(rank) AS rank FROM found GROUP BY kind, id
ORDER BY rank, kind, id DESC LIMIT {LIMIT}
"""


RAW_SQL = _raw_sql(False)
RAW_MANAGER_SQL = _raw_sql(True)
TERMS_SQL = "SELECT term FROM search_index_terms WHERE term >= ? AND term < ? LIMIT ?"


class Raw:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)

    def fts(self, q: search.Query) -> str:
        """The prefix spelt out as its words, as the service does."""
        word = q.last_word
        if word is None or len(word) in search.PREFIX_INDEXED:
            return q.fts
        bounds = (word, word + "\U0010ffff", search.MAX_COMPLETIONS + 1)
        terms = tuple(t for (t,) in self.conn.execute(TERMS_SQL, bounds))
        return q.fts if len(terms) > search.MAX_COMPLETIONS else q.fts_with(terms)

    def search(self, q: search.Query, me: int | None = None) -> list[tuple[str, int, Any]]:
        """``me``: as the manager with that id (only what they see)."""
        if me is None:
            top = self.conn.execute(RAW_SQL, {"q": self.fts(q)}).fetchall()
        else:
            top = self.conn.execute(RAW_MANAGER_SQL, {"q": self.fts(q), "me": me}).fetchall()
        by_kind: dict[str, list[int]] = collections.defaultdict(list)
        for kind, ident, _rank in top:
            by_kind[kind].append(ident)
        shown: dict[tuple[str, int], tuple[Any, ...]] = {}
        for kind, ids in by_kind.items():
            sql = DETAILS[kind].format(",".join("?" * len(ids)))
            shown.update({(kind, row[0]): row for row in self.conn.execute(sql, ids)})
        return [(kind, ident, shown.get((kind, ident))) for kind, ident, _ in top]


def pick_queries(db: Database) -> list[str]:
    """30 queries from the database's own words: common, middling and rare
    words, prefixes, two words, phone digits and names (deterministic)."""
    with db.reader() as uow:
        texts = list(
            uow.session.scalars(select(Interaction.subject).order_by(Interaction.id).limit(20000))
        )
        names = list(uow.session.scalars(select(Client.name).order_by(Client.id).limit(3000)))
        phones = list(
            uow.session.scalars(
                select(ContactPoint.normalized)
                .where(ContactPoint.kind == "phone")
                .order_by(ContactPoint.id)
                .limit(50)
            )
        )
    counts = collections.Counter(
        w for t in texts if t for w in re.findall(r"[^\W\d_]{4,}", search.fold(t))
    )
    ranked = [w for w, _ in counts.most_common()]
    name_words = [w for n in names for w in re.findall(r"[^\W\d_]{5,}", n)]
    name_counts = collections.Counter(name_words)
    rare_names = sorted(w for w, c in name_counts.items() if c == 1)
    step = max(1, len(ranked) // 8)
    queries = ranked[:6]  # the most common words
    queries += ranked[step::step][:6]  # middling to rare
    queries += [w[:3] for w in ranked[:4]] + [w[:4] for w in ranked[10:13]]  # prefixes
    queries += [f"{ranked[i]} {ranked[i + 1][:3]}" for i in (0, 3, 6)]  # two words
    queries += rare_names[:: max(1, len(rare_names) // 5)][:5]  # a name found once
    digits = [re.sub(r"\D", "", p) for p in phones if p]
    queries += [digits[0][-7:], digits[len(digits) // 2][-4:], "+" + digits[-1]]
    return queries[:30]


def manager_actor(db: Database) -> Actor:
    """The manager (not an administrator) with the most clients."""
    with db.reader() as uow:
        owners = uow.session.execute(
            select(Client.owner_id).group_by(Client.owner_id).order_by(func.count().desc())
        ).scalars()
        for owner in owners:
            login = uow.session.scalar(select(User.login).where(User.id == owner))
            actor = bootstrap.actor_for(uow, login)
            if not actor.can(Permission.CLIENTS_VIEW_ALL):
                return actor
    raise SystemExit("the demo database has no manager")


def paired(fn: Callable[[], Any], base: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median CPU times of ``fn`` and ``base`` in milliseconds, called in
    turns. CPU time of this thread, not the wall clock: on the shared 2-vCPU
    machine a 2 ms search waited 15-20 ms for a core in a third of the runs,
    on either side (issue #16 allows CPU time where the wall clock is too
    noisy). ``--wall`` times the wall clock instead."""
    clock = time.perf_counter if WALL else time.thread_time
    fn(), base(), fn(), base()
    a, b = [], []
    for _ in range(repeat):
        started = clock()
        fn()
        middle = clock()
        base()
        b.append(clock() - middle)
        a.append(middle - started)
    return statistics.median(a) * 1000, statistics.median(b) * 1000


def run(db: Database, path: Path, repeat: int) -> list[dict[str, Any]]:
    raw = Raw(path)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    manager = manager_actor(db)
    assert not manager.also_sees, "the raw SQL is written for a manager who sees only their own"
    queries = pick_queries(db)
    print(f"{len(queries)} queries; manager {manager.login}")
    for text in queries:
        q = search.parse(text)
        assert q is not None, text
        for actor, me in ((admin, None), (manager, manager.id)):
            with db.reader() as uow:
                hits = search.search(uow, actor, text, limit=LIMIT)
            mine = [(h.kind, h.id) for h in hits]
            theirs = [(k, i) for k, i, _ in raw.search(q, me)]
            assert mine == theirs, f"{text!r} for {actor.login}: raw SQL and service disagree"
    print(f"same top {LIMIT} as the raw SQL, in the same order: {len(queries)} queries, both roles")

    rows: list[dict[str, Any]] = []
    with db.reader() as uow:
        clock = "wall" if WALL else "CPU"
        print(f"\n{clock} ms, medians of {repeat}")
        print(
            f"{'query':<24} {'admin ms':>9} {'raw ms':>8} {'ratio':>6}"
            f" {'manager':>9} {'raw ms':>8} {'ratio':>6}"
        )
        times: dict[str, list[float]] = {"admin": [], "manager": []}
        ratios: dict[str, list[float]] = {"admin": [], "manager": []}
        for text in queries:
            q = search.parse(text)
            assert q is not None
            line = f"{text[:24]:<24}"
            for role, actor, me in (("admin", admin, None), ("manager", manager, manager.id)):
                ms, raw_ms = paired(
                    lambda t=text, a=actor: search.search(uow, a, t, limit=LIMIT),
                    # The text made into a query on both sides (phone numbers
                    # parsed there), as the service does.
                    lambda t=text, me=me: raw.search(search.parse(t), me),
                    repeat,
                )
                times[role].append(ms)
                ratios[role].append(ms / raw_ms)
                line += f" {ms:9.2f} {raw_ms:8.2f} {ms / raw_ms:6.2f}"
            print(line)
    for role, samples in times.items():
        p50 = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(f"{role}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 < {P95_TARGET_MS:.0f} ms)")
        rows.append(
            {
                "name": f"search p95 ms, {role}",
                "ratio": round(p95, 1),
                "target": P95_TARGET_MS,
                "ok": p95 < P95_TARGET_MS,
                "p50_ms": round(p50, 1),
                "clock": "wall" if WALL else "cpu",
            }
        )
    for role, found in ratios.items():
        worst = max(found)
        median = statistics.median(found)
        print(f"service / raw per query, {role}: median {median:.2f}x, worst {worst:.2f}x")
        rows.append(
            {
                "name": "search worst query vs raw" + (", manager" if role == "manager" else ""),
                "ratio": round(worst, 2),
                "target": RATIO_TARGET,
                "ok": worst <= RATIO_TARGET,
                "median_ratio": round(median, 2),
            }
        )
    raw.conn.close()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="100k clients, ~1M interactions")
    parser.add_argument("--db", type=Path, help="SQLite file to build into or reuse")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and role")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the rows")
    parser.add_argument("--wall", action="store_true", help="time the wall clock, not CPU time")
    args = parser.parse_args(argv)
    global WALL
    WALL = args.wall
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as folder:
        path: Path = args.db or Path(folder) / "search.sqlite3"
        db = open_database(f"sqlite:///{path.resolve()}")
        try:
            if feed_bench.find_big_client(db) is None:
                print(f"building the demo database in {path} ...", file=sys.stderr)
                feed_bench.build(db, args.full, args.seed)
            started = time.perf_counter()
            rows = run(db, path, args.repeat)
            print(f"\nsearch bench: {time.perf_counter() - started:.0f} s")
        finally:
            db.dispose()
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
