"""Validation hints of the interaction dialog: which field a service error
belongs to, the start-time checks the form can make by itself, and putting
each problem under its field. The wording stays in the dialog."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ui.widgets.hints import FieldHint

# Service field names -> the dialog's field keys.
FIELD_KEYS = {
    "type": "type",
    "start": "start",
    "timezone": "start",
    "owner": "owner",
    "client": "party",
    "lead": "party",
    "deal": "deal",
    "contacts": "contacts",
    "subject": "subject",
    "body": "body",
}

# field -> (level, message); "error" and "info" block saving, "warning" does not.
Problems = dict[str, tuple[str, str]]
BLOCKING_LEVELS = ("error", "info")


def start_time_problem(
    instant: dt.datetime, planned: bool, now: dt.datetime
) -> Literal["passed", "future"] | None:
    """A planned time already gone, or a logged one still to come."""
    if planned and instant < now - dt.timedelta(minutes=1):
        return "passed"
    if not planned and instant > now + dt.timedelta(minutes=5):
        return "future"
    return None


def show_problems(
    hints: dict[str, FieldHint], server_errors: dict[str, str], problems: Problems
) -> None:
    """The service's word first, then the form's own, else a clear line."""
    for key, hint in hints.items():
        if key in server_errors:
            hint.show_error(server_errors[key])
        elif key in problems:
            level, text = problems[key]
            {"error": hint.show_error, "warning": hint.show_warning, "info": hint.show_info}[level](
                text
            )
        else:
            hint.clear_hint()


def blocks_saving(problems: Problems) -> bool:
    return any(level in BLOCKING_LEVELS for level, _ in problems.values())
