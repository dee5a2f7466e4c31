"""A deputy period set on a laptop replica reaches the server (issue #20).

``deputies`` rows have no uid and no change feed; the server's periods of
the login (those it stands in for and those it is absent for) come down
whole at every sync (services/sync/grants.py). A period set on the laptop
("Boris stands in for me until the 20th") was therefore replaced at the
next sync and never reached the server. It is logged now as an event of
the kind ``deputy``, named ``"<absent colleague's uid>:<deputy's uid>"``,
``*created`` with the end (a later one of the same pair replaces it, as the
use case does). The deputy use case (services/parties/transfers.py) calls
``record_deputy`` in its unit of work.

On the server the event is applied through that same use case under the
user's own login (``apply_deputy``): only the absent colleague sets their
own deputy, an administrator anyone's; the deputy must be an active
colleague other than the absent one; the end must lie within a year of the
server's now. Row-level security (a login writes only its own periods)
decides as well. Anything else refuses the action with the use case's own
error, listed with the refused changes by the deputy's name, and the pull
that follows puts the server's periods back on the laptop.

An end (``services/parties/deputies.py``, the period deleted before its
time) is logged the same way as a ``*tombstone`` of the pair and applied on
the server through the same use case under the user's login: the absent
colleague, the deputy or an administrator ends it; a pair the server no
longer has is ended already and nothing happens.

Pushing was chosen over refusing periods offline: the server's rules judge
a period completely from what the event carries (who, whom, until), so the
laptop needs no rule of its own, and a manager leaving for a week can name
a stand-in from the road. No clock: the last period pushed for a pair wins.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Deputy, User
from models.sync import SyncLog
from services.core.access import Actor
from services.core.storage import UnitOfWork
from services.sync.apply_rows import Pushed, Refused
from services.sync.log import (
    APPLYING,
    CREATED,
    TOMBSTONE,
    log_one,
    node_state,
    writes_logged,
)
from services.sync.tables import Translator

DEPUTY = "deputy"
Pair = tuple[str, str]  # absent colleague's uid, deputy's uid


def split(uid: str) -> Pair | None:
    """The two parts of a period's name; None for anything else."""
    parts = uid.split(":")
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


def record_deputy(session: Session, absent_id: int, deputy_id: int, until: dt.datetime) -> None:
    """Log a period the use case just wrote, on a replica only."""
    _record(session, absent_id, deputy_id, CREATED, {"until": until.isoformat()})


def record_end(session: Session, absent_id: int, deputy_id: int) -> None:
    """Log a period the end use case just deleted, on a replica only."""
    _record(session, absent_id, deputy_id, TOMBSTONE, {})


def _record(
    session: Session, absent_id: int, deputy_id: int, field: str, extra: dict[str, str]
) -> None:
    if session.info.get(APPLYING) or not writes_logged(session):
        return
    if session.get_bind().dialect.name == "postgresql":
        return  # the server's periods are the server's: nothing to push
    state = node_state(session)
    node = state.get("node")
    tr = Translator(session)
    absent_uid, deputy_uid = tr.uid("user", absent_id), tr.uid("user", deputy_id)
    if not node or absent_uid is None or deputy_uid is None:
        return
    name = session.scalar(select(User.full_name).where(User.id == deputy_id)) or ""
    value = json.dumps(
        {"absent": absent_uid, "deputy": deputy_uid, **extra, "full_name": name},
        ensure_ascii=False,
    )
    log_one(session, state, DEPUTY, f"{absent_uid}:{deputy_uid}", field, value)


def _until(value: str | None) -> dt.datetime | None:
    try:
        found = json.loads(value) if value else {}
        until = dt.datetime.fromisoformat(str(found.get("until", "")))
    except (ValueError, AttributeError):
        return None
    return until if until.tzinfo is not None else None


def apply_deputy(uow: UnitOfWork, actor: Actor, tr: Translator, row: Pushed) -> None:
    """A pushed period or end, through the deputy use cases under the user's login."""
    from services.parties import deputies, transfers

    pair = split(row.uid)
    until = _until(row.value)
    ended = row.field == TOMBSTONE
    if pair is None or not (ended or (row.field == CREATED and until is not None)):
        raise Refused(f"{DEPUTY} records are not changed from a laptop", code="sync.apply.kind")
    absent_id, deputy_id = tr.local_id("user", pair[0]), tr.local_id("user", pair[1])
    if absent_id is None or deputy_id is None:  # users come down from the server
        raise Refused(
            "The record names another that is not on the server or not yours to see",
            code="sync.apply.missing_reference",
        )
    if ended:
        found = uow.session.scalar(
            select(Deputy.id).where(Deputy.absent_id == absent_id, Deputy.deputy_id == deputy_id)
        )
        if found is not None:  # else it is over on the server already
            deputies.end_in(uow, actor, found)
        return
    assert until is not None
    transfers.set_in(uow, actor, deputy_id, until, absent=absent_id)


def waiting(session: Session) -> set[Pair]:
    """Periods set on this laptop and not pushed yet: a pull leaves them."""
    out: set[Pair] = set()
    for (uid,) in session.execute(
        select(SyncLog.uid).where(SyncLog.kind == DEPUTY, SyncLog.state == "pending")
    ):
        pair = split(uid)
        if pair is not None:
            out.add(pair)
    return out
