"""User-defined fields of clients, leads and contacts, typed and validated.

An administrator defines them in Settings (or ``touchpoint fields add``) with
an English and a Russian label; each card shows the ones its user chose.
Types: text, number, date (ISO), bool (yes/no) and list (one of the field's
choices).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, func, select

from models import CustomField, CustomValue
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import Database, UnitOfWork

TYPES = ("text", "number", "date", "bool", "list")
KINDS = ("client", "lead", "contact")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_LABEL = 200
MAX_OPTIONS = 100
MAX_VALUE = 2000


@dataclasses.dataclass(frozen=True)
class FieldView:
    id: int
    entity_kind: str
    code: str
    label: str  # English
    label_ru: str  # the English label when no Russian one was given
    value_type: str
    options: tuple[str, ...]  # the choices of a list field


def _view(f: CustomField) -> FieldView:
    return FieldView(
        id=f.id,
        entity_kind=f.entity_kind,
        code=f.code,
        label=f.label,
        label_ru=f.label_ru or f.label,
        value_type=f.value_type,
        options=tuple(f.options or ()),
    )


def fields(uow: UnitOfWork, entity_kind: str | None = None) -> list[FieldView]:
    """The defined fields (of one kind of card), in their order (Settings →
    Fields → Up / Down; new ones last)."""
    query = select(CustomField).order_by(
        CustomField.entity_kind, CustomField.position, CustomField.id
    )
    if entity_kind is not None:
        query = query.where(CustomField.entity_kind == entity_kind)
    return [_view(f) for f in uow.session.scalars(query)]


def _label(text: str, what: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_LABEL:
        raise ValidationError(
            f"The {what} is longer than {MAX_LABEL} characters",
            "label",
            code="parties.custom_fields.longer_than_characters",
            params={"what": str(what), "max_label": str(MAX_LABEL)},
        )
    return text


def _choices(options: Sequence[str]) -> list[str]:
    out: list[str] = []
    for option in options:
        text = _label(option, "choice")
        if text and text not in out:
            out.append(text)
    if not out:
        raise ValidationError(
            "A list field needs at least one choice",
            "options",
            code="parties.custom_fields.list_field_needs_least",
        )
    if len(out) > MAX_OPTIONS:
        raise ValidationError(
            f"A list field has at most {MAX_OPTIONS} choices",
            "options",
            code="parties.custom_fields.list_field_has_most",
            params={"max_options": str(MAX_OPTIONS)},
        )
    return out


def add_field(
    db: Database,
    actor: Actor,
    entity_kind: str,
    code: str,
    label: str,
    value_type: str = "text",
    *,
    label_ru: str = "",
    options: Sequence[str] = (),
) -> Outcome[FieldView]:
    """Settings → Fields → Add: a new field on every card of that kind."""
    with db.uow(actor.id) as uow:
        field_id = define(
            uow, actor, entity_kind, code, label, value_type, label_ru=label_ru, options=options
        )
        field = uow.session.get(CustomField, field_id)
        assert field is not None
        view = _view(field)
        uow.commit()
    return Outcome(view, Changes.of(created={"custom_field": [view.id]}))


def remove_field(db: Database, actor: Actor, entity_kind: str, code: str) -> Outcome[FieldView]:
    """Remove a field and every card's value of it (administrators)."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        field = _get(uow, entity_kind, code)
        view = _view(field)
        uow.session.execute(delete(CustomValue).where(CustomValue.field_id == field.id))
        uow.session.delete(field)
        uow.commit()
    return Outcome(view, Changes.of(removed={"custom_field": [view.id]}))


def rename_field(
    db: Database,
    actor: Actor,
    entity_kind: str,
    code: str,
    label: str | None = None,
    label_ru: str | None = None,
) -> Outcome[FieldView]:
    """New labels for a field (administrators); its code, type and values
    stay, so ``--field CODE=VALUE`` and the history keep working. An empty
    Russian label means "the English one"."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        field = _get(uow, entity_kind, code)
        if label is not None:
            text = _label(label, "label")
            if not text:
                raise ValidationError(
                    "The label must not be empty",
                    "label",
                    code="parties.custom_fields.label_empty",
                )
            field.label = text
        if label_ru is not None:
            field.label_ru = _label(label_ru, "Russian label") or None
        uow.session.flush()
        view = _view(field)
        uow.commit()
    return Outcome(view, Changes.of(updated={"custom_field": [view.id]}))


def move_field(
    db: Database, actor: Actor, entity_kind: str, code: str, index: int
) -> Outcome[FieldView]:
    """Put a field at ``index`` (0: first) among its kind's; the others keep
    their order. Cards offer the fields in this order."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        field = _get(uow, entity_kind, code)
        rows = list(
            uow.session.scalars(
                select(CustomField)
                .where(CustomField.entity_kind == entity_kind)
                .order_by(CustomField.position, CustomField.id)
            )
        )
        rows.remove(field)
        rows.insert(max(0, min(index, len(rows))), field)
        for position, row in enumerate(rows, start=1):
            row.position = position
        uow.session.flush()
        view = _view(field)
        uow.commit()
    return Outcome(view, Changes.of(updated={"custom_field": [r.id for r in rows]}))


def _get(uow: UnitOfWork, entity_kind: str, code: str) -> CustomField:
    field = uow.session.scalar(
        select(CustomField).where(CustomField.entity_kind == entity_kind, CustomField.code == code)
    )
    if field is None:
        raise NotFoundError(f"{entity_kind.capitalize()} field", code)
    return field


def define(
    uow: UnitOfWork,
    actor: Actor,
    entity_kind: str,
    code: str,
    label: str,
    value_type: str = "text",
    *,
    label_ru: str = "",
    options: Sequence[str] = (),
) -> int:
    actor.require(Permission.SETTINGS)
    if entity_kind not in KINDS:
        raise ValidationError(
            "Custom fields exist for clients, leads and contacts only",
            code="parties.custom_fields.custom_fields_exist_clients",
        )
    if not CODE.match(code):
        raise ValidationError(
            f"Field code {code!r} must be lowercase letters, digits and _ and start with a letter",
            code="parties.custom_fields.field_code_must_lowercase",
            params={"code": repr(code)},
        )
    if value_type not in TYPES:
        raise ValidationError(
            f"Unknown field type {value_type!r}; use one of {', '.join(TYPES)}",
            code="parties.custom_fields.unknown_field_type_use",
            params={"value_type": repr(value_type), "types": str(", ".join(TYPES))},
        )
    exists = uow.session.scalar(
        select(CustomField.id).where(
            CustomField.entity_kind == entity_kind, CustomField.code == code
        )
    )
    if exists is not None:
        raise ValidationError(
            f"A {entity_kind} field {code!r} exists already",
            code="parties.custom_fields.field_exists_already",
            params={"entity_kind": str(entity_kind), "code": repr(code)},
        )
    choices = _choices(options) if value_type == "list" else None
    label = _label(label, "label") or code
    last = uow.session.scalar(
        select(func.max(CustomField.position)).where(CustomField.entity_kind == entity_kind)
    )
    field = CustomField(
        entity_kind=entity_kind,
        position=(last or 0) + 1,
        code=code,
        label=label,
        label_ru=_label(label_ru, "Russian label") or None,
        value_type=value_type,
        options=choices,
    )
    uow.session.add(field)
    uow.session.flush()
    return field.id


def _coerce(field: CustomField, value: str) -> str:
    value = value.strip()
    if len(value) > MAX_VALUE:
        raise ValidationError(
            f"{field.label}: longer than {MAX_VALUE} characters",
            field.code,
            code="parties.custom_fields.longer_than_characters_2",
            params={"label": str(field.label), "max_value": str(MAX_VALUE)},
        )
    if field.value_type == "list":
        choices = field.options or []
        if value not in choices:
            raise ValidationError(
                f"{field.label}: {value!r} is not one of {', '.join(choices)}",
                field.code,
                code="parties.custom_fields.not_one",
                params={
                    "label": str(field.label),
                    "value": repr(value),
                    "choices": str(", ".join(choices)),
                },
            )
        return value
    try:
        if field.value_type == "number":
            return str(Decimal(value.replace(",", ".")))
        if field.value_type == "date":
            return dt.date.fromisoformat(value).isoformat()
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            f"{field.label}: {value!r} is not a valid {field.value_type}",
            field.code,
            code="parties.custom_fields.not_valid",
            params={
                "label": str(field.label),
                "value": repr(value),
                "value_type": str(field.value_type),
            },
        ) from exc
    if field.value_type == "bool":
        lowered = value.lower()
        if lowered in ("1", "true", "yes", "да"):
            return "true"
        if lowered in ("0", "false", "no", "нет"):
            return "false"
        raise ValidationError(
            f"{field.label}: {value!r} is not yes or no",
            field.code,
            code="parties.custom_fields.not_yes_no",
            params={"label": str(field.label), "value": repr(value)},
        )
    return value


def set_values(
    uow: UnitOfWork, entity_kind: str, entity_id: int, values: Mapping[str, str]
) -> None:
    fields = {
        f.code: f
        for f in uow.session.scalars(
            select(CustomField).where(CustomField.entity_kind == entity_kind)
        )
    }
    for code, raw in values.items():
        field = fields.get(code)
        if field is None:
            known = ", ".join(sorted(fields)) or "none defined"
            raise ValidationError(
                f"Unknown {entity_kind} field {code!r} (known: {known})",
                code="parties.custom_fields.unknown_field_known",
                params={"entity_kind": str(entity_kind), "code": repr(code), "known": str(known)},
            )
        row = uow.session.get(CustomValue, (field.id, entity_id))
        if not raw.strip():  # an emptied field: no value
            if row is not None:
                uow.session.delete(row)
            continue
        value = _coerce(field, raw)
        if row is None:
            uow.session.add(CustomValue(field_id=field.id, entity_id=entity_id, value=value))
        else:
            row.value = value


def values_of(uow: UnitOfWork, entity_kind: str, entity_id: int) -> dict[str, str]:
    rows = uow.session.execute(
        select(CustomField.code, CustomValue.value)
        .join(CustomValue, CustomValue.field_id == CustomField.id)
        .where(CustomField.entity_kind == entity_kind, CustomValue.entity_id == entity_id)
        .order_by(CustomField.id)
    ).all()
    return {r.code: r.value for r in rows}
