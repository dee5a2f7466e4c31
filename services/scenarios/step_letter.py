"""Finishing a claimed step: its text on the planned interaction and, for an
auto-send letter, the letter in the outbox, in one durable transaction that
also records ``outbox_id``, only while the claim's token is still ours, so a
letter is never queued twice nor lost.
"""

from __future__ import annotations

import datetime as dt
from email.utils import make_msgid

from sqlalchemy import select

from models import ContactPoint, Interaction, MailAccount, OutboxItem, ScenarioRun, ScenarioRunStep
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork
from services.interactions.interaction_input import MAX_SUBJECT, search_text
from services.scenarios.step_claims import Claimed
from services.scenarios.step_text import Text


def _sender(uow: UnitOfWork, owner_id: int, started_by: int) -> MailAccount:
    for user_id in (owner_id, started_by):
        account = uow.session.scalar(
            select(MailAccount)
            .where(MailAccount.user_id == user_id, MailAccount.enabled.is_(True))
            .order_by(MailAccount.id)
            .limit(1)
        )
        if account is not None:
            return account
    raise UserError(
        "No mailbox to send from: add one in Settings → Mail", code="scenarios.runner.no_mailbox"
    )


def _recipient(uow: UnitOfWork, contact_id: int) -> str:
    address = uow.session.scalar(
        select(ContactPoint.normalized)
        .where(ContactPoint.contact_id == contact_id, ContactPoint.kind == "email")
        .order_by(ContactPoint.id)
        .limit(1)
    )
    if not address:
        raise UserError(
            "The contact person has no email address", code="scenarios.runner.no_address"
        )
    return address


def queue_letter(
    uow: UnitOfWork, step: ScenarioRunStep, interaction: Interaction, now: dt.datetime
) -> OutboxItem:
    """The planned interaction's letter into the outbox, due now."""
    run = uow.session.get(ScenarioRun, step.run_id)
    assert run is not None
    account = _sender(uow, interaction.owner_id, run.started_by)
    key = make_msgid(domain=account.email.rsplit("@", 1)[-1])[1:-1]
    item = OutboxItem(
        account_id=account.id,
        interaction_id=interaction.id,
        message_key=key,
        to_addrs=_recipient(uow, run.contact_id),
        cc_addrs="",
        subject=interaction.subject or "",
        body_text=interaction.body or "",
        send_at=now,
        state="queued",
    )
    uow.session.add(item)
    # So the sync of Sent links the letter to this interaction, not a new one.
    interaction.source_kind, interaction.source_key = "email", key
    uow.session.flush()
    return item


def finish(db: Database, job: Claimed, text: Text, now: dt.datetime) -> str:
    """Record the text and queue the letter, if the step is still ours:
    "queued", "written", or "lost" (another runner took it after our lease)."""
    with db.uow(durable=True) as uow:
        step = uow.session.get(ScenarioRunStep, job.step_id)
        assert step is not None
        if step.state != "running" or step.claim_token != job.token:
            return "lost"
        interaction = uow.session.get(Interaction, job.interaction_id)
        assert interaction is not None
        if not text.subject.strip() and job.auto_send:
            raise UserError("The letter has no subject", code="scenarios.runner.no_subject")
        interaction.subject = text.subject.strip()[:MAX_SUBJECT] or None
        interaction.body = text.body
        interaction.search_text = search_text(interaction.subject, interaction.body)
        step.claim_token, step.claimed_until = None, None
        step.last_error, step.next_try_utc = "", None
        if job.auto_send:
            item = queue_letter(uow, step, interaction, now)
            step.outbox_id = item.id
            step.state = "queued"
        else:
            step.state = "ready"
        uow.commit()
    return "queued" if job.auto_send else "written"
