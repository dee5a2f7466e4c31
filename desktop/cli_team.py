"""``touchpoint admin``: set up and run a team database on PostgreSQL.

``init`` and ``migrate`` run as the database owner; ``add-user``,
``set-role`` and ``deactivate`` as the owner or an administrator's login.
A generated password is printed once and stored nowhere.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from services.core.errors import ValidationError

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.core import team

ROLE_HELP = "admin, head (of department), manager or readonly"


def add_parsers(sub: Any, json_flag: Any) -> None:
    top = sub.add_parser(
        "admin",
        help="team database on PostgreSQL: init, migrate, add-user, set-role, deactivate",
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = top.add_parser(
        "init",
        help="make an empty PostgreSQL database a team database: schema, group roles, "
        "row-level security; the connecting login becomes its first administrator",
    )
    json_flag(p)
    p = top.add_parser("migrate", help="bring a team database to the newest schema and grants")
    json_flag(p)
    p = top.add_parser(
        "add-user", help="a colleague: a PostgreSQL login of their own plus the Touchpoint user"
    )
    p.add_argument("login")
    p.add_argument("--role", required=True, help=ROLE_HELP)
    p.add_argument("--department", help="heads of department see their department's clients")
    p.add_argument("--name", help="the full name (default: the login)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (default: generate one, printed once)",
    )
    json_flag(p)
    p = top.add_parser("set-role", help="another role (and department) for a colleague")
    p.add_argument("login")
    p.add_argument("role", help=ROLE_HELP)
    p.add_argument("--department")
    json_flag(p)
    p = top.add_parser(
        "deactivate", help="a colleague who left: the login can no longer connect; records stay"
    )
    p.add_argument("login")
    json_flag(p)


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise ValidationError("No password on stdin", "password")
    return password


def _member_line(m: team.TeamMember) -> str:
    line = f"{m.login}\t{m.full_name}\t{m.role}\t{m.department or ''}" + (
        "" if m.can_login else "\t(cannot log in)"
    )
    if m.password:
        line += f"\npassword (shown once): {m.password}"
    return line


def handle(args: argparse.Namespace, emit: Any) -> int:
    from services.core import bootstrap, team
    from services.core.storage import open_database

    db = open_database(args.db, upgrade=False)
    try:
        if args.action in ("init", "migrate"):
            status = team.init(db) if args.action == "init" else team.migrate(db)
            emit(
                args,
                status,
                f"team database at revision {status.revision}: groups "
                f"{', '.join(status.groups)}; {status.tables_with_policies} tables with "
                f"row-level security; administrator {status.administrator}",
            )
            return 0
        team.require_postgres(db)
        with db.reader() as uow:
            actor = bootstrap.session_actor(uow, args.user)
        if args.action == "add-user":
            member = team.add_user(
                db,
                actor,
                args.login,
                args.role,
                department=args.department,
                full_name=args.name,
                password=_read_password() if args.password_stdin else None,
            )
        elif args.action == "set-role":
            member = team.set_role(db, actor, args.login, args.role, department=args.department)
        else:
            member = team.deactivate(db, actor, args.login)
        emit(args, member, _member_line(member))
        return 0
    finally:
        db.dispose()
