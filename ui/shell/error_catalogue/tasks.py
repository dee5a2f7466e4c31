"""Words for errors of editing, reopening and removing a task or a note."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "interactions.tasks.title_too_long": (
        QT_TRANSLATE_NOOP("Errors", "A task's title is longer than %1 characters (%2)"),
        ("limit", "length"),
    ),
    "interactions.tasks.title_control_character": (
        QT_TRANSLATE_NOOP("Errors", "A task's title contains a control character (U+%1)"),
        ("char",),
    ),
    "interactions.tasks.deadline_naive": (
        QT_TRANSLATE_NOOP("Errors", "A task's deadline needs its time zone"),
        (),
    ),
    "interactions.tasks.deadline_and_none": (
        QT_TRANSLATE_NOOP("Errors", "A deadline and no deadline exclude each other"),
        (),
    ),
    "interactions.tasks.not_done": (
        QT_TRANSLATE_NOOP("Errors", "Task %1 is not done"),
        ("task_id",),
    ),
    "interactions.notes.body_too_long": (
        QT_TRANSLATE_NOOP("Errors", "A note is longer than %1 characters (%2)"),
        ("limit", "length"),
    ),
    "interactions.notes.body_control_character": (
        QT_TRANSLATE_NOOP("Errors", "A note contains a control character (U+%1)"),
        ("char",),
    ),
    "interactions.note_edits.someone_elses": (
        QT_TRANSLATE_NOOP(
            "Errors", "Note %1 is a colleague's; its author or an administrator may change it"
        ),
        ("note_id",),
    ),
}
