"""A sync keeps nothing per letter (#16): the objects alive after its
batches do not grow with the number of letters imported, so a long first
sync of a big mailbox costs per letter what a short one does, and the
garbage collector has no growing heap to walk again and again.

Measured through the sync's own progress callback (after each batch is
committed), on the real Dovecot rig and SQLite/PostgreSQL, once the caches
the parsers keep on purpose (bounded, keyed by the few correspondents a
mailbox repeats) are warm from an earlier sync of the same senders.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from typing import Any

import pytest

from services.core.storage import Database
from services.mail import imap_sync, mime
from tests.integration.mail_helpers import ALICE, account, client_with_email, letter
from tests.mail_fixtures import append_messages

BATCH = 50
SENDERS = 40
# Objects that may appear between the 200th and the 600th letter: 400
# letters lie between, so anything kept per letter (a row, a parsed header,
# an answer) adds about 400 or more.
BOUND = 100


def _letters(first: int, count: int) -> list[bytes]:
    """Letters with their own Message-ID and subject each, from a fixed set of
    correspondents (every fifth from a client, whose bodies are imported)."""
    return [
        letter(
            "Иван Петров <ivan@romashka.ru>"
            if n % 5 == 0
            else f"Отправитель {n % SENDERS} <sender{n % SENDERS}@firm{n % 7}.example>",
            ALICE,
            f"Заказ №{n}: поставка и оплата",
            f"Текст письма {n}: договор, счёт, акт сверки.",
            msgid=f"heap{n}@example.test",
        )
        for n in range(first, first + count)
    ]


def _live_objects() -> int:
    """gc-tracked objects after a collection, without dead weak references:
    sqlite3 keeps one to each cursor a connection made and drops the dead
    ones every 200 cursors (a saw-tooth of up to ~200, not growth)."""
    gc.collect()
    return sum(
        1 for o in gc.get_objects() if type(o) is not weakref.ReferenceType or o() is not None
    )


def _alive_after_batches(db: Database, acc: int) -> dict[int, int]:
    """Live objects after each batch, by letters done so far."""
    alive: dict[int, int] = {}

    def progress(folder: str, done: int, _total: int) -> None:
        if folder == "INBOX" and done:
            alive[done] = _live_objects()

    imap_sync.sync_account(db, acc, batch=BATCH, progress=progress)
    return alive


def _growth(db: Database, mailbox: dict[str, Any]) -> int:
    """Objects alive after 600 letters of a sync minus after its first 200."""
    client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
    acc = account(db, mailbox)
    append_messages(mailbox, ALICE, "INBOX", _letters(0, 200))
    warm = imap_sync.sync_account(db, acc, batch=BATCH)  # the same senders, the same statements
    assert (warm.imported, warm.unlinked) == (40, 160)
    append_messages(mailbox, ALICE, "INBOX", _letters(200, 600))
    alive = _alive_after_batches(db, acc)
    assert sorted(alive) == list(range(BATCH, 601, BATCH))
    return alive[600] - alive[200]


def test_objects_alive_after_a_sync_do_not_grow_with_its_letters(
    db: Database, mailbox: dict[str, Any]
) -> None:
    assert _growth(db, mailbox) < BOUND


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_measure_sees_what_a_sync_would_keep_per_letter(
    db: Database, mailbox: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same measure with a deliberately leaking parse: it must fail the bound above."""
    kept: list[mime.ParsedHeaders] = []
    parse: Callable[[bytes], mime.ParsedHeaders] = mime.parse_headers

    def keeping(raw: bytes) -> mime.ParsedHeaders:
        kept.append(parse(raw))
        return kept[-1]

    monkeypatch.setattr(mime, "parse_headers", keeping)
    assert _growth(db, mailbox) > 3 * BOUND
