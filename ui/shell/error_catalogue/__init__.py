"""Every error code the services raise, with its English source sentence
for the translations and the names of its params in %1, %2 ... order.

A new ``code=`` in services/ needs its line here (in the module of its
domain) and a Russian translation; tests/ui/test_error_text.py walks the
services and fails on a code missing from this catalogue."""

from __future__ import annotations

from ui.shell.error_catalogue import (
    files,
    inbound,
    offline,
    outside,
    pipelines,
    records,
    scenarios,
    shares,
    sync_push,
    tasks,
    work,
)

ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    **records.ENTRIES,
    **work.ENTRIES,
    **outside.ENTRIES,
    **scenarios.ENTRIES,
    **pipelines.ENTRIES,
    **inbound.ENTRIES,
    **shares.ENTRIES,
    **offline.ENTRIES,
    **sync_push.ENTRIES,
    **files.ENTRIES,
    **tasks.ENTRIES,
}
