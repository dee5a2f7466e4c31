"""A hybrid logical clock: the order of edits made on different machines.

Wall time alone lets a laptop whose clock is behind lose every field it
touched, and two edits in one millisecond tie. A hybrid logical clock
(Kulkarni et al., 2014) follows wall time while clocks are sane and never
goes backwards when they are not: a node takes ``max(its last clock, its
wall time)`` for an edit and also the clock of whatever it receives.
Serialized fixed-width, string order is clock order in SQLite and
PostgreSQL alike. See docs/offline-sync.md.
"""

from __future__ import annotations

import dataclasses
import re

COUNTER_MAX = 0xFFFF
# Ahead of the receiver's wall time by more than this, a clock is a broken
# laptop clock, not an edit from the future: it is clamped, and said.
MAX_AHEAD_MS = 5 * 60 * 1000
_NODE = re.compile(r"[0-9a-z]{1,16}")
_TEXT = re.compile(r"([0-9a-f]{12}):([0-9a-f]{4}):([0-9a-z]{1,16})")


class ClockError(ValueError):
    """A clock that cannot be read or cannot move forward."""


@dataclasses.dataclass(frozen=True, order=True)
class Hlc:
    wall_ms: int
    counter: int
    node: str

    def __post_init__(self) -> None:
        if not 0 <= self.wall_ms < 1 << 48:
            raise ClockError(f"wall time out of range: {self.wall_ms}")
        if not 0 <= self.counter <= COUNTER_MAX:
            raise ClockError(f"counter out of range: {self.counter}")
        if not _NODE.fullmatch(self.node):
            raise ClockError(f"bad node id: {self.node!r}")

    def encode(self) -> str:
        return f"{self.wall_ms:012x}:{self.counter:04x}:{self.node}"

    @classmethod
    def decode(cls, text: str) -> Hlc:
        match = _TEXT.fullmatch(text)
        if match is None:
            raise ClockError(f"not a clock: {text[:60]!r}")
        return cls(int(match[1], 16), int(match[2], 16), match[3])


ZERO = Hlc(0, 0, "0")


def _advance(last: Hlc, wall_ms: int, node: str) -> Hlc:
    if wall_ms > last.wall_ms:
        return Hlc(wall_ms, 0, node)
    if last.counter == COUNTER_MAX:
        # 65,536 edits in one millisecond: borrow the next millisecond.
        return Hlc(last.wall_ms + 1, 0, node)
    return Hlc(last.wall_ms, last.counter + 1, node)


def tick(last: Hlc, wall_ms: int, node: str) -> Hlc:
    """The clock of a local edit: later than everything this node has seen."""
    return _advance(last, wall_ms, node)


@dataclasses.dataclass(frozen=True)
class Received:
    clock: Hlc  # the node's clock after receiving
    clamped: bool  # the remote clock was too far ahead and was not trusted


def receive(last: Hlc, remote: Hlc, wall_ms: int, node: str) -> Received:
    """Merge a clock from another node into this node's clock.

    A remote clock more than ``MAX_AHEAD_MS`` ahead of this node's wall time
    is not taken: one laptop set a year ahead would otherwise drag every
    clock with it and win every field until that date.
    """
    clamped = remote.wall_ms > wall_ms + MAX_AHEAD_MS
    seen = last if clamped else max(last, remote)
    return Received(_advance(seen, wall_ms, node), clamped)
