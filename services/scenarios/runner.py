"""Running due scenario steps (SPEC F3, F5), on the one scheduler.

A due auto step is taken in three transactions:

1. the claim: ``running`` with a token and a lease, committed durably
   before anything is generated or queued;
2. the content, with no transaction open: the planned interaction's own
   text if the manager wrote one, else the template filled in, else an AI
   generation (the client's letter as delimited data);
3. the finish, durably: only while the token is still ours, the text goes
   on the planned interaction and, for an auto-send letter, into the outbox
   in the same transaction that records ``outbox_id``.

A runner killed anywhere leaves either nothing queued (the claim lapses
after ``LEASE`` and the step is taken again) or the letter queued and the
step recorded together: never two letters, never none. Sending is the
outbox's, which owns the exactly-once of SMTP. Steps that fell due while
the app was closed are simply due: each runs once when a pass comes.
A failure is kept on the step and retried with backoff, never dropped; an
AI server out of reach ends the round's generations, as the drafts queue does.

The steps are in their own modules: which are due (``due_steps``), the
claim (``step_claims``), the text (``step_text``), the finish with the
letter (``step_letter``), following what happened since (``settlement``);
this one is the pass that strings them together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from models import ScenarioRunStep
from services.core.changes import Changes
from services.core.errors import UserError
from services.core.storage import Database
from services.scenarios.due_steps import BATCH, due_ids
from services.scenarios.settlement import settle
from services.scenarios.step_claims import claim, record_failure, skip_if_handled
from services.scenarios.step_letter import finish
from services.scenarios.step_text import AiWaiting, Generate, generate_blocking, make_text
from services.sync import scenario_kinds


@dataclasses.dataclass(frozen=True)
class StepReport:
    queued: tuple[int, ...] = ()  # letters put in the outbox
    written: tuple[int, ...] = ()  # AI texts written into planned interactions
    retrying: tuple[tuple[int, str], ...] = ()
    skipped: tuple[int, ...] = ()  # taken by someone else, or done by hand meanwhile
    settled: int = 0  # steps brought up to date with their letter or interaction
    letters: tuple[int, ...] = ()  # the outbox rows of the queued letters

    def changes(self) -> Changes:
        """What the change history does not record: the letters put in the
        outbox (the status bar's count) and the steps that moved on."""
        steps = [*self.queued, *self.written, *(i for i, _ in self.retrying)]
        return Changes.of(created={"outbox": self.letters}, updated={"scenario_step": steps})


def run_due(
    db: Database,
    now: dt.datetime | None = None,
    *,
    generate: Generate = generate_blocking,
    limit: int = BATCH,
) -> StepReport:
    """One pass: settle what happened since, then take each due step once."""
    now = now or dt.datetime.now(dt.UTC)
    with db.reader() as uow:
        node = scenario_kinds.node_here(uow)
    settled = settle(db, now, node)
    with db.reader() as uow:
        ids = due_ids(uow, now, limit, node)
    queued: list[int] = []
    written: list[int] = []
    retrying: list[tuple[int, str]] = []
    skipped: list[int] = []
    ai_reachable = True
    for step_id in ids:
        job = claim(db, step_id, now, node)
        if job is None or skip_if_handled(db, job, now):
            skipped.append(step_id)
            continue
        try:
            text = make_text(db, job, now, generate, ai_reachable)
            outcome = finish(db, job, text, now)
        except AiWaiting as exc:
            ai_reachable = False
            record_failure(db, job, str(exc), now)
            retrying.append((step_id, str(exc)))
            continue
        except UserError as exc:
            record_failure(db, job, str(exc), now)
            retrying.append((step_id, str(exc)))
            continue
        if outcome == "queued":
            queued.append(step_id)
        elif outcome == "written":
            written.append(step_id)
        else:
            skipped.append(step_id)
    settled += settle(db, now, node)
    letters: list[int] = []
    if queued:
        with db.reader() as uow:
            letters = [
                i
                for i in uow.session.scalars(
                    select(ScenarioRunStep.outbox_id).where(ScenarioRunStep.id.in_(queued))
                )
                if i is not None
            ]
    return StepReport(
        tuple(queued), tuple(written), tuple(retrying), tuple(skipped), settled, tuple(letters)
    )
