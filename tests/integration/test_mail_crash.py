"""kill -9 in the middle of IMAP import and of sending: nothing lost, nothing doubled.

The jobs run in ``tests/crash_runner.py``, a separate process the test
SIGKILLs at seeded random moments after the runner reported some progress,
then lets one run finish and checks the end state against the server. A
deliberately broken import (cursor committed before its batch) runs through
the same harness and must be caught, so a harness that cannot fail would show.

The kill loops use the runner's fork server: each job is a fresh child
process of a parent that imported everything once, so a kill costs
milliseconds instead of a ~1 s interpreter start. The deterministic crash
points run once through the plain command line as well.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import os
import queue
import random
import shlex
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models import Interaction, MailFolder, MailLocation, MailMessage, OutboxItem
from services.core import bootstrap
from services.core.storage import Database
from services.mail import imap_sync, outbox
from tests.integration.mail_helpers import ALICE, account, client_with_email, letter
from tests.mail_fixtures import append_messages, imap_client

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "crash_runner.py"
SEED = 20261124
BATCH = 20
JOB_TIMEOUT = 30.0  # no job here takes more than a few seconds
NOW = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)
FOLDERS = ("INBOX", "Sent")
KNOWN = [f"buyer{n}@client{n}.example" for n in range(8)]
OUTBOX_LETTERS, OUTBOX_KILLS = 30, 15
# The rig's server never files sent mail itself, so waiting for it to do so
# cannot change what the kill loops count; a short wait keeps them quick.
FAST_FILE_WAIT = ("--file-wait", "0.2")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


# --- the runner ------------------------------------------------------------


Step = tuple[float, str]  # (time.monotonic() in the runner, "event details")


@dataclasses.dataclass
class Run:
    code: int  # the child's exit status; -9 when our SIGKILL ended it
    steps: list[Step]

    @property
    def events(self) -> list[str]:
        return [text for _t, text in self.steps]

    @property
    def finished(self) -> bool:
        return any(e.startswith("done") for e in self.events)

    def open_step(self, begin: str, end: str) -> bool:
        """Whether the kill fell between a BEGIN event and its END."""
        kinds = [e.split()[0] for e in self.events if e.split()[0] in (begin, end)]
        return bool(kinds) and kinds[-1] == begin

    def gaps(self, first: str, then: str) -> list[float]:
        """Seconds from each FIRST event to the next THEN event."""
        out: list[float] = []
        since: float | None = None
        for t, text in self.steps:
            kind = text.split()[0]
            if kind == first and since is None:
                since = t
            elif kind == then and since is not None:
                out.append(t - since)
                since = t if first == then else None
        return out


class ForkServer:
    """``crash_runner.py serve``: one child process per job, killed on request."""

    def __init__(self, log: Path) -> None:
        self._log_path = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-W", "error", str(RUNNER), "serve"],
            cwd=ROOT,
            env=dict(os.environ),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _say(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def stderr(self) -> str:
        self._log.flush()
        return self._log_path.read_text()[-3000:]

    def line(self, timeout: float = JOB_TIMEOUT) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"runner silent for {timeout} s:\n{self.stderr()}") from None
        if line is None:
            raise AssertionError(f"runner ended:\n{self.stderr()}")
        return line

    def step(self) -> Step:
        """The job's next event (server answers are not steps)."""
        line = self.line()
        stamp, _, text = line.partition(" ")
        return float(stamp), text

    def start(self, *args: str) -> None:
        self._say("run " + shlex.join(args))
        answer = self.line()
        assert answer.startswith("spawned "), answer

    def _finish(self, command: str, steps: list[Step]) -> Run:
        self._say(command)
        while True:
            line = self.line(JOB_TIMEOUT + 5)
            if line.startswith("exited "):
                return Run(int(line.split()[2]), steps)
            stamp, _, text = line.partition(" ")
            steps.append((float(stamp), text))

    def kill(self, steps: list[Step]) -> Run:
        return self._finish("kill", steps)

    def wait(self, timeout: float = JOB_TIMEOUT) -> Run:
        return self._finish(f"wait {timeout}", [])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self._log.close()


@pytest.fixture
def runner(tmp_path: Path) -> Iterator[ForkServer]:
    server = ForkServer(tmp_path / "runner.log")
    yield server
    server.close()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The runner as a plain command: a fresh interpreter, as the app would start."""
    return subprocess.run(
        [sys.executable, "-W", "error", str(RUNNER), *args],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=JOB_TIMEOUT + 30,
        check=False,
    )


def kill_loop(
    runner: ForkServer,
    args: Sequence[str],
    *,
    kills: int,
    progress: str,
    rng: random.Random,
    passes: Sequence[int] = (0,),
    spread: float = 1.5,
    after_kill: Callable[[Run], None] | None = None,
    pace: float = 0.05,
) -> list[Run]:
    """KILLS times (or until a run ends by itself): start the job, let one
    of PASSES progress events go by, then SIGKILL it after a random share of
    SPREAD steps, a step being the median time between progress events
    (PACE seconds until runs have shown some)."""
    runs: list[Run] = []
    paces: list[float] = []
    for _ in range(kills):
        runner.start(*args)
        steps: list[Step] = []
        wait_for = rng.choice(passes)
        delay = rng.uniform(0.0, spread) * (statistics.median(paces) if paces else pace)
        while True:
            steps.append(runner.step())
            kind = steps[-1][1].split()[0]
            if kind in ("done", "failed"):
                break
            if kind == progress:
                wait_for -= 1
            if wait_for <= 0 and kind in ("ready", progress):
                time.sleep(delay)
                break
        run = runner.kill(steps)
        assert run.code in (0, -9), (run, runner.stderr())
        assert "failed" not in run.events, runner.stderr()
        paces.extend(run.gaps(progress, progress))
        if after_kill is not None:
            after_kill(run)
        runs.append(run)
        if run.finished:
            break
    return runs


# --- IMAP import -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Corpus:
    account_id: int
    password: str
    known_keys: frozenset[str]
    total: int  # messages on the server, both folders


def _sample_body(rng: random.Random) -> str:
    words = ("счёт", "оплата", "договор", "delivery", "invoice", "meeting", "price", "offer")
    return "\n".join(
        " ".join(rng.choice(words) for _ in range(12)) for _ in range(rng.randint(10, 30))
    )


def build_corpus(db: Database, server: dict[str, Any], rng: random.Random) -> Corpus:
    """300 letters in INBOX, 100 in Sent; about a third name a known client;
    ten identical letters (a copy to oneself) sit in both folders."""
    for n, address in enumerate(KNOWN):
        client_with_email(db, f"Client {n}", address)

    def stranger(n: int) -> str:
        return f"person{n}@stranger{n % 17}.example"

    inbox: list[bytes] = []
    sent: list[bytes] = []
    known: set[str] = set()
    for n in range(290):
        msgid = f"in{n}@crash.test"
        sender = KNOWN[n % len(KNOWN)] if n % 3 == 0 else stranger(n)
        cc = KNOWN[n % len(KNOWN)] if n % 29 == 1 else None  # known only in Cc
        if sender in KNOWN or cc:
            known.add(msgid)
        inbox.append(letter(sender, ALICE, f"Letter {n}", _sample_body(rng), msgid=msgid, cc=cc))
    for n in range(90):
        msgid = f"out{n}@crash.test"
        to = KNOWN[n % len(KNOWN)] if n % 3 == 0 else stranger(n)
        if to in KNOWN:
            known.add(msgid)
        sent.append(letter(ALICE, to, f"Re: Letter {n}", _sample_body(rng), msgid=msgid))
    for n in range(10):
        msgid = f"both{n}@crash.test"
        to = KNOWN[n % len(KNOWN)] if n % 2 == 0 else stranger(1000 + n)
        if to in KNOWN:
            known.add(msgid)
        same = letter(ALICE, to, f"Copy {n}", _sample_body(rng), msgid=msgid, cc=ALICE)
        inbox.insert(rng.randrange(len(inbox) + 1), same)
        sent.insert(rng.randrange(len(sent) + 1), same)
    append_messages(server, ALICE, "INBOX", inbox)
    append_messages(server, ALICE, "Sent", sent)
    return Corpus(account(db, server), server["password"], frozenset(known), len(inbox) + len(sent))


def server_state(server: dict[str, Any]) -> dict[str, tuple[int, dict[int, str]]]:
    """Folder -> (UIDVALIDITY, {UID: Message-ID}), as the server sees it."""
    state: dict[str, tuple[int, dict[int, str]]] = {}
    item = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"
    with imap_client(server, ALICE) as client:
        for folder in FOLDERS:
            status = client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            ids = {
                uid: str(BytesHeaderParser().parsebytes(data[item])["Message-ID"]).strip(" <>")
                for uid, data in fetched.items()
            }
            state[folder] = (int(status[b"UIDVALIDITY"]), ids)
    return state


def sync_problems(
    db: Database, server: dict[str, Any], known_keys: frozenset[str]
) -> dict[str, list[Any]]:
    """What the database gets wrong about the server, by kind; empty when right."""
    state = server_state(server)
    on_server = {(f, uid): key for f, (_v, ids) in state.items() for uid, key in ids.items()}
    with db.reader() as uow:
        s = uow.session
        located = s.execute(
            select(
                MailFolder.name, MailLocation.uidvalidity, MailLocation.uid, MailMessage.message_key
            )
            .select_from(MailLocation)
            .join(MailFolder, MailFolder.id == MailLocation.folder_id)
            .join(MailMessage, MailMessage.id == MailLocation.message_id)
        ).all()
        messages = s.execute(select(MailMessage.message_key, MailMessage.interaction_id)).all()
        interactions = s.execute(
            select(Interaction.id, Interaction.source_key).where(Interaction.type == "email")
        ).all()
    places = collections.Counter(
        (name, uid) for name, validity, uid, _k in located if validity == state[name][0]
    )
    filed = {(name, uid): key for name, _v, uid, key in located}
    keys = collections.Counter(key for key, _i in messages)
    linked = {i for _k, i in messages if i is not None}
    sources = collections.Counter(key for _i, key in interactions)
    on_server_keys = set(on_server.values())
    problems = {
        "lost": sorted(set(on_server) - set(places)),
        "duplicated": sorted(p for p, n in places.items() if n > 1),
        "stray": sorted(set(places) - set(on_server)),
        "misfiled": sorted(p for p, k in filed.items() if p in on_server and on_server[p] != k),
        "message twice": sorted(k for k, n in keys.items() if n > 1),
        "message missing": sorted(on_server_keys - set(keys)),
        "interaction twice": sorted(k for k, n in sources.items() if n > 1),
        "interaction missing": sorted(known_keys - set(sources)),
        "interaction unexpected": sorted(set(sources) - known_keys),
        "interaction without message": sorted(i for i, _k in interactions if i not in linked),
        "known without interaction": sorted(
            k for k, i in messages if k in known_keys and i is None
        ),
    }
    return {kind: found for kind, found in problems.items() if found}


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.reader() as uow:
        s = uow.session
        return {
            "locations": sorted(
                tuple(r) for r in s.execute(select(MailLocation.folder_id, MailLocation.uid))
            ),
            "messages": sorted(
                tuple(r)
                for r in s.execute(
                    select(
                        MailMessage.message_key, MailMessage.interaction_id, MailMessage.body_state
                    )
                )
            ),
            "interactions": sorted(
                tuple(r) for r in s.execute(select(Interaction.id, Interaction.source_key))
            ),
            "cursors": sorted(
                tuple(r) for r in s.execute(select(MailFolder.role, MailFolder.last_uid))
            ),
        }


def progress(db: Database) -> int:
    return len(snapshot(db)["locations"])


def sync_args(db: Database, corpus: Corpus, *extra: str) -> list[str]:
    return [
        "sync",
        "--db",
        db.url,
        "--account",
        str(corpus.account_id),
        "--password",
        corpus.password,
        "--batch",
        str(BATCH),
        *extra,
    ]


def test_sync_killed_at_random_moments_loses_and_doubles_nothing(
    sqlite_db: Database, mailbox: dict[str, Any], runner: ForkServer
) -> None:
    db = sqlite_db
    rng = random.Random(SEED)
    corpus = build_corpus(db, mailbox, rng)
    seen: list[int] = []
    runs = kill_loop(
        runner,
        sync_args(db, corpus),
        kills=45,  # at most: the loop ends when a run gets through unharmed
        progress="end",
        rng=rng,
        passes=(0, 1, 1),
        after_kill=lambda run: seen.append(progress(db)),
    )
    runner.start(*sync_args(db, corpus))
    last = runner.wait()
    assert (last.code, last.finished) == (0, True), runner.stderr()
    killed = [r for r in runs if r.code == -9]
    partial = [n for n in seen if 0 < n < corpus.total]
    mid_batch = [r for r in killed if r.open_step("begin", "end")]
    in_sent = [r for r in mid_batch if [e for e in r.events if e.startswith("begin sent")]]
    writing = [r for r in killed if r.open_step("write", "end")]
    print(
        f"\nsync: {len(killed)} kills, {len(mid_batch)} inside a batch ({len(in_sent)} in Sent, "
        f"{len(writing)} in its write transaction); rows after each kill: {seen}"
    )
    # The kills really fell inside the import: between batches, inside them,
    # inside their write transactions, in both folders.
    assert len(killed) >= 15, [r.events[-3:] for r in runs]
    assert len(set(partial)) >= 10, seen
    assert len(mid_batch) >= 8, [r.events[-3:] for r in killed]
    assert in_sent
    # Where a kill lands is timing: 10 of 23 kills fell inside a write
    # transaction on a quiet machine, 4 of 21 with the suite and three other
    # jobs running (the header scan got faster, so a batch's write is a
    # bigger share of it only when the machine is idle).
    assert len(writing) >= 3, [r.events[-3:] for r in killed]
    assert sync_problems(db, mailbox, corpus.known_keys) == {}
    before = snapshot(db)
    again = imap_sync.sync_account(db, corpus.account_id, password=corpus.password, batch=BATCH)
    assert (again.imported, again.linked, again.unlinked, again.seen) == (0, 0, 0, 0)
    assert snapshot(db) == before


def test_sync_crashing_right_after_a_commit_resumes_exactly(
    sqlite_db: Database, mailbox: dict[str, Any], runner: ForkServer
) -> None:
    db = sqlite_db
    corpus = build_corpus(db, mailbox, random.Random(SEED))
    # batch 2 of INBOX, then (resumed at batch 3) the 16th batch of that run: in Sent
    for after in (2, 16):
        runner.start(*sync_args(db, corpus, "--crash-after-batches", str(after)))
        run = runner.wait()
        assert run.code == 137, (run, runner.stderr())
    assert 0 < progress(db) < corpus.total
    runner.start(*sync_args(db, corpus))
    assert runner.wait().code == 0, runner.stderr()
    assert sync_problems(db, mailbox, corpus.known_keys) == {}


def test_the_harness_catches_a_cursor_committed_before_its_batch(
    sqlite_db: Database, mailbox: dict[str, Any], runner: ForkServer
) -> None:
    """The broken design loses the batch a crash interrupts, provably."""
    db = sqlite_db
    corpus = build_corpus(db, mailbox, random.Random(SEED))
    done = run_cli(*sync_args(db, corpus, "--broken", "--crash-after-batches", "2"))
    assert done.returncode == 137, done.stderr
    steps = [line.split()[1:] for line in done.stdout.splitlines()]
    begun = [s for s in steps if s[0] == "begin"]
    assert (len(begun), begun[-1][1], steps[-1][0]) == (2, "inbox", "cursor")
    second = range(int(begun[-1][2]), int(begun[-1][3]) + 1)
    runner.start(*sync_args(db, corpus, "--broken"))
    assert runner.wait().code == 0, runner.stderr()
    problems = sync_problems(db, mailbox, corpus.known_keys)
    assert problems["lost"] == [("INBOX", uid) for uid in second]
    assert set(problems) <= {"lost", "message missing", "interaction missing"}


def test_the_harness_catches_the_broken_import_under_random_kills(
    sqlite_db: Database, mailbox: dict[str, Any], runner: ForkServer
) -> None:
    db = sqlite_db
    rng = random.Random(SEED + 1)
    corpus = build_corpus(db, mailbox, rng)
    runs = kill_loop(
        runner, sync_args(db, corpus, "--broken"), kills=6, progress="end", rng=rng, passes=(1,)
    )
    runner.start(*sync_args(db, corpus, "--broken"))
    assert runner.wait().code == 0, runner.stderr()
    assert any(r.open_step("cursor", "end") for r in runs)
    problems = sync_problems(db, mailbox, corpus.known_keys)
    assert problems.get("lost")


# --- outbox ----------------------------------------------------------------


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
