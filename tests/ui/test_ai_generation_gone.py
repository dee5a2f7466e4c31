"""An AI draft streaming on the qasync loop reaches only a live dialog: closed
mid-stream, nothing is emitted to the deleted object and the task ends
without an error (as the task runner's deleted-widget check)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import qasync
import shiboken6
from PySide6.QtWidgets import QApplication, QWidget

from services.ai.settings import AiConfig, Message
from tests.ai_server import FakeAIServer
from ui.dialogs.ai_generation import AiGeneration
from ui.widgets import event_loop


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    event_loop.use(loop)
    yield loop
    loop.run_until_complete(asyncio.sleep(0))
    event_loop.use(None)
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def ai_server() -> Iterator[FakeAIServer]:
    with FakeAIServer() as server:
        yield server


def test_a_draft_streaming_into_a_closed_dialog_stops_quietly(
    loop: qasync.QEventLoop, ai_server: FakeAIServer
) -> None:
    ai_server.chunks = ["Здравствуйте, ", "Иван ", "Петрович! ", "Высылаем ", "счёт."]
    ai_server.chunk_delay = 0.2
    dialog = QWidget()
    generation = AiGeneration(dialog)
    got: list[str] = []

    def on_chunk(piece: str) -> None:
        got.append(piece)
        shiboken6.delete(dialog)  # closed mid-stream, without abandon()

    generation.chunk.connect(on_chunk)
    ended: list[object] = []
    generation.finished.connect(ended.append)
    generation.failed.connect(ended.append)
    config = AiConfig(ai_server.url, "llama3.1", timeout_s=10)
    assert generation.start(config, [Message("user", "Напиши письмо")])
    task = generation.task
    assert task is not None
    loop.run_until_complete(task)
    assert not shiboken6.isValid(generation)
    assert task.exception() is None
    assert got == ["Здравствуйте, "]
    assert ended == []
