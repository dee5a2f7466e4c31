"""Linking earlier mail and calls to cards (SPEC D1-D4).

When an address or number is added to a card, the header-only letters and
unlinked calls that name it become interactions of that card; letters and
calls placed before follow when the owners of their addresses change. Both
passes place by the one owner rule of ``rule`` (the same rule mail import
uses). Every link records why it was made. Letters and calls linked or
unlinked by hand are never touched by the job.

Bodies of letters linked this way are not here yet (import kept headers
only); they are marked "pending" and fetched from IMAP when the network is
there (``mail.bodies``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select, text

from models import CallRecord, Contact, ContactPoint, MailAccount, MailMessage
from models.mail import PENDING_BODY
from services.core import prepared, settings
from services.core.storage import Database, UnitOfWork
from services.linking import bulk, call_links, letter_links, placement


@dataclasses.dataclass(frozen=True)
class LinkReport:
    emails: int  # letters put on a card for the first time
    calls: int  # calls put on a card for the first time
    ties: int
    bodies_pending: int
    moved: int = 0  # letters and calls re-ranked onto another card
    # the cards they moved off, as (kind, id) sorted: their feeds changed too
    left_cards: tuple[tuple[str, int], ...] = ()


@dataclasses.dataclass(frozen=True)
class _State:
    """What a full run saw: a fingerprint of who owns which address (points,
    contact persons' parties, the mailboxes' own addresses) and the newest
    letter and call ids."""

    owners: str
    letter: int
    call: int

    @classmethod
    def now(cls, uow: UnitOfWork) -> _State:
        dialect = prepared.dialect_of(uow)
        (points,) = prepared.prepared(dialect, "link.points", _points_state).rows(uow, {})
        (contacts,) = prepared.prepared(dialect, "link.contacts", _contacts_state).rows(uow, {})
        own = sorted(
            f"{a}:{e}:{x}"
            for a, e, x in prepared.prepared(dialect, "link.accounts", _accounts).rows(uow, {})
        )
        owners = json.dumps([[int(v) for v in points], [int(v) for v in contacts], own])
        ((letter, call),) = prepared.prepared(dialect, "link.newest", _newest).rows(uow, {})
        return cls(owners, int(letter or 0), int(call or 0))

    @classmethod
    def stored(cls, uow: UnitOfWork) -> _State | None:
        text = settings.get(uow, "link_state")
        try:
            data = json.loads(text) if text else None
            if not data:
                return None
            return cls(str(data["owners"]), int(data["letter"]), int(data["call"]))
        except (ValueError, KeyError, TypeError):
            return None

    def dump(self) -> str:
        return json.dumps(dataclasses.asdict(self))


def run(
    db: Database,
    *,
    values: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> LinkReport:
    """Place every letter and call that a card's address or number now
    explains (new links and re-ranking); ``values`` narrows the run to some
    addresses/numbers (the ones just added to a card).

    One unit of work per ``placement.BATCH`` letters and calls at most, so
    other writers wait for one such chunk at most (a small run is one unit
    of work). Each is whole; after a crash the next run finds what is left
    (unplaced letters and calls are found again, placed ones are re-ranked
    to the same place), and the fingerprint that lets a quiet run skip
    re-ranking is stored with the last one only."""
    now = now or dt.datetime.now(dt.UTC)
    letters, calls = letter_links.LetterTally(), call_links.CallTally()
    with db.uow() as uow:
        with bulk.unit(uow.session):
            units, seen, zone = _plan(uow, values, letters, calls)
            pending = _run_unit(uow, units[0], zone, now, values, seen, last=len(units) == 1)
        uow.commit()
    for n, unit in enumerate(units[1:], start=2):
        with db.uow() as uow:
            with bulk.unit(uow.session):
                pending = _run_unit(uow, unit, zone, now, values, seen, last=n == len(units))
            uow.commit()
    return LinkReport(
        letters.linked,
        calls.linked,
        letters.ties + calls.ties,
        pending,
        letters.moved + calls.moved,
        tuple(sorted(letters.left | calls.left)),
    )


def _plan(
    uow: UnitOfWork,
    values: Sequence[str] | None,
    letters: letter_links.LetterTally,
    calls: call_links.CallTally,
) -> tuple[list[list[_Step]], _State, str]:
    """The run's units of work, what it saw and the zone it writes in."""
    zone = settings.display_zone(uow)
    seen = _State.now(uow)
    last = _State.stored(uow)
    # Owners unchanged since the last full run: what was placed then is
    # still right; only unplaced and newer letters and calls need the rule.
    quiet = last if values is None and last is not None and last.owners == seen.owners else None
    steps: list[_Step] = [
        *(
            (letter_links.run_chunk, chunk, letters)
            for chunk in _chunks(
                letter_links.considered(uow, values, quiet.letter if quiet else None)
            )
        ),
        *(
            (call_links.run_chunk, chunk, calls)
            for chunk in _chunks(call_links.considered(uow, values, quiet.call if quiet else None))
        ),
    ]
    return _units(steps), seen, zone


# (place a chunk, its ids, the tally it adds to)
_Step = tuple[Callable[[UnitOfWork, list[int], str, dt.datetime, Any], None], list[int], Any]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + placement.BATCH] for start in range(0, len(ids), placement.BATCH)]


def _units(steps: list[_Step]) -> list[list[_Step]]:
    """Consecutive steps grouped into units of work of BATCH ids at most
    (always one unit, maybe empty)."""
    units: list[list[_Step]] = [[]]
    size = 0
    for step in steps:
        if units[-1] and size + len(step[1]) > placement.BATCH:
            units.append([])
            size = 0
        units[-1].append(step)
        size += len(step[1])
    return units


def _run_unit(
    uow: UnitOfWork,
    unit: list[_Step],
    zone: str,
    now: dt.datetime,
    values: Sequence[str] | None,
    seen: _State,
    *,
    last: bool,
) -> int:
    """The steps of one unit of work; the last one also records the run.
    Returns the letters whose bodies are pending (known in the last one)."""
    for place, chunk, tally in unit:
        place(uow, chunk, zone, now, tally)
    if not last:
        return 0
    if values is None:
        # Only a full run records itself. A run narrowed to the addresses just
        # put on a card is part of that save: it must not postpone the next
        # full run, and on a team database a manager's login may not write
        # the shared settings (a save with a phone number was refused).
        settings.record(uow, "link_state", seen.dump())
        settings.record(uow, "link_last_run", now.isoformat())
    ((pending,),) = prepared.prepared(prepared.dialect_of(uow), "link.pending", _pending).rows(
        uow, {}
    )
    return int(pending or 0)


def _points_state() -> Any:
    p = ContactPoint
    return select(
        func.count(),
        func.coalesce(func.max(p.id), 0),
        func.coalesce(
            func.sum(
                func.coalesce(p.client_id, 0)
                + 3 * func.coalesce(p.lead_id, 0)
                + 7 * func.coalesce(p.contact_id, 0)
            ),
            0,
        ),
    )


def _contacts_state() -> Any:
    return select(
        func.count(),
        func.coalesce(func.max(Contact.id), 0),
        func.coalesce(
            func.sum(func.coalesce(Contact.client_id, 0) + 3 * func.coalesce(Contact.lead_id, 0)),
            0,
        ),
    )


def _accounts() -> Any:
    return select(MailAccount.id, MailAccount.email, MailAccount.aliases)


def _newest() -> Any:
    return select(
        select(func.coalesce(func.max(MailMessage.id), 0)).scalar_subquery(),
        select(func.coalesce(func.max(CallRecord.id), 0)).scalar_subquery(),
    )


def _pending() -> Any:
    # The partial index's own condition (``mail.PENDING_BODY``), so the count
    # reads the pending letters alone, not every letter (11 ms at --full).
    return select(func.count()).select_from(MailMessage).where(text(PENDING_BODY))
