"""A larger SQLite page cache for one bulk writer's unit of work.

SQLite's default cache is 2 MB a connection. A bulk writer's transaction
touches more pages than that (an import batch: the letters' rows, their
indexes and the FTS5 segments it writes and merges), so pages it changed are
spilled and read again within the same transaction. The linking job and the
mail import's runs raise it while they write; the connection gets its own
size again after, before the commit (which writes the changed pages
whatever the size), so a pooled connection does not keep the memory.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

# What a bulk unit of work may keep (only what it reads takes memory). The
# linking job passes over a chunk's letters several times (their addresses,
# the new interactions, the links): with the default 2 MB (~500 pages) each
# pass read the pages of 5,000 letters again (at --full ~17,000 more reads
# than the raw SQL).
BULK_CACHE_KIB = 65536


@contextlib.contextmanager
def page_cache(session: Any, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """SQLite: a page cache of KIB for the unit of work's connection while
    the block runs; anything else runs the block as it is."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    cursor = session.connection().connection.dbapi_connection.cursor()
    (before,) = cursor.execute("PRAGMA cache_size").fetchone()
    cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(before)}")
        cursor.close()
