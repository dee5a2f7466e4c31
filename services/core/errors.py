"""One base exception; ``UserError`` is everything a person can fix.

A ``UserError`` is shown as its message (CLI: one line on stderr, exit 2;
GUI: a message box) and nothing has been saved. Any other exception is a
bug: logged with its traceback and shown in a crash dialog.
"""

from __future__ import annotations


class TouchpointError(Exception):
    """Base of every error Touchpoint raises on purpose."""


class UserError(TouchpointError):
    """Bad input or a state the user can fix; the message says how."""


class NotFoundError(UserError):
    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} does not exist")
        self.kind = kind
        self.ident = ident


class ValidationError(UserError):
    """Input that breaks a rule; ``field`` names the input when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(UserError):
    """Someone else changed the record first (a stale row version)."""


class EnvironmentFault(UserError):
    """The machine's fault, not the user's input: disk full, locked file, server down."""
