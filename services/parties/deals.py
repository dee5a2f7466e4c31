"""Deals in pipelines; closing stages make a deal inactive."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from models import Deal, Interaction, Pipeline, Stage, folding
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import DealView
from services.parties import records as parties

#: What the column (NUMERIC(14, 2)) holds.
MAX_AMOUNT = Decimal("999999999999.99")


def parse_amount(value: str | Decimal | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(
            f"Amount {str(value)[:40]!r} is not a number",
            "amount",
            code="parties.deals.amount_not_number",
            params={"value": repr(str(value)[:40])},
        ) from exc
    if not amount.is_finite():
        raise ValidationError(
            f"Amount {str(value)[:40]!r} is not a number",
            "amount",
            code="parties.deals.amount_not_number",
            params={"value": repr(str(value)[:40])},
        )
    if amount < 0:
        raise ValidationError(
            "Amount must be zero or more", "amount", code="parties.deals.amount_must_zero_more"
        )
    if amount > MAX_AMOUNT:
        raise ValidationError(
            f"Amount must be at most {MAX_AMOUNT:,}",
            "amount",
            code="parties.deals.amount_must_most",
            params={"max_amount": format(MAX_AMOUNT, ",")},
        )
    return amount.quantize(Decimal("0.01"))


def _as_id(ref: int | str) -> int | None:
    """An id given as text ("3"); anything else (a name, "²", 30 digits) is not one."""
    if isinstance(ref, int):
        return ref
    text = ref.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def pipeline_by_ref(uow: UnitOfWork, ref: int | str | None) -> Pipeline:
    if ref is None:
        pipeline = uow.session.scalar(select(Pipeline).order_by(Pipeline.id))
    elif _as_id(ref) is not None:
        pipeline = uow.session.get(Pipeline, _as_id(ref))
    else:
        pipeline = uow.session.scalar(
            select(Pipeline)
            .where(folding.in_sql(Pipeline.name) == folding.fold(str(ref)))
            .order_by(Pipeline.id)
        )
    if pipeline is None:
        raise NotFoundError("Pipeline", ref if ref is not None else "(none defined)")
    return pipeline


def stage_by_ref(uow: UnitOfWork, pipeline: Pipeline, ref: int | str | None) -> Stage:
    query = select(Stage).where(Stage.pipeline_id == pipeline.id)
    if ref is None:
        stage = uow.session.scalar(query.order_by(Stage.position))
    elif _as_id(ref) is not None:
        stage = uow.session.scalar(query.where(Stage.id == _as_id(ref)))
    else:
        folded = folding.fold(str(ref))
        stage = uow.session.scalar(
            query.where(folding.in_sql(Stage.name) == folded).order_by(Stage.position)
        )
    if stage is None:
        raise NotFoundError(f"Stage of pipeline {pipeline.name!r}", ref)
    return stage


def add_pipeline(
    uow: UnitOfWork, actor: Actor, name: str, stages: list[str], *, requires_planned: bool
) -> int:
    actor.require(Permission.SETTINGS)
    name = parties.clean_name(name, "Pipeline name")
    same = folding.in_sql(Pipeline.name) == folding.fold(name)
    if uow.session.scalar(select(Pipeline.id).where(same)) is not None:
        raise ValidationError(
            f"A pipeline named {name!r} exists already",
            code="parties.deals.pipeline_named_exists_already",
            params={"name": repr(name)},
        )
    if not stages:
        raise ValidationError(
            "A pipeline needs at least one stage", code="parties.deals.pipeline_needs_least_one"
        )
    pipeline = Pipeline(name=name, requires_planned=requires_planned)
    uow.session.add(pipeline)
    uow.session.flush()
    for i, spec in enumerate(stages):
        # "Won:won" / "Отказ:lost" mark the closing stages.
        name, _, outcome = (
            spec.rpartition(":") if spec.endswith((":won", ":lost")) else (spec, "", "")
        )
        uow.session.add(
            Stage(
                pipeline_id=pipeline.id,
                name=parties.clean_name(name, "Stage"),
                position=i,
                outcome=outcome or None,
            )
        )
    uow.session.flush()
    return pipeline.id


def add_deal(
    uow: UnitOfWork,
    actor: Actor,
    title: str,
    *,
    client_id: int | None = None,
    lead_id: int | None = None,
    pipeline: int | str | None = None,
    stage: int | str | None = None,
    owner_id: int | None = None,
    amount: str | Decimal | None = None,
    currency: str = "RUB",
) -> DealView:
    """Create a deal. In a pipeline that requires a planned interaction the
    caller plans one in the same unit of work before committing, and
    ``check_next_step`` refuses the commit otherwise."""
    actor.require(Permission.DEALS)
    if (client_id is None) == (lead_id is None):
        raise ValidationError(
            "A deal belongs to exactly one client or lead",
            "client",
            code="parties.deals.deal_belongs_exactly_one",
        )
    if client_id is not None:
        parties.visible_client(uow, actor, client_id)
    elif lead_id is not None:
        parties.visible_lead(uow, actor, lead_id)
    pipe = pipeline_by_ref(uow, pipeline)
    stg = stage_by_ref(uow, pipe, stage)
    currency = check_currency(currency)
    deal = Deal(
        title=parties.typed_name(title, "Deal title"),
        pipeline_id=pipe.id,
        stage_id=stg.id,
        owner_id=parties.owner_id_for(uow, actor, owner_id),
        client_id=client_id,
        lead_id=lead_id,
        amount=parse_amount(amount),
        currency=currency,
        active=stg.outcome is None,
    )
    uow.session.add(deal)
    uow.session.flush()
    return view(uow, deal)


def check_currency(value: str) -> str:
    currency = value.strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise ValidationError(
            f"Currency {currency[:20]!r} must be a three-letter code",
            "currency",
            code="parties.deals.currency_must_three_letter",
            params={"currency": repr(currency[:20])},
        )
    return currency


def visible_deal(uow: UnitOfWork, actor: Actor, deal_id: int) -> Deal:
    """The deal, for its owner and for the owner of its client or lead."""
    access.check(uow, actor, "deal", deal_id)
    deal = uow.session.get(Deal, deal_id)
    if deal is None:
        raise NotFoundError("Deal", deal_id)
    return deal


def move(uow: UnitOfWork, actor: Actor, deal_id: int, stage: int | str) -> DealView:
    actor.require(Permission.DEALS)
    deal = visible_deal(uow, actor, deal_id)
    pipe = pipeline_by_ref(uow, deal.pipeline_id)
    stg = stage_by_ref(uow, pipe, stage)
    deal.stage_id = stg.id
    deal.active = stg.outcome is None
    uow.session.flush()
    return view(uow, deal)


def requires_next_step(uow: UnitOfWork, deal: Deal) -> bool:
    if not deal.active:
        return False
    return bool(
        uow.session.scalar(select(Pipeline.requires_planned).where(Pipeline.id == deal.pipeline_id))
    )


def check_next_step(uow: UnitOfWork, deal_id: int) -> None:
    """Refuse a state where an active deal that must always have a planned
    interaction has none (SPEC A4). Call after the change, before commit."""
    deal = uow.session.get(Deal, deal_id)
    if deal is None or not requires_next_step(uow, deal):
        return
    uow.session.flush()
    planned = uow.session.scalar(
        select(func.count())
        .select_from(Interaction)
        .where(Interaction.deal_id == deal.id, Interaction.state == "planned")
    )
    if not planned:
        raise ValidationError(
            f"Deal {deal.title!r} must always have a planned interaction: plan the next one first",
            "next",
            code="deal.next_step_required",
            params={"deal": deal.title},
        )


def view(uow: UnitOfWork, deal: Deal) -> DealView:
    pipe_name = uow.session.scalar(select(Pipeline.name).where(Pipeline.id == deal.pipeline_id))
    stage_name = uow.session.scalar(select(Stage.name).where(Stage.id == deal.stage_id))
    return DealView(
        id=deal.id,
        uid=deal.uid,
        title=deal.title,
        pipeline_id=deal.pipeline_id,
        pipeline=pipe_name or "",
        stage_id=deal.stage_id,
        stage=stage_name or "",
        owner_id=deal.owner_id,
        client_id=deal.client_id,
        lead_id=deal.lead_id,
        amount=deal.amount,
        currency=deal.currency,
        active=deal.active,
        archived=deal.archived_at is not None,
        row_version=deal.row_version,
    )


def get(uow: UnitOfWork, actor: Actor, deal_id: int) -> DealView:
    return view(uow, visible_deal(uow, actor, deal_id))
