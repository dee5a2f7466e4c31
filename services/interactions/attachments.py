"""Attachments of a card: files saved from mail (and later added by hand)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sqlalchemy import or_, select

from models import Attachment, Contact
from services.core.access import Actor
from services.core.errors import NotFoundError, ValidationError
from services.core.paths import data_dir
from services.core.storage import UnitOfWork
from services.parties import records as parties


@dataclasses.dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    mime_type: str
    size: int
    interaction_id: int | None
    created_at: dt.datetime
    path: str  # absolute path of the stored file


def list_for(
    uow: UnitOfWork, actor: Actor, kind: str, object_id: int, limit: int = 500
) -> list[AttachmentView]:
    query = select(Attachment).order_by(Attachment.created_at.desc(), Attachment.id.desc())
    if kind == "client":
        parties.check_visible(uow, actor, "client", object_id)
        query = query.where(Attachment.client_id == object_id)
    elif kind == "lead":
        parties.check_visible(uow, actor, "lead", object_id)
        query = query.where(Attachment.lead_id == object_id)
    elif kind == "contact":
        contact = uow.session.get(Contact, object_id)
        if contact is None:
            raise NotFoundError("Contact", object_id)
        query = query.where(
            or_(
                Attachment.contact_id == object_id,
                Attachment.client_id == contact.client_id
                if contact.client_id
                else Attachment.lead_id == contact.lead_id,
            )
        )
    elif kind == "deal":
        query = query.where(Attachment.deal_id == object_id)
    else:
        raise ValidationError(
            f"Attachments belong to a client, lead, contact or deal, not {kind!r}",
            code="interactions.attachments.attachments_belong_client_lead",
            params={"kind": repr(kind)},
        )
    root = data_dir()
    return [
        AttachmentView(
            a.id,
            a.filename,
            a.mime_type,
            a.size,
            a.interaction_id,
            a.created_at,
            str(root / Path(a.path)),
        )
        for a in uow.session.scalars(query.limit(limit))
    ]
