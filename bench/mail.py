"""IMAP import speed: ``imap_sync.sync_account`` against raw imapclient fetches.

Starts the test Dovecot rig (``tests.servers.dovecot_server``) on loopback,
puts N messages of ~8 KB into INBOX with MULTIAPPEND, then times, in the
same run and over the same implicit-TLS connection kind:

- raw header fetch: ``BODY.PEEK[HEADER] RFC822.SIZE`` in batches of 200 UIDs,
- raw full fetch: ``BODY.PEEK[]`` in batches of 200 UIDs,
- Touchpoint's sync with 2 %, 20 % and 100 % of the senders known (a fresh
  SQLite database each, the same mailbox), as the product runs it: its
  default batch, the start-up heap frozen (``--no-freeze`` leaves it).

    .venv/bin/python bench/mail.py             # 2,000 messages (CI size)
    .venv/bin/python bench/mail.py --full      # 10,000 messages
    .venv/bin/python bench/mail.py --profile   # also: cProfile of the 20 % case

See bench/README.md for what is compared and how to read the output.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Never the developer's keyring: the tests' in-memory one, chosen explicitly.
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"

from imapclient import IMAPClient

from services.core import bootstrap
from services.core.storage import Database, open_database
from services.mail import accounts, imap_sync
from services.mail.imap import quiet_protocol_log
from services.parties import records as parties
from tests import servers
from tests.mail_fixtures import append_messages

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mail_report import (
    GcWatch,
    Rounds,
    Timed,
    load_average,
    phases,
    profile_sync,
    rate,
    row,
    verdict,
)

ALICE = "alice@example.test"
BATCH = 200
SENDERS = 500  # distinct correspondents; a share of them is made known
KNOWN_SHARES = (0.02, 0.20, 1.00)
HEADER_TARGET = 0.50  # sync at 2 % known / raw header fetch
IMPORT_TARGET = 0.35  # sync at 20 % known / raw full fetch
WORDS = [
    *("договор", "счёт", "оплата", "поставка", "акт", "сверки", "предложение", "цена"),
    *("скидка", "встреча", "invoice", "delivery", "contract", "meeting", "price", "offer"),
    *("discount", "schedule", "quarter"),
]


# --- data ------------------------------------------------------------------


def sender(n: int) -> str:
    return f"person{n}@company{n % 97}.example"


def message(n: int, rng: random.Random) -> bytes:
    """~8 KB: a few Received lines, text and HTML alternatives, like real mail."""
    index = rng.randrange(SENDERS)
    text = "\n".join(" ".join(rng.choice(WORDS) for _ in range(11)) for _ in range(21))
    mail = EmailMessage()
    for hop in range(3):
        mail["Received"] = (
            f"from mx{hop}.company.example (mx{hop}.company.example [192.0.2.{hop + 1}]) "
            f"by mail.example.test with ESMTPS id {n:08x}{hop}; "
            + format_datetime(dt.datetime(2026, 11, 2, 10, hop, tzinfo=dt.UTC))
        )
    mail["From"] = f"Person {index} <{sender(index)}>"
    mail["To"] = f"Alice Manager <{ALICE}>"
    mail["Subject"] = f"Поставка по договору №{n}: {rng.choice(WORDS)}"
    mail["Date"] = format_datetime(
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=n * 7)
    )
    mail["Message-ID"] = f"<bench{n}.{rng.getrandbits(32):x}@company.example>"
    mail.set_content(text)
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    mail.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    return mail.as_bytes()


def senders_of(raws: list[bytes]) -> list[str]:
    """Every correspondent once, in an order that ignores how often they write,
    so the first N % of them send about N % of the mail."""
    found: set[str] = set()
    for raw in raws:
        head = raw.split(b"\n\n", 1)[0].decode()
        found.add(head.split("\nFrom: ", 1)[1].split("<", 1)[1].split(">", 1)[0])
    return sorted(found)


# --- raw imapclient ----------------------------------------------------------


def raw_client(server: dict[str, Any]) -> IMAPClient:
    import ssl

    context = ssl.create_default_context(cafile=server["ca_file"])
    client = IMAPClient(
        server["host"], server["tls_port"], ssl=True, ssl_context=context, timeout=60
    )
    # The raw side gets the same quiet protocol log as the sync's client
    # (services.mail.imap.quiet_protocol_log), or imaplib's formatting of
    # every line would slow only the baseline and flatter the ratio.
    quiet_protocol_log(client)
    client.login(ALICE, server["users"][ALICE])
    return client


HEADER_ITEMS = [b"BODY.PEEK[HEADER]", b"RFC822.SIZE"]


def raw_fetch(server: dict[str, Any], items: list[bytes]) -> tuple[int, float, float]:
    """(messages, seconds, CPU seconds): connect, select, search, fetch ITEMS in batches."""
    start, cpu = time.perf_counter(), time.process_time()
    client = raw_client(server)
    try:
        client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search("ALL"))
        got = 0
        for first in range(0, len(uids), BATCH):
            got += len(client.fetch(uids[first : first + BATCH], items))
    finally:
        client.logout()
    return got, time.perf_counter() - start, time.process_time() - cpu


# --- Touchpoint --------------------------------------------------------------


def fresh_db(template: Path, folder: Path, name: str) -> Database:
    path = folder / f"{name}.sqlite3"
    shutil.copy(template, path)
    return open_database(f"sqlite:///{path}")


def prepare(db: Database, server: dict[str, Any], known: list[str]) -> int:
    """Clients for the KNOWN addresses and Alice's account; the account id."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        for n, address in enumerate(known):
            parties.add_client(uow, actor, f"Client {n}", emails=[address])
        spec = accounts.AccountSpec(
            email=ALICE,
            imap_host=server["host"],
            imap_port=server["tls_port"],
            imap_security="tls",
            smtp_host=server["host"],
            smtp_port=2525,
            ca_file=server["ca_file"],
        )
        account = accounts.add(uow, actor, spec, server["users"][ALICE], None)
        uow.commit()
    return account.id


def run_sync(db: Database, account_id: int, server: dict[str, Any]) -> imap_sync.SyncResult:
    """The sync as the app and the scheduled job run it: its default batch
    (``imap_sync.DEFAULT_BATCH``), not the raw side's 200."""
    return imap_sync.sync_account(db, account_id, password=server["users"][ALICE])


def worker_cpu() -> float:
    """CPU seconds of the child processes ended so far: the sync's parse
    worker (services/mail/parse_worker.py) is ended and reaped when the sync
    ends, so a sync's CPU counts it; Dovecot, also a child, runs on."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed_sync(
    server: dict[str, Any],
    work: Path,
    template: Path,
    correspondents: list[str],
    share: float,
    attempt: int,
    watch: GcWatch,
) -> Timed:
    """One sync with SHARE of the correspondents known, on a fresh database;
    client creation is not timed. Every message must be recorded."""
    known = correspondents[: max(1, round(len(correspondents) * share))]
    db = fresh_db(template, work, f"sync{int(share * 100)}-{attempt}")
    try:
        account_id = prepare(db, server, known)
        with watch.on():
            cpu, start = time.process_time() + worker_cpu(), time.perf_counter()
            result = run_sync(db, account_id, server)
            seconds = time.perf_counter() - start
            cpu = time.process_time() + worker_cpu() - cpu
    finally:
        db.dispose()
    return seconds, cpu, result


@contextlib.contextmanager
def dovecot() -> Iterator[dict[str, Any]]:
    yield from servers.dovecot_server()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="10,000 messages instead of 2,000")
    parser.add_argument("--messages", type=int, help="any other count")
    parser.add_argument("--profile", action="store_true", help="cProfile the 20%% case too")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of raw fetches and syncs, best taken"
    )
    parser.add_argument(
        "--freeze",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="freeze the start-up heap before the rounds, as `touchpoint mail sync` and the "
        "app do (the default; --no-freeze to leave it)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--json", action="store_true", help="rows {name, ratio, target, ok} on stdout"
    )
    options = parser.parse_args(argv)
    if options.json:  # the human table goes to stderr, stdout holds only the JSON
        with contextlib.redirect_stdout(sys.stderr):
            code, rows = _main(options)
        print(json.dumps(rows))
        return code
    return _main(options)[0]


def _main(options: argparse.Namespace) -> tuple[int, list[dict[str, Any]]]:
    count = options.messages or (10_000 if options.full else 2_000)
    rng = random.Random(options.seed)
    work = Path(tempfile.mkdtemp(prefix="tp-bench-mail-"))
    os.environ["TOUCHPOINT_DATA_DIR"] = str(work / "data")
    try:
        with dovecot() as server:
            return run(server, work, count, rng, options)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(
    server: dict[str, Any],
    work: Path,
    count: int,
    rng: random.Random,
    options: argparse.Namespace,
) -> tuple[int, list[dict[str, Any]]]:
    started = time.perf_counter()
    raws = [message(n, rng) for n in range(count)]
    size = sum(map(len, raws))
    t = time.perf_counter()
    append_messages(server, ALICE, "INBOX", raws, chunk=BATCH)
    loaded = time.perf_counter() - t
    print(
        f"{count} messages, {size / count / 1024:.1f} KB average, {SENDERS} senders; "
        f"MULTIAPPEND {loaded:.1f} s ({rate(count, loaded):.0f} msg/s); {load_average()}"
    )
    template = work / "template.sqlite3"
    seed = open_database(f"sqlite:///{template}")
    bootstrap.ensure_initial_data(seed)
    seed.dispose()

    # Warm Dovecot's index and cache files, as a mailbox in daily use has them.
    raw_fetch(server, HEADER_ITEMS)
    raw_fetch(server, [b"BODY.PEEK[]"])
    correspondents = senders_of(raws)
    if options.freeze:  # desktop/heap.py: full collections then skip what is alive now
        from desktop import heap

        print(f"start-up heap frozen: {heap.freeze_startup_heap():,} objects")
    timed = Rounds(count)
    # Rounds interleave each raw fetch with the sync it is compared with, so a
    # neighbour's burst of load falls on both sides of a ratio, not on one.
    for attempt in range(options.repeat):
        timed.raw["header"].append(raw_fetch(server, HEADER_ITEMS))
        timed.add(0.02, timed_sync(server, work, template, correspondents, 0.02, attempt, timed.gc))
        timed.raw["full"].append(raw_fetch(server, [b"BODY.PEEK[]"]))
        timed.add(0.20, timed_sync(server, work, template, correspondents, 0.20, attempt, timed.gc))
        print(timed.round_line(attempt), flush=True)
    timed.add(1.00, timed_sync(server, work, template, correspondents, 1.00, 0, timed.gc))
    print(f"\n  {'':<34} {'time':>9} {'rate':>14} {'ratio':>6}")
    header_s, full_s = timed.best_raw("header"), timed.best_raw("full")
    print(row("raw header fetch (batches of 200)", count, header_s, None, timed.raw_cpu("header")))
    print(row("raw full fetch (batches of 200)", count, full_s, None, timed.raw_cpu("full")))
    for share in KNOWN_SHARES:
        seconds, cpu, result = timed.best(share)
        base = rate(count, header_s if share < 0.1 else full_s)
        versus = "of raw header" if share < 0.1 else "of raw full"
        print(
            row(
                f"sync, {share:.0%} of senders known",
                count,
                seconds,
                base,
                f"{versus}; {result.imported} imported, {result.unlinked} header-only"
                + (f", {len(result.skipped)} skipped" if result.skipped else "")
                + f"; CPU {cpu * 1e6 / count:.0f} us/msg",
            )
        )
    print()
    lines = [
        verdict(
            "mail header scan (sync at 2% / raw header FETCH)",
            header_s / timed.best(0.02)[0],
            HEADER_TARGET,
            timed.spread(0.02, "header"),
            timed.best(0.02)[1] * 1e6 / count,
        ),
        verdict(
            "mail import (sync at 20% / raw full FETCH)",
            full_s / timed.best(0.20)[0],
            IMPORT_TARGET,
            timed.spread(0.20, "full"),
            timed.best(0.20)[1] * 1e6 / count,
        ),
    ]
    for text, _row in lines:
        print(text)
    print(timed.gc_line())
    if options.profile:
        known = correspondents[: round(len(correspondents) * 0.20)]
        db = fresh_db(template, work, "profile")
        try:
            account_id = prepare(db, server, known)
            print("\nWhere the time goes, sync at 20% known (inclusive times):")
            print(phases(lambda: run_sync(db, account_id, server)))
        finally:
            db.dispose()
        db = fresh_db(template, work, "cprofile")
        try:
            account_id = prepare(db, server, known)
            print("\ncProfile of the sync at 20% known (own time, then cumulative in services/):")
            print(profile_sync(lambda: run_sync(db, account_id, server)))
        finally:
            db.dispose()
    print(f"total {time.perf_counter() - started:.0f} s; {load_average()}")
    missed = not all(r["ok"] for _t, r in lines)
    return (1 if options.strict and missed else 0), [r for _t, r in lines]


if __name__ == "__main__":
    # The sync's parse worker (services/mail/parse_worker.py, spawn) first
    # imports the parent's __main__ again: for `touchpoint mail sync` the
    # console script (~0.07 s CPU), for this file the rig's and the data's
    # imports (~1.3 s CPU a sync, and the worker ready that much later).
    # Without __file__ it is left out, as light as the product's entry.
    del __file__
    sys.exit(main())
