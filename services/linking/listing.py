"""What an admin or a check sees of stored letters and calls: where each
letter sits on the server and what became of it, and each call with its
link ("mail letters", "calls list"). Keyset pages by id."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from models import CallRecord, MailAccount, MailFolder, MailLocation, MailMessage
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork

MAX_PAGE = 5000


@dataclasses.dataclass(frozen=True)
class StoredLetter:
    """One place a letter sits (a letter in two folders is two rows)."""

    id: int  # the letter
    account_id: int
    message_key: str  # the Message-ID, or a synthetic key from the headers
    folder: str | None
    uidvalidity: int | None
    uid: int | None
    state: str  # header-only | imported | skipped
    body_state: str  # none | pending | fetched | skipped
    direction: str
    interaction_id: int | None
    link_rule: str | None  # auto | manual | manual_off | None
    subject: str


def _state(interaction_id: int | None, body_state: str) -> str:
    if body_state == "skipped":
        return "skipped"
    return "imported" if interaction_id is not None else "header-only"


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(
            f"Page size must be between 1 and {MAX_PAGE}",
            code="linking.listing.page_size_must_between",
            params={"max_page": str(MAX_PAGE)},
        )
    return limit


def letters(
    uow: UnitOfWork,
    actor: Actor,
    *,
    account_id: int | None = None,
    folder: str | None = None,
    after_id: int | None = None,
    limit: int = 500,
) -> list[StoredLetter]:
    """Letters of the actor's mailboxes (every mailbox for an admin), oldest
    id first; ``after_id`` continues after the last letter of a page."""
    page = (
        select(MailMessage.id)
        .join(MailAccount, MailAccount.id == MailMessage.account_id)
        .order_by(MailMessage.id)
        .limit(_limit(limit))
    )
    if not actor.can_admin():
        page = page.where(MailAccount.user_id == actor.id)
    if account_id is not None:
        access.check(uow, actor, "account", account_id)
        page = page.where(MailMessage.account_id == account_id)
    if after_id is not None:
        page = page.where(MailMessage.id > after_id)
    if folder is not None:
        page = page.where(
            MailMessage.id.in_(
                select(MailLocation.message_id)
                .join(MailFolder, MailFolder.id == MailLocation.folder_id)
                .where(MailFolder.name == folder)
            )
        )
    ids = list(uow.session.scalars(page))
    if not ids:
        return []
    rows = uow.session.execute(
        select(
            MailMessage.id,
            MailMessage.account_id,
            MailMessage.message_key,
            MailMessage.body_state,
            MailMessage.direction,
            MailMessage.interaction_id,
            MailMessage.link_rule,
            MailMessage.subject,
            MailFolder.name,
            MailLocation.uidvalidity,
            MailLocation.uid,
        )
        .outerjoin(MailLocation, MailLocation.message_id == MailMessage.id)
        .outerjoin(MailFolder, MailFolder.id == MailLocation.folder_id)
        .where(MailMessage.id.in_(ids))
        .order_by(MailMessage.id, MailFolder.name, MailLocation.uid)
    )
    return [
        StoredLetter(
            r.id,
            r.account_id,
            r.message_key,
            r.name,
            r.uidvalidity,
            r.uid,
            _state(r.interaction_id, r.body_state),
            r.body_state,
            r.direction,
            r.interaction_id,
            r.link_rule,
            r.subject,
        )
        for r in rows
        if folder is None or r.name == folder
    ]


@dataclasses.dataclass(frozen=True)
class StoredCall:
    id: int
    source: str
    call_key: str
    started_at: dt.datetime
    direction: str
    number: str
    duration_s: int | None
    result: str | None
    recording: str | None
    interaction_id: int | None
    link_rule: str | None  # auto | manual | manual_off | None
    tie: bool


def calls(
    uow: UnitOfWork,
    actor: Actor,
    *,
    unlinked: bool = False,
    after_id: int | None = None,
    limit: int = 500,
) -> list[StoredCall]:
    """Imported calls, oldest id first; ``unlinked``: only those on no card."""
    actor.require(Permission.INTERACTIONS)
    query = (
        select(CallRecord)
        .where(access.visible_calls(actor))
        .order_by(CallRecord.id)
        .limit(_limit(limit))
    )
    if unlinked:
        query = query.where(CallRecord.interaction_id.is_(None))
    if after_id is not None:
        query = query.where(CallRecord.id > after_id)
    return [
        StoredCall(
            c.id,
            c.source,
            c.call_key,
            c.started_at,
            c.direction,
            c.number,
            c.duration_s,
            c.result,
            c.recording,
            c.interaction_id,
            c.link_rule,
            c.link_tie,
        )
        for c in uow.session.scalars(query)
    ]
