"""UUIDv7 identifiers made where a record is created.

Every user-created record carries one so that a laptop replica and a team
server can later merge their rows without id clashes; integer primary keys
stay local. Python 3.11 has no ``uuid.uuid7`` (3.14 has), hence this one.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """RFC 9562 UUIDv7: 48-bit Unix ms, then a 12-bit counter and random bits.

    The counter keeps ids made in the same millisecond in creation order.
    """
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = ms
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand
    return uuid.UUID(int=value)


def new_uid() -> str:
    return str(uuid7())


def reserve(count: int) -> tuple[int, int]:
    """Room for COUNT ids a bulk statement makes itself (``uuid7_sql``):
    ``(ms, first)``; the i-th of them (from 0) is at position ``first + i``,
    i.e. millisecond ``ms + (first + i) >> 12`` and counter ``(first + i) &
    0xFFF``, as ``uuid7`` would have made them one by one. The generator
    continues after the last, so later ids still sort after them."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms, first = _last_ms, _counter + 1
        else:
            first = int.from_bytes(os.urandom(2), "big") & 0x3FF
        last = first + max(count, 1) - 1
        _last_ms = ms + (last >> 12)
        _counter = last & 0xFFF
    return ms, first


def uuid7_sql(ms: str, first: str, position: str, dialect: str = "sqlite") -> str:
    """SQL (SQLite or PostgreSQL) of the UUIDv7 at POSITION (an SQL integer
    from 0) of a block ``reserve`` gave as the SQL values MS and FIRST: the
    same layout as ``uuid7`` (48-bit ms, version 7, 12-bit counter, variant,
    random)."""
    if dialect == "postgresql":
        at = f"(CAST({first} AS BIGINT) + {position})"
        stamp = f"(CAST({ms} AS BIGINT) + ({at} >> 12))"
        return (
            f"lpad(to_hex({stamp} >> 16), 8, '0') || '-' || lpad(to_hex({stamp} & 65535), 4, '0')"
            f" || '-7' || lpad(to_hex({at} & 4095), 3, '0')"
            " || '-' || to_hex(32768 | CAST(floor(random() * 16384) AS INTEGER))"
            " || '-' || lpad(to_hex(CAST(floor(random() * 281474976710656) AS BIGINT)), 12, '0')"
        )
    at = f"({first} + {position})"
    stamp = f"({ms} + ({at} >> 12))"
    return (
        f"printf('%08x-%04x-7%03x-%04x-%012x', {stamp} >> 16, {stamp} & 65535, "
        f"{at} & 4095, 32768 | (random() & 16383), random() & 281474976710655)"
    )
