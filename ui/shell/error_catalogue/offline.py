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
    "sync.server_not_postgres": (
        QT_TRANSLATE_NOOP(
            "Errors", "The server is a team PostgreSQL database (postgresql://host/database)"
        ),
        (),
    ),
    "sync.login_needed": (QT_TRANSLATE_NOOP("Errors", "A login is needed"), ()),
    "sync.not_a_replica": (QT_TRANSLATE_NOOP("Errors", "This database is not a replica"), ()),
    "sync.replica_not_sqlite": (
        QT_TRANSLATE_NOOP("Errors", "A replica is an SQLite file on this computer"),
        (),
    ),
    "sync.schema_mismatch": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server's schema is at revision %1, this program's at %2: "
            "update the one that is behind first",
        ),
        ("server", "local"),
    ),
    "sync.schema.laptop_behind": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server's database is at revision %1, newer than Touchpoint on this laptop "
            "(%2): update Touchpoint on this laptop, then sync. Nothing was sent or received.",
        ),
        ("server", "local"),
    ),
    "sync.schema.server_behind": (
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server's database is at revision %1, older than Touchpoint on this laptop "
            "(%2): the administrator updates the server first. Nothing was sent or received.",
        ),
        ("server", "local"),
    ),
    "sync.copy.cancelled": (
        QT_TRANSLATE_NOOP(
            "Errors", "The copy was stopped; the next try goes on from where it stopped"
        ),
        (),
    ),
    "sync.other_server": (
        QT_TRANSLATE_NOOP("Errors", "This file is already a replica of another server"),
        (),
    ),
    "sync.no_replica": (QT_TRANSLATE_NOOP("Errors", "There is no replica at %1"), ("path",)),
    "sync.offline": (
        QT_TRANSLATE_NOOP("Errors", "The server %1 does not answer; working offline"),
        ("server",),
    ),
}
