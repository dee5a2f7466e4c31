"""Cutting a message before the email package sees more than it can bear.

The standard library's parsers are neither linear nor iterative on hostile
input (100k parts took 18 s; 2M header lines in one part 8 s; it recurses
once per nesting level), so the body is cut before the part that would pass
MAX_PARTS parts, MAX_DEPTH nested multiparts or MAX_CONTAINERS nested
messages, with one regular-expression scan of the raw bytes; a warning says
what was left out.
"""

from __future__ import annotations

import re

from services.mail.mime_headers import HEADER_END, MAX_HEADER_BYTES

MAX_CONTAINERS = 500  # multipart/message declarations; the parser recurses per level
MAX_DEPTH = 30  # nested multiparts / messages walked
MAX_PARTS = 2000
CUT_NOTE = "too many or too deeply nested parts; the rest was skipped"

# "\n" first: a literal prefix lets the regex engine skip to line ends (3x faster)
_STRUCTURE = re.compile(
    rb"\n(?:--([^\r\n]*)|[Cc][Oo][Nn][Tt][Ee][Nn][Tt]-[Tt][Yy][Pp][Ee]:[ \t]*(?:\r?\n[ \t]+)?"
    rb"([Mm][Uu][Ll][Tt][Ii][Pp][Aa][Rr][Tt]|[Mm][Ee][Ss][Ss][Aa][Gg][Ee])/)"
)
# policy.default parses Content-Type while parsing, in time quadratic in
# its length (20 KB: 3 s); real ones stay under 1 KB, compat32 reads any.
# Both patterns run on a lowercased copy: a literal first byte lets the
# engine skip ahead (IGNORECASE: 1.5 s over 40 MB, this: 0.05 s).
LONG_CONTENT_TYPE = re.compile(rb"\ncontent-type:(?:[^\n]|\n[ \t]){4096}")
_LONG_VALUE = re.compile(rb"(?:[^\n]|\n[ \t]){4096}")
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))')
_MAX_PART_HEADERS = 4 * MAX_HEADER_BYTES  # header bytes of all parts and enclosed messages


def bounded(
    raw: bytes,
    body_start: int,
    notes: list[str],
    *,
    low: bytes | None = None,
    dashes: list[int] | None = None,
) -> bytes:
    """The message cut before the part that would pass the part, depth,
    container or header limits, found with one regular-expression scan of
    the raw bytes: the email package parses everything it is given before
    we can count anything (100k parts: 18 s; 2M header lines in one part:
    8 s), and recurses once per nesting level.

    A delimiter counts only for a boundary declared somewhere in the
    message (a '-- ' signature or SQL comment does not); depth counts the
    boundaries opened and not yet closed; the header blocks that follow a
    delimiter or open an enclosed message share one byte budget. LOW:
    ``raw.lower()`` if the caller has it. DASHES, if given, gets where every
    line of the body that starts with "--" starts (the scan meets them all),
    up to the cut if there is one, and maybe the cut's own line.
    """
    declared = declared_boundaries(raw, raw.lower() if low is None else low)
    parts = containers = 0
    budget = _MAX_PART_HEADERS
    open_: list[bytes] = []
    for found in _STRUCTURE.finditer(raw, max(body_start - 2, 0)):
        line = found.group(1)
        if line is None:
            containers += 1
            if containers > MAX_CONTAINERS:
                return _cut(raw, found.start() + 1, notes)
            if found.group(2).lower() == b"message":  # the enclosed message's header block
                budget = _header_budget(raw, found.end(), budget, 2)
                if budget < 0:
                    return _cut(raw, found.start() + 1, notes)
            continue
        if dashes is not None:
            dashes.append(found.start() + 1)
        rest = line.rstrip()
        if rest in declared:  # an opening delimiter: a new part
            parts += 1
            if rest not in open_:
                open_.append(rest)
            budget = _header_budget(raw, found.end(), budget, 1)
            if parts > MAX_PARTS or len(open_) > MAX_DEPTH + 1 or budget < 0:
                return _cut(raw, found.start() + 1, notes)
        elif rest.endswith(b"--") and rest[:-2] in declared and rest[:-2] in open_:
            del open_[open_.index(rest[:-2]) :]  # closing: it and what it held are done
    return raw


def declared_boundaries(raw: bytes, low: bytes) -> set[bytes]:
    """The boundary values declared in RAW (LOW: it lowercased), as
    ``_BOUNDARY.finditer(low)`` finds them, stopping past MAX_PARTS of them;
    each match starts at a "boundary" that bytes.find skips to."""
    declared: set[bytes] = set()
    at = low.find(b"boundary")
    while at >= 0:
        found = _BOUNDARY.match(low, at)
        if found is None:
            at = low.find(b"boundary", at + 1)
            continue
        group = 1 if found.group(1) is not None else 2  # the value from RAW: case matters
        declared.add(raw[found.start(group) : found.end(group)].rstrip())
        if len(declared) > MAX_PARTS:
            break
        at = low.find(b"boundary", found.end())
    return declared


def long_content_type_in(low: bytes) -> bool:
    """Whether ``LONG_CONTENT_TYPE`` matches ``b"\\n" + low`` (LOW: a letter
    lowercased), its fields found by bytes.find: the pattern's own scan
    reads every byte at ~1.5 ns, find skips ahead."""
    if low.startswith(b"content-type:") and _LONG_VALUE.match(low, 13):
        return True
    at = low.find(b"\ncontent-type:")
    while at >= 0:
        if _LONG_VALUE.match(low, at + 14):
            return True
        at = low.find(b"\ncontent-type:", at + 1)
    return False


def _header_budget(raw: bytes, start: int, budget: int, blocks: int) -> int:
    """BUDGET less the bytes up to the end of the next BLOCKS header blocks;
    negative when they do not end within it (the search never looks further)."""
    position = start
    for _ in range(blocks):
        end = HEADER_END.search(raw, position, position + budget + 4)
        if end is None:
            return -1
        budget -= end.end() - position
        position = end.end()
    return budget


def _cut(raw: bytes, at: int, notes: list[str]) -> bytes:
    notes.append(CUT_NOTE)
    return raw[:at]
