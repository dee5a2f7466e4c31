"""The local Telegram Bot API server as pytest fixtures (a plugin of tests/conftest.py).

- ``telegram_rig``: one :class:`tests.telegram_server.FakeTelegramServer` per
  session (per xdist worker) on a free loopback port.
- ``telegram``: the same server with no queued updates, no recorded requests
  and no armed hostile reply, before and after the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.telegram_server import FakeTelegramServer, telegram_server


@pytest.fixture(scope="session")
def telegram_rig() -> Iterator[FakeTelegramServer]:
    yield from telegram_server()


@pytest.fixture
def telegram(telegram_rig: FakeTelegramServer) -> Iterator[FakeTelegramServer]:
    telegram_rig.reset()
    yield telegram_rig
    telegram_rig.reset()
