"""One batch of the IMAP import written in runs (``letter_heads.write_groups``):
each run's letters and the folder's cursor in one transaction, the next
run's bodies prepared by the server while one is written, and what each
letter became counted once its run is committed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any, NamedTuple

from models import MailAccount
from services.core import storage
from services.core.page_cache import page_cache
from services.core.storage import Database
from services.linking import rule
from services.mail import auto_reply, fetch_answer, mail_store, parse_worker
from services.mail.letter_heads import Header

log = logging.getLogger(__name__)

BODY_ITEM = b"BODY.PEEK[]"
# A delivery report's first bytes: its status part and the returned letter's
# headers come before whatever of the returned letter is attached.
REPORT_ITEM = f"BODY.PEEK[]<0.{auto_reply.MAX_DSN_BYTES}>".encode()
REPORT_KEY = b"BODY[]<0>"
# A batch's commit leaves its pages in the WAL up to this many (40 MB)
# instead of SQLite's 1,000: at 1,000 every few batches' commit stopped to
# copy the WAL into the database file and fsync twice (13 commits 37 ms of
# a 0.52 s import of 2,000 letters). The copy is made once at the end of
# the sync on its own thread (``storage.checkpoint_wal``), or by a batch's
# commit past this bound on a long first sync.
SYNC_WAL_PAGES = 10_000


@dataclasses.dataclass(frozen=True)
class Skipped:
    folder: str
    uid: int
    reason: str


@dataclasses.dataclass
class Tally:
    imported: int = 0
    linked: int = 0
    unlinked: int = 0
    seen: int = 0
    skipped: list[Skipped] = dataclasses.field(default_factory=list)


class Run(NamedTuple):
    """The letters of one write transaction and what was found for them."""

    headers: list[Header]
    sides: dict[int, tuple[str, list[str]]]
    bodies: dict[int, bytes]
    reports: dict[int, bytes]
    decided: dict[int, rule.Decision | None]
    # The bodies' parse, sent ahead (``parse_worker``): the job, its letters' UIDs.
    parsing: tuple[parse_worker.Parser, parse_worker.Job, list[int]] | None = None


def write(
    db: Database,
    account: MailAccount,
    folder_id: int,
    uidvalidity: int,
    now: dt.datetime | None,
    candidates: dict[str, list[rule.Candidate]],
    run: Run,
    cursor: int,
) -> list[mail_store.Outcome]:
    """One run's letters and the folder's cursor, in one transaction (the
    bodies' parse awaited before it begins, not holding the write lock)."""
    sides, decided = run.sides, run.decided
    parsed: dict[int, parse_worker.Outcome] = {}
    if run.parsing is not None:
        parser, job, uids = run.parsing
        parsed = dict(zip(uids, parser.outcomes(job), strict=True))
    with db.uow(account.user_id) as uow:
        if db.is_sqlite:  # the commit does not stop to checkpoint: see SYNC_WAL_PAGES
            storage.wal_room(uow.session.connection(), SYNC_WAL_PAGES)
        writer = mail_store.ChunkWriter(uow, account, folder_id, uidvalidity, now, candidates)
        items = [
            mail_store.Item(
                h.key,
                h.uid,
                h.size,
                h.parsed,
                sides[h.uid][1],
                run.bodies.get(h.uid),
                sides[h.uid][0],
                run.reports.get(h.uid),
                decided.get(h.uid),
                h.uid in decided,
                parsed.get(h.uid),
            )
            for h in run.headers
        ]
        with page_cache(uow.session):  # the run's pages are not spilled and read again
            outcomes = writer.write(items)
        writer.advance_cursor(cursor)
        uow.commit()
    return outcomes


def count(
    tally: Tally, name: str, headers: list[Header], outcomes: list[mail_store.Outcome]
) -> None:
    """A committed run's outcomes, into the sync's tally."""
    for header, outcome in zip(headers, outcomes, strict=True):
        if outcome.kind == "imported":
            tally.imported += 1
        elif outcome.kind == "linked":
            tally.linked += 1
        elif outcome.kind == "unlinked":
            tally.unlinked += 1
        elif outcome.kind == "seen":
            tally.seen += 1
        if outcome.skip_reason:
            tally.skipped.append(Skipped(name, header.uid, outcome.skip_reason))
            log.warning("%s UID %s skipped: %s", name, header.uid, outcome.skip_reason)


def parse_ahead(
    parser: parse_worker.Parser,
    account: MailAccount,
    group: list[Header],
    bodies: dict[int, bytes],
) -> tuple[parse_worker.Parser, parse_worker.Job, list[int]]:
    """The run's fetched bodies handed to the parser now, to be parsed
    while the run before is written."""
    limit = max(account.max_attachment_mb, 0) * 1024 * 1024  # as ChunkWriter's
    uids = [h.uid for h in group if h.uid in bodies]
    return parser, parser.submit([(bodies[uid], limit) for uid in uids]), uids


def send_bodies(client: Any, group: list[Header], need_body: set[int]) -> fetch_answer.Sent | None:
    uids = [h.uid for h in group if h.uid in need_body]
    return fetch_answer.send(client, uids, [BODY_ITEM]) if uids else None


def bodies_of(client: Any, sent: fetch_answer.Sent | None) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    if sent is not None:
        for uid, data in fetch_answer.complete(client, sent).items():
            body = data.get(b"BODY[]")
            if body is not None:
                found[uid] = body
    return found


def report_starts(client: Any, wanted: list[int]) -> dict[int, bytes]:
    """The first MAX_DSN_BYTES of these delivery reports (``letter_heads.report_wanted``)."""
    if not wanted:
        return {}
    found: dict[int, bytes] = {}
    for uid, data in fetch_answer.fetch(client, wanted, [REPORT_ITEM]).items():
        start = data.get(REPORT_KEY)
        if start is not None:
            found[uid] = bytes(start)
    return found
