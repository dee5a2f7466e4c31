"""One mail job in a process of its own, for the crash tests to kill.

    python tests/crash_runner.py sync --db URL --account ID --password PW [--batch 20]
                                     [--broken] [--crash-after-batches N]
    python tests/crash_runner.py send-due --db URL --password PW --now ISO
                                     [--crash-at POINT [--crash-nth N]] [--file-wait S]
    python tests/crash_runner.py replica --db REPLICA_URL [--batch 3] [--pull-only]
    python tests/crash_runner.py serve

Every step worth timing a kill on is printed as one flushed line on stdout,
``<time.monotonic()> <event> <details>``: ``ready``; ``begin``/``end``
around each batch and ``write`` when its transaction begins; ``claimed``,
``data``, ``smtp-ok``, ``accepted`` (the 250 recorded), ``marked`` (durably),
``quit`` per letter ... So the parent can wait for
some of them, kill at a random moment after, see where the kill fell and
measure how long each step takes.

``serve`` starts a fork server: it imports everything once, then reads
commands on stdin. ``run ARGS...`` forks a child that runs the job as the
command line above would (answer: ``spawned PID``); ``kill`` SIGKILLs it and
``wait [SECONDS]`` waits for it (answer: ``exited PID CODE``, CODE -9 when
killed). The child is reaped only on those commands, so its PID cannot be
reused before a kill reaches it; a kill after the job ended hits a zombie.
A child pays no interpreter start-up (~1 s here), so the tests afford many kills.

Fault injection, by monkeypatching in this process only:

- ``--crash-after-batches N``: ``os._exit(137)`` right after the commit of
  the N-th batch of this run (with ``--broken``: right after the cursor
  commit of the N-th batch, before its messages).
- ``--broken``: the folder cursor is committed in a transaction of its own
  BEFORE the messages of the batch, the design the harness must catch.
- ``--crash-at``: ``after-claim`` (the durable "sending" commit),
  ``before-smtp``, ``before-data`` (``data_at`` committed, DATA not sent),
  ``after-smtp`` (the server said 250, our commit has not
  happened: the one window plain SMTP cannot close), ``after-mark-sent``,
  ``after-append`` (a copy was APPENDed to Sent, not yet recorded); on the
  N-th such event of this run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import inspect
import os
import shlex
import signal
import smtplib
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Never a real keyring: the tests' in-memory one, as tests/conftest.py chooses.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring")

from sqlalchemy import select
from sqlalchemy.orm import configure_mappers

from models import MailAccount, MailFolder
from services.core.storage import Database, create_db_engine
from services.mail import (
    credentials,
    imap,
    imap_sync,
    mail_store,
    outbox_sending,
    parse_worker,
    smtp,
)
from tests import crash_replica, crash_scenarios

CRASH_CODE = 137
CRASH_POINTS = (
    "after-claim",
    "before-smtp",
    "before-data",
    "after-smtp",
    "after-mark-sent",
    "after-append",
)


def emit(*parts: object) -> None:
    # One write call: with PYTHONUNBUFFERED, print() would write part by part,
    # and a kill between two parts would leave half a line.
    sys.stdout.write(" ".join(map(str, parts)) + "\n")
    sys.stdout.flush()


def event(*parts: object) -> None:
    """A step of the job, stamped with the system-wide monotonic clock."""
    emit(f"{time.monotonic():.6f}", *parts)


def crash() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(CRASH_CODE)


def open_db(url: str) -> Database:
    # The tests hand over a migrated database: no Alembic check on every start.
    return Database(create_db_engine(url))


def _wrap(owner: Any, name: str, around: Callable[..., Callable[..., Any]]) -> None:
    original = getattr(owner, name)
    setattr(owner, name, functools.wraps(original)(around(original)))


# --- sync -----------------------------------------------------------------


def _instrument_sync(broken: bool, crash_after: int | None) -> None:
    batches = 0

    def around(original: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(original)

        def run(*args: Any, **kwargs: Any) -> Any:
            nonlocal batches
            call = signature.bind(*args, **kwargs).arguments
            chunk: list[int] = call["chunk"]
            folder = call["folder"]
            if not chunk:  # a folder's end, writing a run carried over (with a parse worker)
                return original(*args, **kwargs)
            role = folder.role
            batches += 1
            event("begin", role, chunk[0], chunk[-1])
            if broken:
                _commit_cursor_alone(folder.db, folder.folder_id, max(chunk))
                event("cursor", role, max(chunk))
                if batches == crash_after:
                    crash()
            carried = original(*args, **kwargs)  # a run left to write after the next one's parse
            event("end", role, chunk[-1])
            if not broken and batches == crash_after:
                crash()
            return carried

        return run

    def writer(original: Callable[..., None]) -> Callable[..., None]:
        def init(self: mail_store.ChunkWriter, *args: Any, **kwargs: Any) -> None:
            event("write")  # the batch's write transaction has begun
            original(self, *args, **kwargs)

        return init

    _wrap(imap_sync, "_import_chunk", around)
    _wrap(mail_store.ChunkWriter, "__init__", writer)


def _commit_cursor_alone(db: Database, folder_id: int, last_uid: int) -> None:
    """The broken design: the cursor moves before the batch is saved."""
    with db.uow() as uow:
        folder = uow.session.get(MailFolder, folder_id)
        assert folder is not None
        folder.last_uid = max(folder.last_uid, last_uid)
        uow.commit()


def run_sync(options: argparse.Namespace) -> int:
    _instrument_sync(options.broken, options.crash_after_batches)
    db = open_db(options.db)
    parser = parse_worker.Parser(start_at=1)
    if options.worker:  # every run parsed there, from the first: its last run carried over
        parser.start()
        if not parser.wait_ready(60):
            raise RuntimeError("the parse worker did not start")
    try:
        event("ready")
        result = imap_sync.sync_account(
            db,
            options.account,
            password=options.password,
            batch=options.batch,
            parse=(lambda: parser) if options.worker else parse_worker.Parser,
        )
        event(
            "done",
            f"imported={result.imported}",
            f"linked={result.linked}",
            f"unlinked={result.unlinked}",
            f"seen={result.seen}",
            f"skipped={len(result.skipped)}",
        )
    finally:
        parser.close()
        db.dispose()
    return 0


# --- send-due -------------------------------------------------------------


class _Crasher:
    def __init__(self, point: str | None, nth: int) -> None:
        self.point = point
        self.nth = nth
        self.seen: dict[str, int] = {}

    def at(self, point: str) -> None:
        self.seen[point] = self.seen.get(point, 0) + 1
        if point == self.point and self.seen[point] == self.nth:
            crash()


class _AppendWatch:
    """An IMAP client whose APPEND reports, and may crash right after."""

    def __init__(self, client: Any, crasher: _Crasher) -> None:
        self._client = client
        self._crasher = crasher

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def append(self, folder: str, message: bytes, *args: Any, **kwargs: Any) -> Any:
        answer = self._client.append(folder, message, *args, **kwargs)
        event("appended", len(message))
        self._crasher.at("after-append")
        return answer


def run_send_due(options: argparse.Namespace) -> int:
    crasher = _Crasher(options.crash_at, options.crash_nth)

    def claim(original: Callable[..., Any]) -> Callable[..., Any]:
        def run(db: Database, item_id: int) -> Any:
            claimed = original(db, item_id)
            if claimed is not None:
                event("claimed", item_id)
                crasher.at("after-claim")
            return claimed

        return run

    def mark_sent(original: Callable[..., None]) -> Callable[..., None]:
        def run(db: Database, item_id: int, now: dt.datetime, **options: Any) -> None:
            # after a 250, outbox_sending._mark_accepted has committed "sent" by now
            # (not yet durably): the window a kill costs a duplicate ends here
            event("accepted", item_id)
            original(db, item_id, now, **options)
            event("marked", item_id)
            crasher.at("after-mark-sent")

        return run

    def quit_after(original: Callable[..., Any]) -> Callable[..., Any]:
        def run(self: smtplib.SMTP) -> Any:
            event("quit")  # the server said 250 (or failed): smtp.send says goodbye
            return original(self)

        return run

    def smtp_send(
        account: MailAccount,
        password: str,
        message: Any,
        *,
        on_accepted: Any = None,
        before_data: Any = None,
    ) -> None:
        crasher.at("before-smtp")

        def data() -> None:
            if before_data is not None:
                before_data()
            event("data", message["Message-ID"])  # "data_at" is committed; DATA goes next
            crasher.at("before-data")

        def accepted(queue_id: str) -> None:
            # The server said 250; nothing is recorded yet: the duplicate window.
            event("smtp-ok", message["Message-ID"], queue_id)
            crasher.at("after-smtp")
            if on_accepted is not None:
                on_accepted(queue_id)

        smtp.send(account, password, message, on_accepted=accepted, before_data=data)

    def imap_connect(account: MailAccount, password: str) -> Any:
        return _AppendWatch(imap.connect(account, password), crasher)

    _wrap(smtplib.SMTP, "quit", quit_after)
    _wrap(outbox_sending, "_claim", claim)
    _wrap(outbox_sending, "_mark_sent", mark_sent)
    # the sending hands what imap_connect gave it back to imap.close
    _wrap(imap, "close", lambda close: lambda c: close(getattr(c, "_client", c)))
    db = open_db(options.db)
    try:
        # The tests' keyring lives in memory, per process: fill this one.
        with db.reader() as uow:
            for account in uow.session.scalars(select(MailAccount)):
                credentials.store(account.uid, "imap", options.password)
                credentials.store(account.uid, "smtp", options.password)
        event("ready")
        report = outbox_sending.send_due(
            db,
            now=dt.datetime.fromisoformat(options.now),
            smtp_send=smtp_send,
            imap_connect=imap_connect,
            file_wait=options.file_wait,
        )
        event(
            "done",
            f"sent={len(report.sent)}",
            f"recovered={len(report.recovered)}",
            f"retrying={len(report.retrying)}",
            f"failed={len(report.failed)}",
        )
        for item_id, reason in (*report.retrying, *report.failed):
            print(f"item {item_id}: {reason}", file=sys.stderr, flush=True)
    finally:
        db.dispose()
    return 0


# --- command line and fork server ----------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    jobs = top.add_subparsers(dest="job", required=True)
    sync = jobs.add_parser("sync")
    sync.add_argument("--db", required=True)
    sync.add_argument("--account", type=int, required=True)
    sync.add_argument("--password", required=True)
    sync.add_argument("--batch", type=int, default=20)
    sync.add_argument("--broken", action="store_true")
    sync.add_argument("--crash-after-batches", type=int)
    sync.add_argument("--worker", action="store_true", help="bodies parsed in a worker process")
    send = jobs.add_parser("send-due")
    send.add_argument("--db", required=True)
    send.add_argument("--password", required=True)
    send.add_argument("--now", required=True, help="aware ISO time, e.g. 2026-11-24T17:00+00:00")
    send.add_argument("--crash-at", choices=CRASH_POINTS)
    send.add_argument("--crash-nth", type=int, default=1)
    send.add_argument("--file-wait", type=float, default=outbox_sending.FILE_WAIT_S)
    crash_scenarios.add_parser(jobs)
    crash_replica.add_parser(jobs)
    jobs.add_parser("serve")
    return top


def main(argv: Sequence[str]) -> int:
    options = parser().parse_args(argv)
    if options.job == "sync":
        return run_sync(options)
    if options.job == "send-due":
        return run_send_due(options)
    if options.job == "scenarios":
        crasher = _Crasher(options.crash_at, options.crash_nth)
        return crash_scenarios.run(options, open_db, event, crasher.at)
    if options.job == "replica":
        return crash_replica.run(options, open_db, event)
    return serve()


def _child(argv: list[str]) -> None:
    code = 1
    try:
        code = main(argv)
    except BaseException:  # noqa: BLE001 - a job that fails reports it and exits 1
        traceback.print_exc()
        event("failed")
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _exit_code(status: int) -> int:
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _reap(pid: int, timeout: float | None) -> int | None:
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return _exit_code(status)
        if deadline is not None and time.monotonic() > deadline:
            return None
        time.sleep(0.005)


def serve() -> int:
    configure_mappers()  # the part of a first query that each child would repeat
    child: int | None = None
    for line in sys.stdin:
        command, *rest = shlex.split(line)
        if command == "run":
            if child is not None:
                emit("error a job is still running")
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            child = os.fork()
            if child == 0:
                _child(rest)
            emit("spawned", child)
        elif command in ("kill", "wait") and child is not None:
            code = None
            if command == "wait":
                code = _reap(child, float(rest[0]) if rest else None)
            if code is None:  # asked to, or the job outlived its time
                os.kill(child, signal.SIGKILL)
                code = _reap(child, None)
            emit("exited", child, code)
            child = None
        else:
            emit("error", line.strip())
    if child is not None:
        os.kill(child, signal.SIGKILL)
        _reap(child, None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
