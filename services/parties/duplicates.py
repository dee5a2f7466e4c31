"""Cards that a new or edited one would duplicate: the same name, or an
address or number another card already has.

A warning, not a refusal: two clients may share a name, and a shared
office number is common. The dialog shows the matches and offers to open
the existing card instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from models import Client, Contact, Lead, folding
from services.core import access
from services.core.access import Actor
from services.core.errors import UserError
from services.core.storage import UnitOfWork
from services.parties import contact_points

LIMIT = 5


@dataclasses.dataclass(frozen=True)
class Duplicate:
    kind: str  # client | lead | contact
    id: int
    name: str
    why: str  # name | email | phone
    value: str  # the matching name, address or number
    archived: bool


def _by_name(uow: UnitOfWork, kind: str, folded: str) -> list[tuple[str, int, str, bool]]:
    model: Any
    column: Any
    model, column = {
        "client": (Client, Client.name),
        "lead": (Lead, Lead.name),
        "contact": (Contact, Contact.full_name),
    }[kind]
    rows = uow.session.execute(
        select(model.id, column, model.archived_at)
        .where(model.name_folded == folded)
        .order_by(model.id)
        .limit(LIMIT)
    )
    return [(kind, r[0], r[1], r[2] is not None) for r in rows]


def _name_of(uow: UnitOfWork, kind: str, ident: int) -> tuple[str, bool]:
    model: Any = {"client": Client, "lead": Lead, "contact": Contact}[kind]
    row = uow.session.get(model, ident)
    if row is None:
        return "?", False
    name = str(getattr(row, "name", None) or getattr(row, "full_name", "?"))
    return name, row.archived_at is not None


def find(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    name: str = "",
    *,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    exclude: int | None = None,
) -> tuple[Duplicate, ...]:
    """Visible cards with this name (clients and leads are compared with each
    other) or with one of these addresses or numbers; values that do not
    parse are the dialog's inline error, not a duplicate."""
    found: dict[tuple[str, int], Duplicate] = {}
    folded = folding.fold(" ".join(name.split()))
    if folded:
        kinds = ("contact",) if kind == "contact" else ("client", "lead")
        for other_kind, ident, shown, archived in (
            row for k in kinds for row in _by_name(uow, k, folded)
        ):
            found.setdefault(
                (other_kind, ident), Duplicate(other_kind, ident, shown, "name", shown, archived)
            )
    for point_kind, values in (("email", emails), ("phone", phones)):
        for raw in values[:20]:
            if not raw.strip():
                continue
            try:
                owner = contact_points.owner_of(uow, point_kind, raw)
            except UserError:
                continue
            shown, archived = _name_of(uow, owner.kind, owner.id)
            found.setdefault(
                (owner.kind, owner.id),
                Duplicate(owner.kind, owner.id, shown, point_kind, raw.strip(), archived),
            )
    visible = [
        d
        for (k, i), d in found.items()
        if not (k == kind and i == exclude) and access.may_see(uow, actor, k, i)
    ]
    return tuple(visible[: LIMIT * 2])
