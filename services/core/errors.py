"""One base exception; ``UserError`` is everything a person can fix.

A ``UserError`` is shown as its message (CLI: one line on stderr, exit 2;
GUI: a message box) and nothing has been saved. Any other exception is a
bug: logged with its traceback and shown in a crash dialog.
"""

from __future__ import annotations

import dataclasses


class TouchpointError(Exception):
    """Base of every error Touchpoint raises on purpose."""


class UserError(TouchpointError):
    """Bad input or a state the user can fix; the message says how.

    ``code`` names the error for the window, which translates the ones users
    meet most (ui/shell/error_text.py) from ``params``; the English message
    stays for the CLI, the log and every error without a translation. The
    message never names CLI flags: the CLI adds its own hint by code."""

    code: str = ""

    def __init__(
        self, message: str = "", *, code: str | None = None, params: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, str] = dict(params or {})


class NotFoundError(UserError):
    code = "not_found"

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} does not exist", params={"kind": kind, "id": str(ident)})
        self.kind = kind
        self.ident = ident


class ValidationError(UserError):
    """Input that breaks a rule; ``field`` names the input when there is one."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        code: str | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.field = field


class ConflictError(UserError):
    """Someone else changed the record first (a stale row version)."""


class RefusedByDatabase(UserError):
    """A team database's row-level security or grants refused the write:
    the record is out of this login's sight or its role may not change it."""

    code = "core.storage.refused_by_database"

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The team database refused this change for your login: {reason}",
            params={"reason": reason},
        )


class EnvironmentFault(UserError):
    """The machine's fault, not the user's input: disk full, locked file, server down."""


class DatabaseBusy(EnvironmentFault):
    """Another program (or window) held the database's write lock longer than
    we wait: nothing was written, and the same action later will work."""

    code = "database.busy"

    def __init__(self, waited_seconds: float | None = None) -> None:
        waited = f" (waited {waited_seconds:.0f} s)" if waited_seconds else ""
        super().__init__(
            "The database is busy: another program or window is writing to it"
            f"{waited}; nothing was saved, try again in a moment"
        )
        self.waited_seconds = waited_seconds


class UntrustedCertificate(UserError):
    """The server's certificate does not chain to a trusted CA: not the
    network's fault (the user is online) but a setting to fix, usually by
    trusting the company's CA file for this account."""

    code = "mail.certificate_untrusted"


class PasswordMissing(EnvironmentFault):
    """The keyring has no password for a mailbox (a new computer, a wiped
    keyring): the user is not offline, the password has to be entered."""

    code = "mail.password_missing"


@dataclasses.dataclass(frozen=True)
class FieldConflict:
    """One field two people saved differently: the value this save brings
    (``yours``) and the one another user saved meanwhile (``theirs``)."""

    field: str
    yours: str | None
    theirs: str | None


class EditConflict(ConflictError):
    """The record changed since the version the user edited: nothing was
    saved; ``fields`` lists both values of each field the two saves set
    differently, ``current_version`` is the version to save against once
    the user has chosen."""

    code = "core.edit_conflict"

    def __init__(
        self, kind: str, ident: int, fields: tuple[FieldConflict, ...], current_version: int
    ) -> None:
        listing = "; ".join(
            f"{f.field}: yours {f.yours or '—'!r}, saved {f.theirs or '—'!r}" for f in fields
        )
        super().__init__(
            f"Someone else changed {kind} {ident} meanwhile ({listing or 'other fields'}); "
            "nothing was saved: choose which values to keep and save again",
            params={"kind": kind, "id": str(ident), "fields": listing or "—"},
        )
        self.kind, self.ident = kind, ident
        self.fields = fields
        self.current_version = current_version
