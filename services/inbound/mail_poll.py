"""A processed mailbox: every new letter of its folder becomes one request.

This is a path of its own beside the mail import (which keeps only the
letters of known addresses): a processed info@ box or web-form folder
turns every letter into a request, known sender or not. Per source the
folder's UIDVALIDITY and last UID are stored; each batch of letters and the
cursor past it are committed in one transaction, and the requests are
unique per (source, message identity), so a poll killed at any moment and
run again neither loses a letter nor stores one twice. A letter whose
UIDVALIDITY changed is matched by its Message-ID (or, without one, a hash
of the letter) and not stored again.

Sizes and time are bounded: the letter is fetched up to
``intake.MAX_ORIGINAL`` bytes (a longer one keeps its headers and a note),
the IMAP socket has its timeout, a batch holds ``BATCH`` letters. A letter
that cannot be read still becomes a request (with what could be read)
and never stops the batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from imapclient.exceptions import IMAPClientError

from models import InboundSource, MailAccount
from models.base import utcnow
from services.core.errors import EnvironmentFault, UserError
from services.core.storage import Database
from services.inbound import intake, web_form
from services.mail import credentials, imap, mime

log = logging.getLogger(__name__)

BATCH = 50
FETCH_BYTES = intake.MAX_ORIGINAL
FETCH_MEMORY = 16 * 1024 * 1024
BODY_ITEM = f"BODY.PEEK[]<0.{FETCH_BYTES}>".encode()
BODY_KEY = b"BODY[]<0>"
MARKS = {"auto": "auto_reply", "bounce": "bounce"}
_LIST_ID = re.compile(rb"^list-id[ \t]*:", re.IGNORECASE | re.MULTILINE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")

Store = Callable[[Database, int, int, Sequence[intake.Incoming], int], list[int]]


@dataclasses.dataclass(frozen=True)
class PollResult:
    source_id: int
    stored: int  # new requests
    seen: int  # letters already stored (a re-run after a crash, a renumbered folder)
    unreadable: int  # stored with what could be read
    request_ids: tuple[int, ...] = ()  # the new requests


@dataclasses.dataclass(frozen=True)
class _Source:
    id: int
    kind: str
    folder: str
    uidvalidity: int | None
    last_uid: int
    field_mapping: dict[str, str] | None


def _load(db: Database, source_id: int) -> tuple[_Source, MailAccount]:
    with db.reader() as uow:
        source = uow.session.get(InboundSource, source_id)
        if source is None or source.archived_at is not None:
            raise UserError(
                f"Source {source_id} does not exist",
                code="inbound.poll.no_source",
                params={"id": str(source_id)},
            )
        if source.kind not in ("mail_account", "web_form") or source.mail_account_id is None:
            raise UserError(
                f"Source {source.name!r} is not a mailbox",
                code="inbound.poll.not_a_mailbox",
                params={"name": source.name},
            )
        account = uow.session.get(MailAccount, source.mail_account_id)
        if account is None:
            raise UserError(
                f"The mail account of source {source.name!r} is gone",
                code="inbound.poll.account_gone",
                params={"name": source.name},
            )
        uow.session.expunge(account)
        found = _Source(
            source.id,
            source.kind,
            source.folder,
            source.uidvalidity,
            source.last_uid,
            dict(source.field_mapping) if source.field_mapping else None,
        )
        return found, account


def store_batch(
    db: Database, source_id: int, uidvalidity: int, items: Sequence[intake.Incoming], last_uid: int
) -> list[int]:
    """The batch's requests and the cursor past it, in one durable transaction."""
    with db.uow(durable=True) as uow:
        ids = intake.store(uow.session, source_id, items)
        source = uow.session.get(InboundSource, source_id)
        assert source is not None
        source.uidvalidity = uidvalidity
        source.last_uid = max(source.last_uid, last_uid)
        uow.commit()
    return ids


def _record(db: Database, source_id: int, error: str | None, now: dt.datetime) -> None:
    with db.uow() as uow:
        source = uow.session.get(InboundSource, source_id)
        if source is not None:
            source.last_poll_at = now
            source.last_error = error[:1000] if error else None
            uow.commit()


def _mark(raw: bytes, parsed: mime.ParsedHeaders) -> str | None:
    """auto_reply | bounce (services.mail.auto_reply, via the parsed headers) |
    list (a List-Id header): kept as requests, never converted."""
    if parsed.machine in MARKS:
        return MARKS[parsed.machine]
    end = _HEADER_END.search(raw)
    block = raw[: end.start() if end else min(len(raw), 65536)]
    return "list" if _LIST_ID.search(block) else None


def identity(parsed: mime.ParsedHeaders | None, raw: bytes) -> str:
    """The Message-ID; without one a hash of the letter as fetched (two
    form-mailer letters with the same subject and second differ in text)."""
    if parsed is not None and parsed.message_id:
        return parsed.message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def incoming(
    raw: bytes, size: int | None, channel: str, fallback_at: dt.datetime, uid: int
) -> tuple[intake.Incoming, bool, str | None]:
    """One letter as a request, whether it could be read whole, and its
    (sanitized) HTML when it has no text part: a web form's table is read
    from the HTML, not from its flattened rendering."""
    truncated = size is not None and size > len(raw)
    html: str | None = None
    try:
        if truncated:
            headers = mime.parse_headers(raw)
            text = f"(a letter of {(size or 0) / 1048576:.1f} MB: only its headers were read)"
        else:
            message = mime.parse_message(raw, max_attachment_bytes=0)
            headers, text = message.headers, message.text
            html = message.html if message.html_only else None
    except Exception as exc:  # noqa: BLE001 - one bad letter never stops the batch
        log.warning("letter UID %s could not be read: %s", uid, exc)
        return (
            intake.Incoming(
                source_key=identity(None, raw),
                channel=channel,
                received_at=fallback_at,
                subject="(unreadable letter)",
                body=f"The letter could not be read ({type(exc).__name__}); the original is kept.",
                original=raw,
                original_size=size,
            ),
            False,
            None,
        )
    sender = headers.from_[0] if headers.from_ else None
    return (
        intake.Incoming(
            source_key=identity(headers, raw),
            channel=channel,
            received_at=headers.date or fallback_at,
            subject=headers.subject,
            body=text,
            sender_name=sender.name if sender else "",
            sender_email=sender.email if sender else None,
            mark=_mark(raw, headers),
            original=raw,
            original_size=size,
        ),
        True,
        html,
    )


def web_form_fields(
    item: intake.Incoming, mapping: dict[str, str] | None, html: str | None = None
) -> intake.Incoming:
    """A form mailer's letter read as the visitor's request: the sender is
    who filled the form (the letter's From is the site's mailer, and would
    put every visitor on one card), the message is the form's text. Labels
    of a field may be listed with ";" in the source's mapping. ``html`` is
    the letter's HTML when it has no text part (its table is parsed)."""
    labels = {field: label.split(";") for field, label in (mapping or {}).items()}
    body, is_html = (html, True) if html else (item.body, False)
    try:
        fields = web_form.parse(body, is_html=is_html, mapping=labels)
    except UserError:  # a mapping that no longer checks: read with the built-in labels
        fields = web_form.parse(body, is_html=is_html)
    return dataclasses.replace(
        item,
        sender_name=fields.name,
        sender_email=fields.email or None,
        sender_phone=fields.phone or fields.phone_as_written or None,
        subject=fields.subject or item.subject,
        body=fields.message or item.body,
    )


def _fetch(client: Any, uids: list[int]) -> dict[int, Any]:
    """The letters of a batch, at most ``FETCH_MEMORY`` bytes per FETCH: sizes
    first, then the bodies in groups (fifty 5 MB letters are not read at once)."""
    sizes = client.fetch(uids, [b"RFC822.SIZE"])
    out: dict[int, Any] = {}
    group: list[int] = []
    total = 0
    for uid in uids:
        if uid not in sizes:
            continue  # expunged meanwhile
        size = min(int(sizes[uid].get(b"RFC822.SIZE") or 0), FETCH_BYTES)
        if group and total + size > FETCH_MEMORY:
            out.update(client.fetch(group, [b"RFC822.SIZE", BODY_ITEM]))
            group, total = [], 0
        group.append(uid)
        total += size
    if group:
        out.update(client.fetch(group, [b"RFC822.SIZE", BODY_ITEM]))
    return out


def _chunks(values: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def poll(
    db: Database,
    source_id: int,
    *,
    password: str | None = None,
    connect: Callable[[MailAccount, str], Any] = imap.connect,
    batch: int = BATCH,
    now: dt.datetime | None = None,
    store: Store = store_batch,
) -> PollResult:
    """Store the folder's new letters as requests (not yet processed); a
    web-form source reads each letter's fields with its mapping. ``store``
    is replaceable for the crash tests' deliberately broken variant."""
    source, account = _load(db, source_id)
    at = now or utcnow()
    secret = password if password is not None else credentials.load(account.uid, "imap")
    try:
        client = connect(account, secret)
    except UserError as exc:
        _record(db, source_id, str(exc), at)
        raise
    stored = seen = unreadable = 0
    new_ids: list[int] = []
    try:
        status = client.select_folder(source.folder, readonly=True)
        uidvalidity = int(status[b"UIDVALIDITY"])
        last_uid = source.last_uid if source.uidvalidity == uidvalidity else 0
        # "N:*" always matches the newest letter, even below N: filter again.
        uids = sorted(u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)
        channel = "web_form" if source.kind == "web_form" else "mail"
        for chunk in _chunks(uids, max(1, batch)):
            fetched = _fetch(client, chunk)
            items: list[intake.Incoming] = []
            for uid in chunk:
                data = fetched.get(uid)
                if data is None:  # expunged between SEARCH and FETCH
                    continue
                raw = bytes(data.get(BODY_KEY) or b"")
                size = data.get(b"RFC822.SIZE")
                item, whole, html = incoming(raw, size, channel, at, uid)
                unreadable += not whole
                if source.kind == "web_form" and whole:
                    item = web_form_fields(item, source.field_mapping, html)
                items.append(item)
            made = store(db, source_id, uidvalidity, items, chunk[-1])
            new_ids += made
            stored += len(made)
            seen += len(items) - len(made)
    except (OSError, IMAPClientError) as exc:
        message = imap.describe_network_error(exc, account.imap_host, account.imap_port)
        _record(db, source_id, message, at)
        raise EnvironmentFault(
            message + "; the next poll resumes where this one stopped",
            code="inbound.poll.network",
            params={"detail": message},
        ) from exc
    finally:
        imap.close(client)
    _record(db, source_id, None, at)
    return PollResult(source_id, stored, seen, unreadable, tuple(new_ids))
