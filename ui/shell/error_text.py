"""The window's words for service errors.

Services raise a ``UserError`` with an English message (for the CLI and the
log), a ``code`` and ``params``; here a code becomes a translated sentence
with the params filled in, and a param that is one of the services' own
English words (a field's name, a kind of card, why a phone number is wrong)
is translated too. An error without a code, or with one not listed, shows
its English message, which still never names CLI flags."""

from __future__ import annotations

import ast
import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from services.core.errors import UserError
from ui.shell.error_catalogue import ENTRIES
from ui.widgets.plain import QUOTES, quoted

CONTEXT = "Errors"

# code -> English source of the translation; %1, %2 ... are the params named
# in PARAMS, in that order.
CATALOGUE: dict[str, object] = {  # QT_TRANSLATE_NOOP is typed as object
    "deal.next_step_required": QT_TRANSLATE_NOOP(
        "Errors",
        "Deal %1 must always have a planned interaction: plan the next one first.",
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

CATALOGUE.update({code: source for code, (source, _names) in ENTRIES.items()})
PARAMS.update({code: names for code, (_source, names) in ENTRIES.items()})
WORDS_CONTEXT = "ErrorWords"
# params that carry the services' own English words (ui/shell/error_catalogue/words.py)
WORD_PARAMS = frozenset(
    {
        "what",
        "kind",
        "kinds",
        "reason",
        "state",
        "allowed",
        "doing",
        "value_type",
        "card_kind",
        "action",
    }
)

# params that carry a name from outside (a deal's title): put in the window's
# quotes once by ``quoted`` (a title with quotes of its own is left as it is),
# so the sentence has none around its %N and the English one is worded here
# too, not the service's, which quotes the title as Python does ('Acme').
NAME_PARAMS = frozenset({"deal"})


def _unrepr(value: str) -> str | None:
    """The text inside a param a service wrote as Python's repr of a string
    ("'info@romashka'", for its English sentence); None for any other."""
    if len(value) < 2 or value[0] not in "'\"" or value[-1] != value[0]:
        return None
    try:
        inner = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return None
    return inner if isinstance(inner, str) else None


def message(exc: BaseException) -> str:
    """What the window shows for ``exc``: translated when its code is known."""
    code = getattr(exc, "code", "") if isinstance(exc, UserError) else ""
    source = CATALOGUE.get(code)
    if source is None:
        return str(exc)
    assert isinstance(exc, UserError)
    translated = QCoreApplication.translate(CONTEXT, str(source))
    if translated == str(source) and not NAME_PARAMS.intersection(PARAMS.get(code, ())):
        return str(exc)  # English: the service's own sentence says the most
    return worded(code, exc.params) or str(exc)


def worded(code: str, params: dict[str, str]) -> str | None:
    """The catalogue's sentence for ``code`` in the window's language with
    ``params`` filled in, English too (a caller that put its own words in the
    params: a record's name for a server's id); None for an unknown code."""
    source = CATALOGUE.get(code)
    if source is None:
        return None
    names = PARAMS.get(code, ())
    if any(name not in params for name in names):
        return None  # stored before its sentence named these (a laptop's old refusal)

    def param(match: re.Match[str]) -> str:
        number = int(match[1])
        if not 1 <= number <= len(names):
            return match[0]
        value = params.get(names[number - 1], "")
        if names[number - 1] in WORD_PARAMS:
            return QCoreApplication.translate(WORDS_CONTEXT, value)
        # Python's quotes ('info@romashka') become the window's, once: none
        # added where the sentence quotes the param itself («%1»)
        inner = _unrepr(value)
        if inner is None and names[number - 1] not in NAME_PARAMS:
            return value
        text = value if inner is None else inner
        before = translated[match.start() - 1] if match.start() else ""
        return text if before in QUOTES else quoted(text)

    translated = QCoreApplication.translate(CONTEXT, str(source))
    # one pass: a "%2" inside a param (a client's name) stays as typed
    return re.sub(r"%(\d)", param, translated)
