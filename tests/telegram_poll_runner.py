"""Polls one Telegram source for ever, in a process of its own, for the
crash test to SIGKILL at any moment (tests/integration/test_telegram_poll.py).

    python tests/telegram_poll_runner.py DB_URL SOURCE_ID TOKEN

The token goes into this process's in-memory keyring first (the tests'
keyring lives per process). Every poll prints one flushed line,
``polled <stored> <offset>``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"

from sqlalchemy import select

from models import InboundSource
from services.core.storage import open_database
from services.inbound import telegram, telegram_poll


def main(url: str, source_id: int, token: str) -> None:
    db = open_database(url)
    with db.reader() as uow:
        uid = uow.session.scalar(select(InboundSource.uid).where(InboundSource.id == source_id))
    assert uid is not None
    telegram.store_token(uid, token)
    print("ready", flush=True)
    while True:
        report = telegram_poll.poll(db, source_id).value
        print(f"polled {report.stored} {report.offset}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
