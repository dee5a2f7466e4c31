"""The board's data from ``services.parties.board``, as the cards the columns draw."""

from __future__ import annotations

from services.core.access import Actor
from services.core.views import Board, BoardDeal
from services.parties import board
from ui.deals.deal_list import DealCard
from ui.widgets.work import Uow

PER_STAGE = 100  # cards per column; the column header counts the rest


def load(uow: Uow, actor: Actor, pipeline_id: int | None) -> Board:
    return board.board(uow, actor, pipeline_id, per_stage=PER_STAGE)


def card(deal: BoardDeal) -> DealCard:
    return DealCard(
        id=deal.id,
        title=deal.title,
        party=deal.party_name or "",
        amount=deal.amount,
        currency=deal.currency,
        next_at=deal.next_planned,
        active=deal.active,
    )
