"""The linking job against one hand-written SQL pass doing the same work.

    .venv/bin/python bench/link.py          # 20k letters, 2k calls, 200 new addresses
    .venv/bin/python bench/link.py --full   # 100k letters, 10k calls, 1k new addresses

Both sides start from identical copies of one SQLite database holding
header-only letters and unlinked calls; then 1 in N of their addresses and
numbers is put on cards (half on contacts, a quarter on clients, a quarter on
leads, some on two objects). The job (``services.linking.job.run``) is timed
against raw SQL that ranks owners and inserts the interactions in one
statement per kind, plus one UPDATE each to point letters and calls at them.
Both must link the same letters to the same cards: that is checked first.
Target: the job within 1.5x of the raw SQL.

    .venv/bin/python bench/link.py --json   # [{name, ratio, target, ok}] on stdout
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from models import (
    CallRecord,
    Client,
    Contact,
    ContactPoint,
    Lead,
    MailAccount,
    MailAddress,
    MailMessage,
)
from models.ids import new_uid
from services.core import bootstrap
from services.core.storage import open_database
from services.linking import bulk
from services.linking import job as linking

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
TARGET = 1.5
NAME = "link job (job / one-statement SQL)"
NAME_ADD = "link after points add, 10k letters (job / one-statement SQL)"

RAW_SQL = [
    # letters: best owner per letter (contact > client > lead, oldest), one INSERT
    """
    INSERT INTO interactions (uid, row_version, created_at, updated_at, type, direction, state,
        start_local, start_tz, start_utc, owner_id, client_id, lead_id, subject, search_text,
        source_kind, source_key, done_at, created_by_id)
    SELECT lower(hex(randomblob(16))), 1, :now, :now, 'email', m.direction, 'done', m.sent_at,
        'UTC', m.sent_at, a.user_id, c.client_id, CASE WHEN c.client_id IS NULL THEN c.lead_id END,
        m.subject, lower(m.subject), 'email', m.message_key, :now, a.user_id
    FROM (
        SELECT ma.message_id AS mid,
               coalesce(ct.client_id, p.client_id) AS client_id,
               coalesce(ct.lead_id, p.lead_id) AS lead_id,
               row_number() OVER (PARTITION BY ma.message_id ORDER BY
                   CASE WHEN p.contact_id IS NOT NULL THEN 0
                        WHEN p.client_id IS NOT NULL THEN 1 ELSE 2 END,
                   coalesce(p.contact_id, p.client_id, p.lead_id)) AS rn
        FROM mail_addresses ma
        JOIN contact_points p ON p.kind = 'email' AND p.normalized = ma.address
        LEFT JOIN contacts ct ON ct.id = p.contact_id
        WHERE ma.role = 'from'
    ) c
    JOIN mail_messages m ON m.id = c.mid
    JOIN mail_accounts a ON a.id = m.account_id
    WHERE c.rn = 1 AND m.interaction_id IS NULL
    """,
    """
    UPDATE mail_messages SET interaction_id = (
        SELECT i.id FROM interactions i
        WHERE i.source_kind = 'email' AND i.source_key = mail_messages.message_key),
        link_rule = 'auto', body_state = 'pending'
    WHERE interaction_id IS NULL AND message_key IN (
        SELECT source_key FROM interactions WHERE source_kind = 'email')
    """,
    """
    INSERT INTO interactions (uid, row_version, created_at, updated_at, type, direction, state,
        start_local, start_tz, start_utc, owner_id, client_id, lead_id, body, search_text,
        source_kind, source_key, done_at, created_by_id)
    SELECT lower(hex(randomblob(16))), 1, :now, :now, 'call', r.direction, 'done', r.started_at,
        'UTC', r.started_at, 1, c.client_id, CASE WHEN c.client_id IS NULL THEN c.lead_id END,
        r.result, r.result, 'call', r.source || ':' || r.call_key, :now, 1
    FROM (
        SELECT cr.id AS rid,
               coalesce(ct.client_id, p.client_id) AS client_id,
               coalesce(ct.lead_id, p.lead_id) AS lead_id,
               row_number() OVER (PARTITION BY cr.id ORDER BY
                   CASE WHEN p.contact_id IS NOT NULL THEN 0
                        WHEN p.client_id IS NOT NULL THEN 1 ELSE 2 END,
                   coalesce(p.contact_id, p.client_id, p.lead_id)) AS rn
        FROM call_records cr
        JOIN contact_points p ON p.kind = 'phone' AND p.normalized = cr.number
        LEFT JOIN contacts ct ON ct.id = p.contact_id
        WHERE cr.interaction_id IS NULL
    ) c
    JOIN call_records r ON r.id = c.rid
    WHERE c.rn = 1
    """,
    """
    UPDATE call_records SET interaction_id = (
        SELECT i.id FROM interactions i
        WHERE i.source_kind = 'call' AND i.source_key = call_records.source || ':'
              || call_records.call_key),
        link_rule = 'auto'
    WHERE interaction_id IS NULL
    """,
]


def build(path: Path | str, letters: int, calls: int, known: int) -> None:
    """The world in the SQLite file PATH (or the database at URL PATH)."""
    db = open_database(path if isinstance(path, str) else f"sqlite:///{path}")
    bootstrap.ensure_initial_data(db)
    senders = max(letters // 5, 1)
    numbers = max(calls // 2, 1)
    stamp = {"row_version": 1, "created_at": NOW, "updated_at": NOW}
    with db.uow() as uow:
        s = uow.session
        acc = MailAccount(
            user_id=1,
            email="me@bench.example",
            imap_host="h",
            imap_port=993,
            imap_security="tls",
            imap_user="me",
            smtp_host="h",
            smtp_port=587,
            smtp_security="starttls",
            smtp_user="me",
        )
        s.add(acc)
        s.flush()
        ids = (
            s.execute(
                insert(MailMessage).returning(MailMessage.id, sort_by_parameter_order=True),
                [
                    {
                        "account_id": acc.id,
                        "message_key": f"m{n}@bench",
                        "direction": "in",
                        "subject": f"Letter {n}",
                        "sent_at": NOW - dt.timedelta(minutes=n),
                        "from_addr": f"p{n % senders}@bench.example",
                        "body_state": "none",
                        "auto_reply": False,
                        "link_tie": False,
                    }
                    for n in range(letters)
                ],
            )
            .scalars()
            .all()
        )
        s.execute(
            insert(MailAddress),
            [
                {"message_id": i, "role": "from", "address": f"p{n % senders}@bench.example"}
                for n, i in enumerate(ids)
            ],
        )
        s.execute(
            insert(CallRecord),
            [
                {
                    "uid": new_uid(),
                    **stamp,
                    "source": "pbx",
                    "call_key": f"c{n}",
                    "started_at": NOW - dt.timedelta(minutes=n),
                    "direction": "in",
                    "number": f"+7495{1000000 + n % numbers:07d}",
                    "raw_number": "x",
                    "duration_s": 60,
                    "result": "answered",
                    "link_tie": False,
                }
                for n in range(calls)
            ],
        )
        clients = (
            s.execute(
                insert(Client).returning(Client.id, sort_by_parameter_order=True),
                [
                    {"uid": new_uid(), **stamp, "name": f"Client {n}", "owner_id": 1}
                    for n in range(known)
                ],
            )
            .scalars()
            .all()
        )
        leads = (
            s.execute(
                insert(Lead).returning(Lead.id, sort_by_parameter_order=True),
                [
                    {
                        "uid": new_uid(),
                        **stamp,
                        "name": f"Lead {n}",
                        "owner_id": 1,
                        "status": "open",
                    }
                    for n in range(known)
                ],
            )
            .scalars()
            .all()
        )
        contacts = (
            s.execute(
                insert(Contact).returning(Contact.id, sort_by_parameter_order=True),
                [
                    {"uid": new_uid(), **stamp, "full_name": f"Person {n}", "client_id": clients[n]}
                    for n in range(known)
                ],
            )
            .scalars()
            .all()
        )
        points = []
        for n in range(known):
            owner = (
                {"contact_id": contacts[n]}
                if n % 2 == 0
                else {"client_id": clients[n]}
                if n % 4 == 1
                else {"lead_id": leads[n]}
            )
            email = f"p{n * (senders // known or 1)}@bench.example"
            phone = f"+7495{1000000 + n * (numbers // known or 1):07d}"
            for kind, value in (("email", email), ("phone", phone)):
                points.append(
                    {
                        "uid": new_uid(),
                        **stamp,
                        "kind": kind,
                        "raw": value,
                        "normalized": value,
                        **owner,
                    }
                )
                if n % 10 == 3:  # also on a lead: the contact or client must still win
                    points.append(
                        {
                            "uid": new_uid(),
                            **stamp,
                            "kind": kind,
                            "raw": value,
                            "normalized": value,
                            "lead_id": leads[(n + 1) % known],
                        }
                    )
        s.execute(insert(ContactPoint), points)
        uow.commit()
    db.dispose()


ONE_ADDRESS = "big@bench.example"
_NOW_TEXT = NOW.replace(tzinfo=None).isoformat(sep=" ")


def build_one_address(path: Path, letters: int) -> None:
    """What ``touchpoint points add`` meets: LETTERS header-only letters from
    one address (and as many from others), then that address put on a client."""
    build(path, letters * 2, 2, 1)
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM contact_points")
        con.execute(
            "UPDATE mail_addresses SET address = ? WHERE message_id % 2 = 0", (ONE_ADDRESS,)
        )
        con.execute("UPDATE mail_messages SET from_addr = ? WHERE id % 2 = 0", (ONE_ADDRESS,))
        con.execute(
            "INSERT INTO contact_points (uid, row_version, created_at, updated_at, kind, raw,"
            " normalized, client_id) SELECT lower(hex(randomblob(16))), 1, ?, ?, 'email', ?, ?,"
            " min(id) FROM clients",
            (_NOW_TEXT, _NOW_TEXT, ONE_ADDRESS, ONE_ADDRESS),
        )


def time_points_add(path: Path) -> tuple[float, float]:
    db = _connected(path)
    start, cpu = time.perf_counter(), time.process_time()
    linking.run(db, values=[ONE_ADDRESS], now=NOW)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    db.dispose()
    return elapsed


def _connected(path: Path) -> Any:
    """The database with its pooled connection open, as the raw side's is
    before its timer (connecting, the pragmas, SQLite reading the schema:
    ~1 ms of CPU that neither side should be timed for)."""
    db = open_database(f"sqlite:///{path}")
    with db.uow() as uow:
        uow.session.connection()
    return db


def links(path: Path) -> list[tuple[str, int | None, int | None]]:
    with sqlite3.connect(path) as con:
        return con.execute(
            "SELECT m.message_key, i.client_id, i.lead_id FROM mail_messages m "
            "JOIN interactions i ON i.id = m.interaction_id "
            "UNION ALL SELECT r.call_key, i.client_id, i.lead_id FROM call_records r "
            "JOIN interactions i ON i.id = r.interaction_id ORDER BY 1"
        ).fetchall()


def time_job(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; both sides run in this process, so
    the CPU time is SQLite's and Python's work alone, which neighbours on a
    shared machine stretch far less than the wall clock."""
    db = _connected(path)
    start, cpu = time.perf_counter(), time.process_time()
    linking.run(db, now=NOW)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    db.dispose()
    return elapsed


def time_raw(path: Path) -> tuple[float, float]:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    # The room the job's units of work have in the WAL: neither side's
    # commit stops to checkpoint what it wrote (both leave it to the close).
    con.execute(f"PRAGMA wal_autocheckpoint={bulk.UNIT_WAL_PAGES}")
    start, cpu = time.perf_counter(), time.process_time()
    con.execute("BEGIN IMMEDIATE")
    for sql in RAW_SQL:
        con.execute(sql, {"now": NOW.replace(tzinfo=None).isoformat(sep=" ")})
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    con.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--postgresql",
        action="store_true",
        help="time the job on PostgreSQL (the test rig's server): set-based, row by row, raw SQL",
    )
    parser.add_argument(
        "--json", action="store_true", help="rows {name, ratio, target, ok} on stdout"
    )
    args = parser.parse_args()
    if args.postgresql:
        import link_postgresql  # bench/link_postgresql.py

        return link_postgresql.main(args)
    if args.json:  # the human table goes to stderr, stdout holds only the JSON
        with contextlib.redirect_stdout(sys.stderr):
            code, rows = _main(args)
        print(json.dumps(rows))
        return code
    return _main(args)[0]


def _main(args: argparse.Namespace) -> tuple[int, list[dict[str, object]]]:
    letters, calls, known = (100_000, 10_000, 1_000) if args.full else (20_000, 2_000, 200)
    folder = Path(tempfile.mkdtemp(prefix="tp-bench-link-"))
    base = folder / "base.sqlite3"
    t0 = time.perf_counter()
    build(base, letters, calls, known)
    print(
        f"built {letters:,} letters, {calls:,} calls, {known:,} new addresses and numbers "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    jobs, raws = _timed(folder, base, "job", time_job, args.repeat)
    same = links(folder / "job0.sqlite3") == links(folder / "raw0.sqlite3")
    print(f"same letters and calls on the same cards: {'yes' if same else 'NO'}")
    print(f"linked: {len(links(folder / 'job0.sqlite3')):,}")
    if not same:
        return 1, [{"name": NAME, "ratio": None, "target": TARGET, "ok": False}]
    rows = [_row(NAME, "job", jobs, raws, args.repeat)]
    one = folder / "one.sqlite3"
    build_one_address(one, 10_000)
    adds, raws = _timed(folder, one, "add", time_points_add, args.repeat)
    if links(folder / "add0.sqlite3") != links(folder / "addraw0.sqlite3"):
        print("points add: NOT the same letters on the same cards")
        return 1, [*rows, {"name": NAME_ADD, "ratio": None, "target": TARGET, "ok": False}]
    rows.append(
        _row(NAME_ADD, "points add, 10,000 letters of one address: link", adds, raws, args.repeat)
    )
    shutil.rmtree(folder, ignore_errors=True)
    return 0, rows


def _timed(
    folder: Path, base: Path, name: str, job: Callable[[Path], tuple[float, float]], repeat: int
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """REPEAT (wall, CPU) times of JOB and of the raw SQL, each on its own
    copy of BASE (the copies of attempt 0 are kept for the comparison).

    Fair in both directions: first one untimed run of each on a throwaway
    copy, since the first run in a process pays once what a running app
    does not pay again (compiling the job's statements, importing tzlocal
    for the machine's zone: ~25 ms of CPU on a ~60 ms job) and the raw side
    has no such cost; then the two sides take turns going first, so neither
    always runs right after the other's writes."""
    raw = "raw" if name == "job" else f"{name}raw"
    for side, run in ((name, job), (raw, time_raw)):
        warm = folder / f"{side}-warm.sqlite3"
        shutil.copy(base, warm)
        run(warm)
        warm.unlink()
    jobs, raws = [], []
    for attempt in range(repeat):
        job_db, raw_db = folder / f"{name}{attempt}.sqlite3", folder / f"{raw}{attempt}.sqlite3"
        shutil.copy(base, job_db)
        shutil.copy(base, raw_db)
        if attempt % 2:
            raws.append(time_raw(raw_db))
            jobs.append(job(job_db))
        else:
            jobs.append(job(job_db))
            raws.append(time_raw(raw_db))
        if attempt:  # only the first attempt's copies are compared
            job_db.unlink()
            raw_db.unlink()
    return jobs, raws


def _row(
    name: str, label: str, runs: list[tuple[float, float]], raws: list[tuple[float, float]], n: int
) -> dict[str, object]:
    """The row of one case: the ratio of the wall-clock medians (the
    target's), and beside it that of the CPU medians."""
    job, raw = statistics.median(w for w, _c in runs), statistics.median(w for w, _c in raws)
    job_cpu, raw_cpu = (
        statistics.median(c for _w, c in runs),
        statistics.median(c for _w, c in raws),
    )
    ratio, cpu_ratio = job / raw, job_cpu / raw_cpu
    medians = f"medians of {n}: " if n else ""
    print(
        f"{medians}{label} {job * 1000:.0f} ms, raw SQL {raw * 1000:.0f} ms, "
        f"ratio {ratio:.2f}x (target <= {TARGET}x){'' if ratio <= TARGET else '  <-- over'}; "
        f"CPU {job_cpu * 1000:.0f} / {raw_cpu * 1000:.0f} ms, {cpu_ratio:.2f}x"
    )
    return {
        "name": name,
        "ratio": round(ratio, 3),
        "target": TARGET,
        "ok": ratio <= TARGET,
        "cpu_ratio": round(cpu_ratio, 3),
    }


if __name__ == "__main__":
    sys.exit(main())
