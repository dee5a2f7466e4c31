"""Words for errors of scenarios: the library, runs and the runner's
reasons a step waits (shown on the step)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "scenarios.store.time_format": (
        QT_TRANSLATE_NOOP("Errors", "Time of day %1: write it as HH:MM"),
        ("text",),
    ),
    "scenarios.store.time_does_not_exist": (
        QT_TRANSLATE_NOOP("Errors", "Time of day %1 does not exist"),
        ("text",),
    ),
    "scenarios.store.someone_elses": (
        QT_TRANSLATE_NOOP(
            "Errors", "The scenario %1 is someone else's; an administrator may change it"
        ),
        ("name",),
    ),
    "scenarios.store.replica_read_only": (
        QT_TRANSLATE_NOOP(
            "Errors", "Scenarios are edited on the server; on this offline copy they are read-only"
        ),
        (),
    ),
    "scenarios.store.needs_name": (QT_TRANSLATE_NOOP("Errors", "A scenario needs a name"), ()),
    "scenarios.store.name_too_long": (
        QT_TRANSLATE_NOOP("Errors", "The name is longer than %1 characters"),
        ("max_name",),
    ),
    "scenarios.store.name_taken": (
        QT_TRANSLATE_NOOP("Errors", "A scenario named %1 already exists"),
        ("name",),
    ),
    "scenarios.store.choice": (
        QT_TRANSLATE_NOOP("Errors", "The %1 must be one of: %2"),
        ("what", "allowed"),
    ),
    "scenarios.store.step_error": (QT_TRANSLATE_NOOP("Errors", "Step %1: %2"), ("number", "exc")),
    "scenarios.store.step_delay": (
        QT_TRANSLATE_NOOP("Errors", "Step %1: the delay is 0 to %2 working days"),
        ("number", "max_delay"),
    ),
    "scenarios.store.step_time": (
        QT_TRANSLATE_NOOP("Errors", "Step %1: the time of day is 00:00 to 23:59"),
        ("number",),
    ),
    "scenarios.store.step_auto_send_letter": (
        QT_TRANSLATE_NOOP("Errors", "Step %1: only a letter can be sent automatically"),
        ("number",),
    ),
    "scenarios.store.step_template_inactive": (
        QT_TRANSLATE_NOOP("Errors", "Step %1: the template %2 is deactivated"),
        ("number", "name"),
    ),
    "scenarios.store.step_ai_needs_prompt": (
        QT_TRANSLATE_NOOP("Errors", "Step %1: an AI step needs a prompt or an AI template"),
        ("number",),
    ),
    "scenarios.store.step_auto_needs_text": (
        QT_TRANSLATE_NOOP(
            "Errors", "Step %1: a letter sent by itself needs a template or a prompt"
        ),
        ("number",),
    ),
    "scenarios.store.step_auto_needs_subject": (
        QT_TRANSLATE_NOOP("Errors", "Step %1: a letter sent by itself needs a subject"),
        ("number",),
    ),
    "scenarios.store.too_many_steps": (
        QT_TRANSLATE_NOOP("Errors", "A scenario has at most %1 steps"),
        ("max_steps",),
    ),
    "scenarios.store.no_such_step": (
        QT_TRANSLATE_NOOP("Errors", "There is no step %1; the scenario has %2"),
        ("position", "count"),
    ),
    "scenarios.store.description_too_long": (
        QT_TRANSLATE_NOOP("Errors", "The description is longer than %1 characters"),
        ("max_description",),
    ),
    "scenarios.store.changed_meanwhile": (
        QT_TRANSLATE_NOOP("Errors", "Someone else changed the scenario %1 meanwhile; reload it"),
        ("name",),
    ),
    "scenarios.runs.not_a_contact_of": (
        QT_TRANSLATE_NOOP("Errors", "%1 is not a contact person of %2"),
        ("contact", "client"),
    ),
    "scenarios.runs.not_active": (
        QT_TRANSLATE_NOOP("Errors", "The scenario %1 is not active"),
        ("name",),
    ),
    "scenarios.runs.no_steps": (
        QT_TRANSLATE_NOOP("Errors", "The scenario %1 has no steps"),
        ("name",),
    ),
    "scenarios.runs.step_cannot_move": (
        QT_TRANSLATE_NOOP("Errors", "Step %1 is %2; it can no longer be moved"),
        ("position", "state"),
    ),
    "scenarios.runs.run_ended": (
        QT_TRANSLATE_NOOP("Errors", "Run %1 is %2 already"),
        ("id", "state"),
    ),
    "scenarios.runs.not_paused": (
        QT_TRANSLATE_NOOP("Errors", "Run %1 is %2, not paused"),
        ("id", "state"),
    ),
    "scenarios.runner.starter_inactive": (
        QT_TRANSLATE_NOOP("Errors", "The user who started the run (id %1) is no longer active"),
        ("id",),
    ),
    "scenarios.runner.ai_waiting": (
        QT_TRANSLATE_NOOP("Errors", "waiting for the AI server, out of reach in this round"),
        (),
    ),
    "scenarios.runner.no_mailbox": (
        QT_TRANSLATE_NOOP("Errors", "No mailbox to send from: add one in Settings → Mail"),
        (),
    ),
    "scenarios.runner.no_address": (
        QT_TRANSLATE_NOOP("Errors", "The contact person has no email address"),
        (),
    ),
    "scenarios.runner.no_subject": (
        QT_TRANSLATE_NOOP("Errors", "The letter has no subject"),
        (),
    ),
}
