"""A page of clients, read with Core statements (``models.light``).

``records.list_clients`` (the desktop's party search, the tests) runs this
on its unit of work's session; ``touchpoint clients list`` runs it on a bare
connection without importing the ORM (issue #16). One query for the page,
two for the points and the phones a zone is read from, as ``get_client``
reads them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from models import folding, light
from services.core import timezones
from services.core.access import Actor, Permission
from services.core.like import LIKE_ESCAPE, like_pattern
from services.core.party_views import ClientView, ContactPointView

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

MAX_NAME = 300
MAX_FILTER = MAX_NAME  # a longer filter cannot match a name; SQLite caps LIKE patterns


def local_time(zone_name: str | None, now: dt.datetime | None) -> dt.datetime | None:
    """The wall time now in the party's zone, to the second (a card shows it)."""
    if zone_name is None:
        return None
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(timezones.zone(zone_name)).replace(microsecond=0)


def page(
    reads: Connection | Session,
    actor: Actor,
    *,
    text: str | None = None,
    after_id: int | None = None,
    limit: int = 100,
    now: dt.datetime | None = None,
    archived: bool = False,
) -> list[ClientView]:
    """A page of clients by id (keyset), filtered by name in SQL, with the
    same points, zone and local time as each card; archived ones only with
    ``archived``, else none of them."""
    clients, users = light.clients.c, light.users.c
    query = select(
        clients.id,
        clients.uid,
        clients.name,
        clients.owner_id,
        clients.region,
        clients.timezone,
        clients.address,
        users.full_name.label("owner_name"),
    ).select_from(light.clients.join(light.users, users.id == clients.owner_id))
    gone = clients.archived_at.is_not(None)
    query = query.where(gone if archived else ~gone)
    if not actor.can(Permission.CLIENTS_VIEW_ALL):
        shares = light.party_shares.c
        shared = select(shares.client_id).where(shares.user_id == actor.id)
        query = query.where(clients.owner_id.in_(actor.owner_ids) | clients.id.in_(shared))
    folded = folding.fold(text or "")
    if folded:
        pattern = like_pattern(folded[:MAX_FILTER])
        query = query.where(clients.name_folded.like(pattern, escape=LIKE_ESCAPE))
    if after_id is not None:
        query = query.where(clients.id > after_id)
    rows = reads.execute(query.order_by(clients.id).limit(limit)).all()
    points, phones = _page_points(reads, [r.id for r in rows])
    views = []
    for r in rows:
        zone = timezones.party_zone(r.timezone, r.region, phones.get(r.id, []))
        views.append(
            ClientView(
                id=r.id,
                uid=r.uid,
                kind="client",
                name=r.name,
                owner_id=r.owner_id,
                owner_name=r.owner_name,
                region=r.region,
                timezone=zone,
                address=r.address,
                points=tuple(points.get(r.id, [])),
                local_time=local_time(zone, now),
                archived=archived,
            )
        )
    return views


def _page_points(
    reads: Connection | Session, ids: list[int]
) -> tuple[dict[int, list[ContactPointView]], dict[int, list[str]]]:
    """Each listed client's own points, and the phones its zone is read from
    (its own, then its contacts'), as ``get_client`` reads them: two queries a page."""
    points: dict[int, list[ContactPointView]] = {}
    phones: dict[int, list[str]] = {}
    if not ids:
        return points, phones
    cp = light.contact_points.c
    own: Any = reads.execute(
        select(cp.id, cp.kind, cp.raw, cp.normalized, cp.label, cp.client_id)
        .where(cp.client_id.in_(ids))
        .order_by(cp.id)
    )
    for point in own:
        owner = point.client_id or 0  # never 0: the query asks for these clients
        points.setdefault(owner, []).append(
            ContactPointView(
                id=point.id,
                kind=point.kind,
                raw=point.raw,
                normalized=point.normalized,
                label=point.label,
            )
        )
        if point.kind == "phone":
            phones.setdefault(owner, []).append(point.normalized)
    contacts = light.contacts.c
    of_contacts = reads.execute(
        select(contacts.client_id, cp.normalized)
        .select_from(light.contacts.join(light.contact_points, cp.contact_id == contacts.id))
        .where(contacts.client_id.in_(ids), cp.kind == "phone")
        .order_by(contacts.id, cp.id)
    )
    for client_id, normalized in of_contacts:
        if client_id is not None:  # always: the query asks for these clients
            phones.setdefault(client_id, []).append(normalized)
    return points, phones
