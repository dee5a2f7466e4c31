"""Import of INBOX and the Sent folder (SPEC C2, C3): header-first, crash-safe.

For each folder, new UIDs are read in batches: headers first; bodies only
for messages that name a known contact, client or lead (and the bounded
start of a delivery report, for the scenarios' stop-on-bounce). A batch's
messages and the folder cursor are committed in one transaction, or in a
few when many of its letters have bodies (``sync_runs``: a run of at most
``letter_heads.BODY_GROUP`` of those, the cursor at the run's last UID),
and the unique keys (folder, UIDVALIDITY, UID) and (account, Message-ID)
make a re-run after a crash or a dropped connection a no-op for what was
already saved. Network I/O happens outside the write transaction, so the
database is never locked while a server is slow.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from imapclient.exceptions import IMAPClientError

from models import MailAccount
from services.core import storage
from services.core.errors import EnvironmentFault, UserError
from services.core.storage import Database
from services.linking import rule
from services.mail import (
    bodies,
    credentials,
    fetch_answer,
    imap,
    letter_heads,
    mail_store,
    mailbox_rows,
    mime,
    mime_headers,
    parse_worker,
    sync_runs,
)
from services.mail.letter_heads import Header
from services.mail.sync_runs import Skipped

log = logging.getLogger(__name__)

# Only the fields the owner rule and the letter need, not whole header
# blocks (Received lines are most of a header): less to send and to parse.
HEADER_FIELDS = " ".join(name.upper() for name in mime_headers.USED_FIELDS)
HEADER_ITEMS = [f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]".encode(), b"RFC822.SIZE"]
FULL_HEADER_ITEM = b"BODY.PEEK[HEADER]"
FULL_HEADER_KEY = b"BODY[HEADER]"
TEXT_PREFIX = 65536  # body bytes hashed into the key of a letter without Message-ID
TEXT_ITEM = f"BODY.PEEK[TEXT]<0.{TEXT_PREFIX}>".encode()
TEXT_KEY = b"BODY[TEXT]<0>"
# Letters a batch: one header FETCH, one write transaction for its
# header-only letters (those with a fetched body go in runs of at most
# letter_heads.BODY_GROUP); a folder's first batch is letter_heads.FIRST_BATCH.
DEFAULT_BATCH = 1000
ProgressFn = Callable[[str, int, int], None]


@dataclasses.dataclass(frozen=True)
class SyncResult:
    account_id: int
    imported: int = 0  # new interactions
    linked: int = 0  # known messages seen again (other folder, other account)
    unlinked: int = 0  # header-only records of unknown addresses
    seen: int = 0  # header-only messages met again (another folder, a re-read)
    skipped: tuple[Skipped, ...] = ()
    folders: tuple[str, ...] = ()
    cancelled: bool = False
    bodies_fetched: int = 0  # bodies of letters the linking job attached earlier


def _account(db: Database, account_id: int) -> MailAccount:
    with db.reader() as uow:
        row = uow.session.get(MailAccount, account_id)
        if row is None:
            raise UserError(
                f"Mail account {account_id} does not exist",
                code="mail.imap_sync.mail_account_does_not",
                params={"account_id": str(account_id)},
            )
        uow.session.expunge(row)
        return row


def sync_account(
    db: Database,
    account_id: int,
    *,
    password: str | None = None,
    connect: Callable[[MailAccount, str], Any] = imap.connect,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    batch: int = DEFAULT_BATCH,
    now: dt.datetime | None = None,
    parse: Callable[[], parse_worker.Parser] = parse_worker.Parser,
) -> SyncResult:
    """PARSE makes where the sync's letters are parsed (a worker process
    when there are many, ``parse_worker``); it is closed when the sync ends."""
    account = _account(db, account_id)
    try:
        secret = password if password is not None else credentials.load(account.uid, "imap")
        client = connect(account, secret)
    except UserError as exc:  # refused at the door: shown on the account like any failure
        mailbox_rows.record_error(db, account_id, str(exc))
        raise
    tally = sync_runs.Tally()
    folders: list[str] = []
    cancelled = False
    fetched = 0
    parser = parse()
    try:
        targets = [("inbox", "INBOX")]
        sent = imap.sent_folder(client)
        if sent:
            targets.append(("sent", sent))
        for role, name in targets:
            folders.append(name)
            done = _sync_folder(
                db, client, account, role, name, tally, progress, cancel, batch, now, parser
            )
            if not done:
                cancelled = True
                break
        if not cancelled:  # letters the linking job attached since: their bodies now
            fetched = bodies.fetch_pending(db, client, account)
        mailbox_rows.record_success(db, account_id, now)
    except (OSError, IMAPClientError) as exc:
        message = imap.describe_network_error(exc, account.imap_host, account.imap_port)
        mailbox_rows.record_error(db, account_id, message)
        code, params = imap.network_code(exc, account.imap_host, account.imap_port)
        raise EnvironmentFault(
            message + "; the next sync resumes where this one stopped", code=code, params=params
        ) from exc
    finally:
        parser.close()
        imap.close(client)
        storage.checkpoint_wal(db)  # what the batches left in the WAL: copied here, off the GUI
    return SyncResult(
        account_id,
        tally.imported,
        tally.linked,
        tally.unlinked,
        tally.seen,
        tuple(tally.skipped),
        tuple(folders),
        cancelled,
        fetched,
    )


def _sync_folder(
    db: Database,
    client: Any,
    account: MailAccount,
    role: str,
    name: str,
    tally: sync_runs.Tally,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    batch: int,
    now: dt.datetime | None,
    parser: parse_worker.Parser,
) -> bool:
    status = client.select_folder(name, readonly=True)
    uidvalidity = int(status[b"UIDVALIDITY"])
    modseq = status.get(b"HIGHESTMODSEQ")
    folder_id, last_uid = mailbox_rows.folder_row(
        db, account.id, role, name, uidvalidity, int(modseq) if modseq is not None else None
    )
    # "N:*" always matches the newest message, even below N: filter again.
    uids = sorted(u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)
    total = len(uids)
    done = 0
    if progress:
        progress(name, 0, total)
    # Each batch's header FETCH goes out while the batch before it is written.
    ahead = fetch_answer.Ahead(client, HEADER_ITEMS)
    folder = _Folder(db, ahead, account, role, name, folder_id, uidvalidity, tally, now, parser)
    chunks = list(letter_heads.chunks(uids, batch))
    carried: _Deferred | None = None
    for index, chunk in enumerate(chunks):
        if cancel is not None and cancel.is_set():
            ahead.settle()  # nothing left unread on the connection
            return False  # a run carried over is not written: the next sync reads it again
        ahead.queue(chunks[index + 1] if index + 1 < len(chunks) else [])
        folder.left = total - done - len(chunk)
        carried = _import_guarded(folder, chunk, carried)
        done += len(chunk)
        if progress:
            progress(name, done, total)
    if carried is not None:
        _import_guarded(folder, [], carried)
    return True


@dataclasses.dataclass
class _Folder:
    """What a folder's batches share: where they go, the tally, the parser,
    and the cursor of each run committed (``saved``, in UID order)."""

    db: Database
    ahead: fetch_answer.Ahead
    account: MailAccount
    role: str
    name: str
    folder_id: int
    uidvalidity: int
    tally: sync_runs.Tally
    now: dt.datetime | None
    parser: parse_worker.Parser
    saved: list[int] = dataclasses.field(default_factory=list)
    left: int = 0  # the folder's letters after the batch being imported

    def unsaved(self, uids: list[int]) -> list[int]:
        return [uid for uid in uids if not self.saved or uid > self.saved[-1]]


@dataclasses.dataclass(frozen=True)
class _Deferred:
    """A batch's last run, written once the next batch's first run is on
    its way to the parser (so the parse of one overlaps the write of the
    other); ``uids``: its batch, for a retry."""

    write: Callable[[], None]
    uids: list[int]


def _import_guarded(
    folder: _Folder, chunk: list[int], carried: _Deferred | None, *, retry: bool = False
) -> _Deferred | None:
    """A batch that fails for a reason in its letters is retried one letter
    at a time (those its committed runs did not save, and those of the
    batch before whose last run was CARRIED into it); a letter that still
    fails is kept as an unreadable header-only record, reported in
    skipped[], and the cursor passes it: one letter never stops a mailbox
    for good. Returns this batch's last run when it is carried on."""
    try:
        return _import_chunk(folder, chunk, carried, defer=folder.parser.parallel and not retry)
    except bodies.ENVIRONMENT:
        raise
    except Exception as exc:  # whatever a letter makes us raise
        ahead = folder.ahead
        ahead.queue([])  # the retries send nothing ahead, and read what was sent first
        ahead.settle()
        letters = folder.unsaved([*(carried.uids if carried else []), *chunk])
        if not (retry and len(chunk) == 1):
            for uid in letters:
                _import_guarded(folder, [uid], None, retry=True)
            return None
        if not letters:  # its run was committed: nothing of it to keep
            return None
        uid = letters[0]
        log.exception("%s UID %s could not be imported", folder.name, uid)
        reason = f"could not be imported ({type(exc).__name__}: {exc})"[:500]
        mailbox_rows.keep_unreadable(
            folder.db,
            folder.account,
            folder.role,
            folder.folder_id,
            folder.uidvalidity,
            uid,
            reason,
        )
        folder.tally.skipped.append(Skipped(folder.name, uid, reason))
        return None


def _import_chunk(
    folder: _Folder, chunk: list[int], carried: _Deferred | None, *, defer: bool
) -> _Deferred | None:
    """CHUNK's headers read and its runs written, each after the next one's
    bodies went to the parser (CARRIED: the batch before's last run, written
    after this batch's first run went); with DEFER the last run is returned
    instead of written."""
    if not chunk:  # the folder's end: what was carried is written
        if carried is not None:
            carried.write()
        return None
    db, ahead, account = folder.db, folder.ahead, folder.account
    folder_id, uidvalidity = folder.folder_id, folder.uidvalidity
    fetched = ahead.take(chunk)
    found: list[tuple[int, int | None, mime.ParsedHeaders]] = []
    for uid in chunk:
        data = fetched.get(uid)
        if data is None:  # expunged between SEARCH and FETCH
            continue
        found.append(
            (uid, data.get(b"RFC822.SIZE"), mime.parse_headers(letter_heads.fields_of(data)))
        )
    del fetched  # the answers are read: not kept alive (and promoted by the GC) over the write
    # A letter without Message-ID is keyed by its whole header block and its
    # text's start (message_key): both fetched for those few only.
    without_id = [uid for uid, _s, parsed in found if not parsed.message_id]
    texts = fetch_answer.fetch(ahead.client, without_id, [FULL_HEADER_ITEM, TEXT_ITEM])
    headers = [
        Header(
            uid,
            size,
            parsed,
            letter_heads.message_key(
                parsed,
                texts.get(uid, {}).get(FULL_HEADER_KEY) or b"",
                size,
                texts.get(uid, {}).get(TEXT_KEY),
                (folder_id, uidvalidity, uid),
            ),
        )
        for uid, size, parsed in found
    ]
    del found, texts
    own = rule.own_addresses(account.email, account.aliases)
    sides = {h.uid: letter_heads.letter_side(h.parsed, own) for h in headers}
    with db.reader() as uow:
        wanted = {a for _d, values in sides.values() for a in values}
        candidates = rule.candidates_of(uow, "email", wanted)
        seen = mail_store.known_keys(uow, account.id, [h.key for h in headers])
    decided = {
        h.uid: rule.decide(sides[h.uid][1], candidates) for h in headers if h.key not in seen
    }
    need_body = {uid for uid, decision in decided.items() if decision is not None}
    folder.parser.foresee(len(need_body), len(headers), folder.left)
    reported = letter_heads.report_wanted(headers, seen, sides, need_body)
    groups = letter_heads.write_groups(headers, need_body, reported)
    client = ahead.client
    # One run's bodies are prepared by the server while the run before it is
    # written; the next batch's headers while the last run is.
    sent: fetch_answer.Sent | None = sync_runs.send_bodies(client, groups[0], need_body)
    try:
        for index, group in enumerate(groups):
            pending, sent = sent, None
            found_bodies = sync_runs.bodies_of(client, pending)
            reports = sync_runs.report_starts(client, [h.uid for h in group if h.uid in reported])
            last = index + 1 == len(groups)
            if last:
                ahead.send()
            else:
                sent = sync_runs.send_bodies(client, groups[index + 1], need_body)
            cursor = max(chunk) if last else group[-1].uid
            parsing = sync_runs.parse_ahead(folder.parser, account, group, found_bodies)
            run = sync_runs.Run(group, sides, found_bodies, reports, decided, parsing)
            if carried is not None:  # the run before, parsed meanwhile
                carried.write()
            carried = _Deferred(functools.partial(_write, folder, candidates, run, cursor), chunk)
            if not defer:
                carried.write()
                carried = None
    finally:
        if sent is not None:  # an answer still on the wire is read before any other command
            with contextlib.suppress(Exception):
                fetch_answer.complete(client, sent)
    return carried


def _write(
    folder: _Folder, candidates: dict[str, list[rule.Candidate]], run: sync_runs.Run, cursor: int
) -> None:
    """One run and the cursor committed, then counted."""
    outcomes = sync_runs.write(
        folder.db,
        folder.account,
        folder.folder_id,
        folder.uidvalidity,
        folder.now,
        candidates,
        run,
        cursor,
    )
    folder.saved.append(cursor)
    sync_runs.count(folder.tally, folder.name, run.headers, outcomes)
