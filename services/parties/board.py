"""The deals board (kanban by stage) and a card's Deals tab.

Deals of one pipeline grouped by stage, in stage order: the most recently
changed first, at most ``per_stage`` each with the count of the rest, each
with its client or lead, amount, owner and next planned interaction. Moving
a deal is ``services.parties.deals.move`` followed by ``deals.check_next_step``.

A manager without ``clients.view_all`` sees their own deals only.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, select
from sqlalchemy.orm import aliased, outerjoin

from models import Client, Contact, Deal, Interaction, Lead, Pipeline, Stage, User
from services.core import settings, timezones
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import Board, BoardColumn, BoardDeal, PipelineRef
from services.parties import records as parties

MAX_PER_STAGE = 500
MAX_DEALS = 1000
KINDS = ("client", "lead", "contact")


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> dt.tzinfo:
    return timezones.zone(name)


def _visible(actor: Actor) -> list[ColumnElement[bool]]:
    """Deals the board and a card's Deals tab show: not archived, and the
    actor's own unless they see everyone's."""
    shown: list[ColumnElement[bool]] = [Deal.archived_at.is_(None)]
    if actor.can(Permission.CLIENTS_VIEW_ALL):
        return shown
    owners = sorted({actor.id, *actor.also_sees})  # a deputy's, a head's colleagues
    return [*shown, Deal.owner_id.in_(bindparam("board_actor", owners, expanding=True))]


def _next_planned(deal_id: Any) -> Any:
    return (
        select(func.min(Interaction.start_utc))
        .where(Interaction.deal_id == deal_id, Interaction.state == "planned")
        .scalar_subquery()
    )


def _deal_columns(deal: Any, stage_name: Any) -> tuple[list[Any], Any]:
    """BoardDeal's columns for ``deal``, and the joins they need."""
    c = aliased(Client, name="board_client")
    lead = aliased(Lead, name="board_lead")
    owner = aliased(User, name="board_owner")
    cols = [
        deal.id.label("id"),
        deal.title.label("title"),
        deal.pipeline_id.label("pipeline_id"),
        deal.stage_id.label("stage_id"),
        stage_name.label("stage"),
        deal.client_id.label("client_id"),
        deal.lead_id.label("lead_id"),
        func.coalesce(c.name, lead.name).label("party_name"),
        deal.amount.label("amount"),
        deal.currency.label("currency"),
        deal.owner_id.label("owner_id"),
        owner.full_name.label("owner_name"),
        deal.active.label("active"),
        _next_planned(deal.id).label("next_planned"),
    ]

    def joins(left: Any) -> Any:
        return (
            left.outerjoin(c, c.id == deal.client_id)
            .outerjoin(lead, lead.id == deal.lead_id)
            .outerjoin(owner, owner.id == deal.owner_id)
        )

    return cols, joins


def _deal(row: Any, zone: dt.tzinfo) -> BoardDeal:
    return BoardDeal(
        id=row.id,
        title=row.title,
        pipeline_id=row.pipeline_id,
        stage_id=row.stage_id,
        stage=row.stage,
        client_id=row.client_id,
        lead_id=row.lead_id,
        party_name=row.party_name,
        amount=row.amount,
        currency=row.currency,
        owner_id=row.owner_id,
        owner_name=row.owner_name or "?",
        active=bool(row.active),
        next_planned=row.next_planned.astimezone(zone) if row.next_planned else None,
    )


def _columns_statement(actor: Actor) -> Select[Any]:
    """Stages in order, each with its first ``board_cap`` deals (or one row
    of NULLs when it has none); ranks are computed on (id, stage) only."""
    pipeline = bindparam("board_pipeline", type_=Integer)
    ranked = (
        select(
            Deal.id.label("deal_id"),
            Deal.stage_id.label("stage_id"),
            func.row_number()
            .over(partition_by=Deal.stage_id, order_by=(Deal.updated_at.desc(), Deal.id.desc()))
            .label("rn"),
            func.count().over(partition_by=Deal.stage_id).label("total"),
        )
        .where(Deal.pipeline_id == pipeline, *_visible(actor))
        .subquery("board_ranked")
    )
    shown = (
        select(ranked)
        .where(ranked.c.rn <= bindparam("board_cap", type_=Integer))
        .subquery("board_shown")
    )
    cols, joins = _deal_columns(Deal, Stage.name)
    placed = outerjoin(Stage, shown, shown.c.stage_id == Stage.id).outerjoin(
        Deal, Deal.id == shown.c.deal_id
    )
    return (
        select(
            Stage.id.label("column_id"),
            Stage.name.label("column_name"),
            Stage.position.label("column_position"),
            Stage.outcome.label("column_outcome"),
            shown.c.total.label("total"),
            *cols,
        )
        .select_from(joins(placed))
        .where(Stage.pipeline_id == pipeline)
        .order_by(Stage.position, Stage.id, shown.c.rn)
    )


def pipeline_refs(uow: UnitOfWork) -> tuple[PipelineRef, ...]:
    """Every pipeline, first made first: the board's tabs, a new deal's choice."""
    return tuple(
        PipelineRef(row.id, row.name, bool(row.requires_planned))
        for row in uow.session.connection().execute(
            select(Pipeline.id, Pipeline.name, Pipeline.requires_planned).order_by(Pipeline.id)
        )
    )


def board(
    uow: UnitOfWork,
    actor: Actor,
    pipeline_id: int | None = None,
    *,
    per_stage: int = 50,
    zone_name: str | None = None,
) -> Board:
    """The board of ``pipeline_id`` (default: the first pipeline).

    ``zone_name``: the zone of ``next_planned`` (default: the display zone).
    """
    if not 1 <= per_stage <= MAX_PER_STAGE:
        raise ValidationError(
            f"A board column shows 1 to {MAX_PER_STAGE} deals",
            code="parties.board.board_column_shows_deals",
            params={"max_per_stage": str(MAX_PER_STAGE)},
        )
    conn = uow.session.connection()
    pipelines = pipeline_refs(uow)
    if pipeline_id is None:
        if not pipelines:
            return Board((), None, ())
        pipeline_id = pipelines[0].id
    elif pipeline_id not in {p.id for p in pipelines}:
        raise NotFoundError("Pipeline", pipeline_id)
    zone = _zone(zone_name or settings.display_zone(uow))
    rows = conn.execute(
        _columns_statement(actor), {"board_pipeline": pipeline_id, "board_cap": per_stage}
    )
    columns: list[BoardColumn] = []
    deals: list[BoardDeal] = []
    current: Any = None

    def close() -> None:
        if current is not None:
            columns.append(
                BoardColumn(
                    stage_id=current.column_id,
                    name=current.column_name,
                    position=current.column_position,
                    outcome=current.column_outcome,
                    deals=tuple(deals),
                    total=int(current.total or 0),
                )
            )

    for row in rows:
        if current is None or row.column_id != current.column_id:
            close()
            current, deals = row, []
        if row.id is not None:
            deals.append(_deal(row, zone))
    close()
    return Board(pipelines, pipeline_id, tuple(columns))


def deals_of(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    object_id: int,
    *,
    limit: int = 200,
    zone_name: str | None = None,
) -> tuple[BoardDeal, ...]:
    """The Deals tab of a client, lead or contact card (a contact: its client's
    or lead's deals): open ones first, then the most recently changed."""
    if kind not in KINDS:
        raise ValidationError(
            f"Deals belong to a {', '.join(KINDS)}; not to {kind!r}",
            code="parties.board.deals_belong_not",
            params={"kinds": str(", ".join(KINDS)), "kind": repr(kind)},
        )
    if not 1 <= limit <= MAX_DEALS:
        raise ValidationError(
            f"Ask for 1 to {MAX_DEALS} deals",
            code="parties.board.ask_deals",
            params={"max_deals": str(MAX_DEALS)},
        )
    party_kind, party_id = kind, object_id
    if kind == "contact":
        row = uow.session.execute(
            select(Contact.client_id, Contact.lead_id).where(Contact.id == object_id)
        ).first()
        if row is None:
            raise NotFoundError("Contact", object_id)
        party_kind, party_id = (
            ("client", row.client_id) if row.client_id is not None else ("lead", row.lead_id)
        )
    parties.check_visible(uow, actor, party_kind, party_id)
    zone = _zone(zone_name or settings.display_zone(uow))
    stage = aliased(Stage, name="deal_stage")
    cols, joins = _deal_columns(Deal, stage.name)
    stmt = (
        select(*cols)
        .select_from(joins(outerjoin(Deal, stage, stage.id == Deal.stage_id)))
        .where(
            getattr(Deal, f"{party_kind}_id") == bindparam("board_party", party_id, Integer),
            *_visible(actor),
        )
        .order_by(Deal.active.desc(), Deal.updated_at.desc(), Deal.id.desc())
        .limit(limit)
    )
    return tuple(_deal(row, zone) for row in uow.session.connection().execute(stmt))
