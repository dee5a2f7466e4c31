"""The linking job's pass over letters: every letter that names a card's
address is placed by the owner rule (``rule``); letters placed before are
re-ranked when the owners of their addresses changed. Letters linked or
unlinked by hand are left alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Integer, Table, and_, bindparam, select, update

from models import ContactPoint, Interaction, MailAccount, MailAddress, MailMessage
from models.ids import new_uid
from services.core import prepared, timezones
from services.core.storage import UnitOfWork
from services.interactions.interaction_input import search_text
from services.linking import bulk, letter_bulk, placement, rule, staging

_MESSAGES = cast(Table, MailMessage.__table__)
_LINK_LETTER = (
    update(_MESSAGES)
    .where(_MESSAGES.c.id == bindparam("item"))
    .values(
        interaction_id=bindparam("interaction_id"),
        direction=bindparam("direction"),
        link_rule="auto",
        link_reason=bindparam("link_reason"),
        link_tie=bindparam("link_tie"),
        body_state=bindparam("body_state"),
    )
)

_LETTER_FIXED = {"link_rule": "auto"}  # what _LINK_LETTER sets besides its parameters
# Letters the rule may (re)place: never those linked or unlinked by hand.
_BY_RULE = MailMessage.link_rule.is_(None) | (MailMessage.link_rule == "auto")


@dataclasses.dataclass
class LetterTally:
    linked: int = 0
    moved: int = 0
    ties: int = 0
    # the cards moved items left: their feeds changed too
    left: set[tuple[str, int]] = dataclasses.field(default_factory=set)


def own_addresses(uow: UnitOfWork) -> dict[int, frozenset[str]]:
    """Each mailbox's own addresses (read once per chunk: compiled once)."""
    statement = prepared.prepared(prepared.dialect_of(uow), "link.own", _accounts)
    return {
        account: rule.own_addresses(email, aliases)
        for account, email, aliases in statement.rows(uow, {}, autoflush=True)
    }


def _accounts() -> Any:
    return select(MailAccount.id, MailAccount.email, MailAccount.aliases)


def considered(
    uow: UnitOfWork, values: Sequence[str] | None, placed_after: int | None
) -> list[int]:
    """Letters that name some card's address; with ``placed_after``, letters
    already on a card only when newer than that id (the owners did not
    change since they were placed). Letters linked or unlinked by hand may
    be among them: each chunk leaves them out (it must anyway, for those
    linked by hand after this choice), so a full run does not look every
    letter up twice. On SQLite one statement compiled once per shape, the
    values as a JSON list (10,000 ids: ~11 -> ~6 ms)."""
    params: dict[str, Any] = {} if placed_after is None else {"placed_after": placed_after}
    placed = placed_after is not None
    dialect = prepared.dialect_of(uow)
    if dialect.name == "sqlite":
        if values is not None:
            params["values"] = json.dumps(list(values))
        statement = prepared.prepared(
            dialect,
            ("link.letters", values is None, placed),
            lambda: _considered(
                None if values is None else MailAddress.address.in_(rule.json_list("values")),
                placed=placed,
            ),
        )
        return [mid for (mid,) in statement.rows(uow, params, autoflush=True)]
    named = None if values is None else MailAddress.address.in_(list(values))
    return list(uow.session.scalars(_considered(named, placed=placed), params))


def _considered(named: Any, *, placed: bool) -> Any:
    query = (
        select(MailAddress.message_id)
        .join(
            ContactPoint,
            and_(ContactPoint.kind == "email", ContactPoint.normalized == MailAddress.address),
        )
        .distinct()
        .order_by(MailAddress.message_id)
    )
    if named is not None:
        query = query.where(named)
    if placed:
        newer = MailMessage.id > bindparam("placed_after", type_=Integer)
        query = query.join(MailMessage, MailMessage.id == MailAddress.message_id).where(
            _BY_RULE, MailMessage.interaction_id.is_(None) | newer
        )
    return query


def run_chunk(
    uow: UnitOfWork, ids: list[int], zone: str, now: dt.datetime, tally: LetterTally
) -> None:
    """Place the letters IDS (a chunk of ``considered``): in a few
    set-based statements (``letter_bulk``; SQLite and PostgreSQL), elsewhere
    row by row."""
    own = own_addresses(uow)
    if not bulk.set_based(uow.session):
        _run_chunk(uow, ids, own, zone, now, tally)
        return
    linked, ties, placed = letter_bulk.run_chunk(uow, ids, own, zone, now)
    tally.linked += linked
    tally.ties += ties
    _rerank(uow, letter_bulk.placed_rows(placed), now, tally)


def _run_chunk(
    uow: UnitOfWork,
    ids: list[int],
    own: dict[int, frozenset[str]],
    zone: str,
    now: dt.datetime,
    tally: LetterTally,
) -> None:
    session = uow.session
    letters = session.execute(
        select(
            MailMessage.id,
            MailMessage.account_id,
            MailMessage.from_addr,
            MailMessage.interaction_id,
            MailMessage.subject,
            MailMessage.sent_at,
            MailMessage.message_key,
            MailMessage.link_reason,
            MailMessage.link_tie,
            MailMessage.body_state,
            MailAccount.user_id,
        )
        .join(MailAccount, MailAccount.id == MailMessage.account_id)
        .where(MailMessage.id.in_(ids), _BY_RULE)
        .order_by(MailMessage.id)
    ).all()
    addresses: dict[int, list[tuple[str, str]]] = {}
    for mid, role, address in session.execute(
        select(MailAddress.message_id, MailAddress.role, MailAddress.address).where(
            MailAddress.message_id.in_(ids)
        )
    ):
        addresses.setdefault(mid, []).append((role, address))
    plans: list[tuple[Any, str, list[str]]] = []
    for letter in letters:
        mine = own.get(letter.account_id, frozenset())
        direction = rule.direction(letter.from_addr, mine)
        values = rule.counted(direction, addresses.get(letter.id, ()), mine)
        plans.append((letter, direction, values))
    candidates = rule.candidates_of(uow, "email", {v for _l, _d, vs in plans for v in vs})
    fresh: list[tuple[Any, str, rule.Decision]] = []
    placed: list[tuple[Any, str, rule.Decision]] = []
    decided: dict[tuple[str, ...], rule.Decision | None] = {}  # letters share their addresses
    for letter, direction, values in plans:
        key = tuple(values)
        if key not in decided:
            decided[key] = rule.decide(values, candidates)
        decision = decided[key]
        if decision is None:
            continue  # no card names it any more: it stays where it is
        (fresh if letter.interaction_id is None else placed).append((letter, direction, decision))
    _link_fresh(uow, fresh, zone, now, tally)
    _rerank(uow, placed, now, tally)


def _link_fresh(
    uow: UnitOfWork,
    fresh: list[tuple[Any, str, rule.Decision]],
    zone: str,
    now: dt.datetime,
    tally: LetterTally,
) -> None:
    if not fresh:
        return
    session = uow.session
    # Letters that another account already made an interaction of.
    existing = dict(
        session.execute(
            select(Interaction.source_key, Interaction.id).where(
                Interaction.source_kind == "email",
                Interaction.source_key.in_({r.message_key for r, _d, _x in fresh}),
            )
        ).all()
    )
    new: dict[str, dict[str, Any]] = {}
    for r, direction, decision in fresh:
        if r.message_key not in existing and r.message_key not in new:
            new[r.message_key] = _interaction_row(r, direction, decision, zone, now)
    ids = placement.insert_interactions(session, list(new.values()))
    by_key = dict(zip(new, ids, strict=True)) | existing
    staging.update_by_id(
        session,
        _LINK_LETTER,
        _MESSAGES,
        [
            {
                "item": r.id,
                "interaction_id": by_key[r.message_key],
                "direction": direction,
                "link_reason": decision.reason(),
                "link_tie": decision.tie,
                "body_state": "pending" if r.body_state in ("none", "skipped") else r.body_state,
            }
            for r, direction, decision in fresh
        ],
        _LETTER_FIXED,
    )
    placement.set_contacts(
        session, {by_key[r.message_key]: decision.contact_ids for r, _d, decision in fresh}
    )
    tally.linked += len(fresh)
    tally.ties += sum(1 for _r, _d, decision in fresh if decision.tie)


def _rerank(
    uow: UnitOfWork,
    placed: list[tuple[Any, str, rule.Decision]],
    now: dt.datetime,
    tally: LetterTally,
) -> None:
    """Letters placed earlier follow their addresses' owners now."""
    if not placed:
        return
    session = uow.session
    state = placement.current(session, (r.interaction_id for r, _d, _x in placed))
    moves: dict[int, dict[str, Any]] = {}
    contacts: dict[int, tuple[int, ...]] = {}
    relabel: list[dict[str, Any]] = []
    for r, direction, decision in placed:
        iid = r.interaction_id
        now_state = state.get(iid)
        if now_state is None:
            continue
        client_id, lead_id, old_direction, old_contacts = now_state
        if (client_id, lead_id, old_direction) != (decision.client_id, decision.lead_id, direction):
            tally.left.update(placement.cards(client_id, lead_id, old_contacts))
            moves[iid] = {
                "iid": iid,
                "client_id": decision.client_id,
                "lead_id": decision.lead_id,
                "direction": direction,
            }
        if old_contacts != decision.contact_ids:
            contacts[iid] = decision.contact_ids
        text = decision.reason()
        if iid in moves or iid in contacts or text != r.link_reason or r.link_tie != decision.tie:
            relabel.append(
                {
                    "item": r.id,
                    "interaction_id": iid,
                    "direction": direction,
                    "link_reason": text,
                    "link_tie": decision.tie,
                    "body_state": r.body_state,
                }
            )
    placement.move(session, list(moves.values()), now)
    placement.set_contacts(session, contacts)
    if relabel:
        staging.update_by_id(session, _LINK_LETTER, _MESSAGES, relabel, _LETTER_FIXED)
    tally.moved += len(moves)


def _interaction_row(
    r: Any, direction: str, decision: rule.Decision, zone: str, now: dt.datetime
) -> dict[str, Any]:
    local, utc = timezones.split_input_time(r.sent_at or now, zone)
    subject = (r.subject or "")[:998] or None
    return {
        "uid": new_uid(),
        "row_version": 1,
        "created_at": now,
        "updated_at": now,
        "type": "email",
        "direction": direction,
        "state": "done",
        "start_local": local,
        "start_tz": zone,
        "start_utc": utc,
        "owner_id": r.user_id,
        "client_id": decision.client_id,
        "lead_id": decision.lead_id,
        "subject": subject,
        "body": None,
        "search_text": search_text(subject, None),
        "source_kind": "email",
        "source_key": r.message_key,
        "done_at": now,
        "created_by_id": r.user_id,
    }
