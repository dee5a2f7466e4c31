"""Card indicators (SPEC B7): small reports beside a client, lead or contact.

Last contact (the latest done interaction), the next planned one, open deals
with their sum per currency, and done interactions per month for the last
twelve months (zero-filled, months of the display zone). One statement: a
union of four small index-range queries, tagged by what they answer.

A contact's interactions are those it took part in; its deals are its
client's or lead's. Deals count only when the actor may see them.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from models import Contact, Deal, Interaction, interaction_contacts
from models.base import UTCDateTime
from services.core import settings, timezones
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import IndicatorInteraction, Indicators, Money, MonthCount
from services.parties import records as parties

KINDS = ("client", "lead", "contact")
MONTHS = 12
CENT = Decimal("0.01")


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> dt.tzinfo:
    return timezones.zone(name)


def month_starts(now: dt.datetime, zone_name: str) -> list[dt.date]:
    """The first days of the last ``MONTHS`` months in the zone, oldest first,
    then the first day of the next month (the end of the range)."""
    today = now.astimezone(_zone(zone_name)).date()
    index = today.year * 12 + today.month - 1 - (MONTHS - 1)
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index, index + MONTHS + 1)]


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _party(uow: UnitOfWork, actor: Actor, kind: str, object_id: int) -> tuple[str, int]:
    """Check the card is visible; the (client | lead, id) whose deals count."""
    if kind in ("client", "lead"):
        parties.check_visible(uow, actor, kind, object_id)
        return kind, object_id
    row = uow.session.execute(
        select(Contact.client_id, Contact.lead_id).where(Contact.id == object_id)
    ).first()
    if row is None:
        raise NotFoundError("Contact", object_id)
    party = ("client", row.client_id) if row.client_id is not None else ("lead", row.lead_id)
    parties.check_visible(uow, actor, party[0], party[1])
    return party


def _statement(actor: Actor, kind: str, party: tuple[str, int]) -> Any:
    i = Interaction
    me = bindparam("ind_object", type_=Integer)
    if kind == "contact":
        scope: ColumnElement[bool] = i.id.in_(
            select(interaction_contacts.c.interaction_id).where(
                interaction_contacts.c.contact_id == me
            )
        )
    else:
        scope = getattr(i, f"{kind}_id") == me
    t_null = cast(null(), UTCDateTime())
    s_null = cast(null(), String)
    n_null = cast(null(), Integer)
    money_null = cast(null(), Numeric(20, 2))

    def one(tag: str, state: str, newest: bool) -> Any:
        order = (i.start_utc.desc(), i.id.desc()) if newest else (i.start_utc.asc(), i.id.asc())
        return (
            select(
                literal(tag, String).label("tag"),
                i.id.label("id"),
                i.type.label("type"),
                i.subject.label("subject"),
                i.start_utc.label("at_utc"),
                i.start_tz.label("tz"),
                n_null.label("n"),
                money_null.label("amount"),
            )
            .where(scope, i.state == state)
            .order_by(*order)
            .limit(1)
            .subquery()
        )

    last = one("last", "done", newest=True)
    upcoming = one("next", "planned", newest=False)
    t = i.start_utc
    bucket = case(
        *((t < bindparam(f"ind_m{k + 1}", type_=UTCDateTime()), k) for k in range(MONTHS - 1)),
        else_=MONTHS - 1,
    )
    done = (
        select(bucket.label("bucket"))
        .where(
            scope,
            i.state == "done",
            t >= bindparam("ind_m0", type_=UTCDateTime()),
            t < bindparam(f"ind_m{MONTHS}", type_=UTCDateTime()),
        )
        .subquery()
    )
    months = (
        select(
            literal("month", String).label("tag"),
            done.c.bucket.label("id"),
            s_null.label("type"),
            s_null.label("subject"),
            t_null.label("at_utc"),
            s_null.label("tz"),
            func.count().label("n"),
            money_null.label("amount"),
        )
        .group_by(done.c.bucket)
        .subquery()
    )
    deal_conds: list[Any] = [
        getattr(Deal, f"{party[0]}_id") == bindparam("ind_party", party[1], Integer),
        Deal.active.is_(True),
    ]
    if not actor.can(Permission.CLIENTS_VIEW_ALL):
        deal_conds.append(Deal.owner_id == bindparam("ind_actor", actor.id, Integer))
    deals = (
        select(
            literal("deals", String).label("tag"),
            n_null.label("id"),
            Deal.currency.label("type"),
            s_null.label("subject"),
            t_null.label("at_utc"),
            s_null.label("tz"),
            func.count().label("n"),
            cast(func.coalesce(func.sum(Deal.amount), 0), Numeric(20, 2)).label("amount"),
        )
        .where(*deal_conds)
        .group_by(Deal.currency)
        .subquery()
    )
    return union_all(*(select(*part.c) for part in (last, upcoming, months, deals)))


def indicators(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    object_id: int,
    now: dt.datetime,
    *,
    zone_name: str | None = None,
) -> Indicators:
    """The indicators of a client, lead or contact card at ``now``.

    ``zone_name`` is the display zone the months are cut in (read from the
    settings when absent).
    """
    if kind not in KINDS:
        raise ValidationError(
            f"Indicators are for a {', '.join(KINDS)}; not for {kind!r}",
            code="feed.indicators.indicators_are_not",
            params={"kinds": str(", ".join(KINDS)), "kind": repr(kind)},
        )
    if now.tzinfo is None:
        raise ValueError("indicators need an aware 'now'")
    party = _party(uow, actor, kind, object_id)
    zone_name = zone_name or settings.display_zone(uow)
    zone = _zone(zone_name)
    starts = month_starts(now, zone_name)
    params: dict[str, Any] = {"ind_object": object_id}
    params |= {f"ind_m{k}": _midnight(day, zone) for k, day in enumerate(starts)}
    rows = uow.session.connection().execute(_statement(actor, kind, party), params)
    last = upcoming = None
    counts = [0] * MONTHS
    amounts: list[Money] = []
    open_deals = 0
    for row in rows:
        if row.tag in ("last", "next"):
            found = IndicatorInteraction(
                id=row.id,
                type=row.type,
                subject=row.subject,
                start=row.at_utc.astimezone(_zone(row.tz)),
            )
            if row.tag == "last":
                last = found
            else:
                upcoming = found
        elif row.tag == "month":
            counts[row.id] = row.n
        else:
            open_deals += row.n
            amounts.append(Money(row.type, Decimal(row.amount).quantize(CENT)))
    return Indicators(
        kind=kind,
        object_id=object_id,
        last_contact=last,
        next_planned=upcoming,
        next_overdue=upcoming is not None and upcoming.start < now,
        open_deals=open_deals,
        open_amounts=tuple(sorted(amounts, key=lambda m: m.currency)),
        months=tuple(MonthCount(day, n) for day, n in zip(starts[:MONTHS], counts, strict=True)),
    )
