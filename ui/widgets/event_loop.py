"""The app's qasync loop, for coroutines started from widgets (AI drafts).

Looked up here rather than with ``asyncio.get_event_loop()``: on Python
3.11 that quietly creates a fresh loop when none was set, and a task on a
loop nobody runs would never finish. ``desktop.app`` registers the loop it
runs; tests register theirs.
"""

from __future__ import annotations

import asyncio

_loop: asyncio.AbstractEventLoop | None = None


def use(loop: asyncio.AbstractEventLoop | None) -> None:
    global _loop
    _loop = loop


def current() -> asyncio.AbstractEventLoop | None:
    """The running loop, else the registered one while it is open; None when
    there is nothing that will run a task."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    return _loop if _loop is not None and not _loop.is_closed() else None
