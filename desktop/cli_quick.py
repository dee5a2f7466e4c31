"""The commands scripts call hundreds of times, without the ORM (issue #16).

``touchpoint clients list`` reads who acts and a page of clients with Core
statements (``models.light``) on one read connection: importing the ORM and
mapping every model cost more than the rest of the call. It calls the same
service functions as the full path (``bootstrap.who_acts``,
``client_list.page``) and prints through the same ``print_clients``; when
the start has its own work to do (a new database's first-start data, an
import left behind) it steps aside and ``cli_handlers.dispatch`` runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

Emit = Callable[[argparse.Namespace, Any, str], None]

QUICK = frozenset({("clients", "list")})


def dispatch(args: argparse.Namespace, emit: Emit) -> int | None:
    """The exit status, or None when the full path must run the command."""
    if (args.command, getattr(args, "action", None)) not in QUICK:
        return None
    from services.core import bootstrap, start_checks
    from services.core.storage import open_database
    from services.parties import client_list

    db = open_database(args.db)
    try:
        with db.read_connection() as conn:
            if not start_checks.nothing_to_do(conn):
                return None
            actor = bootstrap.who_acts(conn, args.user)
            rows = client_list.page(
                conn,
                actor,
                text=args.text,
                after_id=args.after,
                limit=max(1, min(args.limit, 10_000)),
                archived=args.archived,
            )
    finally:
        db.dispose()
    print_clients(args, rows, emit)
    return 0


def print_clients(args: argparse.Namespace, rows: Sequence[Any], emit: Emit) -> None:
    """``clients list``'s output, whichever path read the rows."""
    if rows:
        human = "\n".join(f"{c.id}\t{c.name}\t{c.owner_name}" for c in rows)
    elif args.text or args.after is not None or args.archived:
        human = "No clients match."
    else:
        human = (
            "No clients yet: add one with 'touchpoint clients add NAME' or try 'touchpoint demo'"
        )
    emit(args, rows, human)
