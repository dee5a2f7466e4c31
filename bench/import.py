"""Contact import speed against a raw executemany baseline in the same run.

    .venv/bin/python bench/import.py                 # 10k rows, and one card with 20k addresses
    .venv/bin/python bench/import.py --rows 100000   # the big file

The file is a plain CSV (name;email;phone;company): every third row a
person of a company (about 1 company per 10 people), the rest private
clients, each with an address and a Russian mobile number. The import
(``services.exchange.contact_import``, committed in batches as an import
run) is timed end to end: parsing, checking every value, deciding new or
known, writing clients, contacts, addresses and their audit entries.

The baseline inserts the same number of rows (a name and two addresses
each, into three plain tables of the same shape, in one transaction) with
``sqlite3.executemany`` on the same disk: the floor any import could reach.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.core import bootstrap
from services.core.storage import open_database
from services.exchange import contact_import
from tests.integration.helpers import row_counts

# No issue sets a speed target for the contact import; this is a guard
# against regressions only (measured 57x on a quiet machine, 2026-12-06:
# the import checks, folds and audits every value, the baseline does not).
CPU_GUARD = 100.0


def write_csv(path: Path, rows: int) -> None:
    lines = ["name;email;phone;company"]
    for i in range(rows):
        company = f"ООО Компания {i // 10}" if i % 3 == 0 else ""
        phone = f"+7 916 {i // 10000 % 1000:03d}-{i // 100 % 100:02d}-{i % 100:02d}"
        lines.append(f"Иван Петров {i};ivan.{i}@example.com;{phone};{company}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_big_card(path: Path, addresses: int) -> None:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:Много Адресов", "ORG:АО Рассылка"]
    lines += [f"EMAIL;TYPE=INTERNET:list{i}@example.com" for i in range(addresses)]
    lines.append("END:VCARD")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def baseline(folder: Path, rows: int) -> tuple[float, float]:
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, name TEXT, folded TEXT)")
    conn.execute("CREATE INDEX ix_c ON c (folded)")
    conn.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, c_id INT, kind TEXT, raw TEXT, n TEXT)")
    conn.execute("CREATE INDEX ix_p ON p (kind, n)")
    conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, kind TEXT, e_id INT, new TEXT)")
    started, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO c (id, name, folded) VALUES (?, ?, ?)",
        ((i, f"Иван Петров {i}", f"иван петров {i}") for i in range(1, rows + 1)),
    )
    conn.executemany(
        "INSERT INTO p (c_id, kind, raw, n) VALUES (?, ?, ?, ?)",
        (
            (i, kind, value, value)
            for i in range(1, rows + 1)
            for kind, value in (("email", f"ivan.{i}@example.com"), ("phone", f"+7916{i:07d}"))
        ),
    )
    conn.executemany(
        "INSERT INTO a (kind, e_id, new) VALUES (?, ?, ?)",
        (("client", i, f"Иван Петров {i}") for i in range(1, rows + 1)),
    )
    conn.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    return elapsed, cpu


def timed_import(
    folder: Path, name: str, path: Path
) -> tuple[float, float, dict[str, int], contact_import.ImportSummary]:
    db = open_database(f"sqlite:///{folder / name}")
    bootstrap.ensure_initial_data(db)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    started, cpu = time.perf_counter(), time.process_time()
    summary = contact_import.import_contacts(db, actor, path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    counts = row_counts(db)
    db.dispose()
    return elapsed, cpu, counts, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--addresses", type=int, default=20_000, help="on the one big card")
    parser.add_argument("--full", action="store_true", help="the 100k-row file")
    parser.add_argument("--json", action="store_true", help="end with run_all's JSON line")
    args = parser.parse_args()
    if args.full:
        args.rows = 100_000
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "contacts.csv"
        write_csv(csv_path, args.rows)
        raw, raw_cpu = baseline(folder, args.rows)
        elapsed, cpu, counts, summary = timed_import(folder, "import.sqlite3", csv_path)
        n = args.rows
        print(
            f"{n} rows: raw executemany {raw:.2f} s ({n / raw:,.0f} rows/s), "
            f"CPU {raw_cpu:.2f} s ({n / raw_cpu:,.0f} rows per CPU-second)"
        )
        print(
            f"{n} rows: import {elapsed:.2f} s ({n / elapsed:,.0f} rows/s), "
            f"CPU {cpu:.2f} s ({n / cpu:,.0f} rows per CPU-second); "
            f"{elapsed / raw:.1f}x the baseline's time, {cpu / raw_cpu:.1f}x its CPU"
        )
        print(f"  created {summary.created}, updated {summary.updated}")
        ratio = cpu / raw_cpu
        rows.append(
            {
                "name": f"contact import, {n:,} rows (CPU / raw executemany)",
                "ratio": round(ratio, 1),
                "target": CPU_GUARD,
                "ok": ratio <= CPU_GUARD,
                "ms": round(cpu * 1000),
                "base_ms": round(raw_cpu * 1000),
            }
        )
        print(
            f"  wrote clients {counts['clients']}, contacts {counts['contacts']}, "
            f"points {counts['contact_points']}"
        )
        card = folder / "big.vcf"
        write_big_card(card, args.addresses)
        elapsed, cpu, counts, _summary = timed_import(folder, "card.sqlite3", card)
        print(
            f"one vCard with {args.addresses} addresses: import {elapsed:.2f} s, CPU {cpu:.2f} s "
            f"({args.addresses / elapsed:,.0f} addresses/s); points {counts['contact_points']}"
        )
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
