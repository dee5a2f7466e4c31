"""The window shows the client list first and builds the other sections just
after (issue #16: building and importing them all first was most of the
start), without any difference a user could notice."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import records
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from ui.main_window import MainWindow


def test_the_client_list_comes_first_and_every_section_follows(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    window = MainWindow(make_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(window)
    assert set(window.panels) == {"clients"}  # what is built before the first paint
    with qtbot.waitSignal(window.sections_built, timeout=120_000):
        window.show()
    keys = window.navigation.section_keys()
    assert set(window.panels) == set(keys)
    stack = window.workspace.sections
    assert [stack.widget(i) for i in range(stack.count())] == [window.panels[k] for k in keys]
    for key in keys:  # in the navigation's order, each its own section
        window.navigation.select(key)
        assert stack.currentWidget() is window.panels[key]
        assert window.panels[key].isVisible()


class LaterLane:
    """A read lane whose answers arrive a little later, as a real lane's do
    (``InlineLane`` answers before the window has finished building)."""

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        def run() -> None:
            try:
                result = fn()
            except Exception as exc:  # noqa: BLE001 - handed on like a real lane does
                on_error(exc)
                return
            on_done(result)

        QTimer.singleShot(30, run)


def test_no_other_section_is_built_before_the_client_lists_first_rows(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    """Built before the rows came, the leads and contacts lists (~50 ms)
    held the GUI thread while the rows waited to be painted (issue #16)."""
    ctx = dataclasses.replace(make_ctx(sqlite_db, mail=FakeMail()), reads=LaterLane())
    with sqlite_db.uow() as uow:
        records.add_client(uow, bootstrap.actor_for(uow), "ООО Первая строка")
        uow.commit()
    window = MainWindow(ctx, make_prefs(tmp_path))
    qtbot.addWidget(window)
    built_at_rows: list[set[str]] = []
    window.clients.model.page_loaded.connect(lambda: built_at_rows.append(set(window.panels)))
    with qtbot.waitSignal(window.sections_built, timeout=120_000):
        window.show()
    assert built_at_rows[0] == {"clients"}
    assert window.clients.model.rowCount() == 1
    assert set(window.panels) == set(window.navigation.section_keys())


def test_a_section_asked_for_early_is_built_at_once_and_only_once(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    window = MainWindow(make_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.navigation.select("settings")
    settings = window.panels["settings"]
    assert window.workspace.sections.currentWidget() is settings
    inbound = window.inbound  # the Inbound section's own attribute, as before
    with qtbot.waitSignal(window.sections_built, timeout=120_000):
        pass
    assert window.panels["settings"] is settings
    assert window.panels["inbound"] is inbound
    assert window.workspace.sections.count() == len(window.navigation.section_keys())


LATER = (
    "ui.settings.settings_panel",
    "ui.inbound.inbound_panel",
    "ui.mail.mail_panel",
    "ui.agenda.agenda_panel",
    "ui.deals.board_panel",
    "ui.cards.card_widget",
    "ui.dialogs.deal_dialog",
    "ui.dialogs.interaction_dialog",
    "ui.dialogs.compose_dialog",
    "jinja2",
    "holidays",
    "keyring",
    "openai",
    "imapclient",
    "alembic",
)


def test_the_window_module_imports_no_section_but_the_client_list() -> None:
    """A heavy import creeping back into the window's module would be paid
    before the first paint again."""
    code = (
        "import sys; import ui.main_window; "
        f"print(sorted(m for m in {LATER!r} if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert proc.stdout.strip() == "[]"


def _loaded_after(code: str) -> str:
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout.strip()


def test_the_replicas_sync_loads_with_its_first_use_not_with_the_window() -> None:
    """The container and the window do not import the push and pull (~40
    modules): a replica's driver loads them with its first knock or sync."""
    sync = ("services.sync.use_cases", "services.sync.scheduled", "services.sync.pull")
    code = (
        "import sys; import desktop.container, ui.main_window; "
        f"print(sorted(m for m in {sync!r} if m in sys.modules))"
    )
    assert _loaded_after(code) == "[]"


def test_the_start_loads_its_core_before_qt() -> None:
    """PySide6 reads the source of every module imported after it: the ORM,
    the models and phonenumbers come first (``desktop.app.load_core``)."""
    code = (
        "import sys; from desktop.app import load_core; load_core(); "
        "print('PySide6' in sys.modules, 'sqlalchemy.orm' in sys.modules, "
        "'models.parties' in sys.modules, 'phonenumbers' in sys.modules)"
    )
    assert _loaded_after(code) == "False True True True"
