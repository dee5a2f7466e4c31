"""Boundary lines of a multipart matched without compiling a regex per letter.

The email package's feedparser compiles, for every multipart it reads,

    (?P<sep>--BOUNDARY)(?P<end>--)?(?P<ws>[ \\t]*)(?P<linesep>\\r\\n|\\r|\\n)?$

with the part's boundary as a literal. Every letter has its own boundary, so
``re``'s cache never hits and the compile (~100-300 µs) is a third of
``parse_message`` on an ordinary two-part letter. The pattern is a literal
followed by a fixed tail, so ``BoundaryPattern.match`` answers as the
compiled pattern would (the same match or None, the same groups) with a few
string operations.

``literal_boundaries()`` turns it on for the parses inside it, on this
thread only: feedparser gets a stand-in for its module's ``re`` whose
``compile`` returns a ``BoundaryPattern`` for exactly that pattern and
``re.compile``'s result for anything else (or outside the block). The import's
fast parse uses it; the reference parse (``mime.read_message(checked=False)``)
does not, so the tests and bench/mime_parse.py that compare the two paths
compare this matcher with the real pattern over every letter they read.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from email import feedparser
from typing import Any

_HEAD = "(?P<sep>"
_TAIL = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
# What may follow the separator, its "--" and blanks for the pattern to match,
# and the linesep group then: ``$`` also matches before a last "\n".
_ENDINGS: dict[str, str | None] = {
    "": None,
    "\n": "\n",
    "\r": "\r",
    "\r\n": "\r\n",
    "\n\n": "\n",
    "\r\n\n": "\r\n",
}
_GROUPS = ("sep", "end", "ws", "linesep")


class BoundaryMatch:
    """The part of ``re.Match`` feedparser reads (``group``), and ``groups``."""

    __slots__ = ("_values",)

    def __init__(self, sep: str, end: str | None, ws: str, linesep: str | None) -> None:
        self._values = (sep, end, ws, linesep)

    def group(self, *names: str | int) -> Any:
        found = tuple(self._one(name) for name in names or (0,))
        return found[0] if len(found) == 1 else found

    def _one(self, name: str | int) -> str | None:
        if name == 0:
            return "".join(v or "" for v in self._values)
        index = _GROUPS.index(name) if isinstance(name, str) else name - 1
        if not 0 <= index < len(_GROUPS):
            raise IndexError("no such group")
        return self._values[index]

    def groups(self) -> tuple[str | None, ...]:
        return self._values


class BoundaryPattern:
    """``re.compile(_HEAD + re.escape(separator) + _TAIL)``, matched by hand."""

    __slots__ = ("separator",)

    def __init__(self, separator: str) -> None:
        self.separator = separator

    def match(self, line: str) -> BoundaryMatch | None:
        separator = self.separator
        if not line.startswith(separator):
            return None
        rest = line[len(separator) :]
        end = "--" if rest.startswith("--") else None
        if end:
            rest = rest[2:]
        ending = rest.lstrip(" \t")
        if ending not in _ENDINGS:
            return None
        return BoundaryMatch(separator, end, rest[: len(rest) - len(ending)], _ENDINGS[ending])


def _unescaped(escaped: str) -> str | None:
    """The text ``re.escape`` turned into ESCAPED, or None if it did not."""
    chars: list[str] = []
    index, size = 0, len(escaped)
    while index < size:
        char = escaped[index]
        if char == "\\":
            index += 1
            if index == size:
                return None
            char = escaped[index]
        chars.append(char)
        index += 1
    text = "".join(chars)
    return text if re.escape(text) == escaped else None


def boundary_pattern(pattern: object, flags: int = 0) -> BoundaryPattern | None:
    """A BoundaryPattern for feedparser's boundary pattern, None for any other."""
    if flags or not isinstance(pattern, str):
        return None
    if not (pattern.startswith(_HEAD) and pattern.endswith(_TAIL)):
        return None
    separator = _unescaped(pattern[len(_HEAD) : -len(_TAIL)])
    return BoundaryPattern(separator) if separator is not None else None


_ON = threading.local()


class _FeedparserRe:
    """feedparser's ``re``: everything is the real module's, except that
    ``compile`` gives BoundaryPatterns inside ``literal_boundaries()``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        if getattr(_ON, "value", False):
            found = boundary_pattern(pattern, flags)
            if found is not None:
                return found
        return re.compile(pattern, flags)


_STAND_IN = _FeedparserRe()
_INSTALL = threading.Lock()


@contextlib.contextmanager
def literal_boundaries() -> Iterator[None]:
    """Within: this thread's feedparser matches boundary lines by BoundaryPattern."""
    with _INSTALL:
        if getattr(feedparser, "re", None) is re:
            setattr(feedparser, "re", _STAND_IN)  # noqa: B010 - the module does not export it
    previous = getattr(_ON, "value", False)
    _ON.value = True
    try:
        yield
    finally:
        _ON.value = previous
