"""User-defined fields of clients and contacts, typed and validated."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from models import CustomField, CustomValue
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork

TYPES = ("text", "number", "date", "bool")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def define(
    uow: UnitOfWork, actor: Actor, entity_kind: str, code: str, label: str, value_type: str = "text"
) -> int:
    actor.require(Permission.SETTINGS)
    if entity_kind not in ("client", "contact"):
        raise ValidationError("Custom fields exist for clients and contacts only")
    if not CODE.match(code):
        raise ValidationError(
            f"Field code {code!r} must be lowercase letters, digits and _ and start with a letter"
        )
    if value_type not in TYPES:
        raise ValidationError(f"Unknown field type {value_type!r}; use one of {', '.join(TYPES)}")
    exists = uow.session.scalar(
        select(CustomField.id).where(
            CustomField.entity_kind == entity_kind, CustomField.code == code
        )
    )
    if exists is not None:
        raise ValidationError(f"A {entity_kind} field {code!r} exists already")
    field = CustomField(
        entity_kind=entity_kind, code=code, label=label.strip() or code, value_type=value_type
    )
    uow.session.add(field)
    uow.session.flush()
    return field.id


def _coerce(field: CustomField, value: str) -> str:
    value = value.strip()
    try:
        if field.value_type == "number":
            return str(Decimal(value.replace(",", ".")))
        if field.value_type == "date":
            return dt.date.fromisoformat(value).isoformat()
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            f"{field.label}: {value!r} is not a valid {field.value_type}", field.code
        ) from exc
    if field.value_type == "bool":
        lowered = value.lower()
        if lowered in ("1", "true", "yes", "да"):
            return "true"
        if lowered in ("0", "false", "no", "нет"):
            return "false"
        raise ValidationError(f"{field.label}: {value!r} is not yes or no", field.code)
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
            raise ValidationError(f"Unknown {entity_kind} field {code!r} (known: {known})")
        row = uow.session.get(CustomValue, (field.id, entity_id))
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
