"""The checks a pushed change meets on the server, the ones its use case makes.

The role's permission for the kind, ``services.core.access.check`` on the
record (or on the card a contact point, custom value or memo belongs to),
the use cases' own validators (names, regions, zones, owners, amounts,
currencies) and the column's limits (required, length); an edit or removal
of a note, its author or an administrator (``check_authored``); a created
note, its writer's own, and a note's author never changed from a laptop
(``check_signed``).
services/sync/apply.py runs them before and after writing a pushed record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import String, select

from models import CustomField, CustomValue, Memo
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.interactions import note_edits
from services.parties import deals
from services.parties import records as parties
from services.sync import attachment_kind, scenario_kinds, tables

PERMISSION = {
    "client": Permission.CLIENTS_EDIT,
    "lead": Permission.CLIENTS_EDIT,
    "contact": Permission.CLIENTS_EDIT,
    "contact_point": Permission.CLIENTS_EDIT,
    "custom_value": Permission.CLIENTS_EDIT,
    "deal": Permission.DEALS,
    "interaction": Permission.INTERACTIONS,
    "note": Permission.INTERACTIONS,
    "task": Permission.INTERACTIONS,
    "memo": Permission.INTERACTIONS,
    "email_template": Permission.INTERACTIONS,
    "scenario_run": Permission.INTERACTIONS,
    "scenario_run_step": Permission.INTERACTIONS,
}

Validator = Callable[[UnitOfWork, Actor, Any], Any]


def _name(what: str) -> Validator:
    return lambda _uow, _actor, value: parties.typed_name(value or "", what)


def _owner(uow: UnitOfWork, actor: Actor, value: Any) -> Any:
    return parties.owner_id_for(uow, actor, value) if value is not None else None


VALIDATORS: dict[tuple[str, str], Validator] = {
    ("client", "name"): _name("Client name"),
    ("lead", "name"): _name("Lead name"),
    ("contact", "full_name"): _name("Contact name"),
    ("deal", "title"): _name("Deal title"),
    ("client", "region"): lambda _u, _a, v: parties.check_region(v),
    ("lead", "region"): lambda _u, _a, v: parties.check_region(v),
    ("client", "timezone"): lambda _u, _a, v: parties.check_zone(v),
    ("lead", "timezone"): lambda _u, _a, v: parties.check_zone(v),
    ("client", "owner_id"): _owner,
    ("lead", "owner_id"): _owner,
    ("deal", "owner_id"): _owner,
    ("deal", "amount"): lambda _u, _a, v: deals.parse_amount(v),
    ("deal", "currency"): lambda _u, _a, v: deals.check_currency(v) if v else v,
    **attachment_kind.VALIDATORS,
}


def column_limits(kind: tables.SyncKind, column: str, value: Any) -> None:
    col = kind.model.__table__.c[column]
    if value is None and not col.nullable and col.default is None:
        raise ValidationError(
            f"{column} may not be empty",
            column,
            code="sync.apply.required",
            params={"field": column},
        )
    limit = col.type.length if isinstance(col.type, String) else None
    if limit and isinstance(value, str) and len(value) > limit:
        raise ValidationError(
            f"{column} is longer than {limit} characters",
            column,
            code="sync.apply.too_long",
            params={"field": column, "limit": str(limit)},
        )


def validated(
    uow: UnitOfWork, actor: Actor, kind: tables.SyncKind, values: dict[str, Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, value in values.items():
        check = VALIDATORS.get((kind.kind, column))
        cleaned = check(uow, actor, value) if check is not None else value
        column_limits(kind, column, cleaned)
        out[column] = cleaned
    return out


def check_record(
    uow: UnitOfWork, actor: Actor, kind: str, obj: Any, tr: tables.Translator | None = None
) -> None:
    """``access.check`` on the record, or on the card it belongs to
    (``tr``: the action's translator, which knows the custom fields' kinds)."""
    permission = PERMISSION.get(kind)
    if permission is not None:
        actor.require(permission)
    if kind in access.RECORD_KINDS:
        access.check(uow, actor, kind, obj.id)
        return
    card: tuple[str, int] | None = None
    if kind == "contact_point":
        for column, card_kind in (
            ("contact_id", "contact"),
            ("client_id", "client"),
            ("lead_id", "lead"),
        ):
            if getattr(obj, column) is not None:
                card = (card_kind, getattr(obj, column))
                break
    elif kind == "custom_value":
        assert isinstance(obj, CustomValue)
        entity = _field_kind(uow, obj.field_id, tr)
        if entity is not None:
            card = (entity, obj.entity_id)
    elif kind == "memo":
        assert isinstance(obj, Memo)
        card = (obj.object_kind, obj.object_id)
    elif kind == "attachment":
        attachment_kind.check_cards(uow, actor, obj)
    elif kind in scenario_kinds.RECORDS:
        card = scenario_kinds.card_of(uow.session, kind, obj)
    elif kind == "email_template" and obj.author_id != actor.id and not actor.can_admin():
        raise access.PermissionDenied(
            "Only its author or an administrator may change a template",
            code="sync.apply.template_author",
        )
    if card is not None:
        access.check(uow, actor, card[0], card[1])


def _field_kind(uow: UnitOfWork, field_id: int, tr: tables.Translator | None) -> str | None:
    """The kind of card a custom field's values are on; None for no such field."""
    if tr is None:
        return uow.session.scalar(select(CustomField.entity_kind).where(CustomField.id == field_id))
    try:
        return tr.entity_kind(field_id)
    except LookupError:
        return None


def check_authored(actor: Actor, kind: str, obj: Any) -> None:
    """A note is its author's words: a pushed edit or removal of a
    colleague's note (its mentions too) is refused as the use case refuses
    it, whatever the laptop's copy allowed (services/interactions/note_edits.py)."""
    if kind == "note":
        note_edits.check_author(actor, obj.id, obj.author_id)


def check_signed(actor: Actor, kind: str, values: dict[str, Any], obj: Any = None) -> None:
    """A created note is written in its writer's name, as ``notes.add_note``
    writes it (``author_id`` is the actor), and no use case changes a note's
    author: a laptop may not push a note "by" a colleague nor re-sign one
    (``obj``: the edited note), administrator or not (the team server's
    triggers, 0047 and 0049, refuse a raw one to anyone but an administrator)."""
    if kind != "note" or ("author_id" not in values and obj is not None):
        return
    if obj is None and values.get("author_id") != actor.id:
        raise access.PermissionDenied(
            "A new note is signed by its writer: this one names a colleague as its author",
            code="sync.apply.note_author",
        )
    if obj is not None and values["author_id"] != obj.author_id:
        raise access.PermissionDenied(
            "A note's author is not changed from a laptop", code="sync.apply.note_resigned"
        )
