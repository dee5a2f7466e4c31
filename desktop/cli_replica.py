"""``touchpoint replica``: a laptop replica of the team database (#20).

``init`` makes and seeds one, ``status`` says where it stands; the push
side adds ``sync``, ``conflicts`` and ``resolve`` to ``ACTIONS``. The
replica is an SQLite file (``--path``, default in the app data folder);
the server's password comes from the OS keyring (``--password-stdin`` puts
it there first) and is stored nowhere else.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.core.errors import UserError, ValidationError

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.sync.types import ReplicaStatus

PATH_HELP = "the replica's SQLite file (default: replica.sqlite3 in the app data folder)"


def add_parsers(sub: Any, json_flag: Any) -> None:
    top = sub.add_parser(
        "replica",
        help="a laptop replica of the team database: init, status, sync, conflicts, resolve",
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = top.add_parser(
        "init",
        help="make a replica of the team server and seed it with everything the login may see",
    )
    p.add_argument("--server", required=True, help="the team database: postgresql://host/db")
    p.add_argument("--login", required=True, help="your own PostgreSQL login on it")
    p.add_argument("--path", help=PATH_HELP)
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the login's password from stdin's first line into the OS keyring",
    )
    json_flag(p)
    p = top.add_parser(
        "status", help="the replica's server, login, last sync, pending and refused changes"
    )
    p.add_argument("--path", help=PATH_HELP)
    json_flag(p)
    p = top.add_parser(
        "sync", help="push the laptop's changes through the server's checks, then pull"
    )
    p.add_argument("--path", help=PATH_HELP)
    json_flag(p)
    p = top.add_parser("conflicts", help="fields both sides changed, kept for you to choose")
    p.add_argument("--path", help=PATH_HELP)
    p.add_argument(
        "--refused",
        action="store_true",
        help="list the changes the server refused instead, newest first, with the reason "
        "and its error code and params",
    )
    json_flag(p)
    p = top.add_parser("resolve", help="keep your value or the colleague's for one conflict")
    p.add_argument("id", type=int, help="the conflict's id (replica conflicts)")
    p.add_argument("--keep", required=True, choices=("mine", "theirs"))
    p.add_argument("--path", help=PATH_HELP)
    json_flag(p)
    for extra in EXTRA_PARSERS:
        extra(top, json_flag)


# The push side's subcommands register here (parsers, then handlers).
EXTRA_PARSERS: list[Callable[[Any, Any], None]] = []


def replica_path(args: argparse.Namespace) -> Path:
    from services.sync.use_cases import default_replica_path

    return Path(args.path).expanduser() if args.path else default_replica_path()


@contextlib.contextmanager
def open_replica(args: argparse.Namespace) -> Iterator[Any]:
    """The existing replica named by ``--path`` (never creates one), closed
    when the command is done with it."""
    from services.core.storage import open_database

    path = replica_path(args)
    if not path.is_file():
        raise UserError(
            f"There is no replica at {path}", code="sync.no_replica", params={"path": str(path)}
        )
    db = open_database(f"sqlite:///{path.resolve()}")
    try:
        yield db
    finally:
        db.dispose()


def status_line(status: ReplicaStatus) -> str:
    if not status.is_replica:
        return "not a replica"
    when = status.last_sync_at.isoformat(timespec="seconds") if status.last_sync_at else "never"
    return (
        f"replica of {status.server_url} as {status.login}; last sync {when}; "
        f"{status.pending} pending, {status.refused} refused, {status.conflicts} conflicts"
    )


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ValidationError("No password on stdin", "password")
    return password


def _init(args: argparse.Namespace, emit: Any) -> int:
    from services.sync import use_cases

    status = use_cases.init_replica(
        replica_path(args),
        args.server,
        args.login,
        password=_read_password() if args.password_stdin else None,
    )
    emit(args, status, status_line(status))
    return 0


def _status(args: argparse.Namespace, emit: Any) -> int:
    from services.sync import use_cases

    with open_replica(args) as db:
        status = use_cases.status(db)
    emit(args, status, status_line(status))
    return 0


def _sync(args: argparse.Namespace, emit: Any) -> int:
    from services.sync import use_cases

    with open_replica(args) as db:
        server = use_cases.open_server(db)
        try:
            report = use_cases.sync(db, server)
        finally:
            server.dispose()
    lines = [
        f"pushed {report.pushed}, pulled {report.pulled}, {len(report.refused)} refused, "
        f"{report.conflicts} conflicts in {report.duration_s:.1f} s"
    ]
    if report.clamped:
        lines.append("this computer's clock is ahead of the server's: check its date and time")
    lines += [f"refused: {r.kind} {r.label}: {r.reason}" for r in report.refused]
    emit(args, report, "\n".join(lines))
    return 0


def _conflict_line(c: Any) -> str:
    return (
        f"{c.id}\t{c.kind} {c.label}\t{c.field}\tmine: {c.mine} ({c.mine_user or '?'})"
        f"\ttheirs: {c.theirs} ({c.theirs_user or '?'})"
    )


def _local_actor(db: Any) -> Any:
    from services.core.bootstrap import actor_for
    from services.sync import state

    with db.reader() as uow:
        return actor_for(uow, state.get(uow.session, "login"))


def _refusal_line(r: Any) -> str:
    return f"{r.op_uid}\t{r.kind} {r.label}\t{r.reason}\t{r.code or '-'}"


def _conflicts(args: argparse.Namespace, emit: Any) -> int:
    from services.sync import use_cases

    if args.refused:
        return _refused(args, emit)
    with open_replica(args) as db:
        found = use_cases.conflicts(db, _local_actor(db))
    emit(args, found, "\n".join(_conflict_line(c) for c in found) or "no conflicts")
    return 0


def _refused(args: argparse.Namespace, emit: Any) -> int:
    from services.sync import refused

    with open_replica(args) as db:
        found = refused.refusals(db)
    emit(args, found, "\n".join(_refusal_line(r) for r in found) or "nothing refused")
    return 0


def _resolve(args: argparse.Namespace, emit: Any) -> int:
    from services.sync import use_cases

    with open_replica(args) as db:
        use_cases.resolve_conflict(db, _local_actor(db), args.id, args.keep)
        status = use_cases.status(db)
    emit(args, status, f"conflict {args.id} resolved: kept {args.keep}; {status_line(status)}")
    return 0


ACTIONS: dict[str, Callable[[argparse.Namespace, Any], int]] = {
    "init": _init,
    "status": _status,
    "sync": _sync,
    "conflicts": _conflicts,
    "resolve": _resolve,
}


def handle(args: argparse.Namespace, emit: Any) -> int:
    return ACTIONS[args.action](args, emit)
