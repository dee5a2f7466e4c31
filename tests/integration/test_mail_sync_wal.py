"""The import's batches commit without checkpointing; the sync leaves the WAL copied (#16)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from services.core.storage import Database
from services.mail import imap_sync, sync_runs
from tests.integration.mail_helpers import ALICE, account, client_with_email, counts, letter
from tests.mail_fixtures import append_messages

LETTERS = 240


def _fill(db: Database, mailbox: dict[str, Any]) -> int:
    """LETTERS letters, every third from a client (its body is fetched and stored)."""
    client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
    letters = [
        letter(
            "Иван <ivan@romashka.ru>" if n % 3 == 0 else f"stranger{n}@unknown.example",
            ALICE,
            f"Письмо №{n}",
            "Добрый день! " * 200,
            msgid=f"wal{n}@example.test",
        )
        for n in range(LETTERS)
    ]
    append_messages(mailbox, ALICE, "INBOX", letters)
    return account(db, mailbox)


def _file_alone(db: Database, tmp_path: Path) -> tuple[int, int]:
    """The database file copied without its WAL: what a checkpoint put there
    (messages, the pages of one page size)."""
    source = Path(str(db.engine.url.database))
    copy = tmp_path / "alone.sqlite3"
    shutil.copy(source, copy)
    with sqlite3.connect(copy) as conn:
        (messages,) = conn.execute("SELECT count(*) FROM mail_messages").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    return messages, page_size


def test_a_sync_leaves_every_letter_in_the_database_file(
    sqlite_db: Database, mailbox: dict[str, Any], tmp_path: Path
) -> None:
    acc = _fill(sqlite_db, mailbox)
    result = imap_sync.sync_account(sqlite_db, acc, batch=20)
    assert result.imported + result.unlinked == LETTERS
    assert counts(sqlite_db)["messages"] == LETTERS
    messages, _ = _file_alone(sqlite_db, tmp_path)
    assert messages == LETTERS  # checkpointed by the sync itself, not left to the next commit
    wal = Path(f"{sqlite_db.engine.url.database}-wal")
    assert wal.stat().st_size == 0  # and the WAL file emptied, not kept at the batches' size


def test_a_long_sync_keeps_the_wal_within_its_room(
    sqlite_db: Database, mailbox: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for 40 pages the batches' commits checkpoint past it: the
    WAL file never grows past the room and one batch's pages."""
    monkeypatch.setattr(sync_runs, "SYNC_WAL_PAGES", 40)
    acc = _fill(sqlite_db, mailbox)
    wal = Path(f"{sqlite_db.engine.url.database}-wal")
    sizes: list[int] = []
    result = imap_sync.sync_account(
        sqlite_db, acc, batch=20, progress=lambda *_: sizes.append(wal.stat().st_size)
    )
    assert result.imported + result.unlinked == LETTERS
    messages, page_size = _file_alone(sqlite_db, tmp_path)
    assert messages == LETTERS
    # One batch of 20 letters writes well under 60 pages (measured: ~25).
    assert max(sizes) <= (40 + 60) * (page_size + 24) + 32


def test_a_run_is_written_with_the_bulk_page_cache_and_the_connection_gets_its_own_back(
    sqlite_db: Database, mailbox: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's pages are not spilled and read again within its transaction
    (#16: ~10 % of the import's CPU at 20 % known); the pooled connection
    keeps SQLite's own cache size after the write."""
    from services.core.page_cache import BULK_CACHE_KIB
    from services.mail import mail_store

    seen: list[int] = []
    write = mail_store.ChunkWriter.write

    def spying(self: mail_store.ChunkWriter, items: list[mail_store.Item]) -> Any:
        connection = self.uow.session.connection()
        seen.append(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
        return write(self, items)

    monkeypatch.setattr(mail_store.ChunkWriter, "write", spying)
    acc = _fill(sqlite_db, mailbox)
    result = imap_sync.sync_account(sqlite_db, acc, batch=20)
    assert result.imported + result.unlinked == LETTERS
    assert len(seen) > 1
    assert set(seen) == {-BULK_CACHE_KIB}
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == -2000
