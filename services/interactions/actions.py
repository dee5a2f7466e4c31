"""Plan, log, complete, cancel, restore and reschedule interactions.

"Delete" is cancel: the row stays and the feed shows it struck through;
restoring sets it back to planned (SPEC A2). Every change of a deal's
interactions is checked against the deal's next-step rule (SPEC A4).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select

from models import Contact, Interaction, InteractionType, folding, interaction_contacts
from services.core import access, settings, timezones
from services.core.access import Actor, Permission, PermissionDenied
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import InteractionView
from services.parties import deals
from services.parties import records as parties
from services.sync.log_links import record_links

DIRECTIONS = ("in", "out", "none")
MAX_SUBJECT = 998
CONTACT_LINK = "interaction_contact"  # the sync kind of a contact person on an interaction


@dataclasses.dataclass(frozen=True)
class NewInteraction:
    """What a user fills in the interaction dialog (SPEC A1)."""

    type: str
    planned: bool = False
    # Naive: a wall time in ``tz``; aware: an instant, shown in ``tz``.
    start: dt.datetime | None = None
    tz: str | None = None
    client_id: int | None = None
    lead_id: int | None = None
    deal_id: int | None = None
    contact_ids: tuple[int, ...] = ()
    owner_id: int | None = None
    direction: str = "none"
    duration_min: int | None = None
    subject: str | None = None
    body: str | None = None
    source_kind: str | None = None
    source_key: str | None = None


def search_text(subject: str | None, body: str | None) -> str:
    return folding.fold(" ".join(x for x in (subject, body) if x))


def known_types(uow: UnitOfWork, *, include_hidden: bool = False) -> list[str]:
    """Type codes in the user's order: the ones offered for a new interaction,
    or every one (feed filters: old interactions keep a hidden type)."""
    query = select(InteractionType.code).order_by(InteractionType.position, InteractionType.code)
    if not include_hidden:
        query = query.where(InteractionType.hidden.is_(False))
    return list(uow.session.scalars(query))


def _check_type(uow: UnitOfWork, code: str) -> str:
    code = code.strip().lower()
    if uow.session.get(InteractionType, code) is None:
        raise ValidationError(
            f"Unknown interaction type {code!r}; known: {', '.join(known_types(uow))}",
            "type",
            code="interactions.actions.unknown_interaction_type_known",
            params={"code": repr(code), "known": str(", ".join(known_types(uow)))},
        )
    return code


def _resolve_party(
    uow: UnitOfWork, actor: Actor, spec: NewInteraction
) -> tuple[int | None, int | None, int | None]:
    """(client_id, lead_id, deal_id) after checking they agree with each other."""
    client_id, lead_id, deal_id = spec.client_id, spec.lead_id, spec.deal_id
    if client_id is not None and lead_id is not None:
        raise ValidationError(
            "An interaction is with a client or a lead, not both",
            "client",
            code="interactions.actions.interaction_client_lead_not",
        )
    if deal_id is not None:
        deal = deals.visible_deal(uow, actor, deal_id)
        if client_id is None and lead_id is None:
            client_id, lead_id = deal.client_id, deal.lead_id
        elif (client_id, lead_id) != (deal.client_id, deal.lead_id):
            raise ValidationError(
                f"Deal {deal_id} belongs to another client or lead",
                "deal",
                code="interactions.actions.deal_belongs_another_client",
                params={"deal_id": str(deal_id)},
            )
    if client_id is None and lead_id is None and spec.contact_ids:
        first = uow.session.get(Contact, spec.contact_ids[0])
        if first is not None:
            client_id, lead_id = first.client_id, first.lead_id
    if client_id is None and lead_id is None:
        raise ValidationError(
            "Choose the client or lead of the interaction",
            "client",
            code="interactions.actions.choose_client_lead_interaction",
        )
    if client_id is not None:
        parties.visible_client(uow, actor, client_id)
    if lead_id is not None:
        parties.visible_lead(uow, actor, lead_id)
    return client_id, lead_id, deal_id


def check_contacts(
    uow: UnitOfWork,
    actor: Actor,
    ids: Sequence[int],
    client_id: int | None,
    lead_id: int | None,
) -> tuple[int, ...]:
    unique = tuple(dict.fromkeys(ids))
    for contact_id in unique:
        access.check(uow, actor, "contact", contact_id)  # before its name is shown
        contact = uow.session.get(Contact, contact_id)
        if contact is None:
            raise NotFoundError("Contact", contact_id)
        if (contact.client_id, contact.lead_id) != (client_id, lead_id):
            raise ValidationError(
                f"{contact.full_name} is not a contact person of this client or lead",
                "contacts",
                code="interactions.actions.not_contact_person_client",
                params={"full_name": str(contact.full_name)},
            )
    return unique


def _times(
    uow: UnitOfWork, start: dt.datetime | None, tz: str | None, planned: bool, now: dt.datetime
) -> tuple[dt.datetime, str, dt.datetime]:
    zone_name = tz or settings.display_zone(uow)
    timezones.zone(zone_name)
    if start is None:
        if planned:
            raise ValidationError(
                "A planned interaction needs a date and time",
                "start",
                code="interactions.actions.planned_interaction_needs_date",
            )
        start = now
    timezones.check_year(start, "start")
    local, utc = timezones.split_input_time(start, zone_name)
    return local, zone_name, utc


def create(
    uow: UnitOfWork, actor: Actor, spec: NewInteraction, now: dt.datetime | None = None
) -> InteractionView:
    actor.require(Permission.INTERACTIONS)
    now = now or dt.datetime.now(dt.UTC)
    type_code = _check_type(uow, spec.type)
    client_id, lead_id, deal_id = _resolve_party(uow, actor, spec)
    contact_ids = check_contacts(uow, actor, spec.contact_ids, client_id, lead_id)
    if spec.direction not in DIRECTIONS:
        raise ValidationError(
            f"Direction must be one of {', '.join(DIRECTIONS)}",
            "direction",
            code="interactions.actions.direction_must_one",
            params={"directions": str(", ".join(DIRECTIONS))},
        )
    if spec.duration_min is not None and not 0 <= spec.duration_min <= 24 * 60:
        raise ValidationError(
            "Duration must be between 0 and 1440 minutes",
            "duration",
            code="interactions.actions.duration_must_between_minutes",
        )
    subject = (spec.subject or "").strip() or None
    if subject and len(subject) > MAX_SUBJECT:
        raise ValidationError(
            f"Subject is longer than {MAX_SUBJECT} characters",
            "subject",
            code="interactions.actions.subject_longer_than_characters",
            params={"max_subject": str(MAX_SUBJECT)},
        )
    local, zone_name, utc = _times(uow, spec.start, spec.tz, spec.planned, now)
    if spec.source_kind and spec.source_key:
        dup = uow.session.scalar(
            select(Interaction.id).where(
                Interaction.source_kind == spec.source_kind,
                Interaction.source_key == spec.source_key,
            )
        )
        if dup is not None:
            raise ValidationError(
                f"Interaction {dup} already records this {spec.source_kind}",
                code="interactions.actions.interaction_already_records",
                params={"dup": str(dup), "source_kind": str(spec.source_kind)},
            )
    row = Interaction(
        type=type_code,
        direction=spec.direction,
        state="planned" if spec.planned else "done",
        start_local=local,
        start_tz=zone_name,
        start_utc=utc,
        duration_min=spec.duration_min,
        owner_id=parties.owner_id_for(uow, actor, spec.owner_id),
        client_id=client_id,
        lead_id=lead_id,
        deal_id=deal_id,
        subject=subject,
        body=spec.body,
        search_text=search_text(subject, spec.body),
        source_kind=spec.source_kind,
        source_key=spec.source_key,
        done_at=None if spec.planned else now,
        created_by_id=actor.id,
    )
    uow.session.add(row)
    uow.session.flush()
    if contact_ids:
        uow.session.execute(
            insert(interaction_contacts),
            [{"interaction_id": row.id, "contact_id": c} for c in contact_ids],
        )
        record_links(uow.session, CONTACT_LINK, [(row.id, c) for c in contact_ids])
    return view(uow, row)


def _editable(uow: UnitOfWork, actor: Actor, interaction_id: int) -> Interaction:
    actor.require(Permission.INTERACTIONS)
    row = uow.session.get(Interaction, interaction_id)
    if row is None:
        raise NotFoundError("Interaction", interaction_id)
    if row.client_id is not None:
        parties.visible_client(uow, actor, row.client_id)
    elif row.lead_id is not None:
        parties.visible_lead(uow, actor, row.lead_id)
    return row


def _expect_state(row: Interaction, *allowed: str, doing: str) -> None:
    if row.state not in allowed:
        raise ValidationError(
            f"Interaction {row.id} is {row.state}; "
            f"only a {' or '.join(allowed)} one can be {doing}",
            code="interactions.actions.interaction_only_one_can",
            params={
                "id": str(row.id),
                "state": str(row.state),
                "allowed": str(" or ".join(allowed)),
                "doing": str(doing),
            },
        )


def complete(
    uow: UnitOfWork,
    actor: Actor,
    interaction_id: int,
    *,
    next_step: NewInteraction | None = None,
    result: str | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> InteractionView:
    """Mark a planned interaction done, optionally planning the next one in
    the same transaction (which is what a deal's next-step rule asks for).
    ``at`` is when it happened (a wall time in its zone, or an instant); a
    done interaction cannot lie in the future, so one planned for later
    moves to now unless ``at`` says otherwise ("Last contact: tomorrow")."""
    now = now or dt.datetime.now(dt.UTC)
    row = _editable(uow, actor, interaction_id)
    _expect_state(row, "planned", doing="completed")
    if at is not None:
        _move(uow, row, at, None)
        if row.start_utc > now:
            raise ValidationError(
                "It cannot have happened in the future: pick a time up to now",
                "at",
                code="interactions.actions.cannot_have_happened_future",
            )
    elif row.start_utc > now:
        _move(uow, row, now, None)
    row.state = "done"
    row.done_at = now
    if result:
        row.body = f"{row.body}\n\n{result}" if row.body else result
        row.search_text = search_text(row.subject, row.body)
    planned = _plan_next(uow, actor, row, next_step, now)
    if row.deal_id is not None:
        deals.check_next_step(uow, row.deal_id)
    return dataclasses.replace(view(uow, row), next_id=planned)


def _plan_next(
    uow: UnitOfWork, actor: Actor, row: Interaction, spec: NewInteraction | None, now: dt.datetime
) -> int | None:
    """The id of the next interaction planned, if one was asked for."""
    if spec is None:
        return None
    if not spec.planned:
        spec = dataclasses.replace(spec, planned=True)
    if spec.client_id is None and spec.lead_id is None and spec.deal_id is None:
        spec = dataclasses.replace(
            spec, client_id=row.client_id, lead_id=row.lead_id, deal_id=row.deal_id
        )
    return create(uow, actor, spec, now).id


def cancel(
    uow: UnitOfWork,
    actor: Actor,
    interaction_id: int,
    *,
    next_step: NewInteraction | None = None,
    now: dt.datetime | None = None,
) -> InteractionView:
    now = now or dt.datetime.now(dt.UTC)
    row = _editable(uow, actor, interaction_id)
    _expect_state(row, "planned", "done", doing="cancelled")
    if row.owner_id != actor.id and not actor.can(Permission.CLIENTS_VIEW_ALL):
        raise PermissionDenied(
            "Only the owner can cancel this interaction",
            code="interactions.actions.only_owner_can_cancel",
        )
    was_planned = row.state == "planned"
    row.state = "cancelled"
    row.cancelled_at = now
    planned = _plan_next(uow, actor, row, next_step, now)
    if was_planned and row.deal_id is not None:
        deals.check_next_step(uow, row.deal_id)
    return dataclasses.replace(view(uow, row), next_id=planned)


def restore(
    uow: UnitOfWork,
    actor: Actor,
    interaction_id: int,
    *,
    start: dt.datetime | None = None,
    tz: str | None = None,
) -> InteractionView:
    """Set a cancelled interaction back to planned, optionally at a new time."""
    row = _editable(uow, actor, interaction_id)
    _expect_state(row, "cancelled", doing="restored")
    row.state = "planned"
    row.cancelled_at = None
    row.done_at = None
    if start is not None:
        _move(uow, row, start, tz)
    return view(uow, row)


def reschedule(
    uow: UnitOfWork,
    actor: Actor,
    interaction_id: int,
    start: dt.datetime,
    tz: str | None = None,
) -> InteractionView:
    row = _editable(uow, actor, interaction_id)
    _expect_state(row, "planned", doing="rescheduled")
    _move(uow, row, start, tz)
    return view(uow, row)


def _move(uow: UnitOfWork, row: Interaction, start: dt.datetime, tz: str | None) -> None:
    local, zone_name, utc = _times(uow, start, tz or row.start_tz, True, start)
    row.start_local, row.start_tz, row.start_utc = local, zone_name, utc


_UNSET: Any = object()


def update(
    uow: UnitOfWork,
    actor: Actor,
    interaction_id: int,
    *,
    type: str | None = None,
    owner_id: int | None = None,
    deal_id: int | None = _UNSET,
    subject: str | None = _UNSET,
    body: str | None = _UNSET,
    duration_min: int | None = _UNSET,
    direction: str | None = None,
) -> InteractionView:
    """Edit what the dialog shows; times change through ``reschedule``,
    states through complete / cancel / restore. Moving a planned
    interaction off a deal is checked against that deal's next-step rule."""
    row = _editable(uow, actor, interaction_id)
    if type is not None:
        row.type = _check_type(uow, type)
    if owner_id is not None:
        row.owner_id = parties.owner_id_for(uow, actor, owner_id)
    if direction is not None:
        if direction not in DIRECTIONS:
            raise ValidationError(
                f"Direction must be one of {', '.join(DIRECTIONS)}",
                "direction",
                code="interactions.actions.direction_must_one",
                params={"directions": str(", ".join(DIRECTIONS))},
            )
        row.direction = direction
    old_deal = row.deal_id
    if deal_id is not _UNSET and deal_id != row.deal_id:
        if deal_id is not None:
            deal = deals.visible_deal(uow, actor, deal_id)
            if (deal.client_id, deal.lead_id) != (row.client_id, row.lead_id):
                raise ValidationError(
                    f"Deal {deal_id} belongs to another client or lead",
                    "deal",
                    code="interactions.actions.deal_belongs_another_client",
                    params={"deal_id": str(deal_id)},
                )
        row.deal_id = deal_id
    if subject is not _UNSET:
        clean = (subject or "").strip() or None
        if clean and len(clean) > MAX_SUBJECT:
            raise ValidationError(
                f"Subject is longer than {MAX_SUBJECT} characters",
                "subject",
                code="interactions.actions.subject_longer_than_characters",
                params={"max_subject": str(MAX_SUBJECT)},
            )
        row.subject = clean
    if body is not _UNSET:
        row.body = body
    if duration_min is not _UNSET:
        if duration_min is not None and not 0 <= duration_min <= 24 * 60:
            raise ValidationError(
                "Duration must be between 0 and 1440 minutes",
                "duration",
                code="interactions.actions.duration_must_between_minutes",
            )
        row.duration_min = duration_min
    row.search_text = search_text(row.subject, row.body)
    if old_deal is not None and old_deal != row.deal_id and row.state == "planned":
        deals.check_next_step(uow, old_deal)
    uow.session.flush()
    return view(uow, row)


def set_contacts(uow: UnitOfWork, actor: Actor, interaction_id: int, ids: Sequence[int]) -> None:
    row = _editable(uow, actor, interaction_id)
    checked = check_contacts(uow, actor, ids, row.client_id, row.lead_id)
    links = interaction_contacts.c
    current = set(
        uow.session.scalars(select(links.contact_id).where(links.interaction_id == row.id))
    )
    # Only the difference is written: a contact person who stays keeps their
    # row (a replica logs, and the server's feed numbers, what really changed).
    removed = sorted(current - set(checked))
    added = [c for c in checked if c not in current]
    if removed:
        uow.session.execute(
            delete(interaction_contacts).where(
                links.interaction_id == row.id, links.contact_id.in_(removed)
            )
        )
    if added:
        uow.session.execute(
            insert(interaction_contacts),
            [{"interaction_id": row.id, "contact_id": c} for c in added],
        )
    record_links(
        uow.session, CONTACT_LINK, [(row.id, c) for c in added], [(row.id, c) for c in removed]
    )


def view(uow: UnitOfWork, row: Interaction) -> InteractionView:
    contact_ids = tuple(
        uow.session.scalars(
            select(interaction_contacts.c.contact_id)
            .where(interaction_contacts.c.interaction_id == row.id)
            .order_by(interaction_contacts.c.contact_id)
        )
    )
    return InteractionView(
        id=row.id,
        uid=row.uid,
        type=row.type,
        direction=row.direction,
        state=row.state,
        start=timezones.aware_local(row.start_local, row.start_tz),
        start_tz=row.start_tz,
        duration_min=row.duration_min,
        owner_id=row.owner_id,
        client_id=row.client_id,
        lead_id=row.lead_id,
        deal_id=row.deal_id,
        contact_ids=contact_ids,
        subject=row.subject,
        body=row.body,
        row_version=row.row_version,
    )


def get(uow: UnitOfWork, actor: Actor, interaction_id: int) -> InteractionView:
    row = uow.session.get(Interaction, interaction_id)
    if row is None:
        raise NotFoundError("Interaction", interaction_id)
    if row.client_id is not None:
        parties.visible_client(uow, actor, row.client_id)
    elif row.lead_id is not None:
        parties.visible_lead(uow, actor, row.lead_id)
    return view(uow, row)
