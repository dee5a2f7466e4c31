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
from collections.abc import Sequence

from sqlalchemy import func, select

from models import CallRecord, Contact, ContactPoint, MailAccount, MailMessage
from services.core import settings
from services.core.storage import Database, UnitOfWork
from services.linking import call_links, letter_links


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
        s = uow.session
        p = ContactPoint
        points = s.execute(
            select(
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
        ).one()
        contacts = s.execute(
            select(
                func.count(),
                func.coalesce(func.max(Contact.id), 0),
                func.coalesce(
                    func.sum(
                        func.coalesce(Contact.client_id, 0) + 3 * func.coalesce(Contact.lead_id, 0)
                    ),
                    0,
                ),
            )
        ).one()
        own = sorted(
            f"{a}:{e}:{x}"
            for a, e, x in s.execute(select(MailAccount.id, MailAccount.email, MailAccount.aliases))
        )
        owners = json.dumps([[int(v) for v in points], [int(v) for v in contacts], own])
        letter = s.scalar(select(func.coalesce(func.max(MailMessage.id), 0))) or 0
        call = s.scalar(select(func.coalesce(func.max(CallRecord.id), 0))) or 0
        return cls(owners, int(letter), int(call))

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
    explains (new links and re-ranking); ``values`` narrows the run to some addresses/numbers (the
    ones just added to a card). One transaction: all or nothing."""
    now = now or dt.datetime.now(dt.UTC)
    with db.uow() as uow:
        zone = settings.display_zone(uow)
        seen = _State.now(uow)
        last = _State.stored(uow)
        # Owners unchanged since the last full run: what was placed then is
        # still right; only unplaced and newer letters and calls need the rule.
        quiet = last if values is None and last is not None and last.owners == seen.owners else None
        letters = letter_links.run(uow, values, zone, now, quiet.letter if quiet else None)
        calls = call_links.run(uow, values, zone, now, quiet.call if quiet else None)
        if values is None:
            settings.put(uow, "link_state", seen.dump())
        pending = (
            uow.session.scalar(
                select(func.count())
                .select_from(MailMessage)
                .where(MailMessage.body_state == "pending")
            )
            or 0
        )
        settings.put(uow, "link_last_run", now.isoformat())
        uow.commit()
    return LinkReport(
        letters.linked,
        calls.linked,
        letters.ties + calls.ties,
        pending,
        letters.moved + calls.moved,
        tuple(sorted(letters.left | calls.left)),
    )
