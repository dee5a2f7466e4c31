"""Setting up and running a team database on PostgreSQL (SPEC H1–H2, #19).

Each colleague is a PostgreSQL login role of their own, member of one
group role that says what they may do at all; the row-level security
policies of revision 0019 say which rows they see. This module creates the
groups, the logins and the app's user rows together, so the two never
disagree: ``touchpoint admin ...`` is the only way a team's users change.

It runs on a connection of the database owner (``admin init``,
``admin migrate``) or of an administrator's login with CREATEROLE (the
others). Logins and passwords are quoted by the dialect, never pasted.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import secrets
from types import ModuleType

from sqlalchemy import String, select, text
from sqlalchemy.engine import Connection

from models import Role, User
from services.core import bootstrap, migrations
from services.core.access import ALL_PERMISSIONS, MANAGER_PERMISSIONS, Actor, Permission
from services.core.errors import NotFoundError, UserError, ValidationError
from services.core.storage import Database, UnitOfWork, database_errors
from services.core.users import LOGIN, MAX_NAME, keep_an_admin

# --role of ``admin add-user``: (group role, app role, permissions of a new app role)
ROLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "admin": ("tp_admin", "Administrator", ALL_PERMISSIONS),
    "head": (
        "tp_head",
        "Head of department",
        (*MANAGER_PERMISSIONS, Permission.CLIENTS_VIEW_DEPARTMENT.value),
    ),
    "manager": ("tp_manager", "Manager", MANAGER_PERMISSIONS),
    "readonly": ("tp_readonly", "Read-only", (Permission.CLIENTS_VIEW_ALL.value,)),
}
GROUPS = tuple(group for group, _, _ in ROLES.values())
# PostgreSQL's own login names and the groups cannot be colleagues.
RESERVED = re.compile(r"^(pg_.*|tp_.*|postgres|public|current_user|session_user)$", re.I)
MAX_DEPARTMENT = 100
PASSWORD_BYTES = 18

LAST_ADMIN = "core.team.last_admin"


@dataclasses.dataclass(frozen=True)
class TeamMember:
    """A colleague as a team database knows them; ``password`` is set only
    when one was generated (shown once, stored nowhere)."""

    login: str
    full_name: str
    role: str
    department: str | None
    can_login: bool
    password: str | None = None


@dataclasses.dataclass(frozen=True)
class TeamStatus:
    """What ``admin init`` and ``admin migrate`` leave behind."""

    revision: str | None
    groups: tuple[str, ...]
    tables_with_policies: int
    administrator: str


def _migration() -> ModuleType:
    """Revision 0019 holds the policies and the grants; loaded by file name."""
    return importlib.import_module("models.migrations.versions.0019_team_row_level_security")


def require_postgres(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        raise UserError(
            "A team database is a PostgreSQL server: give --db postgresql://owner@host/db "
            "(the embedded SQLite file has one user)",
            code="core.team.needs_postgres",
        )


def _quote(conn: Connection, login: str) -> str:
    return conn.dialect.identifier_preparer.quote(login)


def _literal(conn: Connection, value: str) -> str:
    process = String().literal_processor(conn.dialect)  # type: ignore[no-untyped-call]
    assert process is not None
    return str(process(value))


def _check_login(login: str) -> str:
    login = login.strip()
    if not LOGIN.match(login) or RESERVED.match(login):
        raise ValidationError(
            f"Login {login!r} must be letters, digits, '.', '_', '@' or '-', starting with "
            "a letter or digit, and not a PostgreSQL name (pg_*, tp_*, postgres)",
            "login",
            code="core.team.login_format",
            params={"login": login},
        )
    return login


def _check_role(role: str) -> str:
    key = role.strip().lower()
    if key not in ROLES:
        raise ValidationError(
            f"Unknown role {role!r}: use {', '.join(ROLES)}",
            "role",
            code="core.team.unknown_role",
            params={"role": role, "allowed": ", ".join(ROLES)},
        )
    return key


def _check_department(department: str | None) -> str | None:
    if department is None:
        return None
    department = " ".join(department.split())
    if not department or len(department) > MAX_DEPARTMENT:
        raise ValidationError(
            f"A department of 1 to {MAX_DEPARTMENT} characters is needed",
            "department",
            code="core.team.department_length",
            params={"max_department": str(MAX_DEPARTMENT)},
        )
    return department


def _ensure_groups(conn: Connection) -> None:
    may = conn.execute(
        text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
    ).scalar()
    existing = set(
        conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(GROUPS)},
        ).scalars()
    )
    missing = [group for group in GROUPS if group not in existing]
    if missing and not may:
        current = str(conn.execute(text("SELECT current_user")).scalar())
        raise UserError(
            f"The login {current!r} may not create "
            f"the group roles {', '.join(missing)}: run this as the database owner with "
            "CREATEROLE (or as a superuser)",
            code="core.team.cannot_create_groups",
            params={"login": current, "groups": ", ".join(missing)},
        )
    for group in missing:
        conn.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")


def _ensure_app_roles(uow: UnitOfWork) -> None:
    for _group, name, permissions in ROLES.values():
        if uow.session.scalar(select(Role.id).where(Role.name == name)) is None:
            uow.session.add(Role(name=name, permissions=list(permissions)))


def _status(db: Database, owner: str) -> TeamStatus:
    with db.engine.connect() as conn:
        groups = tuple(
            conn.execute(
                text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:n) ORDER BY rolname"),
                {"n": list(GROUPS)},
            ).scalars()
        )
        with_policies = conn.execute(
            text("SELECT count(DISTINCT tablename) FROM pg_policies WHERE schemaname = 'public'")
        ).scalar_one()
    return TeamStatus(migrations.current_revision(db.engine), groups, with_policies, owner)


def _session_login(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT session_user")).scalar_one())


def migrate(db: Database) -> TeamStatus:
    """``admin migrate``: the newest schema, its policies, and the grants on
    every table (a table a later revision added with a policy included)."""
    require_postgres(db)
    with database_errors(), db.engine.begin() as conn:
        _ensure_groups(conn)
    with database_errors():
        migrations.upgrade(db.engine)
    with database_errors(), db.engine.begin() as conn:
        conn.exec_driver_sql(_migration().GRANTS)
    return _status(db, _session_login(db))


def init(db: Database) -> TeamStatus:
    """``admin init``: an empty database becomes a team database; the login
    running it (the owner) becomes its first administrator. Idempotent."""
    status = migrate(db)
    owner = _session_login(db)
    bootstrap.ensure_initial_data(db, first_login=owner)
    with db.uow() as uow:
        _ensure_app_roles(uow)
        if uow.session.scalar(select(User.id).where(User.login == owner)) is None:
            uow.session.add(User(login=owner, full_name=owner, role=_app_role(uow, "admin")))
        uow.commit()
    return dataclasses.replace(status, administrator=owner)


def _view(user: User, *, can_login: bool, password: str | None = None) -> TeamMember:
    key = next((k for k, (_, name, _) in ROLES.items() if user.role and user.role.name == name), "")
    return TeamMember(
        login=user.login,
        full_name=user.full_name,
        role=key or (user.role.name if user.role else ""),
        department=user.department,
        can_login=can_login,
        password=password,
    )


def _app_role(uow: UnitOfWork, key: str) -> Role:
    _group, name, permissions = ROLES[key]
    role = uow.session.scalar(select(Role).where(Role.name == name))
    if role is None:
        role = Role(name=name, permissions=list(permissions))
        uow.session.add(role)
    return role


def _login_exists(conn: Connection, login: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}).first()
    return found is not None


def _grant_group(conn: Connection, login: str, key: str) -> None:
    quoted = _quote(conn, login)
    for group in GROUPS:
        conn.exec_driver_sql(f"REVOKE {group} FROM {quoted}")
    conn.exec_driver_sql(f"GRANT {ROLES[key][0]} TO {quoted}")
    # An administrator adds colleagues: that takes CREATEROLE on the server.
    attribute = "CREATEROLE" if key == "admin" else "NOCREATEROLE"
    conn.exec_driver_sql(f"ALTER ROLE {quoted} {attribute}")


def add_user(
    db: Database,
    actor: Actor,
    login: str,
    role: str,
    *,
    department: str | None = None,
    full_name: str | None = None,
    password: str | None = None,
) -> TeamMember:
    """A colleague: a PostgreSQL login in the role's group plus the app's
    user row, in one transaction. Without ``password`` one is generated and
    returned once."""
    require_postgres(db)
    actor.require(Permission.SETTINGS)
    login, key, department = _check_login(login), _check_role(role), _check_department(department)
    name = " ".join((full_name or login).split())
    if not name or len(name) > MAX_NAME:
        raise ValidationError(
            f"A name of 1 to {MAX_NAME} characters is needed",
            "full_name",
            code="core.team.name_length",
            params={"max_name": str(MAX_NAME)},
        )
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(PASSWORD_BYTES)
    if not password or len(password) > 1000 or "\x00" in password:
        raise ValidationError(
            "A password of 1 to 1000 characters is needed",
            "password",
            code="core.team.password_length",
        )
    with database_errors(), db.uow(actor.id) as uow:
        conn = uow.session.connection()
        if _login_exists(conn, login) or uow.session.scalar(
            select(User.id).where(User.login == login)
        ):
            raise ValidationError(
                f"A user or database login {login!r} exists already",
                "login",
                code="core.team.login_taken",
                params={"login": login},
            )
        conn.exec_driver_sql(
            f"CREATE ROLE {_quote(conn, login)} LOGIN PASSWORD {_literal(conn, password)}"
        )
        _grant_group(conn, login, key)
        user = User(
            login=login,
            full_name=name,
            role=_app_role(uow, key),
            department=department,
            active=True,
        )
        uow.session.add(user)
        uow.session.flush()
        member = _view(user, can_login=True, password=generated)
        uow.commit()
    return member


def _member(uow: UnitOfWork, login: str) -> User:
    user = uow.session.scalar(select(User).where(User.login == login.strip()))
    if user is None or not _login_exists(uow.session.connection(), user.login):
        raise NotFoundError("Team member", login)
    return user


def set_role(
    db: Database, actor: Actor, login: str, role: str, *, department: str | None = None
) -> TeamMember:
    """Another group and app role (and department, when given): the
    policies read both at the colleague's next query."""
    require_postgres(db)
    actor.require(Permission.SETTINGS)
    key, department = _check_role(role), _check_department(department)
    with database_errors(), db.uow(actor.id) as uow:
        user = _member(uow, login)
        if key != "admin":
            keep_an_admin(uow, user, LAST_ADMIN)
        _grant_group(uow.session.connection(), user.login, key)
        user.role = _app_role(uow, key)
        if department is not None:
            user.department = department
        uow.session.flush()
        member = _view(user, can_login=user.active)
        uow.commit()
    return member


def deactivate(db: Database, actor: Actor, login: str) -> TeamMember:
    """A colleague who left: the login may no longer connect (NOLOGIN) and an
    open session of theirs sees nothing from its next query; records stay."""
    require_postgres(db)
    actor.require(Permission.SETTINGS)
    with database_errors(), db.uow(actor.id) as uow:
        user = _member(uow, login)
        keep_an_admin(uow, user, LAST_ADMIN)
        uow.session.connection().exec_driver_sql(
            f"ALTER ROLE {_quote(uow.session.connection(), user.login)} NOLOGIN"
        )
        user.active = False
        uow.session.flush()
        member = _view(user, can_login=False)
        uow.commit()
    return member
