"""First-start data and the acting user.

A fresh database gets the standard roles, one user (the computer's login,
as administrator) and a sales pipeline, so the app is usable at once.
"""

from __future__ import annotations

import getpass
import os
import unicodedata

from sqlalchemy import func, select, text

from models import Pipeline, Role, Stage, User
from services.core.access import (
    ALL_PERMISSIONS,
    MANAGER_PERMISSIONS,
    Actor,
    Permission,
    PermissionDenied,
)
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork

DEFAULT_STAGES = (
    ("Qualification", None),
    ("Proposal", None),
    ("Negotiation", None),
    ("Won", "won"),
    ("Lost", "lost"),
)


def os_login() -> str:
    try:
        login = getpass.getuser() or "admin"
    except Exception:  # noqa: BLE001 - getuser raises OSError or KeyError in odd setups
        return "admin"
    if any(unicodedata.category(char) == "Cc" for char in login):  # from $USER/$LOGNAME
        raise UserError(
            f"The login {login!r} contains control characters: it cannot be a user",
            code="core.bootstrap.login_contains_control_characters",
            params={"login": repr(login)},
        )
    return login


def ensure_initial_data(db: Database, *, first_login: str | None = None) -> None:
    """The standard roles, a pipeline and the first administrator: the
    computer's login, or ``first_login`` (a team database's owner)."""
    # Asked on every start: look first without the write lock, so a start
    # never waits on a writer (a long import) once the data is there.
    with db.reader() as uow:
        if uow.session.scalar(select(func.count()).select_from(User)):
            return
    with db.uow() as uow:
        session = uow.session
        if session.scalar(select(func.count()).select_from(User)):
            return
        admin = Role(name="Administrator", permissions=list(ALL_PERMISSIONS))
        manager = Role(name="Manager", permissions=list(MANAGER_PERMISSIONS))
        session.add_all([admin, manager])
        session.flush()
        login = first_login or os_login()
        session.add(User(login=login, full_name=login, role_id=admin.id))
        if not session.scalar(select(func.count()).select_from(Pipeline)):
            pipeline = Pipeline(name="Sales", requires_planned=False)
            session.add(pipeline)
            session.flush()
            session.add_all(
                Stage(pipeline_id=pipeline.id, name=name, position=i, outcome=outcome)
                for i, (name, outcome) in enumerate(DEFAULT_STAGES)
            )
        uow.commit()


def actor_for(uow: UnitOfWork, login: str | None = None) -> Actor:
    """The named user, else ``TOUCHPOINT_USER``, else the computer's login,
    else the first administrator (a single-user laptop database)."""
    wanted = login or os.environ.get("TOUCHPOINT_USER")
    session = uow.session
    user = None
    if wanted:
        user = session.scalar(select(User).where(User.login == wanted))
        if user is None:
            raise UserError(
                f"No user with login {wanted!r}",
                code="core.bootstrap.no_user_login",
                params={"wanted": repr(wanted)},
            )
    else:
        user = session.scalar(select(User).where(User.login == os_login()))
        if user is None:
            user = session.scalar(select(User).where(User.active.is_(True)).order_by(User.id))
    if user is None:
        raise UserError(
            "The database has no users yet", code="core.bootstrap.database_has_no_users"
        )
    if not user.active:
        raise UserError(
            f"User {user.login!r} is deactivated",
            code="core.bootstrap.user_deactivated",
            params={"login": repr(user.login)},
        )
    # The audit trail of this unit of work records this user as the author.
    uow.actor_id = user.id
    session.info["actor_id"] = user.id
    permissions = frozenset(user.role.permissions if user.role else ())
    return Actor(
        id=user.id,
        login=user.login,
        full_name=user.full_name,
        permissions=permissions,
        also_sees=_also_sees(uow, user, permissions),
    )


def _also_sees(uow: UnitOfWork, user: User, permissions: frozenset[str]) -> frozenset[int]:
    """The service layer's copy of the team policies' ``tp_owners()``."""
    import datetime as dt

    from models import Deputy

    now = dt.datetime.now(dt.UTC)
    seen = set(
        uow.session.scalars(
            select(Deputy.absent_id).where(Deputy.deputy_id == user.id, Deputy.until > now)
        )
    )
    if user.department and Permission.CLIENTS_VIEW_DEPARTMENT.value in permissions:
        seen |= set(uow.session.scalars(select(User.id).where(User.department == user.department)))
    seen.discard(user.id)
    return frozenset(seen)


def database_login(uow: UnitOfWork) -> str | None:
    """The login the server authenticated (PostgreSQL), None for a local file."""
    if uow.session.get_bind().dialect.name != "postgresql":
        return None
    return str(uow.session.execute(text("SELECT session_user")).scalar_one())


def session_actor(uow: UnitOfWork, requested: str | None = None) -> Actor:
    """Who acts for the CLI or the window (#15 item 6).

    ``--user`` is not a password: on the embedded database whoever can open
    the file already owns everything in it, so the computer's login (or
    ``--user``) picks the user. On PostgreSQL the server authenticated a
    login, and that login decides: naming another one is refused rather
    than letting anyone with a connection act as the administrator.
    """
    wanted = requested or os.environ.get("TOUCHPOINT_USER") or None
    db_login = database_login(uow)
    if db_login is None:
        return actor_for(uow, wanted)
    if wanted and wanted != db_login:
        raise PermissionDenied(
            f"On PostgreSQL the database login decides who acts: this connection is "
            f"{db_login!r}, so --user {wanted!r} is refused; connect as that login "
            f"(postgresql://{wanted}@host/db) instead",
            code="core.bootstrap.postgresql_database_login_decides",
            params={"db_login": repr(db_login), "wanted": repr(wanted), "wanted2": str(wanted)},
        )
    has_user = uow.session.scalar(select(User.id).where(User.login == db_login))
    if not has_user and _team_login(uow):
        raise PermissionDenied(
            f"The database login {db_login!r} has no Touchpoint user here: an administrator "
            "adds colleagues with 'touchpoint admin add-user'",
            code="core.bootstrap.database_login_has_no",
            params={"db_login": repr(db_login)},
        )
    return actor_for(uow, db_login if has_user else None)


def _team_login(uow: UnitOfWork) -> bool:
    """A member of a team group role (``services.core.team``): never the
    owner's single-user fallback to the first administrator."""
    return bool(
        uow.session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_auth_members m"
                " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
                " WHERE u.rolname = session_user"
                " AND g.rolname IN ('tp_admin', 'tp_head', 'tp_manager', 'tp_readonly'))"
            )
        ).scalar()
    )
