"""What a user fills in for an interaction, checked (SPEC A1).

Shared by creating one and editing one (``actions``), by the scenario
store (a step's type) and the dialogs (the subject's length, the types on
offer), so a rule on a field is written once and a bad value is refused
the same way wherever it comes from, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from models import Contact, InteractionType, folding
from services.core import access, settings, timezones
from services.core.access import Actor
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.parties import deals
from services.parties import records as parties

DIRECTIONS = ("in", "out", "none")
MAX_SUBJECT = 998


def search_text(subject: str | None, body: str | None) -> str:
    return folding.fold(" ".join(x for x in (subject, body) if x))


def known_types(uow: UnitOfWork, *, include_hidden: bool = False) -> list[str]:
    """Type codes in the user's order: the ones offered for a new interaction,
    or every one (feed filters: old interactions keep a hidden type)."""
    query = select(InteractionType.code).order_by(InteractionType.position, InteractionType.code)
    if not include_hidden:
        query = query.where(InteractionType.hidden.is_(False))
    return list(uow.session.scalars(query))


def check_type(uow: UnitOfWork, code: str) -> str:
    code = code.strip().lower()
    if uow.session.get(InteractionType, code) is None:
        raise ValidationError(
            f"Unknown interaction type {code!r}; known: {', '.join(known_types(uow))}",
            "type",
            code="interactions.actions.unknown_interaction_type_known",
            params={"code": repr(code), "known": str(", ".join(known_types(uow)))},
        )
    return code


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise ValidationError(
            f"Direction must be one of {', '.join(DIRECTIONS)}",
            "direction",
            code="interactions.actions.direction_must_one",
            params={"directions": str(", ".join(DIRECTIONS))},
        )
    return direction


def check_duration(minutes: int | None) -> int | None:
    if minutes is not None and not 0 <= minutes <= 24 * 60:
        raise ValidationError(
            "Duration must be between 0 and 1440 minutes",
            "duration",
            code="interactions.actions.duration_must_between_minutes",
        )
    return minutes


def clean_subject(subject: str | None) -> str | None:
    """The subject as stored: stripped, None when empty, refused when too long."""
    clean = (subject or "").strip() or None
    if clean and len(clean) > MAX_SUBJECT:
        raise ValidationError(
            f"Subject is longer than {MAX_SUBJECT} characters",
            "subject",
            code="interactions.actions.subject_longer_than_characters",
            params={"max_subject": str(MAX_SUBJECT)},
        )
    return clean


def check_deal_party(
    uow: UnitOfWork, actor: Actor, deal_id: int, client_id: int | None, lead_id: int | None
) -> None:
    """The deal is visible and belongs to the interaction's client or lead."""
    deal = deals.visible_deal(uow, actor, deal_id)
    if (deal.client_id, deal.lead_id) != (client_id, lead_id):
        raise ValidationError(
            f"Deal {deal_id} belongs to another client or lead",
            "deal",
            code="interactions.actions.deal_belongs_another_client",
            params={"deal_id": str(deal_id)},
        )


def resolve_party(
    uow: UnitOfWork,
    actor: Actor,
    client_id: int | None,
    lead_id: int | None,
    deal_id: int | None,
    contact_ids: Sequence[int],
) -> tuple[int | None, int | None, int | None]:
    """(client_id, lead_id, deal_id) after checking they agree with each other:
    a deal or the first contact person names the party when none is given."""
    if client_id is not None and lead_id is not None:
        raise ValidationError(
            "An interaction is with a client or a lead, not both",
            "client",
            code="interactions.actions.interaction_client_lead_not",
        )
    if deal_id is not None:
        if client_id is None and lead_id is None:
            deal = deals.visible_deal(uow, actor, deal_id)
            client_id, lead_id = deal.client_id, deal.lead_id
        else:
            check_deal_party(uow, actor, deal_id, client_id, lead_id)
    if client_id is None and lead_id is None and contact_ids:
        first = uow.session.get(Contact, contact_ids[0])
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


def times(
    uow: UnitOfWork, start: dt.datetime | None, tz: str | None, planned: bool, now: dt.datetime
) -> tuple[dt.datetime, str, dt.datetime]:
    """(wall time, zone, instant) of a start given either way; now for a
    logged one without a time, refused for a planned one."""
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
