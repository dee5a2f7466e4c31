"""Where an imported feed item comes from: the letter or call behind an
interaction ("why is this here", unlink, play the recording), and the other
side of letters that still wait for a card."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import select

from models import CallRecord, MailAddress, MailMessage
from services.core import access
from services.core.access import Actor
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.linking import manual as manual_links


@dataclasses.dataclass(frozen=True)
class ItemSource:
    interaction_id: int
    message_id: int | None  # the imported letter, if it is one
    call_id: int | None  # the imported call, if it is one
    reason: str | None  # why it sits on this card; None: entered in Touchpoint
    recording: str | None  # a call's recording file as the PBX log named it

    @property
    def imported(self) -> bool:
        return self.message_id is not None or self.call_id is not None


def _visible_interaction(uow: UnitOfWork, actor: Actor, interaction_id: int) -> None:
    access.check(uow, actor, "interaction", interaction_id)


def source_of(uow: UnitOfWork, actor: Actor, interaction_id: int) -> ItemSource:
    _visible_interaction(uow, actor, interaction_id)
    letter = uow.session.execute(
        select(MailMessage.id, MailMessage.link_reason)
        .where(MailMessage.interaction_id == interaction_id)
        .limit(1)
    ).first()
    call = uow.session.execute(
        select(CallRecord.id, CallRecord.recording, CallRecord.link_reason)
        .where(CallRecord.interaction_id == interaction_id)
        .limit(1)
    ).first()
    imported = letter if letter is not None else call
    return ItemSource(
        interaction_id=interaction_id,
        message_id=letter.id if letter is not None else None,
        call_id=call.id if call is not None else None,
        # one read of each source, where manual_links.why would read them again
        reason=manual_links.explain(uow, imported.link_reason) if imported is not None else None,
        recording=call.recording if call is not None else None,
    )


def unlink(uow: UnitOfWork, actor: Actor, interaction_id: int) -> ItemSource:
    """Take an imported letter or call off its card; the job leaves it off."""
    source = source_of(uow, actor, interaction_id)
    if source.message_id is not None:
        manual_links.unlink_message(uow, actor, source.message_id)
    elif source.call_id is not None:
        manual_links.unlink_call(uow, actor, source.call_id)
    else:
        raise ValidationError(
            "Only imported letters and calls can be unlinked; cancel this one instead",
            code="feed.sources.only_imported_letters_calls",
        )
    return source


def counterparts(uow: UnitOfWork, message_ids: Sequence[int]) -> dict[int, str]:
    """The other side of each letter: its sender for a letter in, its first
    recipient for a letter out (one query for a page of letters)."""
    if not message_ids:
        return {}
    rows = uow.session.execute(
        select(MailAddress.message_id, MailAddress.role, MailAddress.address)
        .join(MailMessage, MailMessage.id == MailAddress.message_id)
        .where(
            MailAddress.message_id.in_(list(message_ids)),
            (
                (MailMessage.direction == "in") & (MailAddress.role == "from")
                | (MailMessage.direction == "out") & MailAddress.role.in_(("to", "cc"))
            ),
        )
        .order_by(MailAddress.message_id, MailAddress.role.desc(), MailAddress.address)
    )
    found: dict[int, str] = {}
    for row in rows:
        found.setdefault(row.message_id, row.address)
    return found
