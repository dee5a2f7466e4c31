"""Why an imported letter or call sits in a feed, as data ("why ID --json"):
the address or number, the card, the rule and rank, the tie flag and the
other cards that had a claim. The decision is the owner rule's, taken again
on the letter's addresses now, so it agrees with what the job keeps."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from models import CallRecord, Interaction, MailAccount, MailAddress, MailMessage
from services.core.access import Actor
from services.core.storage import UnitOfWork
from services.feed import item_details, sources
from services.linking import rule


@dataclasses.dataclass(frozen=True)
class CardRef:
    kind: str  # contact | client | lead
    id: int
    value: str  # the address or number as it is on that card
    client_id: int | None
    lead_id: int | None


@dataclasses.dataclass(frozen=True)
class Why:
    id: int  # the interaction
    source: str | None  # email | call | None (entered in Touchpoint)
    message_id: int | None
    call_id: int | None
    rule: str | None  # auto | manual | None
    value: str | None  # the address or number that decided
    card_kind: str | None
    card_id: int | None
    rank: int | None  # 0 contact, 1 client, 2 lead (the priority order)
    tie: bool
    candidates: tuple[CardRef, ...]  # the other cards the letter or call names
    contact_ids: tuple[int, ...]
    reason: str | None  # the sentence a person reads


def _ref(c: rule.Candidate) -> CardRef:
    return CardRef(c.kind, c.id, c.value, c.client_id, c.lead_id)


def why(uow: UnitOfWork, actor: Actor, interaction_id: int) -> Why:
    source = sources.source_of(uow, actor, interaction_id)  # checks visibility
    empty = Why(interaction_id, None, None, None, None, None, None, None, None, False, (), (), None)
    if not source.imported:
        return empty
    decision: rule.Decision | None = None
    if source.message_id is not None:
        letter = uow.session.get(MailMessage, source.message_id)
        assert letter is not None
        link_rule, tie = letter.link_rule, letter.link_tie
        account = uow.session.get(MailAccount, letter.account_id)
        own = rule.own_addresses(account.email, account.aliases) if account else frozenset()
        pairs = [
            (str(r), str(a))
            for r, a in uow.session.execute(
                select(MailAddress.role, MailAddress.address).where(
                    MailAddress.message_id == letter.id
                )
            )
        ]
        values = rule.counted(rule.direction(letter.from_addr, own), pairs, own)
        decision = rule.decide(values, rule.candidates_of(uow, "email", values))
    else:
        call = uow.session.get(CallRecord, source.call_id)
        assert call is not None
        link_rule, tie = call.link_rule, call.link_tie
        decision = rule.decide([call.number], rule.candidates_of(uow, "phone", [call.number]))
    base = dataclasses.replace(
        empty,
        source="email" if source.message_id is not None else "call",
        message_id=source.message_id,
        call_id=source.call_id,
        rule="manual" if link_rule == "manual" else "auto",
        tie=bool(tie),
        reason=source.reason,
    )
    if link_rule == "manual" or decision is None:
        row = uow.session.get(Interaction, interaction_id)
        assert row is not None
        kind, card = ("client", row.client_id) if row.client_id else ("lead", row.lead_id)
        return dataclasses.replace(
            base,
            card_kind=kind,
            card_id=card,
            tie=False if link_rule == "manual" else base.tie,
            contact_ids=item_details.contacts_of(uow, [row.id]).get(row.id, ()),
        )
    owner = decision.owner
    return dataclasses.replace(
        base,
        value=owner.value,
        card_kind=owner.kind,
        card_id=owner.id,
        rank=owner.rank,
        tie=decision.tie,
        candidates=tuple(_ref(c) for c in decision.others),
        contact_ids=decision.contact_ids,
    )
