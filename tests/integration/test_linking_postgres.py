"""On PostgreSQL the linking job places a chunk's letters and calls with
the set-based statements SQLite runs (``letter_bulk``, ``call_bulk``,
``rule_sql`` in PostgreSQL's spelling; the wall time and UUIDv7 from its
functions, the search text folded in Python): the rows it leaves are
exactly those of the row-by-row path, on the random worlds of
``test_linking_random`` (Cyrillic and IDN addresses, ties, contact persons,
twins, points deleted and moved, a narrowed run, a re-ranking run), in
Berlin (the night the clocks go forward), UTC and Kathmandu (+05:45)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from services.core.storage import open_database
from services.linking import bulk
from services.linking import job as linking
from tests.conftest import _fresh_pg
from tests.integration.test_linking_random import _fill, _run_all, _world

pytestmark = pytest.mark.postgres

_TABLES = {
    "interactions": "id",
    "mail_messages": "id",
    "call_records": "id",
    "interaction_contacts": "interaction_id, contact_id",
}


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the job writes, but the random uids (and a re-linked
    call's updated_at: the clock at the run, as its onupdate)."""
    engine = create_engine(url)
    found = {}
    try:
        with engine.connect() as conn:
            for table, order in _TABLES.items():
                columns = [
                    c
                    for (c,) in conn.execute(
                        text(
                            "SELECT column_name FROM information_schema.columns "
                            "WHERE table_name = :t ORDER BY ordinal_position"
                        ),
                        {"t": table},
                    )
                    if c != "uid" and not (table == "call_records" and c == "updated_at")
                ]
                found[table] = [
                    tuple(r)
                    for r in conn.execute(
                        text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
                    )
                ]
    finally:
        engine.dispose()
    return found


@pytest.mark.parametrize(
    ("seed", "zone"), [(4, "Europe/Berlin"), (5, "UTC"), (6, "Asia/Kathmandu")]
)
def test_set_based_and_row_by_row_leave_the_same_rows_on_postgresql(
    pg_admin_url: str, pg_template: str, monkeypatch: pytest.MonkeyPatch, seed: int, zone: str
) -> None:
    base = _fresh_pg(pg_admin_url, pg_template)
    db = open_database(base)
    _fill(db, random.Random(seed), _world(random.Random(seed)), zone)
    db.dispose()
    name = base.rsplit("/", 1)[1]
    set_based, plain = _fresh_pg(pg_admin_url, name), _fresh_pg(pg_admin_url, name)

    def run(url: str) -> list[linking.LinkReport]:
        database = open_database(url)
        try:
            rng = random.Random(seed * 7)
            return _run_all(database, rng, _world(rng))
        finally:
            database.dispose()

    placed: list[int] = []
    chunk = bulk.tables

    def counted(session: Any) -> None:
        placed.append(1)
        chunk(session)

    with monkeypatch.context() as patch:
        patch.setattr(bulk, "tables", counted)
        reports = run(set_based)
    assert placed  # the chunks went through the set-based statements
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "set_based", lambda _session: False)
        assert run(plain) == reports
    assert reports[0].emails > 40
    assert reports[0].ties > 0
    assert reports[2].moved > 0
    rows, expected = _rows(set_based), _rows(plain)
    assert rows["interactions"]
    for table in _TABLES:
        differ = [(a, b) for a, b in zip(rows[table], expected[table], strict=False) if a != b]
        assert not differ, (table, differ[:2])
        assert len(rows[table]) == len(expected[table]), table
