"""MIME layer of the IMAP import: headers, body text, attachments, quoted history.

``parse_headers`` (mime_headers.py) reads a header block; ``parse_message``
reads a whole message. It parses the compat32 way, checked against
policy.default's reading of the Content-* fields the parse depends on
(mime_policy.py: 2.5-3.5x faster, same result); when the readings differ it
parses with ``policy.default`` and, when that raises on malformed input or
finds no parts in a multipart, again with plain ``compat32``. The walker
reads every tree the same way, taking Content-* fields the compat32 way.
Neither function raises for any input except the two ``UserError``
subclasses below; ``parse_message(raw).headers == parse_headers(raw)``.

Decisions worth knowing:

* Addresses are validated, not taken on trust (CVE-2023-27043): see
  mime_headers.py.
* A nested message/rfc822 (forward, bounce) is kept whole as one ``.eml``
  attachment, and its text is appended to ``text`` under an
  ``---------- Attached message ----------`` line that ``fold_quoted`` folds.
  Its own attachments stay inside the .eml.
* Dates outside 1970-2100 are None (a broken clock, not a date); obsolete
  ``Name :`` header syntax is accepted; decoded text never holds NUL
  (PostgreSQL text cannot) or lone surrogates.
* Everything is bounded before the standard library sees it, because its
  parsers are neither linear nor iterative on hostile input: the header
  block is cut at MAX_HEADER_BYTES, each field we read at a size and count
  limit (mime_headers.py); the body is cut before the part that would pass
  the part, depth or container limits (mime_bounds.py), so the parse itself
  never sees more; a warning says what was left out.
"""

from __future__ import annotations

import binascii
import bisect
import logging
import quopri
import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.policy import Policy

from services.core.errors import UserError
from services.mail.mime_boundary import literal_boundaries
from services.mail.mime_bounds import (
    CUT_NOTE,
    MAX_DEPTH,
    MAX_PARTS,
    bounded,
    long_content_type_in,
)
from services.mail.mime_fields import content_fields, remembered_fields
from services.mail.mime_headers import (
    MAX_HEADER_BYTES,
    PARSE_ERRORS,
    Address,
    ParsedHeaders,
    header_block,
    parse_headers,
    read_headers,
    safe_headers,
    unfold,
)
from services.mail.mime_html import html_to_text, sanitize_html
from services.mail.mime_policy import CHECKED
from services.mail.mime_quoted import fold_quoted
from services.mail.mime_split import split_message
from services.mail.mime_text import decode_bytes, decode_words, safe_filename, to_bytes

__all__ = [
    "MAX_HEADER_BYTES",
    "MAX_MESSAGE_BYTES",
    "Address",
    "AttachmentPart",
    "MessageTooLargeError",
    "ParsedHeaders",
    "ParsedMessage",
    "UnparseableMessageError",
    "fold_quoted",
    "parse_headers",
    "parse_message",
]

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 50 * 1024 * 1024
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Outlook .msg and other OLE files


class MessageTooLargeError(UserError):
    """The message is over MAX_MESSAGE_BYTES; it is not parsed at all."""


class UnparseableMessageError(UserError):
    """Neither parser could read the message; the text says why."""


@dataclass(frozen=True)
class AttachmentPart:
    filename: str  # decoded and safe for file systems
    content_type: str
    size: int
    content_id: str | None  # for cid: images
    data: bytes | None  # None when skipped_reason says why
    skipped_reason: str | None


@dataclass(frozen=True)
class ParsedMessage:
    headers: ParsedHeaders
    text: str
    html: str | None  # sanitized
    attachments: tuple[AttachmentPart, ...]
    calendar: str | None
    warnings: tuple[str, ...]
    # No text/plain part: ``text`` is the HTML's rendering (a form mailer's
    # table reads better from ``html`` itself).
    html_only: bool = False


# --- bodies and attachments ----------------------------------------------------

_CONTENT_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
_FORWARD_MARK = "---------- Attached message ----------"


def _content_type(part: Message) -> str:
    value = part.get_content_type().strip("\"' ").lower()
    return (
        value
        if _CONTENT_TYPE.fullmatch(value) and len(value) <= 200
        else "application/octet-stream"
    )


def _param(part: Message, name: str, header: str, notes: list[str]) -> str | None:
    value = part.get_param(name, None, header)
    if value is None:
        return None
    if isinstance(value, tuple):  # RFC 2231: (charset, language, %-decoded text as latin-1)
        charset, _language, text = value
        return decode_bytes(to_bytes(str(text), "latin-1"), charset, notes)
    return decode_words(str(value), notes)


def _source(message: Message, depth: int = 0) -> str:
    """The message as it came, rebuilt from raw fields and payloads, down to
    MAX_DEPTH levels (each level costs stack frames).

    Not Message.as_bytes(): its generator refolds and re-encodes, and raises
    on some 8-bit parts and odd header values.
    """
    head = "".join(f"{name}: {value}\r\n" for name, value in message.raw_items())
    payload = message.get_payload()
    if not isinstance(payload, list):
        return f"{head}\r\n{payload}" if head else str(payload)
    if depth >= MAX_DEPTH:
        return head
    parts = [_source(part, depth + 1) for part in payload if isinstance(part, Message)]
    boundary = message.get_boundary()
    if boundary is None:  # message/rfc822, message/delivery-status
        return head + "\r\n" + "\r\n".join(parts)
    body = "".join(f"\r\n--{boundary}\r\n{part}" for part in parts)
    preamble, epilogue = message.preamble or "", message.epilogue or ""
    return f"{head}\r\n{preamble}{body}\r\n--{boundary}--\r\n{epilogue}"


def _encoded_message(part: Message, inner: Message) -> Message:
    """The enclosed message; some senders base64/QP-encode it (RFC 2046 forbids that)."""
    encoding = unfold(content_fields(part).get("content-transfer-encoding", "")).lower()
    if encoding not in ("base64", "quoted-printable"):
        return inner
    data = to_bytes(_source(inner))
    try:
        data = binascii.a2b_base64(data) if encoding == "base64" else quopri.decodestring(data)
    except binascii.Error:
        return inner
    parsed: Message = BytesParser(policy=part.policy).parsebytes(data)
    return parsed


class _NoPartsError(ValueError):
    """policy.default found no parts in a multipart; compat32 often does (unquoted '=')."""


class _Walker:
    """Collects the body, attachments and calendar of one parsed message."""

    def __init__(
        self,
        limit: int,
        notes: list[str],
        parts: int = 0,
        strict: bool = False,
        remember: bool = False,
    ) -> None:
        self.strict = strict
        # the fast path shares the fields' readings between parts (mime_fields.py)
        self.remember = remember
        self.read_fields = remembered_fields if remember else content_fields
        self.limit = max(limit, 0)
        self.notes = notes
        self.plain: list[str] = []
        self.html: list[str] = []
        self.nested: list[str] = []
        self.attachments: list[AttachmentPart] = []
        self.calendar: str | None = None
        self.parts = parts

    def walk(self, part: Message, depth: int = 0, alternative: bool = False) -> None:
        self.parts += 1
        if depth > MAX_DEPTH or self.parts > MAX_PARTS:
            self.notes.append(CUT_NOTE)
            return
        fields = self.read_fields(part)
        ctype = _content_type(fields)
        if not part.is_multipart():
            self._leaf(part, fields, ctype, alternative)
            return
        children = [p for p in part.get_payload() if isinstance(p, Message)]
        if ctype == "message/rfc822" and children:
            self._nested(fields, _encoded_message(part, children[0]), depth)
        elif ctype.startswith("message/"):  # delivery-status and the like: header blocks
            self._attach(fields, ctype, to_bytes("\r\n".join(_source(b) for b in children)))
        else:
            for child in children:
                self.walk(child, depth + 1, ctype == "multipart/alternative")

    def _leaf(self, part: Message, fields: Message, ctype: str, alternative: bool) -> None:
        data = part.get_payload(decode=True)
        data = data if isinstance(data, bytes) else b""
        disposition = fields.get_content_disposition()
        if ctype.startswith("multipart/"):
            if self.strict:
                raise _NoPartsError(f"policy.default found no parts in {ctype}")
            self.notes.append(f"{ctype} without parts (no boundary?); shown as plain text")
            ctype = "text/plain"
        named = self._filename(fields) is not None
        inline = disposition != "attachment" and (not named or disposition == "inline")
        if ctype in ("text/plain", "text/html") and inline:
            text = decode_bytes(data, fields.get_content_charset(), self.notes)
            (self.plain if ctype == "text/plain" else self.html).append(text)
            return
        if ctype in ("text/calendar", "application/ics") and self.calendar is None:
            self.calendar = decode_bytes(data, fields.get_content_charset(), self.notes)
            if inline:
                return
        if not (alternative and ctype.startswith("text/") and inline):  # unused alternative
            self._attach(fields, ctype, data)

    def _filename(self, fields: Message) -> str | None:
        found = _param(fields, "filename", "content-disposition", self.notes)
        return found or _param(fields, "name", "content-type", self.notes)

    def _attach(self, fields: Message, ctype: str, data: bytes, name: str | None = None) -> None:
        content_id = unfold(fields.get("content-id", "")).strip("<> \t")
        skipped, number = None, len(self.attachments) + 1
        if len(data) > self.limit:
            skipped = f"{len(data):,} bytes is over the attachment limit of {self.limit:,} bytes"
        self.attachments.append(
            AttachmentPart(
                filename=safe_filename(name or self._filename(fields), ctype, number),
                content_type=ctype,
                size=len(data),
                content_id=content_id[:998] if content_id and content_id.isascii() else None,
                data=None if skipped else data,
                skipped_reason=skipped,
            )
        )

    def _nested(self, fields: Message, inner: Message, depth: int) -> None:
        headers = read_headers(list(inner.raw_items()), self.notes)
        walker = _Walker(self.limit, self.notes, self.parts, self.strict, self.remember)
        walker.walk(inner, depth + 1)
        self.parts = walker.parts
        sender = ", ".join(f"{a.name} <{a.email}>".strip() for a in headers.from_)
        date = f"{headers.date:%Y-%m-%d %H:%M} UTC" if headers.date else ""
        shown = (("From", sender), ("Date", date), ("Subject", headers.subject))
        lines = [_FORWARD_MARK, *(f"{name}: {value}" for name, value in shown if value)]
        self.nested.append("\n".join(lines) + "\n\n" + walker.text())
        name = self._filename(fields) or f"{headers.subject or 'message'}.eml"
        self._attach(fields, "message/rfc822", to_bytes(_source(inner)), name)

    def text(self, html: str | None = None) -> str:
        """Plain text parts, else the text of the (sanitized) HTML; then nested messages."""
        text = "\n\n".join(t.strip("\r\n") for t in self.plain).replace("\r\n", "\n")
        if not text.strip() and self.html:
            text = html_to_text(sanitize_html("\n".join(self.html)) if html is None else html)
        return "\n\n".join(t for t in (text.strip("\n"), *self.nested) if t.strip())


def parse_message(raw: bytes, *, max_attachment_bytes: int = 25 * 1024 * 1024) -> ParsedMessage:
    """Everything the import keeps of a message; raises only the two UserErrors above."""
    return read_message(raw, max_attachment_bytes, checked=True)


def read_message(raw: bytes, max_attachment_bytes: int, *, checked: bool) -> ParsedMessage:
    """``parse_message``; ``checked=False`` skips the fast path (the reference
    its tests compare it with)."""
    raw = bytes(raw)  # imapclient hands out bytes; a bytearray or memoryview works too
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageTooLargeError(
            f"the message is {len(raw) / 1048576:.1f} MB, over the "
            f"{MAX_MESSAGE_BYTES // 1048576} MB limit for importing mail"
        )
    if not raw or raw.isspace():  # raw.strip() empty, without the copy
        raise UnparseableMessageError("the message is empty")
    notes: list[str] = []
    block, stop = header_block(raw)
    if stop > MAX_HEADER_BYTES:
        notes.append(f"the header block is over {MAX_HEADER_BYTES:,} bytes; the rest ignored")
    if block != raw[:stop]:
        raw = block + raw[stop:]
    headers = safe_headers(block, notes)
    low = raw.lower()  # for the scans that ignore case (one copy for both)
    dashes: list[int] = []  # the body's dash lines, as the bounds' scan meets them
    raw = bounded(raw, len(block), notes, low=low, dashes=dashes)
    if len(raw) < len(low):
        low = low[: len(raw)]
        del dashes[bisect.bisect_left(dashes, len(raw)) :]
    known = _Known(len(block), low, dashes)
    walker = _walk_body(raw, max_attachment_bytes, notes, checked=checked, known=known)
    html = sanitize_html("\n".join(walker.html))
    return ParsedMessage(
        headers=headers,
        text=walker.text(html),
        html=html or None,
        attachments=tuple(walker.attachments),
        calendar=walker.calendar,
        warnings=tuple(dict.fromkeys(walker.notes)),
        html_only=bool(html) and not any(t.strip() for t in walker.plain),
    )


@dataclass(frozen=True)
class _Known:
    """What read_message found of a letter that the splitter needs again:
    where its body starts, it lowercased, its body's dash lines."""

    body: int | None = None
    low: bytes | None = None
    dashes: list[int] | None = None


def _walk_body(
    raw: bytes, limit: int, notes: list[str], *, checked: bool, known: _Known = _Known()
) -> _Walker:
    """The body walked; ``checked`` tries the fast compat32 parse first
    (mime_policy.py) and takes the policy.default path below on any doubt,
    so the result, warnings included, is the same either way."""
    long_content_type = long_content_type_in(raw.lower() if known.low is None else known.low)
    if checked and not long_content_type:
        try:
            return _walk(raw, CHECKED, limit, list(notes), known)
        except Exception:  # the reference path below decides and says why
            log.debug("the checked compat32 parse stepped aside", exc_info=True)
    try:
        if long_content_type:
            raise _NoPartsError("a Content-Type field too long for policy.default")
        return _walk(raw, policy.default, limit, list(notes))
    except (*PARSE_ERRORS, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, _NoPartsError) else f"{type(exc).__name__}: {exc}"
        notes.append(f"fell back to compat32: {reason[:200]}")
        try:
            return _walk(raw, policy.compat32, limit, notes)
        except RecursionError as again:
            raise UnparseableMessageError("its parts are nested too deeply to read") from again
        except PARSE_ERRORS as again:
            reason = f"{type(again).__name__}: {again}"
            raise UnparseableMessageError(f"its structure cannot be read ({reason})") from again


def _walk(
    raw: bytes,
    how: Policy,
    limit: int,
    notes: list[str],
    known: _Known = _Known(),
) -> _Walker:
    """RAW parsed under HOW and walked; KNOWN: for the splitter."""
    message = (
        split_message(raw, how, body=known.body, low=known.low, dashes=known.dashes)
        if how is CHECKED
        else None
    )
    if message is None:
        if how is CHECKED:  # boundary lines matched by hand (mime_boundary.py)
            with literal_boundaries():
                message = BytesParser(policy=how).parsebytes(raw)
        else:
            message = BytesParser(policy=how).parsebytes(raw)
        if not message.keys():
            if raw.startswith(_OLE_MAGIC):
                raise UnparseableMessageError("this is an Outlook .msg file, not an email message")
            raise UnparseableMessageError(
                "no header fields found: the data is not an email message"
            )
    walker = _Walker(limit, notes, strict=how is not policy.compat32, remember=how is CHECKED)
    walker.walk(message)
    return walker
