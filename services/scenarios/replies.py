"""Stop on reply (SPEC F5): a letter from the contact pauses or stops a run.

Called by the mail import in the transaction that stores the letters, so a
reply is acted on exactly once, with the letters. A letter belongs to a
run when its In-Reply-To or References name a letter the run sent, else
when it comes from the run's contact person after the run started.
Out-of-office and other automatic answers do not count
(``services.mail.auto_reply``); a delivery report stops the run and says why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import Sequence

from sqlalchemy import select

from models import ContactPoint, OutboxItem, Scenario, ScenarioRun, ScenarioRunStep
from services.core import normalize
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.mail import auto_reply
from services.mail.mime_headers import ParsedHeaders

log = logging.getLogger(__name__)

LIVE = ("active", "paused")
MAX_IDS = 2000  # per batch of letters: a References field is bounded, so is this


@dataclasses.dataclass(frozen=True)
class Heard:
    """An inbound letter as stop-on-reply needs it."""

    addresses: tuple[str, ...]  # the sender; a bounce: the recipients it failed for
    ids: tuple[str, ...]  # Message-IDs it answers (a bounce: the letters it returns)
    machine: str  # human | auto | bounce
    reason: str = ""
    at: dt.datetime | None = None


@functools.lru_cache(maxsize=4096)  # the mail import asks for the same senders all day
def _address(raw: str) -> str | None:
    try:
        return normalize.normalize_email(raw)
    except ValidationError:
        return None


def from_headers(header: ParsedHeaders, body: bytes | None = None) -> Heard:
    ids = [x for x in (header.in_reply_to, *header.references) if x]
    senders = [a for a in (_address(x.email) for x in header.from_[:1]) if a]
    if header.machine != auto_reply.BOUNCE:
        return Heard(tuple(senders), tuple(ids), header.machine, "", header.date)
    try:
        report = auto_reply.read_bounce(body) if body else None
    except Exception:  # a parser bug: the bounce still counts by its headers
        log.exception("delivery report unreadable")
        report = None
    reason = "the letter could not be delivered"
    recipients: list[str] = []
    if report is not None:
        ids.extend(report.original_ids)
        recipients = [a for a in (_address(x) for x in report.recipients) if a]
        reason = report.reason
    return Heard(
        tuple(recipients), tuple(dict.fromkeys(ids)), auto_reply.BOUNCE, reason, header.date
    )


def _by_ids(uow: UnitOfWork, ids: Sequence[str]) -> dict[str, set[int]]:
    if not ids:
        return {}
    found: dict[str, set[int]] = {}
    rows = uow.session.execute(
        select(OutboxItem.message_key, ScenarioRunStep.run_id)
        .join(ScenarioRunStep, ScenarioRunStep.outbox_id == OutboxItem.id)
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .where(OutboxItem.message_key.in_(list(ids)[:MAX_IDS]), ScenarioRun.state.in_(LIVE))
    )
    for key, run_id in rows:
        found.setdefault(key, set()).add(run_id)
    return found


def _by_address(uow: UnitOfWork, addresses: Sequence[str]) -> dict[str, list[ScenarioRun]]:
    if not addresses:
        return {}
    found: dict[str, list[ScenarioRun]] = {}
    rows = uow.session.execute(
        select(ContactPoint.normalized, ScenarioRun)
        .join(ScenarioRun, ScenarioRun.contact_id == ContactPoint.contact_id)
        .where(
            ContactPoint.kind == "email",
            ContactPoint.normalized.in_(list(addresses)[:MAX_IDS]),
            ScenarioRun.state.in_(LIVE),
        )
    )
    for address, run in rows:
        found.setdefault(address, []).append(run)
    return found


def any_live(uow: UnitOfWork) -> bool:
    """Whether any scenario run could be stopped: the mail import asks first,
    so a batch reads no letter's reply headers while nothing runs."""
    found = uow.session.scalar(select(ScenarioRun.id).where(ScenarioRun.state.in_(LIVE)).limit(1))
    return found is not None


def hear(uow: UnitOfWork, letters: Sequence[Heard], now: dt.datetime) -> list[int]:
    """Pause or stop the runs these letters answer; the runs changed."""
    letters = [x for x in letters if x.machine != auto_reply.AUTO]
    if not letters or not any_live(uow):
        return []
    by_id = _by_ids(uow, [i for x in letters for i in x.ids])
    by_address = _by_address(uow, [a for x in letters for a in x.addresses])
    changed: list[int] = []
    for letter in letters:
        matched = {run_id for i in letter.ids for run_id in by_id.get(i, ())}
        # A bounce that names the letters it returns is about those only:
        # another letter to the same address failing stops no run.
        if not matched and not (letter.machine == auto_reply.BOUNCE and letter.ids):
            matched = {
                run.id
                for a in letter.addresses
                for run in by_address.get(a, [])
                if letter.at is None or letter.at >= run.created_at
            }
        for run_id in sorted(matched):
            if _act(uow, run_id, letter, now):
                changed.append(run_id)
    return changed


def _act(uow: UnitOfWork, run_id: int, letter: Heard, now: dt.datetime) -> bool:
    run = uow.session.get(ScenarioRun, run_id)
    if run is None or run.state not in LIVE:
        return False
    who = letter.addresses[0] if letter.addresses else "the contact"
    if letter.machine == auto_reply.BOUNCE:
        reason = f"bounced: {letter.reason}"
    else:
        on_reply = uow.session.scalar(
            select(Scenario.on_reply).where(Scenario.id == run.scenario_id)
        )
        if on_reply == "pause":
            if run.state == "paused":
                return False
            run.state = "paused"
            run.stop_reason = f"paused: {who} replied"
            return True
        reason = f"stopped: {who} replied"
    # Imported here: runs brings the calendar (holidays) and the templates
    # (jinja2), ~1.3 s CPU that every mail sync paid on its first batch for
    # the any_live check, when no run is live.
    from services.scenarios import runs

    runs.end_steps(uow, run, now, reason, only_auto=True)
    run.state = "stopped"
    run.stop_reason = reason[:2000]
    run.stopped_at = now
    return True
