"""One round of the queued AI drafts (SPEC E3), shared by the desktop (on
its qasync loop, writes through the write lane) and ``touchpoint run-due``
(``asyncio.run``, writes directly).

Generations run one after another; an unreachable server ends the round,
and the rest keep their own retry time. Drafts are only written, never sent.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Sequence

from services.ai import client as ai
from services.ai import drafts as ai_drafts
from services.ai import settings as ai_settings
from services.core.access import Actor
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork

log = logging.getLogger(__name__)

# (request id, draft text or None, error, retry later?)
Record = Callable[[int, str | None, str, bool], None]


@dataclasses.dataclass(frozen=True)
class RoundReport:
    written: tuple[int, ...] = ()
    retrying: tuple[tuple[int, str], ...] = ()
    failed: tuple[tuple[int, str], ...] = ()
    waiting: str = ""  # why nothing was tried (AI switched off)


def due_work(
    uow: UnitOfWork, actor: Actor, now: dt.datetime
) -> tuple[ai_settings.AiConfig | None, list[ai_drafts.Job], str]:
    """The due requests and the AI config; no config (and why) when AI was
    switched off meanwhile: the requests wait."""
    jobs = ai_drafts.due(uow, actor, now)
    if not jobs:
        return None, [], ""
    try:
        return ai_settings.config(uow), jobs, ""
    except UserError as exc:
        log.info("queued AI drafts wait: %s", exc)
        return None, [], str(exc)


async def write_due(
    config: ai_settings.AiConfig, jobs: Sequence[ai_drafts.Job], record: Record
) -> RoundReport:
    written: list[int] = []
    retrying: list[tuple[int, str]] = []
    failed: list[tuple[int, str]] = []
    for job in jobs:
        try:
            text = await ai.draft(config, job.messages)
        except ai.AiUnavailable as exc:
            record(job.id, None, str(exc), True)
            retrying.append((job.id, str(exc)))
            break  # out of reach: the others keep their retry time
        except UserError as exc:
            record(job.id, None, str(exc), False)
            failed.append((job.id, str(exc)))
            continue
        record(job.id, text, "", False)
        written.append(job.id)
    return RoundReport(tuple(written), tuple(retrying), tuple(failed))


def save(
    uow: UnitOfWork,
    actor: Actor,
    request_id: int,
    text: str | None,
    error: str,
    now: dt.datetime,
    *,
    retry: bool,
) -> ai_drafts.QueuedDraft:
    if text is not None:
        return ai_drafts.record_ready(uow, actor, request_id, text)
    return ai_drafts.record_failure(uow, actor, request_id, error, now, retry=retry)


def run_blocking(db: Database, actor: Actor, now: dt.datetime) -> RoundReport:
    """The round for a headless pass: its own event loop, direct writes."""
    with db.reader(actor.id) as uow:
        config, jobs, waiting = due_work(uow, actor, now)
    if config is None:
        return RoundReport(waiting=waiting)

    def record(request_id: int, text: str | None, error: str, retry: bool) -> None:
        with db.uow(actor.id) as uow:
            save(uow, actor, request_id, text, error, now, retry=retry)
            uow.commit()

    return asyncio.run(write_due(config, jobs, record))
