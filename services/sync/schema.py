"""Both sides of a sync at one schema revision, checked before every sync.

``init_replica`` compared the server's Alembic revision with the program's
once; a later sync trusted it. But either side may be upgraded in the
meantime: the administrator runs ``admin migrate`` after updating the
server's Touchpoint, or this laptop is updated first. A push or pull across
two revisions would read or write columns one side does not have, so a
sync first compares the two and stops, with nothing pushed or pulled, and
says which side to update. A revision this program does not know is a
newer one (the server was updated first).
"""

from __future__ import annotations

from services.core import migrations
from services.core.errors import UserError
from services.core.storage import Database, database_errors


class LaptopBehind(UserError):
    """The server's schema is newer than this program's."""

    code = "sync.schema.laptop_behind"

    def __init__(self, server: str, local: str) -> None:
        super().__init__(
            f"The server's database is at revision {server}, newer than Touchpoint on this "
            f"laptop ({local}): update Touchpoint on this laptop, then sync. "
            "Nothing was sent or received.",
            params={"server": server, "local": local},
        )


class ServerBehind(UserError):
    """The server's schema is older than this program's."""

    code = "sync.schema.server_behind"

    def __init__(self, server: str, local: str) -> None:
        super().__init__(
            f"The server's database is at revision {server}, older than Touchpoint on this "
            f"laptop ({local}): the administrator updates the server first. "
            "Nothing was sent or received.",
            params={"server": server, "local": local},
        )


def order() -> list[str]:
    """The program's revisions, oldest first (the history is linear)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def compare(server: str | None, local: str | None) -> None:
    """Nothing when equal; ``LaptopBehind`` or ``ServerBehind`` otherwise."""
    if server == local:
        return
    known = order()
    server_text, local_text = str(server or "none"), str(local or "none")
    if server in known and local in known and known.index(server) < known.index(local):
        raise ServerBehind(server_text, local_text)
    raise LaptopBehind(server_text, local_text)


def check(replica: Database, server: Database) -> None:
    """Compare the replica's and the server's revision (two small reads)."""
    with database_errors():
        server_rev = migrations.current_revision(server.engine)
    local_rev = migrations.current_revision(replica.engine)
    compare(server_rev, local_rev)
