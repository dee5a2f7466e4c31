"""Parse functions that fail the way a hostile letter could make the real
one fail, for the worker's tests (``services.mail.parse_worker``): the
worker process imports them by name, so they live in a module of their own."""

from __future__ import annotations

import os
import time

from services.mail import parse_worker

CRASH = b"X-Test-Parser: crash"
HANG = b"X-Test-Parser: hang"


def crashing(raw: bytes, limit: int) -> parse_worker.Outcome:
    """Kills its process on a letter marked CRASH (as a crash in C code would)."""
    if CRASH in raw:
        os._exit(70)
    return parse_worker.parse_body(raw, limit)


def hanging(raw: bytes, limit: int) -> parse_worker.Outcome:
    """Never returns on a letter marked HANG (as a runaway parse would)."""
    while HANG in raw:
        time.sleep(3600)
    return parse_worker.parse_body(raw, limit)
