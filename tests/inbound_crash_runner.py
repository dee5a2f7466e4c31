"""Processed-mailbox polls in processes of their own, for the tests to kill.

    python tests/inbound_crash_runner.py --db URL --source ID --password PW
                                         [--batch N] [--broken] [--crash-after-batches N]
    python tests/inbound_crash_runner.py --db URL --account ID --password PW
                                         --trials N --seed S --batches B [--broken]

The second form pays the imports once: per trial it adds a fresh source on
the account, forks a child that polls it, lets a random number (below B) of
batches commit, SIGKILLs the child a random moment later, and prints
``trial <source id>``; the test then finishes each poll and counts.

Prints ``ready`` and, per batch, ``stored <uid>`` after its commit (flushed
lines), so the parent can kill it at a random moment of the poll.

``--broken`` commits the source's cursor in a transaction of its own BEFORE
the batch's requests (and lingers between the two, as a slow disk would):
the design the harness must catch losing letters. ``--crash-after-batches
N`` exits abruptly (code 137) right after the N-th batch's first commit.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring")

from models import InboundSource
from services.core import bootstrap
from services.core.storage import Database, create_db_engine
from services.inbound import intake, mail_poll, setup


def emit(text: str) -> None:
    os.write(1, (text + "\n").encode())


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--source", type=int)
    parser.add_argument("--password", required=True)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--broken", action="store_true")
    parser.add_argument("--crash-after-batches", type=int, default=0)
    parser.add_argument("--account", type=int)
    parser.add_argument("--trials", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batches", type=int, default=1)
    args = parser.parse_args(argv)
    if args.trials:
        return _trials(args)
    return _poll(args)


def _trials(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    for trial in range(args.trials):
        db = Database(create_db_engine(args.db))
        with db.reader() as uow:
            admin = bootstrap.actor_for(uow)
        name = f"trial {args.seed} {trial} {'broken' if args.broken else 'good'}"
        source = setup.add_source(
            db, admin, "mail_account", name, mail_account_id=args.account
        ).value.id
        db.dispose()  # nothing of this process's pool crosses the fork
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: one poll, its lines into the pipe
            os.close(read)
            os.dup2(write, 1)
            args.source = source
            try:
                _poll(args)
            finally:
                os._exit(0)
        os.close(write)
        wanted = rng.randint(0, max(0, args.batches - 1))
        seen = 0
        with os.fdopen(read, "rb") as lines:
            while seen <= wanted:
                line = lines.readline()
                if not line:
                    break
                seen += line.startswith(b"stored")
            time.sleep(rng.uniform(0, 0.04))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        emit(f"trial {source} after {seen} batches")
    return 0


def _poll(args: argparse.Namespace) -> int:
    db = Database(create_db_engine(args.db))
    batches = 0

    def crash_point() -> None:
        nonlocal batches
        batches += 1
        if batches == args.crash_after_batches:
            os._exit(137)

    def good(
        db: Database, source_id: int, uidvalidity: int, items: Sequence[intake.Incoming], uid: int
    ) -> list[int]:
        ids = mail_poll.store_batch(db, source_id, uidvalidity, items, uid)
        crash_point()
        emit(f"stored {uid}")
        return ids

    def broken(
        db: Database, source_id: int, uidvalidity: int, items: Sequence[intake.Incoming], uid: int
    ) -> list[int]:
        with db.uow() as uow:
            source = uow.session.get(InboundSource, source_id)
            assert source is not None
            source.uidvalidity = uidvalidity
            source.last_uid = max(source.last_uid, uid)
            uow.commit()
        crash_point()
        time.sleep(0.05)
        with db.uow() as uow:
            ids = intake.store(uow.session, source_id, items)
            uow.commit()
        emit(f"stored {uid}")
        return ids

    emit("ready")
    result = mail_poll.poll(
        db,
        args.source,
        password=args.password,
        batch=args.batch,
        store=broken if args.broken else good,
    )
    emit(f"done {result.stored}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
