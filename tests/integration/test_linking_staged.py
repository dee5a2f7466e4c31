"""On SQLite the linking job writes through temporary tables (one INSERT ...
SELECT, one UPDATE ... FROM) instead of one statement per row: the rows it
leaves are exactly those of the plain statements (which PostgreSQL runs),
in Berlin and in UTC, for a first run, a run narrowed to one new address
and a re-ranking run."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from models import CallRecord
from models.ids import new_uid
from services.core import bootstrap, settings
from services.core.storage import open_database
from services.linking import job as linking
from services.linking import staging
from services.parties import contact_points
from services.parties import records as parties
from tests.integration.test_linking import NOW, _letters, _mail_account

PEOPLE = [f"человек{n}@пример.рф" for n in range(40)] + [f"p{n}@big.example" for n in range(40)]
# What differs between any two runs whatever the code: random ids, the clock.
VOLATILE = {"uid"}


def _calls(db: Any, numbers: list[str]) -> None:
    with db.uow() as uow:
        uow.session.execute(
            insert(CallRecord),
            [
                {
                    "uid": new_uid(),
                    "row_version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "source": "pbx",
                    "call_key": f"c{n}",
                    "started_at": NOW - dt.timedelta(hours=n),
                    "direction": "in" if n % 2 else "out",
                    "number": number,
                    "raw_number": number,
                    "duration_s": 61 * n,
                    "result": "answered",
                    "link_tie": False,
                }
                for n, number in enumerate(numbers)
            ],
        )
        uow.commit()


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    tables = {
        "interactions": "id",
        "mail_messages": "id",
        "call_records": "id",
        "interaction_contacts": "interaction_id, contact_id",
        "search_index": "rowid",
    }
    found: dict[str, list[tuple[Any, ...]]] = {}
    with sqlite3.connect(path) as con:
        for table, order in tables.items():
            columns = (
                ["rowid", "title", "body"]
                if table == "search_index"
                else [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            )
            # updated_at of a re-linked call is the clock at the run (onupdate)
            keep = [
                c
                for c in columns
                if c not in VOLATILE and not (table == "call_records" and c == "updated_at")
            ]
            found[table] = con.execute(
                f"SELECT {', '.join(keep)} FROM {table} ORDER BY {order}"
            ).fetchall()
    return found


def _run_all(path: Path, zone: str) -> list[linking.LinkReport]:
    """Cards for some addresses, a full run; a new address, a narrowed run;
    an address moves from a lead to a contact person, a re-ranking run."""
    db = open_database(f"sqlite:///{path}")
    reports = []
    try:
        with db.uow() as uow:
            settings.put(uow, "default_timezone", zone)
            actor = bootstrap.actor_for(uow)
            ids = []
            for n in range(0, 30, 3):
                client = parties.add_client(uow, actor, f"ООО Ромашка {n}")
                contact_points.add(uow, actor, "email", PEOPLE[n], client_id=client.id)
                contact_points.add(uow, actor, "phone", f"+7495100{n:04d}", client_id=client.id)
                ids.append(client.id)
            lead = parties.add_lead(uow, actor, "Лид Иванов")
            contact_points.add(uow, actor, "email", PEOPLE[45], lead_id=lead.id)
            contact_points.add(uow, actor, "email", PEOPLE[3], lead_id=lead.id)
            contact_points.add(uow, actor, "email", PEOPLE[6], client_id=ids[5])  # a tie
            uow.commit()
        reports.append(linking.run(db, now=NOW))
        with db.uow() as uow:
            actor = bootstrap.actor_for(uow)
            contact_points.add(uow, actor, "email", PEOPLE[50], client_id=ids[1])
            uow.commit()
        reports.append(linking.run(db, values=[PEOPLE[50]], now=NOW))
        with db.uow() as uow:
            actor = bootstrap.actor_for(uow)
            person = parties.add_contact(uow, actor, "Пётр Петров", client_id=ids[2])
            contact_points.add(uow, actor, "email", PEOPLE[45], contact_id=person.id)
            uow.commit()
        reports.append(linking.run(db, now=NOW + dt.timedelta(hours=1)))
    finally:
        db.dispose()
    return reports


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC"])
def test_staged_writes_leave_the_rows_plain_statements_leave(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    base = tmp_path / "base.sqlite3"
    shutil.copy(sqlite_template, base)
    db = open_database(f"sqlite:///{base}")
    acc = _mail_account(db)
    _letters(db, acc, [PEOPLE[n % len(PEOPLE)] for n in range(400)])
    _letters(db, acc, [PEOPLE[n % 60] for n in range(100, 160)], direction="out")
    _calls(db, [f"+7495100{n % 40:04d}" for n in range(120)])
    db.dispose()
    staged, plain = tmp_path / "staged.sqlite3", tmp_path / "plain.sqlite3"
    shutil.copy(base, staged)
    shutil.copy(base, plain)

    reports = _run_all(staged, zone)
    with monkeypatch.context() as patch:
        patch.setattr(staging, "on_sqlite", lambda _session: False)
        assert _run_all(plain, zone) == reports

    first, narrowed, reranked = reports
    assert (first.emails, first.calls, first.ties) == (66, 30, 6)
    assert narrowed.emails == 6
    assert reranked.moved == 6
    assert _rows(staged) == _rows(plain)
