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
from collections.abc import Sequence

from sqlalchemy import func, select

from models import MailMessage
from services.core import settings
from services.core.storage import Database
from services.linking import call_links, letter_links


@dataclasses.dataclass(frozen=True)
class LinkReport:
    emails: int  # letters put on a card for the first time
    calls: int  # calls put on a card for the first time
    ties: int
    bodies_pending: int
    moved: int = 0  # letters and calls re-ranked onto another card


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
        letters = letter_links.run(uow, values, zone, now)
        calls = call_links.run(uow, values, zone, now)
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
    )
