"""What a user knows a found client or lead by besides its name: two
«Ромашка» clients in the search popup looked the same. The city (the
address's first part), the tax id (a custom field coded ``inn``, where the
database keeps one), a lead's company and the owner's name, for the hits a
search returned: one query, bounded by the search's limit, and only the
cards the actor sees."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, select

from models import Client, CustomField, CustomValue, Lead, User
from services.core.access import Actor, Permission
from services.core.storage import UnitOfWork
from services.feed.search import MAX_LIMIT
from services.feed.search_seen import seen_by
from services.feed.search_text import one_line

TAX_ID_CODE = "inn"
CITY = 60  # characters of a city, or of an address without commas


@dataclasses.dataclass(frozen=True)
class KnownBy:
    kind: str  # client | lead
    id: int
    city: str
    tax_id: str
    company: str  # a lead's company ("" for a client)
    owner: str


def _city(address: str | None) -> str:
    first = one_line(address or "").split(",")[0].strip()
    return first if len(first) <= CITY else first[: CITY - 1] + "…"


def _rows(uow: UnitOfWork, actor: Actor, kind: str, ids: list[int]) -> list[Any]:
    model: Any = Client if kind == "client" else Lead
    tax = CustomValue.__table__.alias(f"{kind}_tax")
    field = CustomField.__table__.alias(f"{kind}_tax_field")
    statement = (
        select(
            model.id,
            model.address if kind == "client" else model.company,
            tax.c.value,
            User.full_name,
            User.login,
        )
        .join(User, User.id == model.owner_id)
        .outerjoin(field, and_(field.c.entity_kind == kind, field.c.code == TAX_ID_CODE))
        .outerjoin(tax, and_(tax.c.field_id == field.c.id, tax.c.entity_id == model.id))
        .where(model.id.in_(ids))
    )
    if not actor.can(Permission.CLIENTS_VIEW_ALL):
        owners = list(actor.owner_ids) if actor.also_sees else None
        statement = statement.where(seen_by(actor.id, owners).card(kind))
    return list(uow.session.execute(statement))


def known_by(
    uow: UnitOfWork, actor: Actor, hits: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], KnownBy]:
    """(kind, id) → what tells that card apart, for the clients and leads
    among ``hits`` (at most a search's worth) that the actor sees."""
    wanted: dict[str, list[int]] = {"client": [], "lead": []}
    for kind, object_id in hits:
        if kind in wanted and len(wanted[kind]) < MAX_LIMIT:
            wanted[kind].append(int(object_id))
    out: dict[tuple[str, int], KnownBy] = {}
    for kind, ids in wanted.items():
        if not ids:
            continue
        for object_id, text, tax_id, full_name, login in _rows(uow, actor, kind, ids):
            out[(kind, object_id)] = KnownBy(
                kind,
                object_id,
                _city(text) if kind == "client" else "",
                one_line(tax_id or "")[:CITY],
                one_line(text or "")[:CITY] if kind == "lead" else "",
                one_line(full_name or login or ""),
            )
    return out
