"""The window's words for the service errors users meet most.

Services raise a ``UserError`` with an English message (for the CLI and the
log), a ``code`` and ``params``; here a code becomes a translated sentence
with the params filled in. An error without a code, or with one not listed,
shows its English message, which still never names CLI flags."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from services.core.errors import UserError

CONTEXT = "Errors"

# code -> English source of the translation; %1, %2 ... are the params named
# in PARAMS, in that order.
CATALOGUE: dict[str, object] = {  # QT_TRANSLATE_NOOP is typed as object
    "deal.next_step_required": QT_TRANSLATE_NOOP(
        "Errors",
        "Deal “%1” must always have a planned interaction: plan the next one first.",
    ),
    "not_found": QT_TRANSLATE_NOOP(
        "Errors", "This record no longer exists (someone may have deleted it)."
    ),
    "mail.certificate_untrusted": QT_TRANSLATE_NOOP(
        "Errors",
        "The certificate of %1 is not trusted (%2). If your company uses its own "
        "certificate authority, choose its CA file in the mailbox settings.",
    ),
    "mail.login_refused": QT_TRANSLATE_NOOP(
        "Errors", "%2 refused the login %1: enter the password again."
    ),
    "mail.password_missing": QT_TRANSLATE_NOOP(
        "Errors", "No %1 password is saved for this mailbox on this computer: enter it again."
    ),
    "database.busy": QT_TRANSLATE_NOOP(
        "Errors", "The database is busy with another program. Nothing was saved; try again."
    ),
}
PARAMS: dict[str, tuple[str, ...]] = {
    "deal.next_step_required": ("deal",),
    "not_found": (),
    "mail.certificate_untrusted": ("server", "reason"),
    "mail.login_refused": ("login", "server"),
    "mail.password_missing": ("which",),
    "database.busy": (),
}


def message(exc: BaseException) -> str:
    """What the window shows for ``exc``: translated when its code is known."""
    code = getattr(exc, "code", "") if isinstance(exc, UserError) else ""
    source = CATALOGUE.get(code)
    if source is None:
        return str(exc)
    assert isinstance(exc, UserError)
    text = QCoreApplication.translate(CONTEXT, str(source))
    for number, name in enumerate(PARAMS.get(code, ()), start=1):
        text = text.replace(f"%{number}", exc.params.get(name, ""))
    return text
