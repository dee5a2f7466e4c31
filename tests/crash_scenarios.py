"""The scenario runner in ``tests/crash_runner.py``'s child, for the kill tests.

    python tests/crash_runner.py scenarios --db URL --now ISO [--broken]
                                           [--crash-at POINT [--crash-nth N]]

Events (one flushed line each): ``ready``; per step ``claimed ID`` (the
durable claim is committed), ``text ID`` (its letter is made, nothing
written), ``finished ID`` (the letter is in the outbox and the step says
so, durably); ``done queued=N``. Crash points: ``after-claim``,
``after-text``, ``after-finish`` and, with ``--broken``, ``after-queue``.

``--broken`` is the design the harness must catch: the letter is put in
the outbox in a transaction of its own and the step is recorded in a
second one, so a kill between the two leaves a queued letter whose step is
taken again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from models import Interaction, ScenarioRunStep
from services.core.storage import Database
from services.scenarios import runner, step_letter
from services.scenarios.step_claims import Claimed
from services.scenarios.step_text import Text

CRASH_POINTS = ("after-claim", "after-text", "after-finish", "after-queue")
GENERATION_S = 0.004  # a letter takes a moment to make: kills land there too


def add_parser(jobs: Any) -> None:
    p = jobs.add_parser("scenarios")
    p.add_argument("--db", required=True)
    p.add_argument("--now", required=True, help="aware ISO time")
    p.add_argument("--broken", action="store_true")
    p.add_argument("--crash-at", choices=CRASH_POINTS)
    p.add_argument("--crash-nth", type=int, default=1)


def _broken_finish(db: Database, job: Claimed, text: Text, now: dt.datetime) -> str:
    with db.uow(durable=True) as uow:
        step = uow.session.get(ScenarioRunStep, job.step_id)
        interaction = uow.session.get(Interaction, job.interaction_id)
        assert step is not None
        assert interaction is not None
        interaction.subject, interaction.body = text.subject, text.body
        outbox_id = step_letter.queue_letter(uow, step, interaction, now).id
        uow.commit()
    _hooks["queued"](job.step_id)
    with db.uow(durable=True) as uow:
        step = uow.session.get(ScenarioRunStep, job.step_id)
        assert step is not None
        step.state, step.outbox_id = "queued", outbox_id
        step.claim_token, step.claimed_until = None, None
        uow.commit()
    return "queued"


_hooks: dict[str, Callable[[int], None]] = {}


def run(
    options: argparse.Namespace,
    open_db: Callable[[str], Database],
    event: Callable[..., None],
    at: Callable[[str], None],
) -> int:
    claim, make_text = runner.claim, runner.make_text
    finish = _broken_finish if options.broken else runner.finish

    def claimed(db: Database, step_id: int, now: dt.datetime, node: str | None = None) -> Any:
        job = claim(db, step_id, now, node)
        if job is not None:
            event("claimed", step_id)
            at("after-claim")
        return job

    def made(db: Database, job: Claimed, *args: Any, **kwargs: Any) -> Text:
        text = make_text(db, job, *args, **kwargs)
        time.sleep(GENERATION_S)
        event("text", job.step_id)
        at("after-text")
        return text

    def finished(db: Database, job: Claimed, text: Text, now: dt.datetime) -> str:
        outcome = finish(db, job, text, now)
        event("finished", job.step_id, outcome)
        at("after-finish")
        return outcome

    def queued(step_id: int) -> None:
        event("queued-alone", step_id)
        at("after-queue")

    _hooks["queued"] = queued
    runner.claim, runner.make_text, runner.finish = claimed, made, finished  # type: ignore[assignment]
    db = open_db(options.db)
    try:
        event("ready")
        report = runner.run_due(db, dt.datetime.fromisoformat(options.now))
        event("done", f"queued={len(report.queued)}", f"retrying={len(report.retrying)}")
    finally:
        db.dispose()
    return 0
