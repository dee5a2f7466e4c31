"""The start-up heap left out of the cycle collector's full collections (#16).

What a process has built by the time its real work starts (SQLAlchemy and
its compiled caches, the models, the parsers, Qt's wrappers and the main
window) lives until it exits, yet every full collection walks it again:
~145k objects in `touchpoint mail sync` and `run-due` (50-150 ms a
collection on 2 vCPU), ~165k in the app once its window is up, more with a
card open. A long sync makes a full collection every few thousand letters, each one a
pause of that size, on the GUI thread in the app (desktop/gc_on_gui.py).
``gc.freeze()`` moves everything alive now into a permanent generation
that collections skip; objects made later are collected as before.

Called once by the entry points (never by services: the CLI, jobs and tests
share them), without a collection first: that would cost the full walk
it saves (~0.1 s of start-up). The price is the start-up's own cyclic
garbage (~500 objects) kept for the life of the process, and a cycle among
the frozen objects that dies later is never freed: both small, as what is
alive at start-up is meant to stay.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Everything alive now left out of later collections; how many objects."""
    gc.freeze()
    return gc.get_freeze_count()
