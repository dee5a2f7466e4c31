"""Settings → Database: test the connection to a team server, then save it
for the next start; the password goes to the keyring, never to the
preferences (#19 item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from services.core import keyring_store, server
from services.core.storage import Database
from tests.ui.helpers import make_ctx
from ui.settings.settings_panel import SettingsPanel
from ui.shell.preferences import Preferences


@pytest.mark.postgres
def test_test_connection_says_version_login_and_tls_then_save_keeps_it(
    qtbot: QtBot, sqlite_db: Database, pg_admin_url: str, tmp_path: Path
) -> None:
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    panel = SettingsPanel(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(panel)
    panel.tabs.setCurrentWidget(panel.database_page)
    page = panel.database_page
    # the file's path, not its URL (sqlite:////tmp/…)
    assert page.current.text() == f"In use: {sqlite_db.url.split(':///', 1)[1]}"
    rig = make_url(pg_admin_url)
    page.host.setText(str(rig.host))
    page.port.setValue(int(rig.port or 5432))
    page.database.setText(str(rig.database))
    page.login.setText("postgres")
    page.tls.setChecked(False)  # the test server has no certificate
    page.test_button.click()
    text = page.status.text()
    assert text.startswith("Connected as postgres to PostgreSQL ")
    assert "Not encrypted" in text
    assert "not set up as a team database" in text

    page.host.setText("")
    page.test_button.click()
    assert "A server is needed" in page.status.text()
    page.host.setText(str(rig.host))

    page.password.setText("Секрет 1")
    page.save_button.click()
    saved = prefs.database_url
    assert saved.startswith("postgresql+psycopg://postgres@")
    assert "Секрет" not in saved
    assert server.with_keyring_password(make_url(saved)).password == "Секрет 1"
    assert page.password.text() == ""
    assert "next start" in page.status.text()

    again = SettingsPanel(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(again)
    assert again.database_page.port.value() == rig.port
    assert again.database_page.login.text() == "postgres"
    assert not again.database_page.tls.isChecked()
    again.database_page.local_button.click()
    assert prefs.database_url == ""
    assert not panel._ctx.errors  # type: ignore[attr-defined]
    keyring_store.delete(server.KEYRING_SERVICE, server.keyring_user(make_url(saved)), "test")
