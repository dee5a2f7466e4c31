"""kill -9 in the middle of sending: no letter lost, a duplicate only where
the kill fell between the server's 250 and the commit.

The outbox job runs in ``tests/crash_runner.py``, a separate process the
test SIGKILLs at seeded random moments after the runner reported some
progress (tests/crash_harness.py), then lets one run finish and checks
what the SMTP server received and the Sent folder holds against the
outbox. The deterministic crash points run once through the plain command
line as well. IMAP import under kill -9 is test_mail_crash.py.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
import statistics
from collections.abc import Sequence
from email.parser import BytesHeaderParser
from typing import Any

import pytest
from sqlalchemy import select

from models import Interaction, OutboxItem
from services.core import bootstrap
from services.core.storage import Database
from services.mail import outbox
from tests.crash_harness import ForkServer, kill_loop, run_cli
from tests.integration.mail_helpers import ALICE, account, client_with_email
from tests.mail_fixtures import imap_client

SEED = 20261124
NOW = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)
KNOWN = [f"buyer{n}@client{n}.example" for n in range(8)]
OUTBOX_LETTERS, OUTBOX_KILLS = 30, 15
# The rig's server never files sent mail itself, so waiting for it to do so
# cannot change what the kill loops count; a short wait keeps them quick.
FAST_FILE_WAIT = ("--file-wait", "0.2")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def queue_letters(
    db: Database, account_id: int, count: int, *, first: int = 0, clients: list[int] | None = None
) -> list[outbox.OutboxView]:
    """COUNT letters "Offer FIRST" onwards, to the known clients (made here
    unless CLIENTS names them)."""
    if clients is None:
        clients = [client_with_email(db, f"Client {n}", KNOWN[n]) for n in range(len(KNOWN))]
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        letters = [
            outbox.queue(
                uow,
                actor,
                account_id,
                to=[KNOWN[n % len(KNOWN)]],
                subject=f"Offer {n}",
                body=f"Dear client,\nour offer number {n}.\n" + "details " * 100,
                client_id=clients[n % len(KNOWN)],
                now=NOW,
            )
            for n in range(first, first + count)
        ]
        uow.commit()
    return letters


def send_args(db: Database, server: dict[str, Any], *extra: str) -> list[str]:
    return [
        "send-due",
        "--db",
        db.url,
        "--password",
        server["password"],
        "--now",
        NOW.isoformat(),
        *extra,
    ]


def message_ids(raws: Sequence[bytes]) -> collections.Counter[str]:
    parser = BytesHeaderParser()
    return collections.Counter(
        str(parser.parsebytes(raw)["Message-ID"]).strip("<>") for raw in raws
    )


def sent_folder_copies(server: dict[str, Any]) -> collections.Counter[str]:
    item = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"
    with imap_client(server, ALICE) as client:
        client.select_folder("Sent", readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]) if uids else {}
    return message_ids([data[item] for data in fetched.values()])


def outbox_problems(
    db: Database, server: dict[str, Any], smtp: Any, letters: Sequence[outbox.OutboxView]
) -> dict[str, list[Any]]:
    """Everything but duplicates at the SMTP server, which are counted apart."""
    keys = {v.message_id for v in letters}
    received = message_ids([m.data for m in smtp.messages])
    copies = sent_folder_copies(server)
    with db.reader() as uow:
        items = {
            row.message_key: row.state
            for row in uow.session.scalars(
                select(OutboxItem).where(OutboxItem.id.in_([v.id for v in letters]))
            )
        }
        done = {
            v.message_id
            for v in letters
            if (i := uow.session.get(Interaction, v.interaction_id)) is not None
            and i.state == "done"
        }
    problems = {
        "never received": sorted(keys - set(received)),
        "received, not ours": sorted(set(received) - keys),
        "not sent": sorted(k for k in keys if items.get(k) != "sent"),
        "interaction not done": sorted(keys - done),
        "copies in Sent": sorted((k, copies[k]) for k in keys | set(copies) if copies[k] != 1),
    }
    return {kind: found for kind, found in problems.items() if found}


def duplicates(smtp: Any) -> dict[str, int]:
    return {k: n for k, n in message_ids([m.data for m in smtp.messages]).items() if n > 1}


def test_outbox_killed_at_random_moments_loses_no_letter(
    sqlite_db: Database, mailbox: dict[str, Any], smtp: Any, runner: ForkServer
) -> None:
    db = sqlite_db
    rng = random.Random(SEED)
    account_id = account(db, mailbox, smtp=smtp)
    clients = [client_with_email(db, f"Client {n}", KNOWN[n]) for n in range(len(KNOWN))]
    letters = queue_letters(db, account_id, OUTBOX_LETTERS, clients=clients)
    # Kills at a uniform moment within ~3 letters after start: no bias
    # towards or away from the window between the server's 250 and our commit.
    runs = kill_loop(
        runner,
        send_args(db, mailbox, *FAST_FILE_WAIT),
        kills=OUTBOX_KILLS,
        progress="smtp-ok",
        rng=rng,
        spread=3.0,
    )
    # Where a kill lands is timing: on a loaded machine none may have fallen
    # between a claim and its mark. More letters and kills until one does
    # (bounded), so the test always proves that window, never skips it.
    for _round in range(4):
        if any(r.code == -9 and r.open_step("claimed", "marked") for r in runs):
            break
        more = queue_letters(db, account_id, 10, first=len(letters), clients=clients)
        letters += more
        runs += kill_loop(
            runner,
            send_args(db, mailbox, *FAST_FILE_WAIT),
            kills=5,
            progress="smtp-ok",
            rng=rng,
            spread=3.0,
        )
    runner.start(*send_args(db, mailbox))
    last = runner.wait()
    assert (last.code, last.finished) == (0, True), runner.stderr()
    killed = [r for r in runs if r.code == -9]
    assert len(killed) >= 10
    assert any(r.open_step("claimed", "marked") for r in killed)
    assert outbox_problems(db, mailbox, smtp, letters) == {}
    doubled = duplicates(smtp)
    # At most one extra copy per kill: only the letter a kill interrupted.
    assert sum(n - 1 for n in doubled.values()) <= len(killed)
    window = [g for r in (*runs, last) for g in r.gaps("quit", "marked")]
    letter = [g for r in (*runs, last) for g in r.gaps("smtp-ok", "smtp-ok")]
    print(  # the duplicate rate is reported, not asserted; shown with -rP
        f"\noutbox: {len(killed)} kills, {len(smtp.messages)} received for {len(letters)} "
        f"letters, {len(doubled)} duplicated; 250 -> marked sent: median "
        f"{statistics.median(window) * 1000:.1f} ms of {statistics.median(letter) * 1000:.1f} "
        "ms per letter"
    )


def test_outbox_crash_outside_the_smtp_window_sends_each_letter_once(
    sqlite_db: Database, mailbox: dict[str, Any], smtp: Any, runner: ForkServer
) -> None:
    db = sqlite_db
    letters = queue_letters(db, account(db, mailbox, smtp=smtp), 6)
    # Each run resumes what the one before left: an item claimed but not
    # sent, one sent and marked, then copies APPENDed to Sent but not recorded.
    for point, nth in (
        ("after-claim", 1),
        ("before-smtp", 2),
        ("before-data", 1),
        ("after-mark-sent", 2),
        ("after-append", 2),
    ):
        runner.start(*send_args(db, mailbox, "--crash-at", point, "--crash-nth", str(nth)))
        run = runner.wait()
        assert run.code == 137, (point, run, runner.stderr())
    done = run_cli(*send_args(db, mailbox))
    assert done.returncode == 0, done.stderr
    assert outbox_problems(db, mailbox, smtp, letters) == {}
    assert duplicates(smtp) == {}
    assert len(smtp.messages) == len(letters)


def test_outbox_crash_between_250_and_the_commit_sends_that_letter_twice(
    sqlite_db: Database, mailbox: dict[str, Any], smtp: Any, runner: ForkServer
) -> None:
    """Plain SMTP is at-least-once: the one window that costs a duplicate."""
    db = sqlite_db
    letters = queue_letters(db, account(db, mailbox, smtp=smtp), 3)
    runner.start(*send_args(db, mailbox, "--crash-at", "after-smtp", "--crash-nth", "2"))
    assert runner.wait().code == 137, runner.stderr()
    runner.start(*send_args(db, mailbox))
    assert runner.wait().code == 0, runner.stderr()
    assert outbox_problems(db, mailbox, smtp, letters) == {}
    assert duplicates(smtp) == {letters[1].message_id: 2}


@pytest.mark.timeout(290)
def test_outbox_duplicates_per_100_kills(
    sqlite_db: Database, mailbox: dict[str, Any], smtp: Any, runner: ForkServer
) -> None:
    """The measure issue 14 asks for: duplicates per 100 SIGKILLs during send-due.

    A duplicate needs a kill after the server took the letter (its final ".")
    and before our record of the 250: only kills after DATA began can cause
    one, and each at most one."""
    db = sqlite_db
    rng = random.Random(SEED + 14)
    letters = queue_letters(db, account(db, mailbox, smtp=smtp), 240)
    runs = kill_loop(
        runner,
        send_args(db, mailbox, *FAST_FILE_WAIT),
        kills=100,
        progress="smtp-ok",
        rng=rng,
        passes=(0, 1),
        spread=3.0,
        pace=0.2,  # a letter here takes ~0.2 s (TLS, login, three durable commits)
    )
    runner.start(*send_args(db, mailbox, *FAST_FILE_WAIT))
    last = runner.wait(120)  # what the kills left: ~0.2 s a letter here
    assert (last.code, last.finished) == (0, True), runner.stderr()
    killed = [r for r in runs if r.code == -9]
    assert len(killed) == 100
    assert outbox_problems(db, mailbox, smtp, letters) == {}
    extra = sum(n - 1 for n in duplicates(smtp).values())
    after_data = [r for r in killed if r.open_step("data", "accepted")]
    after_250 = [r for r in killed if r.open_step("smtp-ok", "accepted")]
    before_data = [r for r in killed if r.open_step("claimed", "data")]
    assert extra <= len(after_data)
    assert before_data  # the kills fell on both sides of DATA
    every = (*runs, last)
    window = statistics.median(g for r in every for g in r.gaps("smtp-ok", "accepted")) * 1000
    data = statistics.median(g for r in every for g in r.gaps("data", "smtp-ok")) * 1000
    letter = statistics.median(g for r in every for g in r.gaps("claimed", "claimed")) * 1000
    print(  # reported, not asserted beyond the bound above; shown with -rP
        f"\noutbox: per letter {letter:.0f} ms, DATA -> 250 {data:.1f} ms, "
        f"250 -> recorded {window:.1f} ms (medians)"
        f"\noutbox: {len(killed)} kills, {extra} duplicates ({100 * extra / len(killed):.1f} "
        f"per 100 kills); kills before DATA {len(before_data)}, after DATA began "
        f"{len(after_data)}, between our seeing 250 and its record {len(after_250)}; "
        f"{len(smtp.messages)} received for {len(letters)} letters, "
        f"{len(last.events and [e for e in last.events if e.startswith('smtp-ok')])} "
        "of them by the run after the last kill"
    )
