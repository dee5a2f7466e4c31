"""The server database's own refusal of a pushed change, as a class a person
reads (#20).

PostgreSQL says why in English with its own names (constraint, table,
policy): a Russian sentence with that text inside means nothing to a field
manager. A refusal is therefore stored with the code of its class (a
duplicate, a rule of the table, a record named that is gone, a required
field, row-level security or a grant, a clash with a concurrent change) and
the window words the class in its language; the driver's text goes to the
log only. Refusals stored before, with the text as their ``detail``, are
classed from that text when shown.
"""

from __future__ import annotations

import logging

from services.core.errors import RefusedByDatabase

log = logging.getLogger(__name__)

UNIQUE = "sync.apply.db_unique"
CHECK = "sync.apply.db_check"
FOREIGN_KEY = "sync.apply.db_foreign_key"
NOT_NULL = "sync.apply.db_required"
PERMISSION = "sync.apply.db_permission"
SERIALIZATION = "sync.apply.db_serialization"
OTHER = "sync.apply.database"
MAX_HOPS = 4  # causes followed looking for the driver's SQLSTATE
# the codes whose params carry the driver's text (stored before the classes)
RAW = frozenset({OTHER, "core.storage.refused_by_database"})

SQLSTATE = {
    "23505": UNIQUE,
    "23514": CHECK,
    "23503": FOREIGN_KEY,
    "23502": NOT_NULL,
    "42501": PERMISSION,
    "40001": SERIALIZATION,
    "40P01": SERIALIZATION,
}
# PostgreSQL's and SQLite's words for each class, for a text without a state
WORDS = (
    (UNIQUE, ("duplicate key", "unique constraint")),
    (CHECK, ("check constraint",)),
    (FOREIGN_KEY, ("foreign key",)),
    (NOT_NULL, ("not-null", "not null constraint")),
    (PERMISSION, ("row-level security", "permission denied", "refused this change for your login")),
    (SERIALIZATION, ("could not serialize", "deadlock detected")),
)
SENTENCES = {
    UNIQUE: "The server already has a record with the same value",
    CHECK: "The server's database does not accept this value",
    FOREIGN_KEY: "The change names a record that is no longer on the server",
    NOT_NULL: "A required field is empty",
    PERMISSION: "The team database refused this change: your login is not allowed to make it",
    SERIALIZATION: "A colleague changed the same records at the same moment; sync again",
    OTHER: "The server's database refused the change",
}


def classify(sqlstate: str | None, text: str) -> str:
    """The class of a database refusal, by its SQLSTATE, else by its words."""
    found = SQLSTATE.get(sqlstate or "")
    if found is not None:
        return found
    lowered = text.lower()
    for code, words in WORDS:
        if any(word in lowered for word in words):
            return code
    return OTHER


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE anywhere on ``exc``'s chain: SQLAlchemy re-raises a
    ``handle_error`` hook's own exception (``RefusedByDatabase``) from the
    driver's error, so the state sits on its ``__cause__``, not an ``orig``."""
    seen: BaseException | None = exc
    for _ in range(MAX_HOPS):
        if seen is None:
            return None
        for candidate in (seen, getattr(seen, "orig", None)):
            state = getattr(candidate, "sqlstate", None)
            if isinstance(state, str) and state:
                return state
        seen = seen.__cause__ or seen.__context__
    return None


def refused(exc: BaseException) -> tuple[str, str]:
    """(code, English sentence) of the database's refusal ``exc``; its own
    text is logged, never said. ``RefusedByDatabase`` is a 42501 (a policy,
    a grant or a trigger's insufficient_privilege) whatever its chain kept."""
    orig = getattr(exc, "orig", None)
    cause = exc.__cause__
    if orig is None and cause is not None:  # RefusedByDatabase, raised from the driver's error
        orig = getattr(cause, "orig", None) or cause
    detail = " ".join(str(orig if orig is not None else exc).split())[:300]
    state = "42501" if isinstance(exc, RefusedByDatabase) else _sqlstate(exc)
    code = classify(state, detail)
    log.warning("The server's database refused a pushed change (%s): %s", code, detail)
    return code, SENTENCES[code]
