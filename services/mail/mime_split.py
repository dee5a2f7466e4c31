"""The tree of an ordinary letter, built without the email package's feedparser.

Feedparser reads a letter line by line through a stack of generators, a
deque and a list of end-of-part predicates: about half of ``parse_message``
on an ordinary two-part letter, though only the lines that start with "--"
can end a part. ``split_message`` builds the same tree (the same header
pairs in each part, the same payload text, the same default type, the same
parts in the same places) by finding those lines with one scan of the
bytes, for the letters whose reading leaves no doubt. Anything else gives
None and the caller parses with feedparser as before: a lone CR, a header
line the plain split does not take (``plain_fields``), a part whose header
block does not end before the next delimiter line, non-ASCII Content-Type
or Content-Transfer-Encoding values, message/* parts (forwards, bounces),
multipart/digest, a multipart without a boundary or without its first
delimiter, two delimiter lines in a row, nesting past MAX_DEPTH.

What it mirrors, from email/feedparser.py (Python 3.11):

* a delimiter line is ``--boundary``, maybe ``--``, blanks, the line end;
* inside a part, a delimiter line of the part's own multipart *or of any
  multipart around it* ends the part (RFC 2046 5.1.2);
* the line end before a delimiter belongs to it: a leaf's payload loses
  its last line end;
* a multipart without its close delimiter ends with its last part.

The parts are ``Message`` objects of the parse's policy, so the walker in
mime.py and their ``get_payload(decode=True)`` read them exactly as they
read feedparser's, and the policy's checks (mime_policy.CHECKED) run on the
same Content-Type and Content-Transfer-Encoding values as during a
feedparser parse (``_checks``). test_mime_split.py compares both trees and
both parse results over the real corpus and thousands of damaged letters.
"""

from __future__ import annotations

import bisect
import quopri
import re
from email._encoded_words import decode_b  # type: ignore[import-not-found]  # what get_payload calls
from email.message import Message
from email.policy import Policy
from typing import Any

from services.mail.header_lines import plain_fields
from services.mail.mime_bounds import MAX_DEPTH
from services.mail.mime_headers import header_block

_ENDINGS = (b"", b"\n", b"\r\n")
# A Content-Type of message/* or multipart/digest anywhere ("\n" first: the
# engine skips to line ends).
# (Read on the lowercased letter after each "\ncontent-type:", found by
# bytes.find: a pattern's own scan costs ~1.5 ns a byte, find's a fraction.)
_ENCLOSED = re.compile(rb"[ \t]*(?:\r?\n[ \t]+)?(?:message/|multipart/digest)")
_CONTENT_TYPE_LINE = b"\ncontent-type:"
_BLANK_LINE = re.compile(rb"\n\r?\n")  # where a part's header block ends
_DASH_LINE = re.compile(rb"\n--")


_LONE_CR = re.compile(rb"\r(?!\n)")
_UUENCODED = ("x-uuencode", "uuencode", "uue", "x-uue")


class _Doubt(Exception):
    """The letter is not one this splitter reads for certain: use feedparser."""


class SplitPart(Message):
    """A part as feedparser builds it, which also knows where its payload
    lies in the letter and its Content-Transfer-Encoding as the policy read
    it: ``get_payload(decode=True)`` then decodes those bytes the way
    ``Message.get_payload`` does (Python 3.11), without reading the field
    through the policy again or re-encoding the payload text. The payload
    text is ``raw[start:stop]`` decoded ascii/surrogateescape, so its bytes
    are exactly that slice. Never changed once the splitter is done."""

    def __init__(self, how: Policy) -> None:
        super().__init__(policy=how)
        self._span: tuple[bytes, int, int] | None = None
        self._encoding: Any = None  # the first Content-Transfer-Encoding, read

    def get_payload(self, i: int | None = None, decode: bool = False) -> Any:
        if not decode or i is not None or self._span is None:
            return super().get_payload(i, decode)  # type: ignore[call-overload]
        cte = str("" if self._encoding is None else self._encoding).lower()
        if cte in _UUENCODED:
            return super().get_payload(decode=True)
        raw, start, stop = self._span
        data = raw[start:stop]
        if cte == "quoted-printable":
            return quopri.decodestring(data)
        if cte == "base64":  # b"".join(data.splitlines()): bytes break lines at CR and LF only
            value, defects = decode_b(data.translate(None, b"\r\n"))
            for defect in defects:
                self.policy.handle_defect(self, defect)
            return value
        return data


def split_message(
    raw: bytes,
    how: Policy,
    *,
    body: int | None = None,
    low: bytes | None = None,
    dashes: list[int] | None = None,
) -> Message | None:
    """The message feedparser would build from RAW under policy HOW, or None
    when RAW is not plain enough to be sure (see above). What the caller has
    found already: BODY, where the body starts (``header_block``); LOW,
    ``raw.lower()``; DASHES, where every line of the body that starts with
    "--" starts, in order (``mime_bounds.bounded``: only those can end a part;
    the header block's are never asked for)."""
    if raw.startswith((b"\n", b"\r\n")):
        return None  # no header fields: feedparser's path says why
    if body is None or body > len(raw):
        body = header_block(raw)[1]
    try:
        return _Splitter(raw, how, low, dashes).message(0, body, ())[0]
    except _Doubt:
        return None


def _delimiter(line: bytes, separator: bytes) -> int:
    """0 if LINE is not a delimiter line of SEPARATOR, 1 if it opens a part,
    2 if it closes the multipart (feedparser's boundary pattern)."""
    if not line.startswith(separator):
        return 0
    rest = line[len(separator) :]
    close = rest.startswith(b"--")
    if close:
        rest = rest[2:]
    if rest.lstrip(b" \t") not in _ENDINGS:
        return 0
    return 2 if close else 1


def _dash_lines(raw: bytes, known: list[int] | None = None) -> tuple[list[int], list[bytes]]:
    """Where every line that starts with "--" starts (KNOWN, if the caller
    found them), and the line: only they can end a part. (A pattern anchored
    at line starts would try every byte.)"""
    if known is not None:
        starts = known
    else:
        starts = [0] if raw.startswith(b"--") else []
        starts += [found.start() + 1 for found in _DASH_LINE.finditer(raw)]
    lines = []
    for start in starts:
        end = raw.find(b"\n", start)
        lines.append(raw[start : len(raw) if end < 0 else end + 1])
    return starts, lines


# A Content-Type of plain parameters: names without RFC 2231 stars, values
# quoted without quotes, backslashes, semicolons or angle brackets, or bare.
_PLAIN_PARAMETERS = re.compile(
    r"[ \t\r\n]*multipart/[A-Za-z0-9.+-]+[ \t\r\n]*"
    r"(?:;[ \t\r\n]*[A-Za-z0-9-]+="
    r"(?:\"[A-Za-z0-9'()+_,./:=? -]*\"|[A-Za-z0-9'+_./=?-]+)[ \t\r\n]*)*"
    r";?[ \t\r\n]*"
)
_PARAMETER = re.compile(r";[ \t\r\n]*([A-Za-z0-9-]+)=(\"[^\"]*\"|[^; \t\r\n]+)")


def _plain_boundary(value: str) -> str | None:
    """``Message.get_boundary()`` of a multipart whose Content-Type is VALUE,
    for values of plain parameters only (then the email package's parameter
    parsing, unquoting and RFC 2231 collapsing change nothing but the quotes
    and trailing blanks); None when it must be asked."""
    if _PLAIN_PARAMETERS.fullmatch(value) is None:
        return None
    for found in _PARAMETER.finditer(value):
        if found.group(1).lower() == "boundary":
            return found.group(2).strip('"').rstrip()
    return None


def _content_type(value: Any) -> str:
    """``Message.get_content_type()`` of a part whose first Content-Type
    reads VALUE (None: none, and the default type is text/plain: a digest's
    parts are feedparser's)."""
    if value is None:
        return "text/plain"
    ctype = str(value).partition(";")[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"


# A plain header block (``plain_fields``: every line a field or its
# continuation up to the empty line; a lone CR is refused before) and its
# Content-* fields: the top level keeps no other.
_PLAIN_BLOCK = re.compile(r"(?:[!-9;-~]+:[^\n]*(?:\n[ \t][^\n]*)*(?:\n|\Z))*(\r?\n)?")
_CONTENT_FIELD = r"([Cc][Oo][Nn][Tt][Ee][Nn][Tt]-[!-9;-~]*):([^\n]*(?:\n[ \t][^\n]*)*)"
_FIRST_CONTENT_FIELD = re.compile(_CONTENT_FIELD)
_NEXT_CONTENT_FIELD = re.compile("\n" + _CONTENT_FIELD)  # not "^" and MULTILINE: 3x as fast


def top_fields(block: bytes) -> list[tuple[str, str]] | None:
    """The Content-* pairs of ``plain_fields(BLOCK)``, in order, or None when
    it gives None: two scans of the block instead of a loop over its lines."""
    if _LONE_CR.search(block):
        return None
    text = block.decode("ascii", "surrogateescape")
    found = _PLAIN_BLOCK.match(text)
    assert found is not None  # it matches the empty string
    if found.end() < len(text) and found[1] is None:  # stopped at a line that is no field
        return None
    head = text[: found.end()]
    first = _FIRST_CONTENT_FIELD.match(head)
    found_fields = _NEXT_CONTENT_FIELD.finditer(head)
    return [
        (m[1], m[2].lstrip(" \t").rstrip("\r\n"))
        for m in (*((first,) if first else ()), *found_fields)
    ]


def _ends(line: bytes, stack: tuple[bytes, ...]) -> bool:
    """Whether LINE is a delimiter line of any multipart in STACK."""
    return any(_delimiter(line, separator) for separator in stack)


class _Splitter:
    def __init__(
        self, raw: bytes, how: Policy, low: bytes | None, dashes: list[int] | None
    ) -> None:
        self.raw = raw
        self.how = how
        self.low = low
        self.known_dashes = dashes
        self.dashes: list[int] = []
        self.lines: list[bytes] = []

    def _scan(self, body: int) -> None:
        """Before the first multipart is read (a single-part letter needs none
        of it): step aside for a lone CR or a message/* part anywhere, found
        before any further work; find the dash lines."""
        raw = self.raw
        if b"\r" in raw and _LONE_CR.search(raw, body):
            raise _Doubt("a lone CR")
        low = raw.lower() if self.low is None else self.low
        at = low.find(_CONTENT_TYPE_LINE, body - 1)
        while at >= 0:
            if _ENCLOSED.match(low, at + len(_CONTENT_TYPE_LINE)):
                raise _Doubt("a message/* part")
            at = low.find(_CONTENT_TYPE_LINE, at + 1)
        self.dashes, self.lines = _dash_lines(raw, self.known_dashes)

    def _next_dash(self, position: int) -> int:
        """Index in self.dashes of the first dash line at or after POSITION."""
        return bisect.bisect_left(self.dashes, position)

    def _end(self, position: int, stack: tuple[bytes, ...]) -> int:
        """Where the first line at or after POSITION that is a delimiter of any
        multipart in STACK starts (feedparser's false EOF), else the end."""
        if stack:
            lines = self.lines
            for index in range(self._next_dash(position), len(lines)):
                if _ends(lines[index], stack):
                    return self.dashes[index]
        return len(self.raw)

    def message(self, start: int, body: int, stack: tuple[bytes, ...]) -> tuple[Message, int]:
        """The part whose header block is raw[start:body] (the top level: the
        letter's own block, found by header_block), and where it ends: the
        start of the line that ended it (a delimiter of a multipart in STACK),
        else the end of the letter."""
        fields = plain_fields(self.raw[start:body]) if stack else top_fields(self.raw[:body])
        if fields is None:
            raise _Doubt("not a plain header block")
        part = SplitPart(self.how)
        for name, text in fields:
            if stack or name[:8].lower() == "content-":  # the walker reads no other field
                part.set_raw(name, text)
        # read through the policy as feedparser and the walker read them
        # (mime_policy.CHECKED raises when policy.default would read them
        # otherwise); 8-bit values are left to feedparser (compat32 hands them
        # out as Header objects)
        value = self._first(part, "content-type")
        encoding = part._encoding = self._first(part, "content-transfer-encoding")
        for read in (value, encoding):
            if read is not None and not (isinstance(read, str) and read.isascii()):
                raise _Doubt("an 8-bit Content-Type or Content-Transfer-Encoding")
        ctype = _content_type(value)
        maintype = ctype.partition("/")[0]
        if maintype == "message" or ctype == "multipart/digest":
            raise _Doubt(ctype)
        if maintype == "multipart":
            boundary = _plain_boundary(value) if value is not None else None
            return part, self._multipart(part, body, stack, boundary)
        end = stop = self._end(body, stack)
        if stack:  # a part: the line end before the delimiter is the delimiter's
            if self.raw.endswith(b"\r\n", body, end):
                stop -= 2
            elif self.raw.endswith(b"\n", body, end):
                stop -= 1
        part.set_payload(self.raw[body:stop].decode("ascii", "surrogateescape"))
        part._span = (self.raw, body, stop)
        return part, end

    def _first(self, part: Message, key: str) -> Any:
        """``part.get(key)``: the first such field read through the policy."""
        for name, text in part.raw_items():
            if name.lower() == key:
                return self.how.header_fetch_parse(name, text)
        return None

    def _multipart(
        self, part: Message, body: int, stack: tuple[bytes, ...], boundary: str | None
    ) -> int:
        """Its parts attached to PART; where it ends (see ``message``)."""
        if not stack:
            self._scan(body)
        if boundary is None:
            boundary = part.get_boundary()
        if boundary is None or not boundary.isascii() or len(stack) >= MAX_DEPTH:
            raise _Doubt("no boundary, or an 8-bit one, or nested too deep")
        separator = b"--" + boundary.encode("ascii")
        inner = (*stack, separator)
        index = self._next_dash(body)
        opened = False
        while True:
            index, kind = self._delimiter_at(index, separator, stack)
            if kind == 0:  # the end, or a delimiter of a multipart around this one
                if not opened:
                    raise _Doubt("no first delimiter")
                return self.dashes[index] if index < len(self.dashes) else len(self.raw)
            if kind == 2:
                if not opened:
                    raise _Doubt("closed before it opened")
                # the epilogue runs to the next delimiter around it: nothing the walker reads
                return self._end(self.dashes[index] + 1, stack)
            opened = True
            start = self.dashes[index] + len(self.lines[index])
            after = index + 1
            if start >= len(self.raw) or (after < len(self.dashes) and self.dashes[after] == start):
                raise _Doubt("a delimiter at the end, or a dash line right after it")
            index = self._next_dash(self._child(part, start, inner))

    def _delimiter_at(
        self, index: int, separator: bytes, stack: tuple[bytes, ...]
    ) -> tuple[int, int]:
        """(index, kind) of the first dash line from INDEX on that is a
        delimiter of SEPARATOR (kind 1 opens a part, 2 closes) or of a
        multipart in STACK (kind 0; index len(dashes): the end)."""
        for at in range(index, len(self.lines)):
            line = self.lines[at]
            if _ends(line, stack):
                return at, 0
            kind = _delimiter(line, separator)
            if kind:
                return at, kind
        return len(self.dashes), 0

    def _child(self, parent: Message, start: int, stack: tuple[bytes, ...]) -> int:
        """The part starting at START attached to PARENT; where it ends."""
        raw = self.raw
        if raw.startswith(b"\n", start) or raw.startswith(b"\r\n", start):
            body = start + (1 if raw[start] == 0x0A else 2)  # no header fields
        else:
            following = self._next_dash(start)
            limit = self.dashes[following] if following < len(self.dashes) else len(raw)
            blank = _BLANK_LINE.search(raw, start, limit)  # the first "\n\n" or "\n\r\n"
            if blank is None:
                raise _Doubt("a part's header block runs into a dash line or the end")
            body = blank.end()
        child, end = self.message(start, body, stack)
        parent.attach(child)
        return end
