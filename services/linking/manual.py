"""Linking by hand (SPEC D3): a letter or call put on a card by a person, or
taken off it. The linking job never undoes either. Linking a letter from an
unknown address offers to save that address on the card (yes / no / never).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import (
    AddressDecision,
    Attachment,
    CallRecord,
    Client,
    Contact,
    ContactPoint,
    Interaction,
    Lead,
    MailAccount,
    MailAddress,
    MailMessage,
    interaction_contacts,
)
from models.ids import new_uid
from services.core import access, settings, timezones
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.interactions.interaction_input import search_text
from services.linking import rule
from services.parties import records as parties
from services.sync.log_links import record_links


@dataclasses.dataclass(frozen=True)
class ManualLink:
    interaction_id: int
    # The address to offer saving on the card, or None (known, or "never").
    offer_address: str | None


@dataclasses.dataclass(frozen=True)
class Target:
    client_id: int | None
    lead_id: int | None
    contact_id: int | None


def _target(uow: UnitOfWork, actor: Actor, kind: str, object_id: int) -> Target:
    if kind == "client":
        parties.visible_client(uow, actor, object_id)
        return Target(object_id, None, None)
    if kind == "lead":
        parties.visible_lead(uow, actor, object_id)
        return Target(None, object_id, None)
    if kind == "contact":
        access.check(uow, actor, "contact", object_id)
        contact = uow.session.get(Contact, object_id)
        if contact is None:
            raise NotFoundError("Contact", object_id)
        return Target(contact.client_id, contact.lead_id, object_id)
    raise ValidationError(
        f"Link to a client, lead or contact, not {kind!r}",
        code="linking.manual.link_client_lead_contact",
        params={"kind": repr(kind)},
    )


def _message(uow: UnitOfWork, actor: Actor, message_id: int) -> tuple[MailMessage, MailAccount]:
    message = uow.session.get(MailMessage, message_id)
    if message is None:
        raise NotFoundError("Letter", message_id)
    account = uow.session.get(MailAccount, message.account_id)
    assert account is not None
    if account.user_id != actor.id and not actor.can_admin():
        raise NotFoundError("Letter", message_id)
    return message, account


def drop_interaction(session: Session, interaction_id: int) -> None:
    """Remove the interaction of a letter or call that is unlinked or moved
    by hand, with its contact persons and attachments.

    Through the ORM and the link log, so a laptop pushes the removal (issue
    #20): the contact persons' and the attachments' removals are logged
    before the interaction's, and the server applies them in that order.
    The letters and calls on it lose it by the schema's ON DELETE SET NULL
    (on a team server a colleague's copy of the letter is cleared too, which
    an UPDATE under row-level security could not do)."""
    ic = interaction_contacts.c
    persons = list(
        session.scalars(select(ic.contact_id).where(ic.interaction_id == interaction_id))
    )
    if persons:
        session.execute(delete(interaction_contacts).where(ic.interaction_id == interaction_id))
        record_links(session, "interaction_contact", [], [(interaction_id, c) for c in persons])
    for attachment in session.scalars(
        select(Attachment).where(Attachment.interaction_id == interaction_id)
    ):
        session.delete(attachment)
    session.flush()
    row = session.get(Interaction, interaction_id)
    if row is not None:
        session.delete(row)
        session.flush()
    # What the database cleared is not known to the rows loaded here; SQLite
    # may give the next interaction the same id, which the ORM would then
    # take for no change at all.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, MailMessage | CallRecord) and obj.interaction_id == interaction_id:
            session.expire(obj, ["interaction_id"])


def _put_on_card(
    uow: UnitOfWork,
    actor: Actor,
    row: Interaction,
    target: Target,
    source: MailMessage | CallRecord,
) -> None:
    """Save the interaction made for a letter or call linked by hand, with the
    contact person it names, and mark the letter or call as linked by hand
    (the linking job leaves it so)."""
    uow.session.add(row)
    uow.session.flush()
    if target.contact_id is not None:
        uow.session.execute(
            interaction_contacts.insert().values(
                interaction_id=row.id, contact_id=target.contact_id
            )
        )
        record_links(uow.session, "interaction_contact", [(row.id, target.contact_id)])
    source.interaction_id = row.id
    source.link_rule = "manual"
    source.link_reason = f"linked by hand by {actor.login}"
    source.link_tie = False


def link_message(
    uow: UnitOfWork,
    actor: Actor,
    message_id: int,
    kind: str,
    object_id: int,
    now: dt.datetime | None = None,
) -> ManualLink:
    """Put a letter on a card by hand (moving it if it sat elsewhere)."""
    actor.require(Permission.INTERACTIONS)
    now = now or dt.datetime.now(dt.UTC)
    message, account = _message(uow, actor, message_id)
    target = _target(uow, actor, kind, object_id)
    if message.interaction_id is not None:
        drop_interaction(uow.session, message.interaction_id)
    zone = settings.display_zone(uow)
    local, utc = timezones.split_input_time(message.sent_at or now, zone)
    subject = message.subject[:998] or None
    row = Interaction(
        uid=new_uid(),
        type="email",
        direction=message.direction,
        state="done",
        start_local=local,
        start_tz=zone,
        start_utc=utc,
        owner_id=account.user_id,
        client_id=target.client_id,
        lead_id=target.lead_id,
        subject=subject,
        body=None,
        search_text=search_text(subject, None),
        source_kind="email",
        source_key=message.message_key,
        done_at=now,
        created_by_id=actor.id,
    )
    _put_on_card(uow, actor, row, target, message)
    if message.body_state == "none":
        message.body_state = "pending"
    own = rule.own_addresses(account.email, account.aliases)
    return ManualLink(row.id, _offer(uow, actor, message, own))


def _offer(uow: UnitOfWork, actor: Actor, message: MailMessage, own: frozenset[str]) -> str | None:
    """The other side's address to offer saving: the sender of a letter in,
    the first recipient of a letter out; never the user's own addresses."""
    roles = ("from",) if message.direction == "in" else ("to", "cc")
    address = uow.session.scalar(
        select(MailAddress.address)
        .where(
            MailAddress.message_id == message.id,
            MailAddress.role.in_(roles),
            MailAddress.address.not_in(sorted(own)),
        )
        .order_by(MailAddress.role.desc(), MailAddress.address)
    )
    if address is None:
        return None
    known = uow.session.scalar(
        select(ContactPoint.id).where(
            ContactPoint.kind == "email", ContactPoint.normalized == address
        )
    )
    never = uow.session.get(AddressDecision, (actor.id, "email", address))
    return None if known is not None or never is not None else address


def link_call(
    uow: UnitOfWork,
    actor: Actor,
    call_id: int,
    kind: str,
    object_id: int,
    now: dt.datetime | None = None,
) -> ManualLink:
    """Put a call on a card by hand (moving it if it sat elsewhere); offers
    to save its number on the card unless known or "never"."""
    actor.require(Permission.INTERACTIONS)
    now = now or dt.datetime.now(dt.UTC)
    access.check(uow, actor, "call", call_id)
    call = uow.session.get(CallRecord, call_id)
    if call is None:
        raise NotFoundError("Call", call_id)
    target = _target(uow, actor, kind, object_id)
    if call.interaction_id is not None:
        drop_interaction(uow.session, call.interaction_id)
    zone = settings.display_zone(uow)
    local, utc = timezones.split_input_time(call.started_at, zone)
    body = f"{call.result or 'call'}, {call.duration_s or 0} s"
    row = Interaction(
        uid=new_uid(),
        type="call",
        direction=call.direction,
        state="done",
        start_local=local,
        start_tz=zone,
        start_utc=utc,
        duration_min=(call.duration_s + 59) // 60 if call.duration_s else None,
        owner_id=call.user_id or actor.id,
        client_id=target.client_id,
        lead_id=target.lead_id,
        subject=None,
        body=body,
        search_text=search_text(None, body),
        source_kind="call",
        source_key=f"{call.source}:{call.call_key}",
        done_at=now,
        created_by_id=actor.id,
    )
    _put_on_card(uow, actor, row, target, call)
    known = uow.session.scalar(
        select(ContactPoint.id).where(
            ContactPoint.kind == "phone",
            (ContactPoint.normalized == call.number)
            | ContactPoint.normalized.like(call.number + ";ext=%"),
        )
    )
    never = uow.session.get(AddressDecision, (actor.id, "phone", call.number))
    offer = None if known is not None or never is not None else call.number
    return ManualLink(row.id, offer)


def never_offer(uow: UnitOfWork, actor: Actor, kind: str, value: str) -> None:
    if uow.session.get(AddressDecision, (actor.id, kind, value)) is None:
        uow.session.add(AddressDecision(user_id=actor.id, kind=kind, value=value, decision="never"))


def unlink_message(uow: UnitOfWork, actor: Actor, message_id: int) -> None:
    """Take a letter off its card; the job will not put it back."""
    actor.require(Permission.INTERACTIONS)
    message, _ = _message(uow, actor, message_id)
    if message.interaction_id is not None:
        drop_interaction(uow.session, message.interaction_id)
    message.interaction_id = None
    message.link_rule = "manual_off"
    message.link_reason = f"unlinked by hand by {actor.login}"


def unlink_call(uow: UnitOfWork, actor: Actor, call_id: int) -> None:
    actor.require(Permission.INTERACTIONS)
    access.check(uow, actor, "call", call_id)
    call = uow.session.get(CallRecord, call_id)
    if call is None:
        raise NotFoundError("Call", call_id)
    if call.interaction_id is not None:
        drop_interaction(uow.session, call.interaction_id)
    call.interaction_id = None
    call.link_rule = "manual_off"
    call.link_reason = f"unlinked by hand by {actor.login}"


def why(uow: UnitOfWork, actor: Actor, interaction_id: int) -> str | None:
    """Why an imported letter or call sits in this feed ("why is this here")."""
    access.check(uow, actor, "interaction", interaction_id)
    for model in (MailMessage, CallRecord):
        found = uow.session.execute(
            select(model.link_reason, model.link_tie)
            .where(model.interaction_id == interaction_id)
            .limit(1)
        ).first()
        if found is not None:
            return explain(uow, found.link_reason)
    return None


def explain(uow: UnitOfWork, link_reason: str | None) -> str:
    """A stored link reason as the user reads it: the card by name."""
    text = link_reason or "imported with mail sync: the address was on the card"
    return _CARD_ID.sub(lambda m: _card_name(uow, m), text, count=1)


# The job records the card by number ("… is on client 301"); people read names.
_CARD_ID = re.compile(r"\bis on (contact|client|lead) (\d+)\b")


def _card_name(uow: UnitOfWork, match: re.Match[str]) -> str:
    kind, object_id = match.group(1), int(match.group(2))
    if kind == "contact":
        query = select(Contact.full_name).where(Contact.id == object_id)
    elif kind == "client":
        query = select(Client.name).where(Client.id == object_id)
    else:
        query = select(Lead.name).where(Lead.id == object_id)
    name = uow.session.scalar(query)
    return f"is on {kind} “{name}”" if name else match.group(0)


@dataclasses.dataclass(frozen=True)
class UnlinkedLetter:
    id: int
    direction: str
    sender: str | None
    subject: str
    sent_at: dt.datetime | None
    rule: str | None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    body_state: str = "none"  # none: header only; fetched/pending/skipped otherwise


def unlinked(
    uow: UnitOfWork, actor: Actor, *, after_id: int | None = None, limit: int = 100
) -> list[UnlinkedLetter]:
    """Header-only letters of the actor's mailboxes, newest id first (keyset)."""
    query = (
        select(
            MailMessage.id,
            MailMessage.direction,
            MailMessage.from_addr,
            MailMessage.subject,
            MailMessage.sent_at,
            MailMessage.link_rule,
            MailMessage.body_state,
        )
        .join(MailAccount, MailAccount.id == MailMessage.account_id)
        .where(MailMessage.interaction_id.is_(None))
        .order_by(MailMessage.id.desc())
        .limit(limit)
    )
    if not actor.can_admin():
        query = query.where(MailAccount.user_id == actor.id)
    if after_id is not None:
        query = query.where(MailMessage.id < after_id)
    rows = uow.session.execute(query).all()
    recipients: dict[tuple[int, str], list[str]] = {}
    if rows:
        for mid, role, address in uow.session.execute(
            select(MailAddress.message_id, MailAddress.role, MailAddress.address)
            .where(
                MailAddress.message_id.in_([r.id for r in rows]),
                MailAddress.role.in_(("to", "cc")),
            )
            .order_by(MailAddress.message_id, MailAddress.address)
        ):
            recipients.setdefault((mid, role), []).append(address)
    return [
        UnlinkedLetter(
            r.id,
            r.direction,
            r.from_addr,
            r.subject,
            r.sent_at,
            r.link_rule,
            tuple(recipients.get((r.id, "to"), ())),
            tuple(recipients.get((r.id, "cc"), ())),
            r.body_state,
        )
        for r in rows
    ]
