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
) -> SyncResult:
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
    try:
        targets = [("inbox", "INBOX")]
        sent = imap.sent_folder(client)
        if sent:
            targets.append(("sent", sent))
        for role, name in targets:
            folders.append(name)
            done = _sync_folder(
                db, client, account, role, name, tally, progress, cancel, batch, now
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
    chunks = list(letter_heads.chunks(uids, batch))
    for index, chunk in enumerate(chunks):
        if cancel is not None and cancel.is_set():
            ahead.settle()  # nothing left unread on the connection
            return False
        ahead.queue(chunks[index + 1] if index + 1 < len(chunks) else [])
        _import_guarded(db, ahead, account, role, name, folder_id, uidvalidity, chunk, tally, now)
        done += len(chunk)
        if progress:
            progress(name, done, total)
    return True


def _import_guarded(
    db: Database,
    ahead: fetch_answer.Ahead,
    account: MailAccount,
    role: str,
    name: str,
    folder_id: int,
    uidvalidity: int,
    chunk: list[int],
    tally: sync_runs.Tally,
    now: dt.datetime | None,
) -> None:
    """A batch that fails for a reason in its letters is retried one letter
    at a time (those its committed runs did not save); a letter that still
    fails is kept as an unreadable header-only record, reported in
    skipped[], and the cursor passes it: one letter never stops a mailbox
    for good."""
    saved: list[int] = []  # the last UID of each run committed
    try:
        _import_chunk(
            db, ahead, account, role, name, folder_id, uidvalidity, chunk, tally, now, saved
        )
    except bodies.ENVIRONMENT:
        raise
    except Exception as exc:  # whatever a letter makes us raise
        ahead.queue([])  # the retries send nothing ahead, and read what was sent first
        ahead.settle()
        if len(chunk) > 1:
            for uid in chunk:
                if not saved or uid > saved[-1]:
                    _import_guarded(
                        db, ahead, account, role, name, folder_id, uidvalidity, [uid], tally, now
                    )
            return
        log.exception("%s UID %s could not be imported", name, chunk[0])
        reason = f"could not be imported ({type(exc).__name__}: {exc})"[:500]
        mailbox_rows.keep_unreadable(db, account, role, folder_id, uidvalidity, chunk[0], reason)
        tally.skipped.append(Skipped(name, chunk[0], reason))


def _import_chunk(
    db: Database,
    ahead: fetch_answer.Ahead,
    account: MailAccount,
    role: str,
    name: str,
    folder_id: int,
    uidvalidity: int,
    chunk: list[int],
    tally: sync_runs.Tally,
    now: dt.datetime | None,
    saved: list[int] | None = None,
) -> None:
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
            run = sync_runs.Run(group, sides, found_bodies, reports, decided)
            outcomes = sync_runs.write(
                db, account, folder_id, uidvalidity, now, candidates, run, cursor
            )
            if saved is not None:
                saved.append(cursor)
            sync_runs.count(tally, name, group, outcomes)
    finally:
        if sent is not None:  # an answer still on the wire is read before any other command
            with contextlib.suppress(Exception):
                fetch_answer.complete(client, sent)
