"""What the IMAP import makes of a batch's headers before it writes: each
letter's key and side, how the batch is cut into UID ranges, and into the
write transactions that hold its fetched bodies.

A batch's header-only letters go into one transaction whatever their
number; the letters whose bodies (or a delivery report's start) are
fetched are held and written at most ``BODY_GROUP`` letters and
``BODY_GROUP_BYTES`` at a time, so a big batch of known senders' letters
neither holds all their bodies in memory nor the database's write lock
while all of them are parsed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from typing import Any, NamedTuple

from services.linking import rule
from services.mail import auto_reply, mime

# Letters with a fetched body in one write transaction at most: the batch
# size before batches grew to imap_sync.DEFAULT_BATCH, so a run holds no
# more bodies than a batch did then, and the write lock about as long (a
# header-only letter costs a tenth of one parsed and indexed); and their
# bodies' bytes (RFC822.SIZE) at most, beyond one letter.
BODY_GROUP = 200
BODY_GROUP_BYTES = 32 * 1024 * 1024
FIRST_BATCH = 200  # a folder's first batch: the writing starts while the next one is fetched


class Header(NamedTuple):
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
    the first bytes of the body (``imap_sync.TEXT_PREFIX``: machine-made
    letters often share headers and size, never their text), so the same letter filed in INBOX
    and Sent still matches. When the body could not be read: the letter's
    place (folder, UIDVALIDITY, UID), which never merges two letters."""
    if parsed.message_id:
        return parsed.message_id
    if body_start is None:
        folder_id, uidvalidity, uid = place
        return f"synthetic-{folder_id}-{uidvalidity}-{uid}"
    digest = hashlib.sha256(raw_header + b"\0" + str(size).encode() + b"\0" + body_start)
    return f"synthetic-{digest.hexdigest()}"


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


def chunks(values: Sequence[int], size: int, first: int = FIRST_BATCH) -> Iterable[list[int]]:
    """VALUES in runs of SIZE, the first one at most FIRST: nothing is
    written until the first batch's headers are read, and the server
    prepares each next batch while one is written."""
    start = 0
    step = min(size, first)
    while start < len(values):
        yield list(values[start : start + step])
        start += step
        step = size


def fields_of(data: dict[bytes, Any]) -> bytes:
    """The header fields of a FETCH answer (the server names the item with its field list)."""
    for key, value in data.items():
        if isinstance(key, bytes) and key.startswith(b"BODY[HEADER") and value is not None:
            return bytes(value)
    return b""


def report_wanted(
    headers: Sequence[Header],
    seen: Collection[str],
    sides: dict[int, tuple[str, list[str]]],
    with_body: Collection[int],
) -> set[int]:
    """The new inbound delivery reports whose body is not fetched anyway: a
    bounce comes from MAILER-DAEMON, an address no card has, and names the
    letter it returns only inside, so stop-on-reply needs its first
    MAX_DSN_BYTES. Only reports: other unknown senders' mail stays
    headers-only."""
    return {
        h.uid
        for h in headers
        if h.parsed.machine == auto_reply.BOUNCE
        and h.key not in seen
        and h.uid not in with_body
        and sides[h.uid][0] == "in"
    }


def write_groups(
    headers: Sequence[Header],
    with_body: Collection[int],
    reported: Collection[int],
) -> list[list[Header]]:
    """HEADERS cut into runs, in UID order, each written in one transaction:
    at most BODY_GROUP letters of WITH_BODY or REPORTED each, and
    BODY_GROUP_BYTES of what is fetched for them (a single bigger letter
    makes a run alone), the letters shared evenly between as many runs as
    BODY_GROUP needs: the worker parses one run while the run before it is
    written (``imap_sync``), and a short run after a full one left the full
    one's parse nothing to overlap (209 letters: 105 + 104, not 200 + 9).
    Always one run at least, empty for a batch whose letters all vanished."""
    most, most_bytes = BODY_GROUP, BODY_GROUP_BYTES
    held = sum(1 for h in headers if h.uid in with_body or h.uid in reported)
    if held > most:  # as many runs as before, of even size
        most = -(-held // -(-held // most))
    groups: list[list[Header]] = [[]]
    count = size = 0
    for header in headers:
        if header.uid in with_body or header.uid in reported:
            weight = header.size or 0
            if header.uid not in with_body:
                weight = min(weight, auto_reply.MAX_DSN_BYTES)
            if count and (count >= most or size + weight > most_bytes):
                groups.append([])
                count = size = 0
            count += 1
            size += weight
        groups[-1].append(header)
    return groups
