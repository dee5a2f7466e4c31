"""``touchpoint run-due``: one pass of everything due, on a real SQLite file,
a real Dovecot mailbox and the real aiosmtpd server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import sys
from typing import Any

import pytest

from models import MailAccount
from services.core import scheduler
from services.core.scheduler import JobSpec
from services.core.storage import Database, open_database
from tests.integration.mail_helpers import ALICE, letter
from tests.integration.test_mail_cli import Cli, _add_account
from tests.mail_fixtures import append_messages

__all__ = ["cli"]
from tests.integration.test_mail_cli import cli


def job_states(cli: Cli) -> dict[str, scheduler.JobState]:
    db = open_database(cli.url)
    try:
        with db.reader() as uow:
            return scheduler.states(uow)
    finally:
        db.dispose()


def test_one_pass_imports_links_and_sends_then_nothing_is_due(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    client = cli.json("clients", "add", "ООО Ромашка", "--email", "ivan@romashka.ru")["id"]
    append_messages(mailbox, ALICE, "INBOX", [letter("ivan@romashka.ru", ALICE, "Заявка")])
    acc = _add_account(cli, mailbox, smtp)
    queued = cli.json(
        "mail", "send", "--account", str(acc), "--to", "ivan@romashka.ru",
        "--subject", "Ответ", "--body", "Спасибо, получили", "--client", str(client),
    )  # fmt: skip
    ran = cli.json("run-due")["ran"]
    by_job = {r["job"]: r for r in ran}
    # The full linking run is due (it never ran): the run narrowed to the
    # client's new address was part of that save and does not count as one.
    assert [r["job"] for r in ran] == [f"mail:{acc}", "linking", "outbox"]
    assert all(r["ok"] and r["error"] is None for r in ran)
    assert by_job[f"mail:{acc}"]["result"]["imported"] == 1
    assert by_job["outbox"]["result"]["sent"] == [queued["id"]]
    [received] = smtp.wait_for(1)
    assert received.rcpt_tos == ("ivan@romashka.ru",)
    body = email.message_from_bytes(received.data, policy=email.policy.default)
    assert body["Subject"] == "Ответ"
    feed = cli.json("feed", "--client", str(client), "--type", "email")["items"]
    assert sorted(i["title"] for i in feed) == ["Заявка", "Ответ"]
    # Each job recorded its run and its next time; a second pass finds nothing.
    states = job_states(cli)
    mail_state = states[f"mail:{acc}"]
    assert mail_state.last_ok
    assert mail_state.last_result.startswith("1 imported")
    assert mail_state.next_run_at == mail_state.last_run_at + dt.timedelta(minutes=5)
    assert states["outbox"].next_run_at is None  # nothing left to send
    assert cli.json("run-due") == {"ran": []}
    code, out, _ = cli.run("run-due")
    assert (code, out.strip()) == (0, "nothing was due")


def test_a_pass_leaves_the_start_up_heap_out_of_full_collections(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    """Like `mail sync`, `run-due` freezes what its start built once, before
    its first job (desktop/heap.py, #16), so a long sync's full collections
    skip it; a pass with nothing due has nothing to freeze for."""
    from desktop import heap

    frozen: list[tuple[bool, int]] = []

    def freeze() -> int:
        frozen.append(("services.mail.imap_sync" in sys.modules, len(job_states(cli))))
        return 0

    cli.monkeypatch.setattr(heap, "freeze_startup_heap", freeze)
    append_messages(mailbox, ALICE, "INBOX", [letter("nobody@else.example", ALICE, "Привет")])
    acc = _add_account(cli, mailbox, smtp)
    ran = cli.json("run-due")["ran"]
    assert (ran[0]["job"], ran[0]["result"]["unlinked"]) == (f"mail:{acc}", 1)
    assert frozen == [(True, 0)]  # once, no job run yet, the sync's code loaded
    assert cli.json("run-due") == {"ran": []}
    assert len(frozen) == 1


def test_a_failing_mailbox_is_reported_and_retried_later_without_stopping_the_others(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    from tests.servers import free_port

    good = _add_account(cli, mailbox, smtp)
    broken = _add_account(cli, mailbox, smtp)
    db = open_database(cli.url)
    with db.uow() as uow:  # its server went away since: nobody listens there now
        row = uow.session.get(MailAccount, broken)
        assert row is not None
        row.imap_port = free_port()
        uow.commit()
    db.dispose()
    append_messages(mailbox, ALICE, "INBOX", [letter("ivan@romashka.ru", ALICE, "Привет")])
    code, out, err = cli.run("run-due", "--json")
    assert code == 0, err  # a failed job is reported, not an error of the pass
    ran = {r["job"]: r for r in json.loads(out)["ran"]}
    assert ran[f"mail:{good}"]["ok"] is True
    assert ran[f"mail:{good}"]["result"]["unlinked"] == 1
    assert ran[f"mail:{broken}"]["ok"] is False
    assert "refused the connection" in ran[f"mail:{broken}"]["error"]
    assert ran["linking"]["ok"] is True  # ran after the failure
    state = job_states(cli)[f"mail:{broken}"]
    assert (state.failures, state.last_ok) == (1, False)
    assert state.next_run_at == state.last_run_at + dt.timedelta(minutes=1)
    assert cli.json("run-due") == {"ran": []}  # the broken one waits for its retry time


def test_bad_input_exits_2(cli: Cli) -> None:
    code, out, err = cli.run("--user", "nobody-such", "run-due")
    assert code == 2
    assert out == ""
    assert err.startswith("touchpoint: ")
    code, out, err = cli.run("run-due", "--every", "5")
    assert code == 2
    assert out == ""
    assert "--every" in err


def test_a_job_running_in_another_touchpoint_is_not_run_twice(cli: Cli) -> None:
    other = open_database(cli.url)  # another window, or a second cron pass
    linking = JobSpec("linking", "linking", "write", None)
    with other.uow() as uow:
        assert scheduler.claim(uow, linking, dt.datetime.now(dt.UTC)) is not None
        uow.commit()
    assert cli.json("run-due") == {"ran": []}  # not even tried while the lease holds
    with other.uow() as uow:  # the other one finishes and records its run
        scheduler.record(uow, linking, dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
        uow.commit()
    other.dispose()
    [ran] = cli.json("run-due")["ran"]
    assert (ran["job"], ran["ok"]) == ("linking", True)
    assert job_states(cli)["linking"].running_until is None


def test_a_run_asked_for_while_another_process_holds_the_job_is_refused(
    sqlite_db: Database,
) -> None:
    from services.jobs import runs
    from services.jobs.registry import Scope

    now = dt.datetime.now(dt.UTC)
    linking = JobSpec("linking", "linking", "write", None)
    with sqlite_db.uow() as uow:
        scheduler.claim(uow, linking, now)
        uow.commit()
    run = runs.execute(sqlite_db, linking, Scope(), now)
    assert run.ok is False
    assert run.error is not None
    assert "already running in another Touchpoint" in run.error
    with pytest.raises(runs.JobRunningElsewhere):
        runs.recorded(sqlite_db, linking, Scope(), now, lambda: "never called")
