"""Words for errors of working offline: the replica's sync job and the
window's offline controls."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "sync.bad_server_url": (
        QT_TRANSLATE_NOOP("Errors", "The server's address names no host"),
        (),
    ),
}
