"""Plan, log, complete, cancel, restore and reschedule interactions.

"Delete" is cancel: the row stays and the feed shows it struck through;
restoring sets it back to planned (SPEC A2). Every change of a deal's
interactions is checked against the deal's next-step rule (SPEC A4).
What a user fills in is checked in ``interaction_input``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select

from models import Interaction, interaction_contacts
from services.core import timezones
from services.core.access import Actor, Permission, PermissionDenied
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import InteractionView
from services.interactions.interaction_input import (
    check_contacts,
    check_deal_party,
    check_direction,
    check_duration,
    check_type,
    clean_subject,
    resolve_party,
    search_text,
    times,
)
from services.parties import deals
from services.parties import records as parties
from services.sync.log_links import record_links

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


def create(
    uow: UnitOfWork, actor: Actor, spec: NewInteraction, now: dt.datetime | None = None
) -> InteractionView:
    actor.require(Permission.INTERACTIONS)
    now = now or dt.datetime.now(dt.UTC)
    type_code = check_type(uow, spec.type)
    client_id, lead_id, deal_id = resolve_party(
        uow, actor, spec.client_id, spec.lead_id, spec.deal_id, spec.contact_ids
    )
    contact_ids = check_contacts(uow, actor, spec.contact_ids, client_id, lead_id)
    check_direction(spec.direction)
    check_duration(spec.duration_min)
    subject = clean_subject(spec.subject)
    local, zone_name, utc = times(uow, spec.start, spec.tz, spec.planned, now)
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


def _visible(uow: UnitOfWork, actor: Actor, interaction_id: int) -> Interaction:
    """The interaction, if the actor may see its client or lead."""
    row = uow.session.get(Interaction, interaction_id)
    if row is None:
        raise NotFoundError("Interaction", interaction_id)
    if row.client_id is not None:
        parties.visible_client(uow, actor, row.client_id)
    elif row.lead_id is not None:
        parties.visible_lead(uow, actor, row.lead_id)
    return row


def _editable(uow: UnitOfWork, actor: Actor, interaction_id: int) -> Interaction:
    actor.require(Permission.INTERACTIONS)
    return _visible(uow, actor, interaction_id)


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
    local, zone_name, utc = times(uow, start, tz or row.start_tz, True, start)
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
        row.type = check_type(uow, type)
    if owner_id is not None:
        row.owner_id = parties.owner_id_for(uow, actor, owner_id)
    if direction is not None:
        row.direction = check_direction(direction)
    old_deal = row.deal_id
    if deal_id is not _UNSET and deal_id != row.deal_id:
        if deal_id is not None:
            check_deal_party(uow, actor, deal_id, row.client_id, row.lead_id)
        row.deal_id = deal_id
    if subject is not _UNSET:
        row.subject = clean_subject(subject)
    if body is not _UNSET:
        row.body = body
    if duration_min is not _UNSET:
        row.duration_min = check_duration(duration_min)
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
    return view(uow, _visible(uow, actor, interaction_id))
