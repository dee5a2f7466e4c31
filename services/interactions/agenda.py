"""My agenda ("Мои дела"): what a user has to do, by when, and who asked.

Planned interactions the user owns and open tasks assigned to them, cut
into overdue (before now), today (now to midnight), this week (tomorrow to
the end of Sunday) and later, in the display zone and by the clock passed
in. Tasks without a deadline come last in "later". Each section is capped
at ``limit`` items and says how many it has in all; SQL cuts and counts.
Beside them: the notes of the last 30 days that @mention the user.

Only what the actor may see: a manager without ``clients.view_all`` sees
items of their own clients and leads and of the colleagues in
``Actor.also_sees`` (stood in for, or the department of a head), and only
their own agenda or such a colleague's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from models import Client, Deal, Interaction, Lead, Note, PartyShare, Task, User, note_mentions
from models.base import UTCDateTime
from services.core import settings, timezones
from services.core.access import Actor, Permission, PermissionDenied
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.core.views import Agenda, AgendaItem, AgendaSection, MentionItem, ScenarioStepTag
from services.scenarios import tags

SECTIONS = ("overdue", "today", "this_week", "later")
MENTION_DAYS = 30
MENTION_TEXT = 500
MAX_LIMIT = 5000


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> dt.tzinfo:
    return timezones.zone(name)


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def boundaries(now: dt.datetime, zone_name: str) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """(today's date, tomorrow's midnight, next Monday's midnight) in ``zone_name``;
    the instants in UTC."""
    if now.tzinfo is None:
        raise ValueError("the agenda needs an aware 'now'")
    zone = _zone(zone_name)
    day = now.astimezone(zone).date()
    tomorrow = _midnight(day + dt.timedelta(days=1), zone)
    week_end = _midnight(day + dt.timedelta(days=7 - day.weekday()), zone)
    return day, tomorrow, week_end


def _visible(model: Any, actor: Actor) -> list[ColumnElement[bool]]:
    """Rows of ``model`` whose client or lead the actor may see."""
    if actor.can(Permission.CLIENTS_VIEW_ALL):
        return []
    # Own cards and those of colleagues one stands in for or heads.
    owners: Any = bindparam("agenda_actor", list(actor.owner_ids), expanding=True)
    # ... and those shared with the actor (party_shares, as access.check).
    me = bindparam("agenda_me", actor.id, Integer)
    return [
        or_(
            model.client_id.in_(select(Client.id).where(Client.owner_id.in_(owners))),
            model.lead_id.in_(select(Lead.id).where(Lead.owner_id.in_(owners))),
            model.client_id.in_(select(PartyShare.client_id).where(PartyShare.user_id == me)),
            model.lead_id.in_(select(PartyShare.lead_id).where(PartyShare.user_id == me)),
        )
    ]


def _items_statement(actor: Actor, owner_id: int) -> Select[Any]:
    """Sections are cut and counted on (kind, id, time) alone; names are
    joined to the at most 4 x ``limit`` rows that are kept."""
    owner = bindparam("agenda_owner", owner_id, Integer)
    i = Interaction
    planned = select(
        literal("interaction", String).label("kind"),
        i.id.label("id"),
        i.start_utc.label("at_utc"),
    ).where(i.owner_id == owner, i.state == "planned", *_visible(i, actor))
    tasks = select(
        literal("task", String).label("kind"),
        Task.id.label("id"),
        Task.deadline.label("at_utc"),
    ).where(Task.assignee_id == owner, Task.done.is_(False), *_visible(Task, actor))
    both = union_all(planned, tasks).subquery("agenda_items")
    t = both.c.at_utc
    section = case(
        (t.is_(None), 3),
        (t < bindparam("agenda_now", type_=UTCDateTime()), 0),
        (t < bindparam("agenda_tomorrow", type_=UTCDateTime()), 1),
        (t < bindparam("agenda_week_end", type_=UTCDateTime()), 2),
        else_=3,
    )
    ranked = select(
        both,
        section.label("section"),
        func.row_number()
        .over(partition_by=section, order_by=(t.asc().nulls_last(), both.c.kind, both.c.id))
        .label("rn"),
        func.count().over(partition_by=section).label("total"),
    ).subquery("agenda_ranked")
    kept = (
        select(ranked)
        .where(ranked.c.rn <= bindparam("agenda_limit", type_=Integer))
        .cte("agenda_kept")
    )
    c = aliased(Client, name="agenda_client")
    lead = aliased(Lead, name="agenda_lead")
    deal = aliased(Deal, name="agenda_deal")

    def details(model: Any, kind: str, **cols: Any) -> Select[Any]:
        return select(
            kept.c.kind,
            kept.c.id,
            cols["type"].label("type"),
            cols["subject"].label("subject"),
            kept.c.at_utc,
            cols["tz"].label("tz"),
            model.client_id.label("client_id"),
            model.lead_id.label("lead_id"),
            func.coalesce(c.name, lead.name).label("party_name"),
            model.deal_id.label("deal_id"),
            deal.title.label("deal_title"),
            kept.c.section,
            kept.c.rn,
            kept.c.total,
        ).select_from(
            kept.join(model, and_(kept.c.kind == literal(kind, String), model.id == kept.c.id))
            .outerjoin(c, c.id == model.client_id)
            .outerjoin(lead, lead.id == model.lead_id)
            .outerjoin(deal, deal.id == model.deal_id)
        )

    merged = union_all(
        details(i, "interaction", type=i.type, subject=i.subject, tz=i.start_tz),
        details(
            Task,
            "task",
            type=literal("task", String),
            subject=Task.title,
            tz=cast(null(), String),
        ),
    ).subquery("agenda_rows")
    return select(merged).order_by(merged.c.section, merged.c.rn)


def _mentions_statement(actor: Actor, owner_id: int) -> Select[Any]:
    c = aliased(Client, name="mention_client")
    lead = aliased(Lead, name="mention_lead")
    nm = note_mentions
    return (
        select(
            Note.id.label("note_id"),
            Note.author_id.label("author_id"),
            User.full_name.label("author_name"),
            Note.created_at.label("at"),
            func.substr(Note.body, 1, MENTION_TEXT).label("text"),
            Note.client_id.label("client_id"),
            Note.lead_id.label("lead_id"),
            Note.deal_id.label("deal_id"),
            Note.contact_id.label("contact_id"),
            func.coalesce(c.name, lead.name).label("party_name"),
        )
        .select_from(
            nm.join(Note, Note.id == nm.c.note_id)
            .join(User, User.id == Note.author_id)
            .outerjoin(c, c.id == Note.client_id)
            .outerjoin(lead, lead.id == Note.lead_id)
        )
        .where(
            nm.c.user_id == bindparam("agenda_owner", owner_id, Integer),
            Note.created_at >= bindparam("agenda_since", type_=UTCDateTime()),
            *_visible(Note, actor),
        )
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(bindparam("agenda_limit", type_=Integer))
    )


def _item(row: Any, display: dt.tzinfo) -> AgendaItem:
    start = None
    if row.at_utc is not None:
        start = row.at_utc.astimezone(_zone(row.tz) if row.tz else display)
    return AgendaItem(
        kind=row.kind,
        id=row.id,
        type=row.type,
        subject=row.subject,
        start=start,
        client_id=row.client_id,
        lead_id=row.lead_id,
        party_name=row.party_name,
        deal_id=row.deal_id,
        deal_title=row.deal_title,
    )


def _tagged(item: AgendaItem, steps: dict[int, ScenarioStepTag]) -> AgendaItem:
    """The item with its scenario step, when it is one (one query for all)."""
    if item.kind != "interaction" or item.id not in steps:
        return item
    return dataclasses.replace(item, scenario_step=steps[item.id])


def agenda(
    uow: UnitOfWork,
    actor: Actor,
    now: dt.datetime,
    *,
    zone_name: str | None = None,
    owner_id: int | None = None,
    limit: int = 500,
) -> Agenda:
    """The agenda of ``owner_id`` (default: the actor) at ``now``.

    ``zone_name`` is the display zone (read from the settings when absent);
    each section holds at most ``limit`` items, and so do the mentions.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            f"An agenda section holds 1 to {MAX_LIMIT} items",
            code="interactions.agenda.agenda_section_holds_items",
            params={"max_limit": str(MAX_LIMIT)},
        )
    owner = actor.id if owner_id is None else owner_id
    # A deputy or a head may open the agenda of a colleague they see.
    if not actor.sees_owner(owner):
        raise PermissionDenied(
            "Only your own agenda: the role does not show colleagues' work",
            code="interactions.agenda.only_your_own_agenda",
        )
    zone_name = zone_name or settings.display_zone(uow)
    display = _zone(zone_name)
    day, tomorrow, week_end = boundaries(now, zone_name)
    conn = uow.session.connection()
    rows = conn.execute(
        _items_statement(actor, owner),
        {
            "agenda_now": now,
            "agenda_tomorrow": tomorrow,
            "agenda_week_end": week_end,
            "agenda_limit": limit,
        },
    )
    items: list[list[AgendaItem]] = [[] for _ in SECTIONS]
    totals = [0] * len(SECTIONS)
    for row in rows:
        items[row.section].append(_item(row, display))
        totals[row.section] = row.total
    mentions = conn.execute(
        _mentions_statement(actor, owner),
        {"agenda_since": now - dt.timedelta(days=MENTION_DAYS), "agenda_limit": limit},
    )
    steps = tags.step_tags(uow, (i.id for found in items for i in found if i.kind == "interaction"))
    sections = [
        AgendaSection(tuple(_tagged(i, steps) for i in found), total)
        for found, total in zip(items, totals, strict=True)
    ]
    return Agenda(
        owner_id=owner,
        zone=zone_name,
        day=day,
        overdue=sections[0],
        today=sections[1],
        this_week=sections[2],
        later=sections[3],
        mentions=tuple(
            MentionItem(
                note_id=m.note_id,
                author_id=m.author_id,
                author_name=m.author_name,
                at=m.at.astimezone(display),
                text=m.text,
                client_id=m.client_id,
                lead_id=m.lead_id,
                deal_id=m.deal_id,
                contact_id=m.contact_id,
                party_name=m.party_name,
            )
            for m in mentions
        ),
    )
