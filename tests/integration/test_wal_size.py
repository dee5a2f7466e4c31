"""The SQLite WAL file shrinks back after a bulk write, and readers meanwhile see whole commits.

A first long mail sync or linking run writes tens of MB with ``wal_room``;
without a journal size limit the -wal file kept that size on disk for good.
These run on real SQLite files with a real reader on another connection.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from services.core import storage
from services.core.storage import JOURNAL_SIZE_LIMIT_BYTES, Database, open_database

ROWS_PER_BATCH = 500
BATCHES = 8
ROW_TEXT = "ж" * 1500  # ~3 KB a row: about a page each, ~12 MB in all


def _prepare(db: Database) -> None:
    with db.uow() as uow:
        conn = uow.session.connection()
        conn.exec_driver_sql("CREATE TABLE letters_filler (batch INTEGER, body TEXT)")
        conn.exec_driver_sql("CREATE TABLE letters_total (n INTEGER)")
        conn.exec_driver_sql("INSERT INTO letters_total VALUES (0)")
        uow.commit()


def _write_batch(db: Database, batch: int) -> None:
    """One batch as the mail sync commits it: rows plus the running total, with WAL room."""
    with db.uow() as uow:
        conn = uow.session.connection()
        storage.wal_room(conn, 10_000)
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO letters_filler SELECT ?, ? || i FROM n",
            (ROWS_PER_BATCH, batch, ROW_TEXT),
        )
        conn.exec_driver_sql("UPDATE letters_total SET n = n + ?", (ROWS_PER_BATCH,))
        uow.commit()


def _snapshot(db: Database) -> tuple[int, int]:
    with db.reader() as uow:
        conn = uow.session.connection()
        count = conn.exec_driver_sql("SELECT count(*) FROM letters_filler").scalar_one()
        total = conn.exec_driver_sql("SELECT n FROM letters_total").scalar_one()
    return count, total


def _wal_size(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_every_connection_limits_the_wal_file(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "limit.sqlite3"))
    with db.engine.connect() as conn:
        limit = conn.exec_driver_sql("PRAGMA journal_size_limit").scalar()
    assert limit == JOURNAL_SIZE_LIMIT_BYTES
    db.dispose()


def test_the_end_of_sync_checkpoint_empties_the_wal_once_the_last_old_reader_is_done(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sync.sqlite3"
    db = open_database(str(path))
    _prepare(db)
    midway, reader_open = threading.Event(), threading.Event()

    def writer() -> None:
        try:
            for batch in range(1, BATCHES + 1):
                _write_batch(db, batch)
                if batch == 2:
                    midway.set()
                    assert reader_open.wait(60)
        finally:
            midway.set()

    with ThreadPoolExecutor(1) as pool:
        writing = pool.submit(writer)
        assert midway.wait(120)
        with db.reader() as uow:  # a card opened while the sync is half-way
            conn = uow.session.connection()
            seen = conn.exec_driver_sql("SELECT count(*) FROM letters_filler").scalar_one()
            reader_open.set()
            writing.result(240)  # the writer's own failure is raised here
            assert seen == 2 * ROWS_PER_BATCH  # two whole batches, none of the others
            again = conn.exec_driver_sql("SELECT count(*) FROM letters_filler").scalar_one()
            total = conn.exec_driver_sql("SELECT n FROM letters_total").scalar_one()
            assert (again, total) == (seen, seen)  # the snapshot held through six more commits
            written = _wal_size(path)
            assert written > 3 * JOURNAL_SIZE_LIMIT_BYTES  # the batches' pages, left in the WAL
            storage.checkpoint_wal(db)  # waits for nobody: the reader still needs the WAL
            assert _wal_size(path) == written
    storage.checkpoint_wal(db)  # the sync's last checkpoint, the reader gone
    assert _wal_size(path) == 0  # emptied, not kept at ~16 MB
    assert _snapshot(db) == (BATCHES * ROWS_PER_BATCH, BATCHES * ROWS_PER_BATCH)
    db.dispose()


def test_a_wal_left_big_by_bulk_commits_is_cut_at_the_next_ordinary_write(
    tmp_path: Path,
) -> None:
    """The linking job's route: no checkpoint of its own at the end of a
    small run; the next ordinary commit copies the WAL, and the writer after
    it starts the log again and cuts the file to the limit."""
    path = tmp_path / "link.sqlite3"
    db = open_database(str(path))
    _prepare(db)
    for batch in range(1, BATCHES + 1):
        _write_batch(db, batch)
    assert _wal_size(path) > 3 * JOURNAL_SIZE_LIMIT_BYTES
    for _ in range(2):  # the first copies the WAL (autocheckpoint), the second starts it again
        with db.uow() as uow:  # (a row rewritten unchanged would write no page)
            uow.session.connection().exec_driver_sql("INSERT INTO letters_filler VALUES (0, 'ёж')")
            uow.commit()
    assert _wal_size(path) <= JOURNAL_SIZE_LIMIT_BYTES
    assert _snapshot(db) == (BATCHES * ROWS_PER_BATCH + 2, BATCHES * ROWS_PER_BATCH)
    db.dispose()


def test_the_end_checkpoint_leaves_a_writer_at_work_alone(tmp_path: Path) -> None:
    """Another writer holds the lock (the GUI's write lane saving a card): the
    sync's checkpoint neither waits for it nor fails; it copies what it can,
    and the writer's commit goes through."""
    path = tmp_path / "busy.sqlite3"
    db = open_database(str(path))
    _prepare(db)
    for batch in range(1, 4):
        _write_batch(db, batch)
    with db.uow() as uow:  # BEGIN IMMEDIATE: the write lock is taken
        uow.session.connection().exec_driver_sql("INSERT INTO letters_filler VALUES (0, 'ёж')")
        storage.checkpoint_wal(db)
        uow.commit()
    pooled = [db.engine.raw_connection() for _ in range(2)]  # the writer's and the checkpoint's
    try:
        for raw in pooled:  # the checkpoint put its connection's busy wait back
            assert raw.driver_connection.execute("PRAGMA busy_timeout").fetchone() == (2_000,)
    finally:
        for raw in pooled:
            raw.close()
    assert _snapshot(db) == (3 * ROWS_PER_BATCH + 1, 3 * ROWS_PER_BATCH)
    storage.checkpoint_wal(db)
    assert _wal_size(path) == 0
    db.dispose()
