"""Settings → AI drafting (SPEC E3) through its widgets: saved settings, the
key in the keyring only, the preview of what is sent, and Test connection
against a real OpenAI-compatible HTTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import keyring
import pytest
import qasync
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models import Setting
from services.ai import settings as ai_settings
from services.core.storage import Database
from tests.ai_server import FakeAIServer
from tests.ui.helpers import make_ctx
from tests.ui.test_compose_templates import loop
from ui.settings.ai_page import AiPage

__all__ = ["loop"]  # a fixture
KEY = "sk-test-0123456789"


@pytest.fixture
def ai_server() -> Iterator[FakeAIServer]:
    with FakeAIServer() as server:
        yield server


@pytest.fixture
def page(qtbot: QtBot, sqlite_db: Database) -> AiPage:
    widget = AiPage(make_ctx(sqlite_db))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def _settings_rows(db: Database) -> dict[str, str]:
    with db.reader() as uow:
        return {row.key: row.value for row in uow.session.scalars(select(Setting))}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_server_model_and_timeout_are_saved_and_the_key_goes_to_the_keyring(
    page: AiPage, sqlite_db: Database
) -> None:
    url = "https://llm.example.com/v1"
    assert page.base_url.text() == ""
    assert "No key saved" in page.key_status.text()
    page.base_url.setText(url + "/")
    page.model.setText("gpt-4o-mini")
    page.timeout.setValue(90)
    page.api_key.setText(KEY)
    page.save_button.click()
    assert page.status.text() == "Saved."
    rows = _settings_rows(sqlite_db)
    assert rows["ai.base_url"] == url
    assert rows["ai.model"] == "gpt-4o-mini"
    assert float(rows["ai.timeout_s"]) == 90
    assert not any(KEY in value for value in rows.values())
    assert keyring.get_password(ai_settings.SERVICE, f"api-key {url}") == KEY
    # the page never shows the key again, only that there is one
    assert page.api_key.text() == ""
    assert "A key is saved in the system keyring" in page.key_status.text()
    assert page.forget_key_button.isEnabled()
    assert not page.is_dirty()

    page.forget_key_button.click()
    box = page.confirm_box
    assert box is not None
    keep = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    assert box.defaultButton() is keep  # Enter keeps the key
    assert box.escapeButton() is keep
    yes = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    yes.click()
    assert keyring.get_password(ai_settings.SERVICE, f"api-key {url}") is None
    assert "No key saved" in page.key_status.text()
    assert _settings_rows(sqlite_db)["ai.model"] == "gpt-4o-mini"  # only the key went


def test_a_bad_address_is_refused_next_to_the_field(page: AiPage, sqlite_db: Database) -> None:
    page.base_url.setText("ftp://llm.example.com")
    page.model.setText("llama3.1")
    page.save_button.click()
    hint = page.hints["base_url"]
    assert not hint.isHidden()
    assert "is not a server address" in hint.text()
    assert "ai.base_url" not in _settings_rows(sqlite_db)

    page.base_url.setText("http://localhost:11434/v1")
    page.model.setText("")
    page.save_button.click()
    assert page.hints["base_url"].isHidden()
    assert "Name the model" in page.hints["model"].text()
    assert "ai.base_url" not in _settings_rows(sqlite_db)


def test_a_key_for_a_plain_http_server_elsewhere_is_refused(
    page: AiPage, sqlite_db: Database
) -> None:
    page.base_url.setText("http://llm.example.com/v1")
    page.model.setText("llama3.1")
    page.api_key.setText(KEY)
    page.save_button.click()
    assert "only sent over https" in page.hints["api_key"].text()
    assert keyring.get_password(ai_settings.SERVICE, "api-key http://llm.example.com/v1") is None
    assert "ai.base_url" not in _settings_rows(sqlite_db)


def test_the_examples_fill_in_known_servers(page: AiPage) -> None:
    urls = {a.text().split("\t")[0]: a.data() for a in page.examples_menu.actions()}
    assert urls["Ollama"] == "http://localhost:11434/v1"
    assert urls["OpenAI"] == "https://api.openai.com/v1"
    assert set(urls) >= {"llama.cpp server", "LM Studio"}
    next(a for a in page.examples_menu.actions() if a.data() == urls["LM Studio"]).trigger()
    assert page.base_url.text() == "http://localhost:1234/v1"


def test_the_preview_shows_exactly_what_is_sent(page: AiPage) -> None:
    text = page.preview.toPlainText()
    assert ai_settings.SYSTEM_PROMPT in text
    block = text.split('<data name="last_email">\n')[1]
    assert block.startswith("Good afternoon! Please send the invoice")
    assert block.endswith("\n</data>")
    assert "House rules" not in text

    page.base_url.setText("http://localhost:11434/v1")
    page.model.setText("llama3.1")
    page.instructions.setPlainText("Обращайтесь к клиенту на «вы».")
    page.save_button.click()
    text = page.preview.toPlainText()
    assert "House rules from the administrator:\nОбращайтесь к клиенту на «вы»." in text
    assert text.index("на «вы»") < text.index("━━ user · the request ━━")  # with the instructions


def test_test_connection_reports_the_models_answer(
    page: AiPage, ai_server: FakeAIServer, sqlite_db: Database
) -> None:
    ai_server.reply = "OK"
    page.base_url.setText(ai_server.url)
    page.model.setText("llama3.1")
    page.test_button.click()  # unsaved changes are saved first
    assert _settings_rows(sqlite_db)["ai.base_url"] == ai_server.url
    assert not page.test_result.is_error
    assert page.test_result.text() == "Connected: llama3.1 answered “OK”."
    [received] = ai_server.received
    assert received.body["model"] == "llama3.1"
    assert received.body["stream"] is False
    assert page.test_button.isEnabled()


def test_in_the_app_test_connection_is_a_task_on_the_qasync_loop(
    page: AiPage, ai_server: FakeAIServer, loop: qasync.QEventLoop
) -> None:
    ai_server.reply = "OK"
    page.base_url.setText(ai_server.url)
    page.model.setText("llama3.1")
    reads_before = page._ctx.reads.calls  # type: ignore[attr-defined]
    page.test_button.click()
    task = page._test_task
    assert task is not None  # not a job holding the read lane
    assert page.test_result.text() == "Testing…"
    loop.run_until_complete(task)
    assert page.test_result.text() == "Connected: llama3.1 answered “OK”."
    # save + config read only: the generation itself used no lane
    assert page._ctx.reads.calls - reads_before <= 2  # type: ignore[attr-defined]


def test_test_connection_says_when_the_server_cannot_be_reached(
    page: AiPage, sqlite_db: Database
) -> None:
    page.base_url.setText(f"http://127.0.0.1:{_closed_port()}/v1")
    page.model.setText("llama3.1")
    page.save_button.click()
    page.test_button.click()
    assert page.test_result.is_error
    assert "cannot be reached" in page.test_result.text()
    assert page.test_button.isEnabled()


def test_test_connection_without_a_server_says_what_to_set_up(page: AiPage) -> None:
    page.test_button.click()
    assert page.test_result.is_error
    assert "AI drafting is not set up" in page.test_result.text()


def test_test_connection_runs_off_the_gui_thread(
    qtbot: QtBot, sqlite_db: Database, ai_server: FakeAIServer
) -> None:
    """With the app's real worker lane the click returns at once; a server
    that never answers ends in the timeout message, not a frozen window."""
    from desktop.lanes import Lane

    lane = Lane("reads")
    widget = AiPage(make_ctx(sqlite_db, reads=lane))
    qtbot.addWidget(widget)
    widget.refresh()
    qtbot.waitUntil(lambda: widget.loaded)
    ai_server.hang = True
    widget.base_url.setText(ai_server.url)
    widget.model.setText("llama3.1")
    widget.timeout.setValue(1)
    widget.save_button.click()
    widget.test_button.click()
    assert widget.test_result.text() == "Testing…"  # the click came back before the answer
    assert not widget.test_button.isEnabled()
    qtbot.waitUntil(lambda: widget.test_button.isEnabled(), timeout=15_000)
    assert widget.test_result.is_error
    assert "did not answer within 1 s" in widget.test_result.text()
    assert lane.shutdown(5_000)
