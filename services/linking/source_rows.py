"""This machine's letter and call rows follow an interaction that another
machine removed or made for them (issue #20).

Letters and calls are imported per machine: the same letter is a
``mail_messages`` row on the team server and another on a laptop, while the
interaction it sits on is one record everywhere, named by its
``(source_kind, source_key)``. When a letter or call is unlinked or moved by
hand on one machine (``manual.drop_interaction`` removes its interaction; a
move makes a new one with the same source), the other machine's rows must
follow, or its linking job would put the letter back where it was:

- ``unlinked_by_hand``: before the interaction goes, the rows pointing at it
  are marked unlinked by hand (the job then leaves them alone);
- ``follow``: an interaction that arrived for a source points this
  machine's rows of that letter or call that have no interaction at it;
  one unlinked by hand becomes linked by hand.

``owner_id`` narrows both to one user's rows (their mailboxes, their calls
and calls of nobody): on the team server a login may write only those once
they leave a card it sees (row-level security); None takes every row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, select, tuple_, update
from sqlalchemy.orm import Session

from models import CallRecord, Interaction, MailAccount, MailMessage, User

MANUAL = "manual"
MANUAL_OFF = "manual_off"


def _owned(model: Any, owner_id: int | None) -> ColumnElement[bool] | None:
    if owner_id is None:
        return None
    if model is MailMessage:
        return MailMessage.account_id.in_(
            select(MailAccount.id).where(MailAccount.user_id == owner_id)
        )
    return (CallRecord.user_id == owner_id) | CallRecord.user_id.is_(None)


def unlinked_by_hand(
    session: Session,
    interaction_ids: Sequence[int],
    reason: str,
    *,
    clear: bool,
    owner_id: int | None = None,
) -> None:
    """Mark the rows of these interactions unlinked by hand. ``clear`` also
    sets their interaction to NULL; without it the caller's delete does (the
    schema's ON DELETE SET NULL, which row-level security does not stop)."""
    if not interaction_ids:
        return
    values: dict[str, Any] = {"link_rule": MANUAL_OFF, "link_reason": reason, "link_tie": False}
    if clear:
        values["interaction_id"] = None
    for model in (MailMessage, CallRecord):
        stmt = update(model).where(model.interaction_id.in_(list(interaction_ids)))
        owned = _owned(model, owner_id)
        if owned is not None:
            stmt = stmt.where(owned)
        session.execute(stmt.values(values), execution_options={"synchronize_session": False})


def _key_of(model: Any) -> Any:
    if model is MailMessage:
        return MailMessage.message_key
    return CallRecord.source + ":" + CallRecord.call_key


SOURCES: dict[str, Any] = {"email": MailMessage, "call": CallRecord}


def follow(session: Session, interaction: Interaction, owner_id: int | None = None) -> int:
    """Point this machine's unlinked rows of the interaction's letter or
    call at it; returns how many. A row unlinked (or linked) by hand is
    linked by hand by whoever made the interaction."""
    model = SOURCES.get(interaction.source_kind or "")
    if model is None or not interaction.source_key:
        return 0
    login = session.scalar(select(User.login).where(User.id == interaction.created_by_id))
    by_hand = model.link_rule.in_((MANUAL, MANUAL_OFF))
    stmt = update(model).where(
        _key_of(model) == interaction.source_key, model.interaction_id.is_(None)
    )
    owned = _owned(model, owner_id)
    if owned is not None:
        stmt = stmt.where(owned)
    result = session.execute(
        stmt.values(
            interaction_id=interaction.id,
            link_rule=case((by_hand, MANUAL), else_=model.link_rule),
            link_reason=case(
                (by_hand, f"linked by hand by {login or 'a colleague'}"),
                else_=model.link_reason,
            ),
        ),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


Source = tuple[str, str]  # (source_kind, source_key) of an interaction
CHUNK = 300


def source_of(kind: Any, key: Any) -> Source | None:
    """The letter or call an interaction is of, or None (one made by hand)."""
    if kind in SOURCES and isinstance(key, str) and key:
        return (str(kind), key)
    return None


def held(session: Session, sources: Collection[Source]) -> dict[Source, tuple[int, str]]:
    """The interactions here of these letters and calls: source -> (id, uid)."""
    wanted = sorted(sources)
    out: dict[Source, tuple[int, str]] = {}
    for start in range(0, len(wanted), CHUNK):
        for r in session.execute(
            select(
                Interaction.source_kind, Interaction.source_key, Interaction.id, Interaction.uid
            ).where(
                tuple_(Interaction.source_kind, Interaction.source_key).in_(
                    wanted[start : start + CHUNK]
                )
            )
        ):
            out[(r.source_kind, r.source_key)] = (r.id, r.uid)
    return out


def waiting(session: Session, sources: Collection[Source]) -> set[Source]:
    """Which of these letters and calls have a row here with no interaction
    (two queries for a pulled batch, not two for each interaction)."""
    out: set[Source] = set()
    for kind, model in SOURCES.items():
        keys = sorted(k for s, k in sources if s == kind)
        for start in range(0, len(keys), CHUNK):
            key = _key_of(model)
            out |= {
                (kind, found)
                for found in session.scalars(
                    select(key).where(
                        model.interaction_id.is_(None), key.in_(keys[start : start + CHUNK])
                    )
                )
            }
    return out
