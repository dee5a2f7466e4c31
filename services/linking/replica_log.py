"""What the linking job's set-based writes tell a laptop replica's change log.

The job writes interactions, their moves and their contact persons with
``INSERT ... SELECT`` / ``UPDATE`` statements the change log's flush hook
never sees (services/sync/log.py). On a replica each statement is followed
by ``record_bulk`` / ``record_links`` with exactly the rows it wrote, taken
from what the job already holds (the chunk's temporary table of new links,
the moves and contact persons it decided), so an interaction the job makes
or moves offline reaches the server with its contact persons. On a plain
database and on the team server nothing is read or written: whether to log
is asked once per unit of work (no query at all on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from models import Attachment, Interaction, interaction_contacts
from services.linking.bulk import NEW as _NEW
from services.sync import log as change_log
from services.sync.log_links import record_links

_FLAG = "linking_logs_to_replica"  # session.info: asked once per unit of work
_LINK = "interaction_contact"
_PARTY_MOVE = ("client_id", "lead_id", "direction")  # what placement.move sets
_CHUNK = 500

Pairs = set[tuple[int, int]]


def logging(session: Any) -> bool:
    found = session.info.get(_FLAG)
    if found is None:
        found = session.info[_FLAG] = change_log.is_replica(session)
    return bool(found)


def newest_interaction(session: Any) -> int | None:
    """Before a chunk's ``INSERT ... SELECT``: the newest interaction id, so
    the ones it makes are told from those it met (None: nothing to log)."""
    if not logging(session):
        return None
    return int(session.scalar(select(func.coalesce(func.max(Interaction.id), 0))) or 0)


def new_links_before(session: Any, newest: int | None) -> Pairs | None:
    """Before the new links' contact persons are written: those of the
    interactions the chunk met (made before it, by another account's copy
    of a letter or by the server)."""
    if newest is None:
        return None
    return _pairs_sql(session, f"SELECT iid FROM temp.{_NEW} WHERE iid <= ?", (newest,))


def new_links_written(session: Any, newest: int | None, before: Pairs | None) -> None:
    """After them: the interactions made (``*created``) and the contact
    persons added and removed, in the unit of work's action."""
    if newest is None or before is None:
        return
    connection = session.connection()
    made = [
        int(iid)
        for (iid,) in connection.exec_driver_sql(
            f"SELECT DISTINCT iid FROM temp.{_NEW} WHERE iid > ?", (newest,)
        )
    ]
    change_log.record_bulk(session, "interaction", made, None)
    after = _pairs_sql(session, f"SELECT iid FROM temp.{_NEW}", ())
    record_links(session, _LINK, sorted(after - before), sorted(before - after))


def created(session: Any, ids: Sequence[int]) -> None:
    """Interactions a plain ``INSERT`` made."""
    if ids and logging(session):
        change_log.record_bulk(session, "interaction", ids, None)


def moved(session: Any, ids: Sequence[int]) -> None:
    """Interactions put on another card (and their attachments with them)."""
    if not ids or not logging(session):
        return
    change_log.record_bulk(session, "interaction", ids, _PARTY_MOVE)
    files: list[int] = []
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        files += session.scalars(
            select(Attachment.id).where(
                Attachment.interaction_id.in_(wanted[start : start + _CHUNK])
            )
        )
    change_log.record_bulk(session, "attachment", files, ("client_id", "lead_id"))


def contacts_before(session: Any, ids: Iterable[int]) -> Pairs | None:
    """Before contact persons are replaced: the ones these interactions have."""
    if not logging(session):
        return None
    wanted = sorted(set(ids))
    ic = interaction_contacts.c
    found: Pairs = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(
            (int(i), int(c))
            for i, c in session.execute(
                select(ic.interaction_id, ic.contact_id).where(
                    ic.interaction_id.in_(wanted[start : start + _CHUNK])
                )
            )
        )
    return found


def contacts_written(
    session: Any, wanted: Mapping[int, Sequence[int]], before: Pairs | None
) -> None:
    """After: exactly the pairs added and removed."""
    if before is None:
        return
    after = {(iid, cid) for iid, cids in wanted.items() for cid in cids}
    record_links(session, _LINK, sorted(after - before), sorted(before - after))


def _pairs_sql(session: Any, ids_sql: str, params: tuple[Any, ...]) -> Pairs:
    rows = session.connection().exec_driver_sql(
        "SELECT interaction_id, contact_id FROM interaction_contacts "
        f"WHERE interaction_id IN ({ids_sql})",
        params,
    )
    return {(int(i), int(c)) for i, c in rows}
