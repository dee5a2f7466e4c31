"""One interaction per letter or call when the laptop and the server both made one.

Mail and call logs are imported per machine, so the same letter (its
Message-ID) or call (its PBX key) can become an interaction on the laptop
and, separately, on the server: ``(source_kind, source_key)`` is unique on
both. The server's interaction stays. A pushed ``*created`` interaction
whose source the server already holds (and the user sees) is not made
again: the push answers it as the server's uid (``OpResult.replaced``), and
every later row naming the laptop's uid, in that action or any later one,
names the server's instead. What the laptop's one carried that the server's
lacks (a subject, a body, a duration) fills the server's empty fields; its
contact persons are added to the server's (they are rows of the same
action). The laptop then renames its own row to the server's uid (its
letters, calls, attachments and contact persons stay on it, by local id),
rewrites its pending changes, and takes the server's values and clocks; so
after the sync each side holds exactly one interaction for that letter.

A server interaction of that source the user may not see (the office's job
put the letter on a colleague's card) cannot be looked up under the user's
login. ``hidden`` asks the team server's ``tp_sync_held`` (migration 0040,
run as the schema owner: it answers only whether the source is held, not
where) and tells those apart: the push answers only that interaction as
refused with ``sync.apply.held_elsewhere`` and applies the rest of the
action (services/sync/apply_split.py); the laptop takes its copy off every
card and leaves its letter or call unlinked. On SQLite (a single user, no
row-level security) every holder is visible and nothing is asked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, text, tuple_, update
from sqlalchemy.orm import Session

from models import Contact, Interaction, interaction_contacts
from models.sync import SyncClock, SyncLog
from services.core.storage import Database
from services.sync.apply_rows import Pushed
from services.sync.log import CREATED, TOMBSTONE

KIND = "interaction"
LINK = "interaction_contact"
# Filled into the server's interaction when it has none (derived from the
# letter or call itself; never the card it is on: that is the server's).
FILLED = ("subject", "body", "duration_min")
_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


Source = tuple[str, str]  # (source_kind, source_key)


def source_of(values: Mapping[str, Any]) -> Source | None:
    kind, key = values.get("source_kind"), values.get("source_key")
    return (str(kind), str(key)) if kind and key else None


def _created(rows: Sequence[Pushed]) -> list[tuple[str, Source]]:
    """(uid, source) of the action's created interactions that have one."""
    out = []
    for row in rows:
        if row.kind != KIND or row.field != CREATED or not row.value:
            continue
        try:
            values = json.loads(row.value)
        except ValueError:
            continue
        found = source_of(values) if isinstance(values, dict) else None
        if found is not None:
            out.append((row.uid, found))
    return out


def held(session: Session, rows: Sequence[Pushed]) -> dict[Source, Interaction]:
    """The server's interactions (that the user sees) of the sources of the
    action's created ones, in a query per 300 (not one per interaction: on
    the team server each statement is planned with row-level security).
    Nothing for an action that also removes an interaction: a letter or call
    moved by hand on the laptop, where the later move wins
    (services/sync/apply_sources.py)."""
    if any(r.kind == KIND and r.field == TOMBSTONE for r in rows):
        return {}
    wanted = sorted({source for _, source in _created(rows)})
    found: dict[Source, Interaction] = {}
    for start in range(0, len(wanted), 300):
        for obj in session.scalars(
            select(Interaction).where(
                tuple_(Interaction.source_kind, Interaction.source_key).in_(
                    wanted[start : start + 300]
                )
            )
        ):
            found[(str(obj.source_kind), str(obj.source_key))] = obj
    return found


def hidden(session: Session, rows: Sequence[Pushed]) -> set[Source]:
    """The sources of the action's created interactions that the team server
    holds on a card the user may not see: held at all (``tp_sync_held``, one
    call per 300) and not among those the login sees. Empty on SQLite, and
    for an action that also removes an interaction (as in ``held``)."""
    if session.get_bind().dialect.name != "postgresql":
        return set()
    if any(r.kind == KIND and r.field == TOMBSTONE for r in rows):
        return set()
    wanted = sorted({source for _, source in _created(rows)})
    anywhere: set[Source] = set()
    for start in range(0, len(wanted), 300):
        part = wanted[start : start + 300]
        anywhere.update(
            (str(k), str(s))
            for k, s in session.execute(
                text("SELECT held_kind, held_key FROM tp_sync_held(:kinds, :keys)"),
                {"kinds": [k for k, _ in part], "keys": [s for _, s in part]},
            )
        )
    if not anywhere:
        return set()
    return anywhere - set(held(session, [r for r in rows if _source_in(r, anywhere)]))


def _source_in(row: Pushed, sources: set[Source]) -> bool:
    return any(source in sources for _, source in _created([row]))


def created_sources(rows: Sequence[Pushed]) -> dict[str, Source]:
    """Laptop uid -> source of the action's created interactions."""
    return dict(_created(rows))


def fill(obj: Interaction, values: Mapping[str, Any]) -> list[str]:
    """The server's empty fields the laptop's copy has; returns them."""
    filled = []
    for field in FILLED:
        if getattr(obj, field) is None and values.get(field) is not None:
            setattr(obj, field, values[field])
            filled.append(field)
    return filled


def renamed(row: Pushed, names: Mapping[str, str]) -> Pushed:
    """ROW with every laptop uid in NAMES (in its uid, a link's uid, or a
    reference in its value) replaced by the server's."""
    if not names:
        return row

    def sub(text: str) -> str:
        return _UID.sub(lambda m: names.get(m.group(0), m.group(0)), text)

    uid = sub(row.uid)
    value = None if row.value is None else sub(row.value)
    if uid == row.uid and value == row.value:
        return row
    return Pushed(row.seq, row.kind, uid, row.field, value, row.base, row.hlc)


def replacements(session: Session, rows: Sequence[Pushed]) -> tuple[tuple[str, str], ...]:
    """For an action applied before (the laptop died before it marked it):
    which of its created interactions the server answered as its own."""
    found = held(session, rows)
    return tuple(
        (uid, found[source].uid)
        for uid, source in _created(rows)
        if source in found and found[source].uid != uid
    )


def server_ones(server: Database, uids: Sequence[str]) -> list[tuple[str, str]]:
    """The server's interactions that replace the laptop's, and their contact
    persons as links, as (kind, uid): the laptop takes their server copies."""
    if not uids:
        return []
    ic = interaction_contacts.c
    out = [(KIND, uid) for uid in uids]
    with server.reader() as uow:
        for start in range(0, len(uids), 300):
            out += [
                (LINK, f"{i}:{c}")
                for i, c in uow.session.execute(
                    select(Interaction.uid, Contact.uid)
                    .join(interaction_contacts, ic.interaction_id == Interaction.id)
                    .join(Contact, Contact.id == ic.contact_id)
                    .where(Interaction.uid.in_(uids[start : start + 300]))
                )
            ]
    return out


def rekey(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """On the laptop: its interactions take the server's uids, its clocks of
    them go (the server's come with its copy), and its pending changes name
    the server's uids."""
    names = dict(pairs)
    if not names:
        return
    conn = session.connection()
    for mine, theirs in names.items():
        conn.execute(update(Interaction).where(Interaction.uid == mine).values(uid=theirs))
        conn.execute(delete(SyncClock).where(SyncClock.kind == KIND, SyncClock.uid == mine))
    pending = conn.execute(
        select(SyncLog.seq, SyncLog.kind, SyncLog.uid, SyncLog.field, SyncLog.value).where(
            SyncLog.state == "pending"
        )
    ).all()
    for r in pending:
        row = Pushed(r.seq, r.kind, r.uid, r.field, r.value, None, "")
        new = renamed(row, names)
        if new is not row:
            conn.execute(
                update(SyncLog).where(SyncLog.seq == r.seq).values(uid=new.uid, value=new.value)
            )
