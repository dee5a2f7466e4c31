"""kill -9 while scenario steps run (SPEC F5): never a letter twice, never one lost.

The scenario runner runs in ``tests/crash_runner.py scenarios``, a child of
the fork server, which the test SIGKILLs at seeded random moments after a
random number of claimed steps; each next run comes a lease later, as an
app restarted after a crash would. At the end one clean run takes what is
left, the outbox sends everything to the real SMTP server, and every step
must have gone out exactly once. The broken design (the letter queued in a
transaction of its own before the step records it) runs through the same
harness and must be caught doubling letters.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import email
import random
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from models import OutboxItem, ScenarioRunStep
from services.core import bootstrap
from services.core.errors import UserError
from services.core.storage import Database, open_database
from services.mail import outbox_sending
from services.scenarios import step_claims
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from tests.crash_harness import ForkServer, Run, Step
from tests.integration.mail_helpers import account
from tests.integration.scenario_helpers import make_card

SEED = 20261206
RUNS, STEPS_PER_RUN = 40, 3
KILLS = 55
START = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)  # Monday 09:00 in Moscow
LATER = START + dt.timedelta(hours=2)  # every step is due
CHAIN = tuple(
    StepSpec(
        "email",
        0,
        9 * 60 + n,
        f"Письмо {n + 1} для {{{{ contact.first_name }}}}",
        prompt="Текст письма для {{ client.name }}",
        auto_send=True,
    )
    for n in range(STEPS_PER_RUN)
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(280)]


@dataclasses.dataclass(frozen=True)
class Chains:
    url: str
    steps: int


def _chains(sqlite_db: Database, mailbox: dict[str, Any], smtp: Any) -> Chains:
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    account(sqlite_db, mailbox, smtp=smtp)
    chain = scenarios.add_scenario(sqlite_db, actor, "Серия", CHAIN).value.id
    for n in range(RUNS):
        card = make_card(
            sqlite_db, actor, f"ООО «Клиент {n}»", "Иванов Иван Петрович", f"buyer{n}@client.test"
        )
        scenarios.apply_scenario(sqlite_db, actor, chain, card.client_id, card.contact_id, START)
    return Chains(sqlite_db.url, RUNS * STEPS_PER_RUN)


def _kill_trials(
    runner: ForkServer, url: str, rng: random.Random, *, broken: bool, kills: int
) -> list[Run]:
    """Start the runner, let 1–3 steps be claimed, kill it a random moment later."""
    runs: list[Run] = []
    extra = ["--broken"] if broken else []
    for trial in range(kills):
        now = LATER + trial * (step_claims.LEASE + dt.timedelta(minutes=1))
        crash = ["--crash-at", "after-queue"] if broken and trial == 0 else []
        runner.start("scenarios", "--db", url, "--now", now.isoformat(), *extra, *crash)
        if crash:  # it kills itself there
            runs.append(runner.wait())
            continue
        steps: list[Step] = []
        wait_for = rng.randint(1, 3)
        while True:
            steps.append(runner.step())
            kind = steps[-1][1].split()[0]
            if kind in ("done", "failed"):
                break
            if kind == "claimed":
                wait_for -= 1
                if wait_for <= 0:
                    time.sleep(rng.uniform(0.0, 0.05))
                    break
        run = runner.kill(steps)
        assert run.code in (0, -9, 137), (run, runner.stderr())
        assert "failed" not in run.events, runner.stderr()
        runs.append(run)
    return runs


def _where_kills_fell(runs: list[Run]) -> collections.Counter[str]:
    """The last event before each kill: the kills must spread over the steps."""
    return collections.Counter(
        run.events[-1].split()[0] for run in runs if run.code != 0 and run.events
    )


def _no_sent_copies(*_args: Any) -> Any:
    """What is counted here is SMTP; copying 120 letters to Sent only takes time."""
    raise UserError("no copies to Sent in this test")


def _finish_and_send(runner: ForkServer, chains: Chains, smtp: Any) -> dict[str, int]:
    """One clean run, then the outbox sends everything: letters per step."""
    final = LATER + dt.timedelta(days=1)
    runner.start("scenarios", "--db", chains.url, "--now", final.isoformat())
    run = runner.wait()
    assert run.code == 0, runner.stderr()
    db = open_database(chains.url)
    try:
        report = outbox_sending.send_due(db, now=final, file_wait=0.2, imap_connect=_no_sent_copies)
        assert report.failed == (), report.failed
        with db.reader() as uow:
            per_step = dict(
                uow.session.execute(
                    select(OutboxItem.interaction_id, func.count()).group_by(
                        OutboxItem.interaction_id
                    )
                ).all()
            )
            steps = uow.session.execute(
                select(ScenarioRunStep.interaction_id, ScenarioRunStep.state)
            ).all()
    finally:
        db.dispose()
    received = smtp.wait_for(sum(per_step.values()), timeout=30)
    subjects = collections.Counter(
        (m.rcpt_tos, str(email.message_from_bytes(m.data)["Subject"])) for m in received
    )
    return {
        "steps": len(steps),
        "steps_queued": sum(1 for _i, state in steps if state in ("queued", "sent")),
        "outbox_rows": sum(per_step.values()),
        "doubled_steps": sum(1 for i, _s in steps if per_step.get(i, 0) > 1),
        "lost_steps": sum(1 for i, _s in steps if per_step.get(i, 0) == 0),
        "delivered": len(received),
        "delivered_twice": sum(1 for n in subjects.values() if n > 1),
        "distinct_delivered": len(subjects),
    }


def test_killing_the_scenario_runner_never_sends_twice_nor_loses_a_step(
    sqlite_db: Database, mailbox: dict[str, Any], smtp: Any, runner: ForkServer
) -> None:
    chains = _chains(sqlite_db, mailbox, smtp)
    rng = random.Random(SEED)
    runs = _kill_trials(runner, chains.url, rng, broken=False, kills=KILLS)
    killed = [r for r in runs if r.code == -9]
    assert len(killed) >= 50, f"only {len(killed)} runs were killed"
    fell = _where_kills_fell(killed)
    assert len(fell) >= 2, fell  # after a claim, after the text, after a finish …
    counts = _finish_and_send(runner, chains, smtp)
    assert counts == {
        "steps": chains.steps,
        "steps_queued": chains.steps,
        "outbox_rows": chains.steps,
        "doubled_steps": 0,
        "lost_steps": 0,
        "delivered": chains.steps,
        "delivered_twice": 0,
        "distinct_delivered": chains.steps,
    }, (counts, fell)


def test_the_harness_catches_a_letter_queued_before_its_step_is_recorded(
    sqlite_db: Database, mailbox: dict[str, Any], smtp: Any, runner: ForkServer
) -> None:
    chains = _chains(sqlite_db, mailbox, smtp)
    rng = random.Random(SEED)
    runs = _kill_trials(runner, chains.url, rng, broken=True, kills=KILLS)
    assert runs[0].code == 137  # the deterministic kill between the two commits
    counts = _finish_and_send(runner, chains, smtp)
    assert counts["doubled_steps"] >= 1, counts
    assert counts["outbox_rows"] > chains.steps
    assert counts["delivered_twice"] >= 1
