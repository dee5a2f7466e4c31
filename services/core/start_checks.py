"""What every start asks before it does anything: is there first-start data
to create, is an import run left behind. Core statements over
``models.light``: the answer is almost always "no", and a CLI call must not
import the ORM to hear it (issue #16). ``bootstrap.ensure_initial_data`` and
``import_runs.sweep`` ask here first, so the quick path and the full start
cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from models import light

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session


def has_users(reads: Connection | Session) -> bool:
    """False only for a new database (before ``ensure_initial_data``)."""
    return reads.scalar(select(light.users.c.id).limit(1)) is not None


def running_imports(reads: Connection | Session) -> list[Any]:
    """(id, pid, host, started_at) of the import runs not finished: a killed
    import's leftovers for ``import_runs.sweep`` to undo, or one going on."""
    runs = light.import_runs.c
    query = select(runs.id, runs.pid, runs.host, runs.started_at).where(runs.state == "running")
    return list(reads.execute(query).all())


def nothing_to_do(conn: Connection) -> bool:
    """The start's own work (first-start data, an import's leftovers) is
    done: the usual answer, and the one the quick CLI path needs."""
    return has_users(conn) and not running_imports(conn)
