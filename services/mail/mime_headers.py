"""Header fields of a letter: who wrote to whom, when, about what.

``parse_headers`` reads a header block (BODY.PEEK[HEADER] or the fields the
scan asks for) with the fast compat32 parser and decodes RFC 2047 words
itself, with charset fallbacks (mime_text.py); ``mime.parse_message`` reads
the header block of a whole message through the same ``read_headers``.

Addresses decide which client a letter belongs to, so they are not taken on
trust (CVE-2023-27043: ``getaddresses`` can return the wrong address). A
header value is split on top-level commas/semicolons; a mailbox is kept only
when ``getaddresses`` and that split agree on exactly one address, no bare
``@`` stands in front of ``<addr>``, and the address is plain (one ``@``,
dotted domain, no spaces). Anything else is dropped with a warning:
``alice@example.com<bob@evil.example>`` yields no address, neither alice nor
bob, so the letter is never linked to a client by a guess.

``synthetic_id`` is the Message-ID when there is one, else ``"synthetic-"`` +
sha256 over the raw Date, From, To and Subject values (first occurrence,
unfolded and trimmed, '' when missing), joined with newlines.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.errors import MessageError
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import NamedTuple

from services.mail import auto_reply, header_fast
from services.mail.header_lines import plain_fields, plain_values
from services.mail.mime_text import decode_bytes, decode_words, to_bytes

log = logging.getLogger(__name__)

MAX_HEADER_BYTES = 256 * 1024  # a header block beyond this is cut (real ones: < 100 KB)
_MAX_FIELD_CHARS = 64 * 1024  # of one From/To/Subject ... value
_MAX_FIELD_VALUES = 8  # occurrences of one field read (To: twice happens; 10,000 times not)
_MAX_MAILBOX_CHARS = 2000  # one mailbox with its display name
_MAX_ADDRESSES = 1000  # read of one field (25,000 took 1 s); a real To list is far shorter
# What the email package raises on malformed input (IndexError on odd
# Message-IDs, LookupError/KeyError on unknown charsets and multiparts without
# parts, ValueError/UnicodeError on CR/LF in address parts, MessageError for
# header and boundary errors, RecursionError on absurd nesting).
PARSE_ERRORS = (IndexError, LookupError, AttributeError, ValueError, TypeError, MessageError)


class Address(NamedTuple):  # a tuple: one object an address, built fast
    name: str  # decoded display name, '' if none
    email: str  # as found, trimmed; compare email.casefold()


class ParsedHeaders(NamedTuple):
    """A letter's headers as the scan reads them: a tuple, as the scan makes
    one a letter (built in a third of a frozen dataclass's time)."""

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
    content_type: str = ""  # the top-level Content-Type (a DSN is multipart/report)
    # human | auto | bounce (``auto_reply.classify``: bulk mail counts as auto here)
    machine: str = "human"


_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSG_ID = re.compile(r"<([^<>]*)>")
_COMMENT = re.compile(r"\((?:\\.|[^()\\])*\)")
_SPACE = re.compile(r"\s+")
_ID_TOKEN = re.compile(r"[!-;=?-~]+")  # printable ASCII without < and >


def unfold(value: object) -> str:
    text = str(value)
    return _FOLD.sub("", text).strip() if "\n" in text else text.strip()


def _msg_id(value: str | None) -> str | None:
    if not value:
        return None
    plain = header_fast.message_id(value)
    if plain is not None:
        return plain
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


_COLON = re.compile(r"\s*:\s*")


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    plain = header_fast.date(value)
    if plain is not False:
        return plain  # type: ignore[return-value]
    if "(" in value:  # obsolete CFWS: comments
        value = _COMMENT.sub(" ", value)
    value = _COLON.sub(":", value)  # and spaces around the colons
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


def _words(value: str, notes: list[str]) -> str:
    """``decode_words``, through ``header_fast`` for the common shapes."""
    plain = header_fast.words(value)
    return decode_words(value, notes) if plain is None else plain


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
    return _checked_mailbox(segment)


@functools.lru_cache(maxsize=4096)  # a mailbox's letters repeat the same few senders
def _checked_mailbox(segment: str) -> tuple[str, str] | bool | None:
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
    except (RecursionError, *PARSE_ERRORS):  # "x:x:x:…<a@b>" recurses once per group prefix
        return False
    if len(pairs) != 1 or pairs[0][1].strip() != _SPACE.sub("", inside):
        return False
    email = pairs[0][1].strip()
    local, _, domain = email.partition("@")
    valid = _EMAIL.fullmatch(email) and local and "." in domain.strip(".") and ".." not in domain
    if not valid or len(email) > 320 or "\ufffd" in email or not email.isprintable():
        return False
    return pairs[0][0], email


_CACHED_FIELD_CHARS = 2048  # a From or To line read once: a mailbox repeats its correspondents


def _addresses(values: list[str], label: str, notes: list[str]) -> tuple[Address, ...]:
    if len(values) == 1 and len(values[0]) <= _CACHED_FIELD_CHARS:
        found, said = _one_field(values[0], label)
        notes.extend(said)
        return found
    return _read_addresses(values, label, notes)


@functools.lru_cache(maxsize=4096)
def _one_field(value: str, label: str) -> tuple[tuple[Address, ...], tuple[str, ...]]:
    """The addresses of one field value and the warnings reading them gave."""
    said: list[str] = []
    return _read_addresses([value], label, said), tuple(said)


def _read_addresses(values: list[str], label: str, notes: list[str]) -> tuple[Address, ...]:
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
                found.setdefault(email.casefold(), Address(_words(name, notes), email))
    return tuple(found.values())


# Every field read_headers looks at: the IMAP scan fetches only these
# (BODY.PEEK[HEADER.FIELDS (...)]), not the whole header block.
USED_FIELDS = (
    *("from", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references"),
    *("auto-submitted", "x-autoreply", "x-autorespond", "precedence", "content-type"),
)


_USED = frozenset(USED_FIELDS)
# Fields whose absence lets read_headers skip their reading (same result).
_AUTO_FIELDS = frozenset(("auto-submitted", "x-autoreply", "x-autorespond", "precedence"))


def read_headers(fields_in: Sequence[tuple[str, object]], notes: list[str]) -> ParsedHeaders:
    return _from_fields(_collect(fields_in, notes), notes)


def _collect(fields_in: Sequence[tuple[str, object]], notes: list[str]) -> dict[str, list[str]]:
    """The values of the fields read, unfolded and trimmed, within the bounds."""
    fields: dict[str, list[str]] = {}
    for name, value in fields_in:
        key = name.strip().lower()
        if key not in _USED:
            continue
        values = fields.get(key)
        if values is None:
            values = fields[key] = []
        elif len(values) >= _MAX_FIELD_VALUES:
            notes.append(f"{name}: more than {_MAX_FIELD_VALUES} times; the rest ignored")
            continue
        text = str(value)
        if len(text) > _MAX_FIELD_CHARS:
            notes.append(f"{name}: {len(text):,} characters; cut at {_MAX_FIELD_CHARS:,}")
            text = text[:_MAX_FIELD_CHARS]
            if key in ("from", "to", "cc") and "," in text:  # a whole last address, not half
                text = text[: text.rindex(",")]
        values.append(_FOLD.sub("", text).strip() if "\n" in text else text.strip())
    return fields


def _from_fields(fields: dict[str, list[str]], notes: list[str]) -> ParsedHeaders:
    firsts = {name: values[0] for name, values in fields.items()}
    first = firsts.get

    senders: tuple[Address, ...] = ()
    for value in fields.get("from", ()):  # several: a mangled mbox line may come first
        senders = senders or _addresses([value], "From", notes)
    message_id = _msg_id(first("message-id"))
    auto = False
    content_type = first("content-type")
    if not _AUTO_FIELDS.isdisjoint(firsts):
        auto = (first("auto-submitted") or "no").split(";")[0].strip().lower() != "no"
        for name in ("x-autoreply", "x-autorespond"):
            auto = auto or (first(name) or "no").strip().lower() not in ("no", "false", "0")
        auto = auto or (first("precedence") or "").strip().lower() == "auto_reply"
        machine = auto_reply.classify(first).kind
    else:  # classify's answer without the fields it reads beside Content-Type
        bounce = auto_reply.is_delivery_report(content_type)
        machine = auto_reply.BOUNCE if bounce else auto_reply.HUMAN
    if message_id:
        synthetic = message_id
    else:
        raw = "\n".join(first(name) or "" for name in ("date", "from", "to", "subject"))
        synthetic = "synthetic-" + hashlib.sha256(to_bytes(raw)).hexdigest()
    to, cc = fields.get("to"), fields.get("cc")
    in_reply_to, references = first("in-reply-to"), fields.get("references")
    return ParsedHeaders(
        message_id=message_id,
        subject=_words(first("subject") or "", notes),
        date=_date(first("date")),
        from_=senders,
        to=_addresses(to, "To", notes) if to else (),
        cc=_addresses(cc, "Cc", notes) if cc else (),
        in_reply_to=next(iter(_msg_ids(in_reply_to)), None) if in_reply_to else None,
        references=_msg_ids(" ".join(references)) if references else (),
        auto_submitted=auto,
        synthetic_id=synthetic,
        content_type=(content_type or "")[:500],
        machine=machine,
    )


HEADER_END = re.compile(rb"\r?\n\r?\n")
_OBSOLETE_NAME = re.compile(rb"^([!-9;-~]+)[ \t]+:", re.MULTILINE)  # "Subject : ..."


# HEADER_END without its optional leading CR: the same end, and a pattern
# that starts with a literal the engine skips to (HEADER_END itself tries
# every byte). Two bytes.find calls were slower still: the one that misses
# (LF in a CRLF letter, CRLF in an LF one) runs over the whole letter.
_EMPTY_LINE = re.compile(rb"\n\r?\n")


def _block_end(raw: bytes) -> int:
    """Where ``HEADER_END`` first matches ends (len(raw) when it does not):
    after the first empty line, where the search stops (0.6 us against 6-8
    us for an 8 KB letter)."""
    found = _EMPTY_LINE.search(raw)
    return found.end() if found is not None else len(raw)


def header_block(raw: bytes) -> tuple[bytes, int]:
    """The header block (obsolete 'Name :' fields made 'Name:', cut at
    MAX_HEADER_BYTES at a line end) and where the body starts."""
    stop = _block_end(raw)
    block = raw[:stop]
    if stop > MAX_HEADER_BYTES:  # the field cut there keeps its start
        block = block[:MAX_HEADER_BYTES].rstrip(b"\r\n") + b"\r\n\r\n"
    if b" :" not in block and b"\t:" not in block:  # no "Name :" field: nothing to change
        return block, stop
    return _OBSOLETE_NAME.sub(rb"\1:", block), stop


def parse_headers(raw: bytes) -> ParsedHeaders:
    """Headers of a header block or a whole message; never raises."""
    return safe_headers(header_block(bytes(raw))[0], [])


def safe_headers(block: bytes, notes: list[str]) -> ParsedHeaders:
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
    values = plain_values(block, _USED, _MAX_FIELD_CHARS, _MAX_FIELD_VALUES)
    if values is not None:
        return _from_fields(values, notes)
    fields = plain_fields(block)
    if fields is None:
        fields = list(BytesHeaderParser(policy=policy.compat32).parsebytes(block).raw_items())
    return read_headers(fields, notes)
