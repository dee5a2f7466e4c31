"""What a user does with the template library: one function per action,
shared by ``touchpoint templates`` and Settings → Templates.

Each opens its own unit of work, commits it, and returns the saved view
with the ``Changes`` that let an open template picker reload.
"""

from __future__ import annotations

from collections.abc import Callable

from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.storage import Database, UnitOfWork
from services.templates import store
from services.templates.store import TemplateView


def _saved(
    db: Database, actor: Actor, fn: Callable[[UnitOfWork], TemplateView], kind: str
) -> Outcome[TemplateView]:
    with db.uow(actor.id, durable=True) as uow:
        view = fn(uow)
        uow.commit()
    ids = {"template": [view.id]}
    return Outcome(view, Changes.of(created=ids) if kind == "created" else Changes.of(updated=ids))


def add_template(
    db: Database, actor: Actor, name: str, subject: str, body: str, *, ai: bool = False
) -> Outcome[TemplateView]:
    """A new template, checked in the sandbox before it is saved."""
    return _saved(
        db, actor, lambda uow: store.create(uow, actor, name, subject, body, ai=ai), "created"
    )


def edit_template(
    db: Database,
    actor: Actor,
    template_id: int,
    *,
    name: str | None = None,
    subject: str | None = None,
    body: str | None = None,
    ai: bool | None = None,
    active: bool | None = None,
    row_version: int | None = None,
) -> Outcome[TemplateView]:
    """Change what is given (reactivate with ``active``); ``row_version``
    refuses the save when someone else saved the template meanwhile."""
    return _saved(
        db,
        actor,
        lambda uow: store.update(
            uow,
            actor,
            template_id,
            name=name,
            subject=subject,
            body=body,
            ai=ai,
            active=active,
            row_version=row_version,
        ),
        "updated",
    )


def deactivate_template(db: Database, actor: Actor, template_id: int) -> Outcome[TemplateView]:
    """Hide a template from the picker; it stays for the record."""
    return _saved(db, actor, lambda uow: store.deactivate(uow, actor, template_id), "updated")
