"""MIME layer of the IMAP import: headers, body text, attachments, quoted history.

``parse_headers`` reads a header block (BODY.PEEK[HEADER]) with the fast
compat32 parser and decodes RFC 2047 words itself, with charset fallbacks
(mime_html.py). ``parse_message`` parses with ``policy.default`` and, when
that raises on malformed input or finds no parts in a multipart, again with
``compat32``; the same walker reads both trees, taking Content-* fields the
compat32 way. Neither raises for any input except the two ``UserError``
subclasses below; ``parse_message(raw).headers == parse_headers(raw)``.

Decisions worth knowing:

* Addresses decide which client a letter belongs to, so they are not taken on
  trust (CVE-2023-27043: ``getaddresses`` can return the wrong address). A
  header value is split on top-level commas/semicolons; a mailbox is kept only
  when ``getaddresses`` and that split agree on exactly one address, no bare
  ``@`` stands in front of ``<addr>``, and the address is plain (one ``@``,
  dotted domain, no spaces). Anything else is dropped with a warning:
  ``alice@example.com<bob@evil.example>`` yields no address, neither alice
  nor bob, so the letter is never linked to a client by a guess.
* ``synthetic_id`` is the Message-ID when there is one, else ``"synthetic-"``
  + sha256 over the raw Date, From, To and Subject values (first occurrence,
  unfolded and trimmed, '' when missing), joined with newlines.
* A nested message/rfc822 (forward, bounce) is kept whole as one ``.eml``
  attachment, and its text is appended to ``text`` under an
  ``---------- Attached message ----------`` line that ``fold_quoted`` folds.
  Its own attachments stay inside the .eml.
* Dates outside 1970-2100 are None (a broken clock, not a date); obsolete
  ``Name :`` header syntax is accepted; decoded text never holds NUL
  (PostgreSQL text cannot) or lone surrogates.
* Everything is bounded before the standard library sees it, because its
  parsers are neither linear nor iterative on hostile input (100k parts took
  18 s, a thousand group prefixes in To raise RecursionError): the header
  block is cut at MAX_HEADER_BYTES, each field we read at _MAX_FIELD_CHARS
  and _MAX_FIELD_VALUES occurrences, one mailbox at _MAX_MAILBOX_CHARS; the
  body is cut before the part that would pass _MAX_PARTS parts, _MAX_DEPTH
  nested multiparts or _MAX_CONTAINERS nested messages (``_bounded``), so
  the parse itself never sees more; a warning says what was left out.
"""

from __future__ import annotations

import binascii
import hashlib
import logging
import quopri
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.errors import MessageError
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.policy import Policy
from email.utils import getaddresses, parsedate_to_datetime

from services.core.errors import UserError
from services.mail.mime_html import (
    decode_bytes,
    decode_words,
    fold_quoted,
    html_to_text,
    safe_filename,
    sanitize_html,
    to_bytes,
)

__all__ = [
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
MAX_HEADER_BYTES = 256 * 1024  # a header block beyond this is cut (real ones: < 100 KB)
_MAX_FIELD_CHARS = 64 * 1024  # of one From/To/Subject ... value
_MAX_FIELD_VALUES = 8  # occurrences of one field read (To: twice happens; 10,000 times not)
_MAX_MAILBOX_CHARS = 2000  # one mailbox with its display name
_MAX_ADDRESSES = 1000  # read of one field (25,000 took 1 s); a real To list is far shorter
_MAX_CONTAINERS = 500  # multipart/message declarations; the parser recurses per level
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Outlook .msg and other OLE files
_MAX_DEPTH = 30  # nested multiparts / messages walked
_MAX_PARTS = 2000
# What the email package raises on malformed input (IndexError on odd
# Message-IDs, LookupError/KeyError on unknown charsets and multiparts without
# parts, ValueError/UnicodeError on CR/LF in address parts, MessageError for
# header and boundary errors, RecursionError on absurd nesting).
_PARSE_ERRORS = (IndexError, LookupError, AttributeError, ValueError, TypeError, MessageError)


class MessageTooLargeError(UserError):
    """The message is over MAX_MESSAGE_BYTES; it is not parsed at all."""


class UnparseableMessageError(UserError):
    """Neither parser could read the message; the text says why."""


@dataclass(frozen=True)
class Address:
    name: str  # decoded display name, '' if none
    email: str  # as found, trimmed; compare email.casefold()


@dataclass(frozen=True)
class ParsedHeaders:
    message_id: str | None
    subject: str
    date: datetime | None  # aware, UTC
    from_: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    in_reply_to: str | None
    references: tuple[str, ...]
    auto_submitted: bool
    synthetic_id: str  # message_id, or a hash of Date/From/To/Subject


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


# --- header fields -----------------------------------------------------------

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSG_ID = re.compile(r"<([^<>]*)>")
_COMMENT = re.compile(r"\((?:\\.|[^()\\])*\)")
_SPACE = re.compile(r"\s+")
_ID_TOKEN = re.compile(r"[!-;=?-~]+")  # printable ASCII without < and >


def _unfold(value: object) -> str:
    return _FOLD.sub("", str(value)).strip()


def _msg_id(value: str | None) -> str | None:
    if not value:
        return None
    match = _MSG_ID.search(value)
    token = _SPACE.sub("", _COMMENT.sub("", match.group(1))) if match else value.strip()
    if match is None and "@" not in token:
        return None
    ok = _ID_TOKEN.fullmatch(token) and len(token) <= 998 and any(c.isalnum() for c in token)
    return token if ok else None


def _msg_ids(value: str | None) -> tuple[str, ...]:
    found = [_msg_id(f"<{token}>") for token in _MSG_ID.findall(value or "")]
    if not found and value:
        found = [_msg_id(token) for token in value.split()]
    return tuple(dict.fromkeys(token for token in found if token))


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = re.sub(r"\s*:\s*", ":", _COMMENT.sub(" ", value))  # obsolete CFWS
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    try:
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment if 1970 <= moment.year <= 2100 else None  # "3609": a broken clock


_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\]+")


def _segments(value: str) -> list[str] | None:
    """Mailboxes split at top-level ',' and ';'; None when quotes/brackets don't balance."""
    segments: list[str] = []
    start = depth = 0
    quoted = angle = escaped = False
    for index, char in enumerate(value):
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or depth):
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        elif char == '"':
            quoted = True
        elif char == "(":
            depth = 1
        elif char == "<":
            if angle:
                return None
            angle = True
        elif char == ">":
            if not angle:
                return None
            angle = False
        elif char == ")":
            return None
        elif char in ",;" and not angle:
            segments.append(value[start:index])
            start = index + 1
    if quoted or depth or angle:
        return None
    return [*segments, value[start:]]


_QUOTED_OR_COMMENT = re.compile(rf'"(?:\\.|[^"\\])*"|{_COMMENT.pattern}')
_GROUP_NAME = re.compile(r"^[^<>@]*:")


def _mailbox(segment: str) -> tuple[str, str] | bool | None:
    """(name, email) of one mailbox; None if blank; False if ambiguous or invalid."""
    if len(segment) > _MAX_MAILBOX_CHARS:
        return False
    bare, count = segment, 1
    while count:  # comments nest
        bare, count = _QUOTED_OR_COMMENT.subn(" ", bare)
    bare = _GROUP_NAME.sub("", bare).strip()
    if not bare:
        return None
    if "<" in bare:
        before, _, rest = bare.partition("<")
        inside, _, after = rest.partition(">")
        if "@" in before or after.strip():
            return False
        inside = re.sub(r"^\s*@[^:<>]*:", "", inside)  # obsolete source route
    else:
        inside = bare
    try:
        pairs = [pair for pair in getaddresses([segment]) if pair[1]]
    except (RecursionError, *_PARSE_ERRORS):  # "x:x:x:…<a@b>" recurses once per group prefix
        return False
    if len(pairs) != 1 or pairs[0][1].strip() != _SPACE.sub("", inside):
        return False
    email = pairs[0][1].strip()
    local, _, domain = email.partition("@")
    valid = _EMAIL.fullmatch(email) and local and "." in domain.strip(".") and ".." not in domain
    if not valid or len(email) > 320 or "\ufffd" in email or not email.isprintable():
        return False
    return pairs[0][0], email


def _addresses(values: list[str], label: str, notes: list[str]) -> tuple[Address, ...]:
    found: dict[str, Address] = {}
    budget = _MAX_ADDRESSES
    for value in values:
        if not value.isascii():  # raw UTF-8 (RFC 6532) or a legacy charset
            value = decode_bytes(to_bytes(value), None)
        segments = _segments(value)
        if segments is None:
            notes.append(
                f"{label}: unbalanced quotes or brackets, addresses ignored: {value[:80]!r}"
            )
            continue
        if len(segments) > budget:
            notes.append(f"{label}: more than {_MAX_ADDRESSES:,} addresses; the rest ignored")
            segments = segments[:budget]
        budget -= len(segments)
        for segment in segments:
            mailbox = _mailbox(segment)
            if mailbox is False:
                notes.append(f"{label}: ambiguous or invalid address ignored: {segment[:80]!r}")
            elif isinstance(mailbox, tuple):
                name, email = mailbox
                found.setdefault(email.casefold(), Address(decode_words(name, notes), email))
    return tuple(found.values())


_USED_FIELDS = {"from", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references"}
_USED_FIELDS |= {"auto-submitted", "x-autoreply", "x-autorespond", "precedence"}


def _read_headers(fields_in: list[tuple[str, object]], notes: list[str]) -> ParsedHeaders:
    fields: dict[str, list[str]] = {}
    for name, value in fields_in:
        key = name.strip().lower()
        if key not in _USED_FIELDS:
            continue
        values = fields.setdefault(key, [])
        if len(values) >= _MAX_FIELD_VALUES:
            notes.append(f"{name}: more than {_MAX_FIELD_VALUES} times; the rest ignored")
            continue
        text = str(value)
        if len(text) > _MAX_FIELD_CHARS:
            notes.append(f"{name}: {len(text):,} characters; cut at {_MAX_FIELD_CHARS:,}")
            text = text[:_MAX_FIELD_CHARS]
            if key in ("from", "to", "cc") and "," in text:  # a whole last address, not half
                text = text[: text.rindex(",")]
        values.append(_unfold(text))

    def first(name: str) -> str | None:
        values = fields.get(name)
        return values[0] if values else None

    senders: tuple[Address, ...] = ()
    for value in fields.get("from", []):  # several: a mangled mbox line may come first
        senders = senders or _addresses([value], "From", notes)
    message_id = _msg_id(first("message-id"))
    auto = (first("auto-submitted") or "no").split(";")[0].strip().lower() != "no"
    for name in ("x-autoreply", "x-autorespond"):
        auto = auto or (first(name) or "no").strip().lower() not in ("no", "false", "0")
    auto = auto or (first("precedence") or "").strip().lower() == "auto_reply"
    raw = "\n".join(first(name) or "" for name in ("date", "from", "to", "subject"))
    synthetic = message_id or "synthetic-" + hashlib.sha256(to_bytes(raw)).hexdigest()
    return ParsedHeaders(
        message_id=message_id,
        subject=decode_words(first("subject") or "", notes),
        date=_date(first("date")),
        from_=senders,
        to=_addresses(fields.get("to", []), "To", notes),
        cc=_addresses(fields.get("cc", []), "Cc", notes),
        in_reply_to=next(iter(_msg_ids(first("in-reply-to"))), None),
        references=_msg_ids(" ".join(fields.get("references", []))),
        auto_submitted=auto,
        synthetic_id=synthetic,
    )


_HEADER_END = re.compile(rb"\r?\n\r?\n")
_OBSOLETE_NAME = re.compile(rb"^([!-9;-~]+)[ \t]+:", re.MULTILINE)  # "Subject : ..."


def _header_block(raw: bytes) -> tuple[bytes, int]:
    """The header block (obsolete 'Name :' fields made 'Name:', cut at
    MAX_HEADER_BYTES at a line end) and where the body starts."""
    end = _HEADER_END.search(raw)
    stop = end.end() if end else len(raw)
    block = raw[:stop]
    if stop > MAX_HEADER_BYTES:  # the field cut there keeps its start
        block = block[:MAX_HEADER_BYTES].rstrip(b"\r\n") + b"\r\n\r\n"
    return _OBSOLETE_NAME.sub(rb"\1:", block), stop


def parse_headers(raw: bytes) -> ParsedHeaders:
    """Headers of a header block or a whole message; never raises."""
    return _safe_headers(_header_block(bytes(raw))[0], [])


def _safe_headers(block: bytes, notes: list[str]) -> ParsedHeaders:
    """The headers; if reading them fails after all, an empty set keyed by the block's
    hash, so one unreadable letter is kept header-only instead of stopping a sync."""
    try:
        return _headers_of(block, notes)
    except Exception as exc:  # hostile input must not stop a mailbox
        log.exception("header block of %d bytes unreadable", len(block))
        notes.append(f"the header fields could not be read ({type(exc).__name__})")
        digest = hashlib.sha256(block).hexdigest()
        return ParsedHeaders(None, "", None, (), (), (), None, (), False, f"synthetic-{digest}")


def _headers_of(block: bytes, notes: list[str]) -> ParsedHeaders:
    message = BytesHeaderParser(policy=policy.compat32).parsebytes(block)
    return _read_headers(list(message.raw_items()), notes)


# --- bodies and attachments ----------------------------------------------------

_CONTENT_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
_FORWARD_MARK = "---------- Attached message ----------"


def _fields(part: Message) -> Message:
    """The part's Content-* fields read the compat32 way, whatever the parse policy.

    policy.default silently drops parameters it cannot parse (an unquoted
    ``filename==?koi8-r?B?...?=``, a boundary with '='); compat32 keeps them
    but turns raw 8-bit values into U+FFFD, so those are decoded first.
    """
    fields = Message(policy=policy.compat32)
    fields.set_default_type(part.get_default_type())  # message/rfc822 inside a digest
    for name, value in part.raw_items():
        if name.lower().startswith("content-"):
            text = str(value)
            fields[name] = text if text.isascii() else decode_bytes(to_bytes(text), None)
    return fields


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
    _MAX_DEPTH levels (each level costs stack frames).

    Not Message.as_bytes(): its generator refolds and re-encodes, and raises
    on some 8-bit parts and odd header values.
    """
    head = "".join(f"{name}: {value}\r\n" for name, value in message.raw_items())
    payload = message.get_payload()
    if not isinstance(payload, list):
        return f"{head}\r\n{payload}" if head else str(payload)
    if depth >= _MAX_DEPTH:
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
    encoding = _unfold(_fields(part).get("content-transfer-encoding", "")).lower()
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

    def __init__(self, limit: int, notes: list[str], parts: int = 0, strict: bool = False) -> None:
        self.strict = strict
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
        if depth > _MAX_DEPTH or self.parts > _MAX_PARTS:
            self.notes.append("too many or too deeply nested parts; the rest was skipped")
            return
        fields = _fields(part)
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
        content_id = _unfold(fields.get("content-id", "")).strip("<> \t")
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
        headers = _read_headers(list(inner.raw_items()), self.notes)
        walker = _Walker(self.limit, self.notes, self.parts, self.strict)
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
    raw = bytes(raw)  # imapclient hands out bytes; a bytearray or memoryview works too
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageTooLargeError(
            f"the message is {len(raw) / 1048576:.1f} MB, over the "
            f"{MAX_MESSAGE_BYTES // 1048576} MB limit for importing mail"
        )
    if not raw.strip():
        raise UnparseableMessageError("the message is empty")
    notes: list[str] = []
    block, stop = _header_block(raw)
    if stop > MAX_HEADER_BYTES:
        notes.append(f"the header block is over {MAX_HEADER_BYTES:,} bytes; the rest ignored")
    if block != raw[:stop]:
        raw = block + raw[stop:]
    headers = _safe_headers(block, notes)
    raw = _bounded(raw, len(block), notes)
    try:
        if _LONG_CONTENT_TYPE.search(b"\n" + raw.lower()):
            raise _NoPartsError("a Content-Type field too long for policy.default")
        walker = _walk(raw, policy.default, max_attachment_bytes, list(notes))
    except (*_PARSE_ERRORS, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, _NoPartsError) else f"{type(exc).__name__}: {exc}"
        notes.append(f"fell back to compat32: {reason[:200]}")
        try:
            walker = _walk(raw, policy.compat32, max_attachment_bytes, notes)
        except RecursionError as again:
            raise UnparseableMessageError("its parts are nested too deeply to read") from again
        except _PARSE_ERRORS as again:
            reason = f"{type(again).__name__}: {again}"
            raise UnparseableMessageError(f"its structure cannot be read ({reason})") from again
    html = sanitize_html("\n".join(walker.html))
    return ParsedMessage(
        headers=headers,
        text=walker.text(html),
        html=html or None,
        attachments=tuple(walker.attachments),
        calendar=walker.calendar,
        warnings=tuple(dict.fromkeys(walker.notes)),
    )


# "\n" first: a literal prefix lets the regex engine skip to line ends (3x faster)
_STRUCTURE = re.compile(
    rb"\n(?:--([^\r\n]*)|[Cc][Oo][Nn][Tt][Ee][Nn][Tt]-[Tt][Yy][Pp][Ee]:[ \t]*(?:\r?\n[ \t]+)?"
    rb"([Mm][Uu][Ll][Tt][Ii][Pp][Aa][Rr][Tt]|[Mm][Ee][Ss][Ss][Aa][Gg][Ee])/)"
)
# policy.default parses Content-Type while parsing, in time quadratic in
# its length (20 KB: 3 s); real ones stay under 1 KB, compat32 reads any.
# Both patterns run on a lowercased copy: a literal first byte lets the
# engine skip ahead (IGNORECASE: 1.5 s over 40 MB, this: 0.05 s).
_LONG_CONTENT_TYPE = re.compile(rb"\ncontent-type:(?:[^\n]|\n[ \t]){4096}")
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))')
_MAX_PART_HEADERS = 4 * MAX_HEADER_BYTES  # header bytes of all parts and enclosed messages


def _bounded(raw: bytes, body_start: int, notes: list[str]) -> bytes:
    """The message cut before the part that would pass the part, depth,
    container or header limits, found with one regular-expression scan of
    the raw bytes: the email package parses everything it is given before
    we can count anything (100k parts: 18 s; 2M header lines in one part:
    8 s), and recurses once per nesting level.

    A delimiter counts only for a boundary declared somewhere in the
    message (a '-- ' signature or SQL comment does not); depth counts the
    boundaries opened and not yet closed; the header blocks that follow a
    delimiter or open an enclosed message share one byte budget.
    """
    declared: set[bytes] = set()
    for found in _BOUNDARY.finditer(raw.lower()):  # the value from RAW: case matters there
        group = 1 if found.group(1) is not None else 2
        declared.add(raw[found.start(group) : found.end(group)].rstrip())
        if len(declared) > _MAX_PARTS:
            break
    parts = containers = 0
    budget = _MAX_PART_HEADERS
    open_: list[bytes] = []
    for found in _STRUCTURE.finditer(raw, max(body_start - 2, 0)):
        line = found.group(1)
        if line is None:
            containers += 1
            if containers > _MAX_CONTAINERS:
                return _cut(raw, found.start() + 1, notes)
            if found.group(2).lower() == b"message":  # the enclosed message's header block
                budget = _header_budget(raw, found.end(), budget, 2)
                if budget < 0:
                    return _cut(raw, found.start() + 1, notes)
            continue
        rest = line.rstrip()
        if rest in declared:  # an opening delimiter: a new part
            parts += 1
            if rest not in open_:
                open_.append(rest)
            budget = _header_budget(raw, found.end(), budget, 1)
            if parts > _MAX_PARTS or len(open_) > _MAX_DEPTH + 1 or budget < 0:
                return _cut(raw, found.start() + 1, notes)
        elif rest.endswith(b"--") and rest[:-2] in declared and rest[:-2] in open_:
            del open_[open_.index(rest[:-2]) :]  # closing: it and what it held are done
    return raw


def _header_budget(raw: bytes, start: int, budget: int, blocks: int) -> int:
    """BUDGET less the bytes up to the end of the next BLOCKS header blocks;
    negative when they do not end within it (the search never looks further)."""
    position = start
    for _ in range(blocks):
        end = _HEADER_END.search(raw, position, position + budget + 4)
        if end is None:
            return -1
        budget -= end.end() - position
        position = end.end()
    return budget


def _cut(raw: bytes, at: int, notes: list[str]) -> bytes:
    notes.append("too many or too deeply nested parts; the rest was skipped")
    return raw[:at]


def _walk(raw: bytes, how: Policy, limit: int, notes: list[str]) -> _Walker:
    message = BytesParser(policy=how).parsebytes(raw)
    if not message.keys():
        if raw.startswith(_OLE_MAGIC):
            raise UnparseableMessageError("this is an Outlook .msg file, not an email message")
        raise UnparseableMessageError("no header fields found: the data is not an email message")
    walker = _Walker(limit, notes, strict=how is policy.default)
    walker.walk(message)
    return walker
