"""Import of INBOX and the Sent folder (SPEC C2, C3): header-first, crash-safe.

For each folder, new UIDs are read in batches: headers first; bodies only
for messages that name a known contact, client or lead (and the bounded
start of a delivery report, for the scenarios' stop-on-bounce). The messages of a
batch and the folder cursor are committed in one transaction, and the unique
keys (folder, UIDVALIDITY, UID) and (account, Message-ID) make a re-run
after a crash or a dropped connection a no-op for what was already saved.
Network I/O happens outside the write transaction, so the database is never
locked while a server is slow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from imapclient.exceptions import IMAPClientError

from models import MailAccount
from services.core import storage
from services.core.errors import EnvironmentFault, UserError
from services.core.storage import Database
from services.linking import rule
from services.mail import (
    auto_reply,
    bodies,
    credentials,
    fetch_answer,
    imap,
    mail_store,
    mailbox_rows,
    mime,
    mime_headers,
)

log = logging.getLogger(__name__)

# Only the fields the owner rule and the letter need, not whole header
# blocks (Received lines are most of a header): less to send and to parse.
HEADER_FIELDS = " ".join(name.upper() for name in mime_headers.USED_FIELDS)
HEADER_ITEMS = [f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]".encode(), b"RFC822.SIZE"]
FULL_HEADER_ITEM = b"BODY.PEEK[HEADER]"
FULL_HEADER_KEY = b"BODY[HEADER]"
BODY_ITEM = b"BODY.PEEK[]"
TEXT_PREFIX = 65536  # body bytes hashed into the key of a letter without Message-ID
TEXT_ITEM = f"BODY.PEEK[TEXT]<0.{TEXT_PREFIX}>".encode()
TEXT_KEY = b"BODY[TEXT]<0>"
# A delivery report's first bytes: its status part and the returned letter's
# headers come before whatever of the returned letter is attached.
REPORT_ITEM = f"BODY.PEEK[]<0.{auto_reply.MAX_DSN_BYTES}>".encode()
REPORT_KEY = b"BODY[]<0>"
DEFAULT_BATCH = 200
# A batch's commit leaves its pages in the WAL up to this many (40 MB)
# instead of SQLite's 1,000: at 1,000 every few batches' commit stopped to
# copy the WAL into the database file and fsync twice (13 commits 37 ms of
# a 0.52 s import of 2,000 letters). The copy is made once at the end of
# the sync on its own thread (``storage.checkpoint_wal``), or by a batch's
# commit past this bound on a long first sync.
SYNC_WAL_PAGES = 10_000

ProgressFn = Callable[[str, int, int], None]


@dataclasses.dataclass(frozen=True)
class Skipped:
    folder: str
    uid: int
    reason: str


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


@dataclasses.dataclass
class _Tally:
    imported: int = 0
    linked: int = 0
    unlinked: int = 0
    seen: int = 0
    skipped: list[Skipped] = dataclasses.field(default_factory=list)


class _Header(NamedTuple):
    """One letter's header as the scan read it (a tuple: one object a
    letter, built in a third of a frozen dataclass's time)."""

    uid: int
    size: int | None
    parsed: mime.ParsedHeaders
    key: str


def message_key(
    parsed: mime.ParsedHeaders,
    raw_header: bytes,
    size: int | None,
    body_start: bytes | None,
    place: tuple[int, int, int],
) -> str:
    """The Message-ID; without one, a hash of the header block, the size and
    the first TEXT_PREFIX bytes of the body (machine-made letters often share
    headers and size, never their text), so the same letter filed in INBOX
    and Sent still matches. When the body could not be read: the letter's
    place (folder, UIDVALIDITY, UID), which never merges two letters."""
    if parsed.message_id:
        return parsed.message_id
    if body_start is None:
        folder_id, uidvalidity, uid = place
        return f"synthetic-{folder_id}-{uidvalidity}-{uid}"
    digest = hashlib.sha256(raw_header + b"\0" + str(size).encode() + b"\0" + body_start)
    return f"synthetic-{digest.hexdigest()}"


def _chunks(values: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def letter_side(header: mime.ParsedHeaders, own: frozenset[str]) -> tuple[str, list[str]]:
    """(direction, the addresses that say whose letter it is) by the one
    owner rule: direction from who sent it, not from the folder."""
    sender = header.from_[0].email if header.from_ else None
    direction = rule.direction(sender, own)
    pairs = [
        (role, rule.letter_address(a.email))
        for role, found in (("from", header.from_), ("to", header.to), ("cc", header.cc))
        for a in found
    ]
    return direction, rule.counted(direction, pairs, own)


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
    tally = _Tally()
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
    tally: _Tally,
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
    chunks = list(_chunks(uids, batch))
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
    tally: _Tally,
    now: dt.datetime | None,
) -> None:
    """A batch that fails for a reason in its letters is retried one letter
    at a time; a letter that still fails is kept as an unreadable header-only
    record, reported in skipped[], and the cursor passes it: one letter never
    stops a mailbox for good."""
    try:
        _import_chunk(db, ahead, account, role, name, folder_id, uidvalidity, chunk, tally, now)
    except bodies.ENVIRONMENT:
        raise
    except Exception as exc:  # whatever a letter makes us raise
        ahead.queue([])  # the retries send nothing ahead, and read what was sent first
        ahead.settle()
        if len(chunk) > 1:
            for uid in chunk:
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
    tally: _Tally,
    now: dt.datetime | None,
) -> None:
    fetched = ahead.take(chunk)
    found: list[tuple[int, int | None, mime.ParsedHeaders]] = []
    for uid in chunk:
        data = fetched.get(uid)
        if data is None:  # expunged between SEARCH and FETCH
            continue
        found.append((uid, data.get(b"RFC822.SIZE"), mime.parse_headers(_fields_of(data))))
    del fetched  # the answers are read: not kept alive (and promoted by the GC) over the write
    # A letter without Message-ID is keyed by its whole header block and its
    # text's start (message_key): both fetched for those few only.
    without_id = [uid for uid, _s, parsed in found if not parsed.message_id]
    texts = fetch_answer.fetch(ahead.client, without_id, [FULL_HEADER_ITEM, TEXT_ITEM])
    headers = [
        _Header(
            uid,
            size,
            parsed,
            message_key(
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
    sides = {h.uid: letter_side(h.parsed, own) for h in headers}
    with db.reader() as uow:
        wanted = {a for _d, values in sides.values() for a in values}
        candidates = rule.candidates_of(uow, "email", wanted)
        seen = mail_store.known_keys(uow, account.id, [h.key for h in headers])
    decided = {
        h.uid: rule.decide(sides[h.uid][1], candidates) for h in headers if h.key not in seen
    }
    need_body = [uid for uid, decision in decided.items() if decision is not None]
    bodies: dict[int, bytes] = {}
    if need_body:
        for uid, data in fetch_answer.fetch(ahead.client, need_body, [BODY_ITEM]).items():
            body = data.get(b"BODY[]")
            if body is not None:
                bodies[uid] = body
    reports = _report_starts(ahead.client, headers, seen, sides, set(need_body))
    ahead.send()  # the next batch's headers, prepared by the server while this one is written
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
                bodies.get(h.uid),
                sides[h.uid][0],
                reports.get(h.uid),
                decided.get(h.uid),
                h.uid in decided,
            )
            for h in headers
        ]
        outcomes = writer.write(items)
        writer.advance_cursor(max(chunk))
        uow.commit()
    for header, outcome in zip(headers, outcomes, strict=True):  # counted once committed
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


def _report_starts(
    client: Any,
    headers: list[_Header],
    seen: set[str],
    sides: dict[int, tuple[str, list[str]]],
    with_body: set[int],
) -> dict[int, bytes]:
    """The first MAX_DSN_BYTES of each new inbound delivery report whose body
    is not fetched anyway: a bounce comes from MAILER-DAEMON, an address no
    card has, and names the letter it returns only inside, so stop-on-reply
    needs that much of it. Only reports: other unknown senders' mail stays
    headers-only."""
    wanted = [
        h.uid
        for h in headers
        if h.parsed.machine == auto_reply.BOUNCE
        and h.key not in seen
        and h.uid not in with_body
        and sides[h.uid][0] == "in"
    ]
    if not wanted:
        return {}
    found: dict[int, bytes] = {}
    for uid, data in fetch_answer.fetch(client, wanted, [REPORT_ITEM]).items():
        start = data.get(REPORT_KEY)
        if start is not None:
            found[uid] = bytes(start)
    return found


def _fields_of(data: dict[bytes, Any]) -> bytes:
    """The header fields of a FETCH answer (the server names the item with its field list)."""
    for key, value in data.items():
        if isinstance(key, bytes) and key.startswith(b"BODY[HEADER") and value is not None:
            return bytes(value)
    return b""
