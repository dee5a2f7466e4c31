"""The editable list of interaction types (SPEC A1, seed 000): add, rename,
reorder, hide. Built-in types keep their code (and so their icon); a hidden
type is no longer offered for new interactions, while the ones logged with
it keep it and still show in feeds and filters.
"""

from __future__ import annotations

import dataclasses
import re

from sqlalchemy import func, select

from models import InteractionType, folding
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import Database, UnitOfWork

MAX_NAME = 100
MAX_TYPES = 200
_CODE_CHARS = re.compile(r"[^a-z0-9]+")


@dataclasses.dataclass(frozen=True)
class TypeView:
    code: str
    name_en: str
    name_ru: str
    builtin: bool
    position: int
    hidden: bool


def _view(t: InteractionType) -> TypeView:
    return TypeView(
        code=t.code,
        name_en=t.name_en,
        name_ru=t.name_ru,
        builtin=t.builtin,
        position=t.position,
        hidden=t.hidden,
    )


def _ordered(uow: UnitOfWork) -> list[InteractionType]:
    return list(
        uow.session.scalars(
            select(InteractionType).order_by(InteractionType.position, InteractionType.code)
        )
    )


def types(uow: UnitOfWork, *, include_hidden: bool = True) -> list[TypeView]:
    """Every type in the user's order (the visible ones only when asked)."""
    return [_view(t) for t in _ordered(uow) if include_hidden or not t.hidden]


def _name(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError(
            f"The {what} is empty",
            what,
            code="interactions.types.empty",
            params={"what": str(what)},
        )
    if len(text) > MAX_NAME:
        raise ValidationError(
            f"The {what} is longer than {MAX_NAME} characters",
            what,
            code="interactions.types.longer_than_characters",
            params={"what": str(what), "max_name": str(MAX_NAME)},
        )
    return text


def _get(uow: UnitOfWork, code: str) -> InteractionType:
    found = uow.session.get(InteractionType, code.strip().lower())
    if found is None:
        raise NotFoundError("Interaction type", code)
    return found


def _new_code(uow: UnitOfWork, name_en: str) -> str:
    base = _CODE_CHARS.sub("_", folding.fold(name_en).lower()).strip("_")[:24] or "type"
    if not base[0].isalpha():
        base = f"t_{base}"[:24]
    code, n = base, 1
    while uow.session.get(InteractionType, code) is not None:
        n += 1
        code = f"{base}_{n}"
    return code


def _done(view: TypeView, *, created: bool = False) -> Outcome[TypeView]:
    key = {"interaction_type": [0]}  # types have a text key: "some type changed"
    return Outcome(view, Changes.of(created=key) if created else Changes.of(updated=key))


def add_type(db: Database, actor: Actor, name_en: str, name_ru: str = "") -> Outcome[TypeView]:
    """A new type at the end of the list; its code comes from the English name."""
    actor.require(Permission.SETTINGS)
    name_en = _name(name_en, "English name")
    name_ru = _name(name_ru, "Russian name") if name_ru.strip() else name_en
    with db.uow(actor.id) as uow:
        existing = _ordered(uow)
        if len(existing) >= MAX_TYPES:
            raise ValidationError(
                f"There are {MAX_TYPES} types already: hide or rename one",
                code="interactions.types.there_are_types_already",
                params={"max_types": str(MAX_TYPES)},
            )
        folded = {folding.fold(n).lower() for t in existing for n in (t.name_en, t.name_ru)}
        if folding.fold(name_en).lower() in folded:
            raise ValidationError(
                f"A type named {name_en!r} exists already",
                "name",
                code="interactions.types.type_named_exists_already",
                params={"name_en": repr(name_en)},
            )
        last = uow.session.scalar(select(func.max(InteractionType.position))) or 0
        row = InteractionType(
            code=_new_code(uow, name_en),
            name_en=name_en,
            name_ru=name_ru,
            builtin=False,
            position=last + 1,
            hidden=False,
        )
        uow.session.add(row)
        uow.session.flush()
        view = _view(row)
        uow.commit()
    return _done(view, created=True)


def rename_type(
    db: Database, actor: Actor, code: str, name_en: str | None = None, name_ru: str | None = None
) -> Outcome[TypeView]:
    """New names; the code (and a built-in type's icon) stays."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        row = _get(uow, code)
        if name_en is not None:
            row.name_en = _name(name_en, "English name")
        if name_ru is not None:
            row.name_ru = _name(name_ru, "Russian name")
        view = _view(row)
        uow.commit()
    return _done(view)


def set_hidden(db: Database, actor: Actor, code: str, hidden: bool) -> Outcome[TypeView]:
    """Hide a type from new interactions (or show it again); one stays visible."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        row = _get(uow, code)
        if hidden and not any(t.code != row.code and not t.hidden for t in _ordered(uow)):
            raise ValidationError(
                "At least one interaction type must stay visible",
                code="interactions.types.least_one_interaction_type",
            )
        row.hidden = hidden
        view = _view(row)
        uow.commit()
    return _done(view)


def move_type(db: Database, actor: Actor, code: str, index: int) -> Outcome[TypeView]:
    """Put a type at ``index`` (0: first) of the list; the others keep their order."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        rows = _ordered(uow)
        row = _get(uow, code)
        rows.remove(row)
        rows.insert(max(0, min(index, len(rows))), row)
        for position, item in enumerate(rows):
            item.position = position
        view = _view(row)
        uow.commit()
    return _done(view)
