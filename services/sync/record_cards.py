"""The card a synced record belongs to, on this laptop (#20).

The conflict list names a record and its field; to look at it or change it
again the user needs its card: a client, lead or deal is its own card, an
interaction, note, task, attachment or contact detail the card it sits on,
a contact person (and what belongs to one) its client's or lead's card, a
memo its object's. ``None`` when the record is gone from the laptop.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models import Client, Contact, CustomField, CustomValue, Deal, Interaction, Lead
from models.notes import Memo

Card = tuple[str, int]
OWN_CARDS: tuple[tuple[Any, str], ...] = ((Client, "client"), (Lead, "lead"), (Deal, "deal"))
# a record's own columns naming its card, the most general first: an
# interaction on a client's deal opens the client, whose feed shows it
CARD_COLUMNS = (("client_id", "client"), ("lead_id", "lead"), ("deal_id", "deal"))


def card_of(session: Session, obj: Any, *, depth: int = 0) -> Card | None:
    if obj is None or depth > 3:
        return None
    for model, kind in OWN_CARDS:
        if isinstance(obj, model):
            return (kind, obj.id)
    if isinstance(obj, Memo | CustomValue):
        object_kind, object_id = _object_of(session, obj)
        if object_kind == "contact":
            return card_of(session, session.get(Contact, object_id), depth=depth + 1)
        if object_kind in ("client", "lead", "deal"):
            return (str(object_kind), object_id)
        return None
    for column, kind in CARD_COLUMNS:
        value = getattr(obj, column, None)
        if isinstance(value, int):
            return (kind, value)
    contact_id = getattr(obj, "contact_id", None)
    if isinstance(contact_id, int):
        return card_of(session, session.get(Contact, contact_id), depth=depth + 1)
    interaction_id = getattr(obj, "interaction_id", None)
    if isinstance(interaction_id, int):
        return card_of(session, session.get(Interaction, interaction_id), depth=depth + 1)
    return None


def _object_of(session: Session, obj: Memo | CustomValue) -> tuple[str | None, int]:
    if isinstance(obj, Memo):
        return obj.object_kind, obj.object_id
    field = session.get(CustomField, obj.field_id)
    return (field.entity_kind if field is not None else None), obj.entity_id
