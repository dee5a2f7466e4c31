"""Templates, database-wide settings and the AI settings: ``touchpoint`` and
the Settings pages call the same use cases, and the desktop's change bus
hears what they changed."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.cli import main
from services.ai import settings as ai_settings
from services.ai import use_cases as ai_cases
from services.core import bootstrap, settings
from services.core import use_cases as core_cases
from services.core.changes import Changes
from services.core.storage import Database
from services.templates import store
from services.templates import use_cases as template_cases
from tests.ui.helpers import make_ctx
from tests.ui.test_main_window import make_prefs
from ui.settings.ai_page import AiPage
from ui.settings.settings_panel import SettingsPanel
from ui.settings.templates_page import TemplatesPage

Spied = list[str]


@pytest.fixture
def called(monkeypatch: pytest.MonkeyPatch) -> Spied:
    """Every call of the use cases under test, by name, in order."""
    names: Spied = []
    for module, name in (
        (template_cases, "add_template"),
        (template_cases, "edit_template"),
        (template_cases, "deactivate_template"),
        (core_cases, "save_settings"),
        (ai_cases, "save_ai_settings"),
    ):
        monkeypatch.setattr(module, name, _spy(getattr(module, name), names))
    return names


def _spy(real: Callable[..., Any], names: Spied) -> Callable[..., Any]:
    def spy(*args: Any, **kw: Any) -> Any:
        names.append(real.__name__)
        return real(*args, **kw)

    return spy


def _templates(db: Database) -> list[store.TemplateView]:
    with db.reader() as uow:
        return store.list_templates(uow, bootstrap.actor_for(uow), include_inactive=True)


def test_the_cli_calls_the_settings_and_template_use_cases(
    sqlite_db: Database,
    called: Spied,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def cli(*args: str) -> str:
        capsys.readouterr()
        code = main(["--db", sqlite_db.url, *args, "--json"])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    cli("templates", "add", "Счёт", "--subject", "Счёт для {{ client.name }}", "--body", "Добрый")
    (made,) = _templates(sqlite_db)
    cli("templates", "edit", str(made.id), "--name", "Счёт на оплату")
    cli("settings", "default_region", "de")
    cli("settings", "default_region")  # a read: no use case
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    cli("ai", "settings", "--base-url", "http://127.0.0.1:11434/v1", "--model", "llama3.1")
    cli("ai", "settings")  # a read
    assert called == ["add_template", "edit_template", "save_settings", "save_ai_settings"]
    assert [t.name for t in _templates(sqlite_db)] == ["Счёт на оплату"]
    with sqlite_db.reader() as uow:
        assert settings.get(uow, "default_region") == "DE"
        assert ai_settings.load(uow).model == "llama3.1"


def test_the_settings_pages_call_the_same_use_cases_and_post_their_changes(
    qtbot: QtBot, sqlite_db: Database, called: Spied, tmp_path: Path
) -> None:
    ctx = make_ctx(sqlite_db)
    heard: list[Changes] = []
    ctx.bus.changed.connect(heard.append)
    page = TemplatesPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.new_template()
    page.name.setText("Коммерческое предложение")
    page.subject.setText("Предложение для {{ client.name }}")
    page.body.setPlainText("Добрый день!")
    page.save_button.click()
    qtbot.waitUntil(lambda: page.status.text() == "Saved.")
    (made,) = _templates(sqlite_db)
    assert heard[-1].touches("template", [made.id])
    page.deactivate(made.id)
    qtbot.waitUntil(lambda: not _templates(sqlite_db)[0].active)
    assert heard[-1].touches("template", [made.id])

    panel = SettingsPanel(ctx, make_prefs(tmp_path))
    qtbot.addWidget(panel)
    panel.refresh()
    panel.region.setCurrentIndex(panel.region.findData("DE"))
    panel.save_button.click()
    qtbot.waitUntil(lambda: panel.saved_label.text() == "Saved.")
    assert heard[-1].touches("setting")

    ai_page = AiPage(ctx)
    qtbot.addWidget(ai_page)
    ai_page.refresh()
    ai_page.base_url.setText("http://127.0.0.1:11434/v1")
    ai_page.model.setText("llama3.1")
    ai_page.save_button.click()
    qtbot.waitUntil(lambda: ai_page.status.text() == "Saved.")
    assert heard[-1].touches("ai_settings")
    assert called == ["add_template", "deactivate_template", "save_settings", "save_ai_settings"]
    with sqlite_db.reader() as uow:
        assert settings.get(uow, "default_region") == "DE"
        assert ai_settings.load(uow).model == "llama3.1"


def test_backup_and_restore_are_one_use_case_for_the_cli_and_settings(
    qtbot: QtBot,
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    names: Spied = []
    for name in ("backup_database", "restore_database"):
        monkeypatch.setattr(core_cases, name, _spy(getattr(core_cases, name), names))
    cli_copy, ui_copy = tmp_path / "cli.sqlite3", tmp_path / "ui.sqlite3"
    code = main(["--db", sqlite_db.url, "backup", str(cli_copy), "--json"])
    assert code == 0, capsys.readouterr().err
    ctx = make_ctx(sqlite_db)
    heard: list[Changes] = []
    ctx.bus.changed.connect(heard.append)
    panel = SettingsPanel(ctx, make_prefs(tmp_path))
    qtbot.addWidget(panel)
    panel.backup_to(str(ui_copy))
    qtbot.waitUntil(lambda: str(ui_copy) in panel.saved_label.text())
    assert heard == []  # a copy changes nothing on screen
    panel.restore_from(str(ui_copy))
    qtbot.waitUntil(lambda: "Restart" in panel.saved_label.text())
    assert heard[-1].touches("database")
    assert names == ["backup_database", "backup_database", "restore_database"]
    assert cli_copy.stat().st_size > 0
