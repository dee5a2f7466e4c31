"""Words for what a replica's push and its conflicts refuse."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "sync.apply.kind": (
        QT_TRANSLATE_NOOP("Errors", "These records are not changed from a laptop"),
        (),
    ),
    "sync.apply.removed": (
        QT_TRANSLATE_NOOP("Errors", "The record was removed on the server"),
        (),
    ),
    "sync.apply.moved_meanwhile": (
        QT_TRANSLATE_NOOP(
            "Errors", "The letter or call was put on another card on the server after this change"
        ),
        (),
    ),
    "sync.apply.held_elsewhere": (
        QT_TRANSLATE_NOOP(
            "Errors", "The server has this letter or call on a colleague's card you cannot see"
        ),
        (),
    ),
    "sync.apply.not_found": (
        QT_TRANSLATE_NOOP("Errors", "The record is not on the server or not yours to change"),
        (),
    ),
    "sync.apply.missing_reference": (
        QT_TRANSLATE_NOOP(
            "Errors", "The record names another that is not on the server or not yours to see"
        ),
        (),
    ),
    "sync.apply.unknown_field": (
        QT_TRANSLATE_NOOP("Errors", "The server has no field %1"),
        ("field",),
    ),
    "sync.apply.required": (
        QT_TRANSLATE_NOOP("Errors", "The field %1 may not be empty"),
        ("field",),
    ),
    "sync.apply.too_long": (
        QT_TRANSLATE_NOOP("Errors", "The field %1 is longer than %2 characters"),
        ("field", "limit"),
    ),
    "sync.apply.template_author": (
        QT_TRANSLATE_NOOP("Errors", "Only its author or an administrator may change a template"),
        (),
    ),
    "sync.apply.note_author": (
        QT_TRANSLATE_NOOP(
            "Errors", "A new note is signed by its writer: this one names a colleague as its author"
        ),
        (),
    ),
    "sync.apply.note_resigned": (
        QT_TRANSLATE_NOOP("Errors", "A note's author is not changed from a laptop"),
        (),
    ),
    "sync.apply.refused": (
        QT_TRANSLATE_NOOP("Errors", "The server refused the change: %1"),
        ("detail",),
    ),
    "sync.apply.database": (
        QT_TRANSLATE_NOOP("Errors", "The server's database refused the change"),
        (),
    ),
    # the database's own refusal by its class (services/sync/db_refusal.py)
    "sync.apply.db_unique": (
        QT_TRANSLATE_NOOP("Errors", "The server already has a record with the same value"),
        (),
    ),
    "sync.apply.db_check": (
        QT_TRANSLATE_NOOP("Errors", "The server's database does not accept this value"),
        (),
    ),
    "sync.apply.db_foreign_key": (
        QT_TRANSLATE_NOOP("Errors", "The change names a record that is no longer on the server"),
        (),
    ),
    "sync.apply.db_required": (
        QT_TRANSLATE_NOOP("Errors", "A required field is empty"),
        (),
    ),
    "sync.apply.db_permission": (
        QT_TRANSLATE_NOOP(
            "Errors", "The team database refused this change: your login is not allowed to make it"
        ),
        (),
    ),
    "sync.apply.db_serialization": (
        QT_TRANSLATE_NOOP(
            "Errors", "A colleague changed the same records at the same moment; sync again"
        ),
        (),
    ),
    "sync.pull.gone": (
        QT_TRANSLATE_NOOP("Errors", "The record is no longer visible to you on the server"),
        (),
    ),
    "sync.push.not_replica": (
        QT_TRANSLATE_NOOP(
            "Errors", "This database is not a laptop replica: there is nothing to push"
        ),
        (),
    ),
    "sync.conflicts.bad_choice": (
        QT_TRANSLATE_NOOP("Errors", "Keep 'mine' or 'theirs'"),
        (),
    ),
}
