"""A client or lead shared (or no longer shared) on a laptop replica reaches
the server (issue #20).

``party_shares`` rows have no uid, no fields and no change feed, and the
server's copy comes down whole at every sync (services/sync/grants.py). A
share made on the laptop is therefore logged as an event of the kind
``party_share``, named ``"<client|lead>:<card uid>:<colleague uid>"``:
``*created`` shares, ``*tombstone`` stops sharing. The share use case
(services/parties/shares.py) calls ``record_share`` in its unit of work.

On the server the event is applied through that same use case under the
user's own login (``apply_share``): only the card's owner side may share
it, with an active colleague who is not its owner; anything else refuses
the action with the use case's own error, listed with the refused changes.
The laptop does not put a refused share back itself: the pull that follows
the push replaces its shares with the server's, keeping only those still
waiting to be pushed (``waiting``).

A share has no clock of its own: whichever side wrote last to the server
decides (a laptop pushing a share a colleague withdrew meanwhile shares it
again), as for an interaction's contact persons.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.sync import SyncLog
from services.core.access import Actor
from services.core.storage import UnitOfWork
from services.sync import tables
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

SHARE = "party_share"
CARDS = ("client", "lead")
ShareKey = tuple[str, str, str]  # card kind, card uid, colleague uid


def uid_of(card_kind: str, card_uid: str, user_uid: str) -> str:
    return f"{card_kind}:{card_uid}:{user_uid}"


def split(uid: str) -> ShareKey | None:
    """The three parts of a share's name; None for anything else."""
    parts = uid.split(":")
    if len(parts) != 3 or parts[0] not in CARDS or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def record_share(session: Session, card_kind: str, card_id: int, user_id: int, on: bool) -> None:
    """Log a share the use case just wrote (or withdrew), on a replica only."""
    if session.info.get(APPLYING) or not writes_logged(session):
        return
    if session.get_bind().dialect.name == "postgresql":
        return  # the server's shares are the server's: nothing to push
    state = node_state(session)
    node = state.get("node")
    tr = Translator(session)
    card_uid, user_uid = tr.uid(card_kind, card_id), tr.uid("user", user_id)
    if not node or card_uid is None or user_uid is None:
        return
    uid = uid_of(card_kind, card_uid, user_uid)
    value = json.dumps({"card": card_kind, "card_uid": card_uid, "user": user_uid})
    log_one(session, state, SHARE, uid, CREATED if on else TOMBSTONE, value if on else None)


def apply_share(uow: UnitOfWork, actor: Actor, tr: Translator, row: Pushed) -> None:
    """A pushed share, through the share use case under the user's login."""
    from services.parties import shares

    key = split(row.uid)
    if key is None or row.field not in (CREATED, TOMBSTONE):
        raise Refused(f"{SHARE} records are not changed from a laptop", code="sync.apply.kind")
    card_kind, card_uid, user_uid = key
    card_id = tr.local_id(card_kind, card_uid)
    if card_id is None:
        raise Refused(
            f"The {card_kind} is not on the server or not yours to change",
            code="sync.apply.not_found",
            params={"kind": card_kind},
        )
    user_id = tr.local_id("user", user_uid)
    if user_id is None:  # users come down from the server: one it lacks is not a colleague
        raise Refused(
            "The record names another that is not on the server or not yours to see",
            code="sync.apply.missing_reference",
        )
    # the owner's side only, an active colleague, not the owner: the use case's rules
    shares.set_in(uow, actor, card_kind, card_id, user_id, row.field == CREATED)


def card_of(tr: Translator, uid: str) -> Any | None:
    """The card a share is of, as this database holds it (a refusal names it)."""
    key = split(uid)
    return None if key is None else tables.find(tr, key[0], key[1])


def waiting(session: Session) -> dict[ShareKey, bool]:
    """Shares made (True) or withdrawn (False) on this laptop and not pushed
    yet, the last word per share: a pull leaves them as the laptop has them."""
    out: dict[ShareKey, bool] = {}
    for uid, field in session.execute(
        select(SyncLog.uid, SyncLog.field)
        .where(SyncLog.kind == SHARE, SyncLog.state == "pending")
        .order_by(SyncLog.seq)
    ):
        key = split(uid)
        if key is not None:
            out[key] = field == CREATED
    return out
