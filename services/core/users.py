"""Colleagues: who can own a client, a deal, an interaction or a task.

Every picker of a person (the owner filter of a feed, a task's assignee, an
interaction's owner, an @mention) offers these users, so a manager can hand
work to a colleague and see whose work a feed shows.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import Role, User
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import Database, UnitOfWork
from services.core.views import UserView

LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MAX_NAME = 200


def _view(user: User) -> UserView:
    return UserView(
        id=user.id,
        login=user.login,
        full_name=user.full_name,
        role=user.role.name if user.role else None,
        permissions=tuple(sorted(user.role.permissions if user.role else ())),
        active=user.active,
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


def roles(uow: UnitOfWork) -> list[str]:
    """The role names a colleague can be given, by name."""
    return list(uow.session.scalars(select(Role.name).order_by(Role.name)))


def _role(uow: UnitOfWork, name: str) -> Role:
    role = uow.session.scalar(select(Role).where(func.lower(Role.name) == name.strip().lower()))
    if role is None:
        raise ValidationError(
            f"Unknown role {name!r} (roles: {', '.join(roles(uow))})",
            "role",
            code="core.users.unknown_role_roles",
            params={"name": repr(name), "roles": str(", ".join(roles(uow)))},
        )
    return role


def _user(uow: UnitOfWork, login: str) -> User:
    user = uow.session.scalar(select(User).where(User.login == login.strip()))
    if user is None:
        raise NotFoundError("User", login)
    return user


def _changed(user_id: int, *, created: bool = False) -> Changes:
    ids = {"user": [user_id]}
    return Changes.of(created=ids) if created else Changes.of(updated=ids)


def add_user(
    db: Database, actor: Actor, login: str, full_name: str, role: str = "Manager"
) -> Outcome[UserView]:
    """A colleague who can then own clients, deals and work (administrators only)."""
    actor.require(Permission.SETTINGS)
    login, full_name = login.strip(), " ".join(full_name.split())
    if not LOGIN.match(login):
        raise ValidationError(
            f"Login {login!r} must be letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit",
            "login",
            code="core.users.login_must_letters_digits",
            params={"login": repr(login)},
        )
    if not full_name or len(full_name) > MAX_NAME:
        raise ValidationError(
            f"A name of 1 to {MAX_NAME} characters is needed",
            "full_name",
            code="core.users.name_characters_needed",
            params={"max_name": str(MAX_NAME)},
        )
    with db.uow(actor.id) as uow:
        found = _role(uow, role)
        if uow.session.scalar(select(User.id).where(User.login == login)) is not None:
            raise ValidationError(
                f"A user {login!r} exists already",
                "login",
                code="core.users.user_exists_already",
                params={"login": repr(login)},
            )
        user = User(login=login, full_name=full_name, role=found, active=True)
        uow.session.add(user)
        uow.session.flush()
        view = _view(user)
        uow.commit()
    return Outcome(view, _changed(view.id, created=True))


def set_role(db: Database, actor: Actor, login: str, role: str) -> Outcome[UserView]:
    """Give a colleague another role; the last active administrator keeps theirs."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        user, found = _user(uow, login), _role(uow, role)
        if Permission.SETTINGS.value not in found.permissions:
            keep_an_admin(uow, user)
        user.role = found
        uow.session.flush()
        view = _view(user)
        uow.commit()
    return Outcome(view, _changed(view.id))


def set_active(db: Database, actor: Actor, login: str, active: bool) -> Outcome[UserView]:
    """Deactivate a colleague who left (their records stay theirs) or bring
    one back; nobody can deactivate the last active administrator."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        user = _user(uow, login)
        if not active:
            keep_an_admin(uow, user)
        user.active = active
        uow.session.flush()
        view = _view(user)
        uow.commit()
    return Outcome(view, _changed(view.id))


def keep_an_admin(
    uow: UnitOfWork, leaving: User, code: str = "core.users.last_active_administrator_make"
) -> None:
    """Refused when ``leaving`` is the last active administrator: a database
    nobody can administer again. ``code``: the team's own one (a refusal
    stored with it is still worded)."""
    admins = [
        u.id
        for u in uow.session.scalars(select(User).where(User.active.is_(True)))
        if u.role is not None and Permission.SETTINGS.value in u.role.permissions
    ]
    if admins == [leaving.id]:
        raise ValidationError(
            f"{leaving.login} is the last active administrator: make another one first",
            code=code,
            params={"login": str(leaving.login)},
        )


def all_users(uow: UnitOfWork) -> list[UserView]:
    """Every user, deactivated ones too, for Settings → Users and ``users list --all``."""
    rows = uow.session.scalars(select(User).order_by(User.full_name, User.id)).all()
    return [_view(u) for u in rows]
