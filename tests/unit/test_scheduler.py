"""The scheduler's pure decision: which jobs are due at a given moment."""

from __future__ import annotations

import datetime as dt

from services.core.scheduler import ASAP, JobSpec, JobState, due, next_run, retry_delay

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
FIVE = dt.timedelta(minutes=5)


def mail(account: int, last_sync: dt.datetime | None) -> JobSpec:
    wanted = last_sync + FIVE if last_sync is not None else ASAP
    return JobSpec(f"mail:{account}", "mail", f"mail:{account}", wanted, FIVE)


def failed(key: str, retry_at: dt.datetime, failures: int = 1) -> JobState:
    return JobState(
        key, retry_at, retry_at - dt.timedelta(minutes=1), False, "", "refused", failures
    )


def keys(specs: list[JobSpec]) -> list[str]:
    return [s.key for s in specs]


def test_a_job_that_never_ran_is_due_at_once() -> None:
    assert keys(due(NOW, [mail(1, None)], {})) == ["mail:1"]


def test_an_interval_job_waits_for_its_interval() -> None:
    just_synced = mail(1, NOW - dt.timedelta(minutes=4))
    assert due(NOW, [just_synced], {}) == []
    assert keys(due(NOW + dt.timedelta(minutes=1), [just_synced], {})) == ["mail:1"]


def test_after_three_days_asleep_each_job_is_due_once_not_once_per_interval() -> None:
    slept_at = NOW
    woke = NOW + dt.timedelta(days=3)  # 864 intervals of five minutes missed
    jobs = [
        mail(1, slept_at),
        JobSpec("linking", "linking", "write", slept_at + dt.timedelta(hours=1)),
    ]
    assert keys(due(woke, jobs, {})) == ["mail:1", "linking"]
    # The run moves the job's own time on: nothing is left to catch up.
    after_run = [
        mail(1, woke),
        JobSpec("linking", "linking", "write", woke + dt.timedelta(hours=1)),
    ]
    assert due(woke, after_run, {}) == []
    assert due(woke + dt.timedelta(minutes=4), after_run, {}) == []


def test_a_failed_job_waits_for_its_retry_time_and_does_not_hold_back_the_others() -> None:
    broken, working = mail(1, None), mail(2, None)
    retry_at = NOW + dt.timedelta(minutes=1)
    states = {"mail:1": failed("mail:1", retry_at)}
    assert keys(due(NOW, [broken, working], states)) == ["mail:2"]
    assert keys(due(retry_at, [broken, working], states)) == ["mail:1", "mail:2"]
    assert next_run(broken, states["mail:1"]) == retry_at


def test_a_success_clears_the_retry_wait() -> None:
    ok = JobState("mail:1", NOW + dt.timedelta(hours=1), NOW, True, "1 imported", None, 0)
    assert keys(due(NOW, [mail(1, NOW - FIVE)], {"mail:1": ok})) == ["mail:1"]


def test_a_running_job_is_never_started_twice() -> None:
    assert due(NOW, [mail(1, None)], {}, running={"mail:1"}) == []


def test_a_job_with_nothing_to_do_is_never_due() -> None:
    empty_outbox = JobSpec("outbox", "outbox", "outbox", None)
    assert due(NOW + dt.timedelta(days=365), [empty_outbox], {}) == []
    letter_at_ten = JobSpec("outbox", "outbox", "outbox", NOW + dt.timedelta(hours=1))
    assert due(NOW, [letter_at_ten], {}) == []
    assert keys(due(NOW + dt.timedelta(hours=1), [letter_at_ten], {})) == ["outbox"]


def test_retries_back_off_up_to_the_jobs_own_interval() -> None:
    waits = [retry_delay(n) for n in range(1, 9)]
    assert waits[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(waits) == dt.timedelta(minutes=30)
    assert [retry_delay(n, FIVE) for n in (1, 2, 3, 4)] == [
        dt.timedelta(minutes=m) for m in (1, 2, 4, 5)
    ]


def test_a_job_another_process_runs_is_not_due_until_its_lease_runs_out() -> None:
    lease_end = NOW + dt.timedelta(minutes=15)
    held = JobState("mail:1", None, None, None, "", None, 0, running_until=lease_end)
    assert due(NOW, [mail(1, None)], {"mail:1": held}) == []
    assert keys(due(lease_end, [mail(1, None)], {"mail:1": held})) == ["mail:1"]  # it died
