"""kill -9 in the middle of IMAP import: nothing lost, nothing doubled.

The import runs in ``tests/crash_runner.py``, a separate process the test
SIGKILLs at seeded random moments after the runner reported some progress
(tests/crash_harness.py), then lets one run finish and checks the end
state against the server. A deliberately broken import (cursor committed
before its batch) runs through the same harness and must be caught, so a
harness that cannot fail would show. The deterministic crash points run
once through the plain command line as well. Sending under kill -9 is
test_outbox_crash.py.
"""

from __future__ import annotations

import collections
import dataclasses
import random
from email.parser import BytesHeaderParser
from typing import Any

import pytest
from sqlalchemy import select

from models import Interaction, MailFolder, MailLocation, MailMessage
from services.core.storage import Database
from services.mail import imap_sync
from tests.crash_harness import ForkServer, kill_loop, run_cli
from tests.integration.mail_helpers import ALICE, account, client_with_email, letter
from tests.mail_fixtures import append_messages, imap_client

SEED = 20261124
BATCH = 20
FOLDERS = ("INBOX", "Sent")
KNOWN = [f"buyer{n}@client{n}.example" for n in range(8)]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


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


def test_sync_with_the_parse_worker_killed_at_random_moments_loses_and_doubles_nothing(
    sqlite_db: Database, mailbox: dict[str, Any], runner: ForkServer
) -> None:
    """The same with every run parsed in the worker process: a batch's last
    run is written only after the next batch's first run went to it, so a
    kill also falls between a batch's end and its last run's commit."""
    db = sqlite_db
    rng = random.Random(SEED + 2)
    corpus = build_corpus(db, mailbox, rng)
    runs = kill_loop(
        runner,
        sync_args(db, corpus, "--worker"),
        kills=15,
        progress="end",
        rng=rng,
        passes=(0, 1, 1),
    )
    runner.start(*sync_args(db, corpus, "--worker"))
    last = runner.wait()
    assert (last.code, last.finished) == (0, True), runner.stderr()
    killed = [r for r in runs if r.code == -9]
    print(f"\nsync with the worker: {len(killed)} kills")
    assert len(killed) >= 5, [r.events[-3:] for r in runs]
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
