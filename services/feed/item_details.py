"""Who took part in interactions, for many at once (exports, the linking
explanation), and which scenario run and step an item of a feed page is.
A feed page carries the contacts in its own statement (``queries._columns``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from models import interaction_contacts
from services.core.storage import UnitOfWork
from services.core.views import FeedItem
from services.scenarios import tags


def contacts_of(uow: UnitOfWork, interaction_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """The contact persons of each interaction, lowest id first."""
    wanted = sorted(set(interaction_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(wanted), 1000):
        for iid, cid in uow.session.execute(
            select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id)
            .where(interaction_contacts.c.interaction_id.in_(wanted[start : start + 1000]))
            .order_by(interaction_contacts.c.contact_id)
        ):
            found.setdefault(iid, []).append(cid)
    return {iid: tuple(ids) for iid, ids in found.items()}


def with_scenarios(uow: UnitOfWork, items: Sequence[FeedItem]) -> tuple[FeedItem, ...]:
    """The page's items, those that are a scenario step labelled with the
    scenario and the step ("«Знакомство», step 2 of 5", and in parts for
    the desktop to translate): one indexed query per page, none when the
    page holds no interaction."""
    ids = [i.id for i in items if i.kind == "interaction"]
    if not ids:
        return tuple(items)
    found = tags.step_tags(uow, ids)
    if not found:
        return tuple(items)
    return tuple(
        dataclasses.replace(
            i,
            scenario=found[i.id].label,
            scenario_run_id=found[i.id].run_id,
            scenario_step=found[i.id],
        )
        if i.kind == "interaction" and i.id in found
        else i
        for i in items
    )
