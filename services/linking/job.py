"""Linking earlier mail and calls to cards (SPEC D1-D4).

When an address or number is added to a card, the header-only letters and
unlinked calls that name it become interactions of that card. The job picks
the owner of each letter or call in one ranked query: contact person >
client > lead, and among objects of one kind the oldest (lowest id); a tie
between two objects of the same kind is linked to the oldest and flagged for
review. Every link records why it was made. Letters and calls linked or
unlinked by hand are never touched by the job.

Bodies of letters linked this way are not here yet (import kept headers
only); they are marked "pending" and fetched from IMAP when the network is
there (``mail.bodies``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    update,
)

from models import (
    CallRecord,
    Contact,
    ContactPoint,
    Interaction,
    MailAccount,
    MailAddress,
    MailMessage,
    User,
    interaction_contacts,
)
from models.ids import new_uid
from services.core import settings, timezones
from services.core.storage import Database, UnitOfWork
from services.interactions.actions import search_text

BATCH = 5000


@dataclasses.dataclass(frozen=True)
class LinkReport:
    emails: int
    calls: int
    ties: int
    bodies_pending: int


def _owner_columns(point: Any) -> list[Any]:
    rank = case(
        (point.contact_id.is_not(None), 0), (point.client_id.is_not(None), 1), else_=2
    ).label("rank")
    object_id = func.coalesce(point.contact_id, point.client_id, point.lead_id).label("object_id")
    client_id = func.coalesce(Contact.client_id, point.client_id).label("client_id")
    lead_id = func.coalesce(Contact.lead_id, point.lead_id).label("lead_id")
    return [rank, object_id, client_id, lead_id, point.contact_id.label("contact_id")]


def _email_candidates(values: Sequence[str] | None) -> Any:
    """Every (unlinked letter, owner) pair, best owner first per letter."""
    point = ContactPoint
    role_ok = or_(
        and_(MailMessage.direction == "in", MailAddress.role == "from"),
        and_(MailMessage.direction == "out", MailAddress.role.in_(("to", "cc"))),
    )
    owner = _owner_columns(point)
    ranked = (
        select(
            MailMessage.id.label("item_id"),
            MailAddress.address.label("value"),
            *owner,
            func.row_number()
            .over(partition_by=MailMessage.id, order_by=(owner[0], owner[1]))
            .label("rn"),
            func.count().over(partition_by=(MailMessage.id, owner[0])).label("same_rank"),
        )
        .join(MailAddress, MailAddress.message_id == MailMessage.id)
        .join(MailAccount, MailAccount.id == MailMessage.account_id)
        .join(point, and_(point.kind == "email", point.normalized == MailAddress.address))
        .outerjoin(Contact, Contact.id == point.contact_id)
        .where(
            MailMessage.interaction_id.is_(None),
            or_(MailMessage.link_rule.is_(None), MailMessage.link_rule == "auto"),
            role_ok,
            MailAddress.address != func.lower(MailAccount.email),
        )
    )
    if values is not None:
        ranked = ranked.where(MailAddress.address.in_(list(values)))
    return ranked.subquery()


def _call_candidates(values: Sequence[str] | None) -> Any:
    point = ContactPoint
    owner = _owner_columns(point)
    ranked = (
        select(
            CallRecord.id.label("item_id"),
            CallRecord.number.label("value"),
            *owner,
            func.row_number()
            .over(partition_by=CallRecord.id, order_by=(owner[0], owner[1]))
            .label("rn"),
            func.count().over(partition_by=(CallRecord.id, owner[0])).label("same_rank"),
        )
        .join(point, and_(point.kind == "phone", point.normalized == CallRecord.number))
        .outerjoin(Contact, Contact.id == point.contact_id)
        .where(
            CallRecord.interaction_id.is_(None),
            or_(CallRecord.link_rule.is_(None), CallRecord.link_rule == "auto"),
        )
    )
    if values is not None:
        ranked = ranked.where(CallRecord.number.in_(list(values)))
    return ranked.subquery()


KIND_NAMES = ("contact", "client", "lead")


def reason(value: str, rank: int, object_id: int, same_rank: int) -> str:
    text = f"{value} is on {KIND_NAMES[rank]} {object_id} (contact > client > lead)"
    if same_rank > 1:
        text += f"; {same_rank} {KIND_NAMES[rank]}s have it, the oldest was chosen: review"
    return text


def _link_emails(
    uow: UnitOfWork, values: Sequence[str] | None, zone: str, now: dt.datetime
) -> tuple[int, int]:
    ranked = _email_candidates(values)
    rows = uow.session.execute(
        select(
            ranked.c.item_id,
            ranked.c.value,
            ranked.c.rank,
            ranked.c.object_id,
            ranked.c.client_id,
            ranked.c.lead_id,
            ranked.c.same_rank,
            MailMessage.subject,
            MailMessage.sent_at,
            MailMessage.direction,
            MailMessage.message_key,
            MailAccount.user_id,
        )
        .join(MailMessage, MailMessage.id == ranked.c.item_id)
        .join(MailAccount, MailAccount.id == MailMessage.account_id)
        .where(ranked.c.rn == 1)
    ).all()
    # Letters that another account already made an interaction of.
    existing = (
        dict(
            uow.session.execute(
                select(Interaction.source_key, Interaction.id).where(
                    Interaction.source_kind == "email",
                    Interaction.source_key.in_([r.message_key for r in rows]),
                )
            ).all()
        )
        if rows
        else {}
    )
    fresh = [r for r in rows if r.message_key not in existing]
    new_rows = [_email_interaction(r, zone, now) for r in fresh]
    ids = _insert_interactions(uow, new_rows)
    by_key = dict(zip((r.message_key for r in fresh), ids, strict=True)) | existing
    if rows:
        uow.session.execute(
            _LINK_LETTER,
            [
                {
                    "item": r.item_id,
                    "interaction_id": by_key[r.message_key],
                    "link_rule": "auto",
                    "link_reason": reason(r.value, r.rank, r.object_id, r.same_rank),
                    "link_tie": r.same_rank > 1,
                    "body_state": "pending",
                }
                for r in rows
            ],
        )
        _contacts_of_messages(uow, [r.item_id for r in rows])
    return len(rows), sum(1 for r in rows if r.same_rank > 1)


def _email_interaction(r: Any, zone: str, now: dt.datetime) -> dict[str, Any]:
    moment = r.sent_at or now
    local, utc = timezones.split_input_time(moment, zone)
    subject = (r.subject or "")[:998] or None
    return {
        "uid": new_uid(),
        "row_version": 1,
        "created_at": now,
        "updated_at": now,
        "type": "email",
        "direction": r.direction,
        "state": "done",
        "start_local": local,
        "start_tz": zone,
        "start_utc": utc,
        "owner_id": r.user_id,
        "client_id": r.client_id,
        "lead_id": r.lead_id if r.client_id is None else None,
        "subject": subject,
        "body": None,
        "search_text": search_text(subject, None),
        "source_kind": "email",
        "source_key": r.message_key,
        "done_at": now,
        "created_by_id": r.user_id,
    }


def _insert_interactions(uow: UnitOfWork, rows: list[dict[str, Any]]) -> list[int]:
    """Insert with a plain executemany (RETURNING per row costs 5x here), then
    read the ids back by their unique source keys; ids come in the order given."""
    if not rows:
        return []
    table = cast(Table, Interaction.__table__)
    kind = rows[0]["source_kind"]
    ids: dict[str, int] = {}
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        uow.session.execute(insert(table), chunk)
        keys = [r["source_key"] for r in chunk]
        found = uow.session.execute(
            select(Interaction.source_key, Interaction.id).where(
                Interaction.source_kind == kind, Interaction.source_key.in_(keys)
            )
        )
        for key, iid in found:
            ids[str(key)] = iid
    return [ids[r["source_key"]] for r in rows]


def _contacts_of_messages(uow: UnitOfWork, message_ids: list[int]) -> None:
    """Every contact person of the same party named by the letter joins it."""
    for start in range(0, len(message_ids), BATCH):
        chunk = message_ids[start : start + BATCH]
        pairs = (
            select(MailMessage.interaction_id, ContactPoint.contact_id)
            .join(MailAddress, MailAddress.message_id == MailMessage.id)
            .join(
                ContactPoint,
                and_(ContactPoint.kind == "email", ContactPoint.normalized == MailAddress.address),
            )
            .join(Contact, Contact.id == ContactPoint.contact_id)
            .join(Interaction, Interaction.id == MailMessage.interaction_id)
            .where(
                MailMessage.id.in_(chunk),
                or_(
                    and_(
                        Interaction.client_id.is_not(None),
                        Contact.client_id == Interaction.client_id,
                    ),
                    and_(Interaction.lead_id.is_not(None), Contact.lead_id == Interaction.lead_id),
                ),
            )
            .distinct()
        )
        taken = select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id)
        uow.session.execute(
            insert(interaction_contacts).from_select(
                ["interaction_id", "contact_id"], pairs.except_(taken)
            )
        )


_MESSAGES = cast(Table, MailMessage.__table__)
_LINK_LETTER = (
    update(_MESSAGES)
    .where(_MESSAGES.c.id == bindparam("item"))
    .values(
        interaction_id=bindparam("interaction_id"),
        link_rule=bindparam("link_rule"),
        link_reason=bindparam("link_reason"),
        link_tie=bindparam("link_tie"),
        body_state=bindparam("body_state"),
    )
)
# Core statements: bulk updates by key without the ORM's version checks
# (these rows are only ever changed by the job and by manual links).
_LINK_CALL = (
    update(CallRecord.__table__)  # type: ignore[arg-type]
    .where(CallRecord.__table__.c.id == bindparam("item"))
    .values(
        interaction_id=bindparam("interaction_id"),
        link_rule=bindparam("link_rule"),
        link_reason=bindparam("link_reason"),
        link_tie=bindparam("link_tie"),
    )
)


def _link_calls(
    uow: UnitOfWork, values: Sequence[str] | None, zone: str, now: dt.datetime
) -> tuple[int, int]:
    ranked = _call_candidates(values)
    rows = uow.session.execute(
        select(
            ranked.c.item_id,
            ranked.c.value,
            ranked.c.rank,
            ranked.c.object_id,
            ranked.c.client_id,
            ranked.c.lead_id,
            ranked.c.contact_id,
            ranked.c.same_rank,
            CallRecord.started_at,
            CallRecord.direction,
            CallRecord.duration_s,
            CallRecord.result,
            CallRecord.user_id,
            CallRecord.source,
            CallRecord.call_key,
        )
        .join(CallRecord, CallRecord.id == ranked.c.item_id)
        .where(ranked.c.rn == 1)
    ).all()
    if not rows:
        return 0, 0
    fallback_owner = uow.session.scalar(select(func.min(User.id)))
    new_rows = []
    for r in rows:
        local, utc = timezones.split_input_time(r.started_at, zone)
        body = f"{r.result or 'call'}, {r.duration_s or 0} s"
        owner = r.user_id or fallback_owner
        new_rows.append(
            {
                "uid": new_uid(),
                "row_version": 1,
                "created_at": now,
                "updated_at": now,
                "type": "call",
                "direction": r.direction,
                "state": "done",
                "start_local": local,
                "start_tz": zone,
                "start_utc": utc,
                "duration_min": (r.duration_s + 59) // 60 if r.duration_s else None,
                "owner_id": owner,
                "client_id": r.client_id,
                "lead_id": r.lead_id if r.client_id is None else None,
                "subject": None,
                "body": body,
                "search_text": search_text(None, body),
                "source_kind": "call",
                "source_key": f"{r.source}:{r.call_key}",
                "done_at": now,
                "created_by_id": owner,
            }
        )
    ids = _insert_interactions(uow, new_rows)
    uow.session.execute(
        _LINK_CALL,
        [
            {
                "item": r.item_id,
                "interaction_id": iid,
                "link_rule": "auto",
                "link_reason": reason(r.value, r.rank, r.object_id, r.same_rank),
                "link_tie": r.same_rank > 1,
            }
            for r, iid in zip(rows, ids, strict=True)
        ],
    )
    pairs = [
        {"interaction_id": iid, "contact_id": r.contact_id}
        for r, iid in zip(rows, ids, strict=True)
        if r.contact_id is not None
    ]
    if pairs:
        uow.session.execute(insert(interaction_contacts), pairs)
    return len(rows), sum(1 for r in rows if r.same_rank > 1)


def run(
    db: Database,
    *,
    values: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> LinkReport:
    """Link every unlinked letter and call that a card's address or number
    now explains; ``values`` narrows the run to some addresses/numbers (the
    ones just added to a card). One transaction: all or nothing."""
    now = now or dt.datetime.now(dt.UTC)
    with db.uow() as uow:
        zone = settings.display_zone(uow)
        emails, email_ties = _link_emails(uow, values, zone, now)
        calls, call_ties = _link_calls(uow, values, zone, now)
        pending = (
            uow.session.scalar(
                select(func.count())
                .select_from(MailMessage)
                .where(MailMessage.body_state == "pending")
            )
            or 0
        )
        settings.put(uow, "link_last_run", now.isoformat())
        uow.commit()
    return LinkReport(emails, calls, email_ties + call_ties, pending)


def due(uow: UnitOfWork, now: dt.datetime) -> bool:
    """Whether the scheduled run is due (every ``link_minutes``; a run missed
    while the laptop slept happens once on waking)."""
    last = settings.get(uow, "link_last_run")
    if not last:
        return True
    minutes = int(settings.get(uow, "link_minutes"))
    return dt.datetime.fromisoformat(last) + dt.timedelta(minutes=minutes) <= now
