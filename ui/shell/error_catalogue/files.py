"""Words for fetching an attachment's file from the team server."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "interactions.attachment_blobs.not_on_server": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The file %1 is not on the server or not yours to see; "
            "the computer that attached it may not have sent it yet",
        ),
        ("name",),
    ),
    "interactions.attachment_blobs.tampered": (
        QT_TRANSLATE_NOOP(
            "Errors", "The server's copy of %1 does not match its checksum; it was not opened"
        ),
        ("name",),
    ),
    "interactions.attachment_fetch.offline": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The file %1 is not on this computer and the server cannot be reached (%2); "
            "try again when it is online",
        ),
        ("name", "reason"),
    ),
    "sync.apply.attachment_digest": (
        QT_TRANSLATE_NOOP("Errors", "The attachment does not name its file by a SHA-256 hash"),
        (),
    ),
    "sync.apply.attachment_too_large": (
        QT_TRANSLATE_NOOP("Errors", "The file is larger than %1 MB"),
        ("limit",),
    ),
}
