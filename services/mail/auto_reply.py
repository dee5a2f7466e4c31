"""Is an inbound letter a person's reply, a machine's answer, or a bounce?

Pure functions over header values, so the mail import, the scenarios'
stop-on-reply and inbound processing all classify a letter the same way.
Out-of-office and other automatic answers carry ``Auto-Submitted``
(RFC 3834), ``X-Autoreply``/``X-Autorespond`` or ``Precedence``
bulk/junk/auto_reply; they are not a reply from the contact. A delivery
status notification (RFC 3464, ``multipart/report;
report-type=delivery-status``) says the letter did not arrive.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
from collections.abc import Callable, Iterable
from email.message import Message

HUMAN, AUTO, BOUNCE = "human", "auto", "bounce"
AUTO_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply"})
MAX_DSN_BYTES = 256 * 1024  # a report part is small; what is beyond is not read
MAX_PARTS = 50
_MSG_ID = re.compile(r"<([^<>\s]{1,900})>")

Lookup = Callable[[str], str | None]


@dataclasses.dataclass(frozen=True)
class Verdict:
    kind: str  # human | auto | bounce
    reason: str = ""  # why a machine answered (the DSN's status and diagnostic)


def is_auto_reply(first: Lookup) -> bool:
    """``first(name)`` gives the first value of a header field (lower-case
    name) or None."""
    submitted = (first("auto-submitted") or "no").split(";")[0].strip().lower()
    if submitted != "no":
        return True
    for name in ("x-autoreply", "x-autorespond"):
        value = first(name)
        if value is not None and value.strip().lower() not in ("no", "false", "0"):
            return True
    return (first("precedence") or "").strip().lower() in AUTO_PRECEDENCE


def is_delivery_report(content_type: str | None) -> bool:
    """``multipart/report`` with ``report-type=delivery-status``."""
    if not content_type:
        return False
    main, _, params = content_type.partition(";")
    if main.strip().lower() != "multipart/report":
        return False
    found = re.search(r"report-type\s*=\s*\"?([\w.-]+)", params, re.IGNORECASE)
    return bool(found and found.group(1).lower() == "delivery-status")


def classify(first: Lookup) -> Verdict:
    """A bounce first (a DSN is also auto-submitted), then an automatic answer."""
    if is_delivery_report(first("content-type")):
        return Verdict(BOUNCE, "the letter could not be delivered")
    if is_auto_reply(first):
        return Verdict(AUTO)
    return Verdict(HUMAN)


def message_ids(values: Iterable[str | None]) -> tuple[str, ...]:
    """Message-IDs (without brackets) named in In-Reply-To / References values."""
    out: list[str] = []
    for value in values:
        for found in _MSG_ID.findall(value or ""):
            if found not in out:
                out.append(found)
    return tuple(out[:100])


@dataclasses.dataclass(frozen=True)
class Bounce:
    """What a DSN says: the letters it is about and why they failed."""

    original_ids: tuple[str, ...]
    recipients: tuple[str, ...]
    reason: str


def _field_lines(text: str) -> list[tuple[str, str]]:
    """(name, value) of header-like lines, folded lines joined: Postfix folds
    a long Diagnostic-Code, and its end says why."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines()[:500]:
        if line[:1] in (" ", "\t") and out and line.strip():
            name, value = out[-1]
            out[-1] = (name, f"{value} {line.strip()}"[:1000])
            continue
        name, sep, value = line.partition(":")
        if sep and name and " " not in name.strip():
            out.append((name.strip().lower(), value.strip()))
    return out


def read_bounce(raw: bytes) -> Bounce | None:
    """The original Message-IDs, failed recipients and the status of a DSN,
    bounded in size, parts and nesting (the email package recurses once per
    level); None when ``raw`` is not a delivery report."""
    # Imported here: mime_headers classifies letters with this module.
    from services.mail import mime_bounds, mime_headers

    raw = bytes(raw[:MAX_DSN_BYTES])
    end = mime_headers.HEADER_END.search(raw)
    raw = mime_bounds.bounded(raw, end.end() if end else len(raw), [])
    try:
        return _read_report(email.message_from_bytes(raw, policy=email.policy.compat32))
    except (RecursionError, *mime_headers.PARSE_ERRORS):  # nested past what bounded() cuts
        return Bounce((), (), "the letter could not be delivered (the report cannot be read)")


def _read_report(message: Message) -> Bounce | None:
    if not is_delivery_report(message.get("Content-Type")):
        return None
    ids: list[str] = list(message_ids([message.get("In-Reply-To"), message.get("References")]))
    recipients: list[str] = []
    reasons: list[str] = []
    for count, part in enumerate(message.walk()):
        if count > MAX_PARTS:
            break
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            _read_status(part, recipients, reasons)
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            _read_original(part, ids)
    reason = "; ".join(dict.fromkeys(reasons)) or "the letter could not be delivered"
    return Bounce(tuple(dict.fromkeys(ids)), tuple(dict.fromkeys(recipients)), reason[:500])


def _text_of(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):  # parsed as sub-messages
        return "\n".join(str(p) for p in payload[:MAX_PARTS])
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return str(payload)


def _read_status(part: Message, recipients: list[str], reasons: list[str]) -> None:
    status = diagnostic = ""
    for name, value in _field_lines(_text_of(part)):
        if name in ("final-recipient", "original-recipient"):
            address = value.split(";", 1)[-1].strip()
            if address and address not in recipients:
                recipients.append(address[:320])
        elif name == "status":
            status = value[:20]
        elif name == "diagnostic-code":
            diagnostic = value.split(";", 1)[-1].strip()[:300]
    if status or diagnostic:
        reasons.append(" ".join(x for x in (status, diagnostic) if x))


def _read_original(part: Message, ids: list[str]) -> None:
    for name, value in _field_lines(_text_of(part)):
        if name == "message-id":
            ids.extend(message_ids([value]))
            return
