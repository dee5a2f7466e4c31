"""Colleagues: who can own a client, a deal, an interaction or a task.

Every picker of a person (the owner filter of a feed, a task's assignee, an
interaction's owner, an @mention) offers these users, so a manager can hand
work to a colleague and see whose work a feed shows.
"""

from __future__ import annotations

from sqlalchemy import select

from models import User
from services.core.access import Actor
from services.core.storage import UnitOfWork
from services.core.views import UserView


def _view(user: User) -> UserView:
    return UserView(
        id=user.id,
        login=user.login,
        full_name=user.full_name,
        role=user.role.name if user.role else None,
        permissions=tuple(sorted(user.role.permissions if user.role else ())),
    )


def users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    """Active users with their role, by name; the acting user is always
    among them (they may own their own work even when just deactivated)."""
    rows = uow.session.scalars(
        select(User)
        .where((User.active.is_(True)) | (User.id == actor.id))
        .order_by(User.full_name, User.id)
    ).all()
    return [_view(u) for u in rows]
