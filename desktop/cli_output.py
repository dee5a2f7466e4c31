"""Everything the CLI prints is text, never terminal commands.

Names, subjects, CSV headers and server messages come from outside, and the
CLI echoes them (``import contacts`` reports an unknown CSV column by name).
An ``ESC ] 0;…`` in one retitles the terminal, ``ESC [2J`` clears it, a bare
``\\r`` overwrites the line. So while a command runs, stdout and stderr
replace every control character but the newline and the tab, and the
bidirectional overrides that reorder what is shown, with a visible ``\\uXXXX``
(inside a JSON string that is the same character, escaped).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    return _CONTROL.sub(lambda found: f"\\u{ord(found.group(0)):04x}", text)


class _Escaping:
    """A text stream that writes through ``escape_controls``; the rest is the stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """stdout and stderr escape control characters until the block ends."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = _Escaping(out)
    sys.stderr = _Escaping(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
