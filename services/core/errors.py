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


class DatabaseBusy(EnvironmentFault):
    """Another program (or window) held the database's write lock longer than
    we wait: nothing was written, and the same action later will work."""

    def __init__(self, waited_seconds: float | None = None) -> None:
        waited = f" (waited {waited_seconds:.0f} s)" if waited_seconds else ""
        super().__init__(
            "The database is busy: another program or window is writing to it"
            f"{waited}; nothing was saved, try again in a moment"
        )
        self.waited_seconds = waited_seconds
