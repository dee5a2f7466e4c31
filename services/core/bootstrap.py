"""First-start data and the acting user.

A fresh database gets the standard roles, one user (the computer's login,
as administrator) and a sales pipeline, so the app is usable at once.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import unicodedata
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text

from models import light
from services.core import start_checks
from services.core.access import (
    ALL_PERMISSIONS,
    MANAGER_PERMISSIONS,
    Actor,
    Permission,
    PermissionDenied,
)
from services.core.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from services.core.storage import Database, UnitOfWork

    Reads = Connection | Session

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
    with db.read_connection() as conn:
        if start_checks.has_users(conn):
            return
    from sqlalchemy import func

    from models import Pipeline, Role, Stage, User

    with db.uow() as uow:
        session = uow.session
        if start_checks.has_users(session):
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
    return _acting(uow, who_acts_locally(uow.session, login))


def _acting(uow: UnitOfWork, actor: Actor) -> Actor:
    # The audit trail of this unit of work records this user as the author.
    uow.actor_id = actor.id
    uow.session.info["actor_id"] = actor.id
    return actor


_USER_COLUMNS = (
    light.users.c.id,
    light.users.c.login,
    light.users.c.full_name,
    light.users.c.active,
    light.users.c.department,
    light.roles.c.permissions,
)


def _user(reads: Reads, *where: Any) -> Any:
    users = light.users
    query = select(*_USER_COLUMNS).select_from(
        users.outerjoin(light.roles, light.roles.c.id == users.c.role_id)
    )
    return reads.execute(query.where(*where).order_by(users.c.id).limit(1)).first()


def who_acts_locally(reads: Reads, login: str | None = None) -> Actor:
    """``actor_for``'s answer with Core statements, on a session or a bare
    connection (the CLI's quick reads): the same rule, one place."""
    wanted = login or os.environ.get("TOUCHPOINT_USER")
    users = light.users.c
    user = None
    if wanted:
        user = _user(reads, users.login == wanted)
        if user is None:
            raise UserError(
                f"No user with login {wanted!r}",
                code="core.bootstrap.no_user_login",
                params={"wanted": repr(wanted)},
            )
    else:
        user = _user(reads, users.login == os_login())
        if user is None:
            user = _user(reads, users.active.is_(True))
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
    permissions = frozenset(user.permissions or ())
    return Actor(
        id=user.id,
        login=user.login,
        full_name=user.full_name,
        permissions=permissions,
        also_sees=_also_sees(reads, user, permissions),
    )


def _also_sees(reads: Reads, user: Any, permissions: frozenset[str]) -> frozenset[int]:
    """The service layer's copy of the team policies' ``tp_owners()``."""
    now = dt.datetime.now(dt.UTC)
    deputies = light.deputies.c
    seen = set(
        reads.scalars(
            select(deputies.absent_id).where(deputies.deputy_id == user.id, deputies.until > now)
        )
    )
    if user.department and Permission.CLIENTS_VIEW_DEPARTMENT.value in permissions:
        users = light.users.c
        seen |= set(reads.scalars(select(users.id).where(users.department == user.department)))
    seen.discard(user.id)
    return frozenset(seen)


def database_login(uow: UnitOfWork) -> str | None:
    """The login the server authenticated (PostgreSQL), None for a local file."""
    return _database_login(uow.session)


def _database_login(reads: Reads) -> str | None:
    from sqlalchemy import Connection

    bind = reads if isinstance(reads, Connection) else reads.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    return str(reads.execute(text("SELECT session_user")).scalar_one())


def session_actor(uow: UnitOfWork, requested: str | None = None) -> Actor:
    """Who acts for the CLI or the window (#15 item 6): ``who_acts`` on the
    unit of work, whose audit trail then names that user."""
    return _acting(uow, who_acts(uow.session, requested))


def who_acts(reads: Reads, requested: str | None = None) -> Actor:
    """Who acts, read with Core statements on a session or a bare connection.

    ``--user`` is not a password: on the embedded database whoever can open
    the file already owns everything in it, so the computer's login (or
    ``--user``) picks the user. On PostgreSQL the server authenticated a
    login, and that login decides: naming another one is refused rather
    than letting anyone with a connection act as the administrator.
    """
    wanted = requested or os.environ.get("TOUCHPOINT_USER") or None
    db_login = _database_login(reads)
    if db_login is None:
        return who_acts_locally(reads, wanted)
    if wanted and wanted != db_login:
        raise PermissionDenied(
            f"On PostgreSQL the database login decides who acts: this connection is "
            f"{db_login!r}, so --user {wanted!r} is refused; connect as that login "
            f"(postgresql://{wanted}@host/db) instead",
            code="core.bootstrap.postgresql_database_login_decides",
            params={"db_login": repr(db_login), "wanted": repr(wanted), "wanted2": str(wanted)},
        )
    users = light.users.c
    has_user = reads.scalar(select(users.id).where(users.login == db_login))
    if not has_user and _team_login(reads):
        raise PermissionDenied(
            f"The database login {db_login!r} has no Touchpoint user here: an administrator "
            "adds colleagues with 'touchpoint admin add-user'",
            code="core.bootstrap.database_login_has_no",
            params={"db_login": repr(db_login)},
        )
    return who_acts_locally(reads, db_login if has_user else None)


def _team_login(reads: Reads) -> bool:
    """A member of a team group role (``services.core.team``): never the
    owner's single-user fallback to the first administrator."""
    return bool(
        reads.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_auth_members m"
                " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
                " WHERE u.rolname = session_user"
                " AND g.rolname IN ('tp_admin', 'tp_head', 'tp_manager', 'tp_readonly'))"
            )
        ).scalar()
    )
