"""Email templates (SPEC E1, E2): variables, a sandboxed renderer, CRUD, apply.

Templates are written by users and filled with data of clients, so they are
code from one person run on data of another: ``str.format`` would expose
object attributes. Rendering uses Jinja2's ``ImmutableSandboxedEnvironment``
on plain dicts of strings, and ``validate`` refuses on save everything beyond
the listed variables, a few filters and ``if``: no calls, loops, arithmetic
or ``_private`` attributes. The sandbox is the second fence, not the first.

This module keeps CRUD and ``apply`` and re-exports the public names of
``services.templates.variables`` (the catalogue, ``context_for``) and
``services.templates.sandbox`` (the sandbox, ``validate``, ``render``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select

from models import User
from models.templates import EmailTemplate
from services.core.access import Actor, Permission, PermissionDenied
from services.core.errors import ConflictError, NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.templates.sandbox import (
    CODE,
    MAX_BODY,
    MAX_SUBJECT,
    SAFE_FILTERS,
    SAFE_TESTS,
    data_marker,
    data_names,
    render,
    validate,
)
from services.templates.variables import (
    CUSTOM_GROUPS,
    MAX_INBOUND,
    MONTHS_EN,
    MONTHS_RU,
    UNTRUSTED_VARIABLES,
    VARIABLES,
    WEEKDAYS_EN,
    WEEKDAYS_RU,
    Variable,
    available_variables,
    context_for,
    custom_field_codes,
    first_name_of,
    inbound_for,
)

__all__ = [
    "CODE",
    "CUSTOM_GROUPS",
    "MAX_BODY",
    "MAX_INBOUND",
    "MAX_NAME",
    "MAX_SUBJECT",
    "MONTHS_EN",
    "MONTHS_RU",
    "SAFE_FILTERS",
    "SAFE_TESTS",
    "UNTRUSTED_VARIABLES",
    "VARIABLES",
    "WEEKDAYS_EN",
    "WEEKDAYS_RU",
    "Draft",
    "TemplateView",
    "Variable",
    "apply",
    "available_variables",
    "context_for",
    "create",
    "data_marker",
    "data_names",
    "deactivate",
    "first_name_of",
    "get",
    "inbound_for",
    "list_templates",
    "render",
    "update",
    "validate",
]

MAX_NAME = 200


@dataclasses.dataclass(frozen=True)
class TemplateView:
    id: int
    uid: str
    name: str
    subject: str
    body: str
    ai: bool
    author_id: int
    author_name: str
    active: bool
    row_version: int


@dataclasses.dataclass(frozen=True)
class Draft:
    """A template applied to a client, contact and deal.

    Without AI ``subject`` and ``body`` are the letter. With AI ``prompt`` is
    the text the user may edit before generating the body; ``data_names``
    are the untrusted items (``last_email`` ...) the template asked for.
    """

    subject: str
    body: str
    ai: bool
    prompt: str | None
    data_names: tuple[str, ...] = ()
    template_id: int | None = None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- CRUD -------------------------------------------------------------------


def _view(uow: UnitOfWork, row: EmailTemplate) -> TemplateView:
    author = uow.session.scalar(select(User.full_name).where(User.id == row.author_id))
    return TemplateView(
        id=row.id,
        uid=row.uid,
        name=row.name,
        subject=row.subject,
        body=row.body,
        ai=row.ai,
        author_id=row.author_id,
        author_name=author or "?",
        active=row.active,
        row_version=row.row_version,
    )


def _clean_name(uow: UnitOfWork, name: str, template_id: int | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(
            "A template needs a name", "name", code="templates.store.template_needs_name"
        )
    if len(name) > MAX_NAME:
        raise ValidationError(
            f"The name is longer than {MAX_NAME} characters",
            "name",
            code="templates.store.name_longer_than_characters",
            params={"max_name": str(MAX_NAME)},
        )
    # Compared in Python: SQLite's lower() folds ASCII only, not Cyrillic;
    # templates are a few hundred rows at most.
    folded = name.casefold()
    rows = uow.session.execute(select(EmailTemplate.id, EmailTemplate.name)).all()
    if any(r.name.casefold() == folded and r.id != template_id for r in rows):
        raise ValidationError(
            f"A template named {name!r} exists already",
            "name",
            code="templates.store.template_named_exists_already",
            params={"name": repr(name)},
        )
    return name


def _row(uow: UnitOfWork, template_id: int) -> EmailTemplate:
    row = uow.session.get(EmailTemplate, template_id)
    if row is None:
        raise NotFoundError("Template", template_id)
    return row


def _may_edit(actor: Actor, row: EmailTemplate) -> None:
    if row.author_id != actor.id and not actor.can_admin():
        raise PermissionDenied(
            f"The template {row.name!r} is someone else's; an administrator may change it",
            code="templates.store.template_someone_else_administrator",
            params={"name": repr(row.name)},
        )


def check(uow: UnitOfWork, subject: str, body: str, *, ai: bool = False) -> None:
    """Validate a text exactly as saving it would, without saving it."""
    validate(subject, body, ai=ai, custom_codes=custom_field_codes(uow))


def create(
    uow: UnitOfWork, actor: Actor, name: str, subject: str, body: str, *, ai: bool = False
) -> TemplateView:
    actor.require(Permission.INTERACTIONS)
    clean = _clean_name(uow, name, None)
    validate(subject, body, ai=ai, custom_codes=custom_field_codes(uow))
    row = EmailTemplate(name=clean, subject=subject, body=body, ai=ai, author_id=actor.id)
    uow.session.add(row)
    uow.session.flush()
    return _view(uow, row)


def update(
    uow: UnitOfWork,
    actor: Actor,
    template_id: int,
    *,
    name: str | None = None,
    subject: str | None = None,
    body: str | None = None,
    ai: bool | None = None,
    active: bool | None = None,
    row_version: int | None = None,
) -> TemplateView:
    """Change what is given; ``row_version`` (from the view the user edited)
    refuses the save when someone else saved in between."""
    actor.require(Permission.INTERACTIONS)
    row = _row(uow, template_id)
    _may_edit(actor, row)
    if row_version is not None and row_version != row.row_version:
        raise ConflictError(
            f"Someone else changed the template {row.name!r} meanwhile; reload it and try again",
            code="templates.store.someone_else_changed_template",
            params={"name": repr(row.name)},
        )
    new_subject = row.subject if subject is None else subject
    new_body = row.body if body is None else body
    new_ai = row.ai if ai is None else ai
    validate(new_subject, new_body, ai=new_ai, custom_codes=custom_field_codes(uow))
    if name is not None:
        row.name = _clean_name(uow, name, row.id)
    row.subject, row.body, row.ai = new_subject, new_body, new_ai
    if active is not None:
        row.active = active
    uow.session.flush()
    return _view(uow, row)


def deactivate(uow: UnitOfWork, actor: Actor, template_id: int) -> TemplateView:
    """Hide a template from the picker; it stays for the record."""
    actor.require(Permission.INTERACTIONS)
    row = _row(uow, template_id)
    _may_edit(actor, row)
    row.active = False
    uow.session.flush()
    return _view(uow, row)


def get(uow: UnitOfWork, actor: Actor, template_id: int) -> TemplateView:
    return _view(uow, _row(uow, template_id))


def list_templates(
    uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False
) -> list[TemplateView]:
    """Templates by name; templates are shared by every user of the database."""
    query = select(EmailTemplate).order_by(EmailTemplate.name, EmailTemplate.id)
    if not include_inactive:
        query = query.where(EmailTemplate.active.is_(True))
    return [_view(uow, row) for row in uow.session.scalars(query)]


# --- applying ---------------------------------------------------------------


def _ai_context(context: Mapping[str, Any], names: Collection[str]) -> dict[str, Any]:
    return dict(context) | {"inbound": {name: data_marker(name) for name in names}}


def apply(
    uow: UnitOfWork,
    actor: Actor,
    template_id: int,
    client_id: int | None,
    contact_id: int | None,
    deal_id: int | None,
    now: dt.datetime,
) -> Draft:
    """Fill a template in (SPEC E2): the letter, or for an AI template the
    subject and the prompt the user may edit before generating."""
    actor.require(Permission.INTERACTIONS)
    row = _row(uow, template_id)
    if not row.active:
        raise ValidationError(
            f"The template {row.name!r} is deactivated",
            "template",
            code="templates.store.template_deactivated",
            params={"name": repr(row.name)},
        )
    context = context_for(uow, actor, client_id, contact_id, deal_id, now)
    try:
        validate(row.subject, row.body, ai=row.ai, custom_codes=custom_field_codes(uow))
    except ValidationError as exc:
        raise ValidationError(
            f"The template {row.name!r} needs fixing: {exc}",
            "template",
            code="templates.store.template_needs_fixing",
            params={"name": repr(row.name), "exc": str(exc)},
        ) from None
    subject = _one_line(render(row.subject, context))
    if not row.ai:
        return Draft(subject, render(row.body, context), False, None, (), row.id)
    names = data_names(row.body)
    prompt = render(row.body, _ai_context(context, names)).strip()
    return Draft(subject, "", True, prompt, names, row.id)
