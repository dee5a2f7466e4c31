"""``touchpoint demo`` / ``import contacts`` and the welcome screen run the same
use cases (services/demo/use_cases.py, services/exchange/use_cases.py); the
desktop's change bus hears the clients they created."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.cli import main
from services.core.changes import Changes
from services.core.storage import Database
from services.demo import use_cases as demo
from services.exchange import use_cases as exchange
from services.parties import records as parties
from tests.ui.test_main_window import make_ctx
from ui.shell.empty_state import DemoOffer


@pytest.fixture
def called(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    outcomes: list[Any] = []
    real: Callable[..., Any] = demo.load_demo

    def spy(*args: Any, **kw: Any) -> Any:
        outcomes.append(real(*args, **kw))
        return outcomes[-1]

    monkeypatch.setattr(demo, "load_demo", spy)
    return outcomes


def _client_count(db: Database) -> int:
    from services.core import bootstrap

    with db.reader() as uow:
        return len(parties.list_clients(uow, bootstrap.actor_for(uow)))


def test_the_cli_demo_is_the_load_demo_use_case(
    sqlite_db: Database, called: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", sqlite_db.url, "demo", "--clients", "5", "--json"])
    assert code == 0, capsys.readouterr().err
    [outcome] = called
    assert _client_count(sqlite_db) == 5
    assert len(outcome.changes.created["client"]) == 5


def test_the_welcome_screen_loads_the_demo_through_the_same_use_case(
    qtbot: QtBot, sqlite_db: Database, called: list[Any]
) -> None:
    ctx = make_ctx(sqlite_db)
    heard: list[Changes] = []
    ctx.bus.changed.connect(heard.append)
    offer = DemoOffer(ctx)
    qtbot.addWidget(offer)
    qtbot.mouseClick(offer.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(called) and bool(heard), timeout=60_000)
    assert _client_count(sqlite_db) > 0
    assert heard[0].touches("client")
    assert heard[0].touches("interaction")


CSV = (
    "name,email,company\nИван Петров,ivan@romashka.ru,ООО Ромашка\nJohn Smith,john@acme.example,\n"
)


def test_contact_import_from_the_cli_and_the_welcome_screen_is_one_use_case(
    qtbot: QtBot,
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outcomes: list[Any] = []
    real: Callable[..., Any] = exchange.import_contacts

    def spy(*args: Any, **kw: Any) -> Any:
        outcomes.append(real(*args, **kw))
        return outcomes[-1]

    monkeypatch.setattr(exchange, "import_contacts", spy)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(CSV, encoding="utf-8")
    second.write_text("name,email\nАнна Смирнова,anna@example.com\n", encoding="utf-8")
    assert main(["--db", sqlite_db.url, "import", "contacts", str(first), "--json"]) == 0
    assert outcomes[-1].changes.touches("client")
    ctx = make_ctx(sqlite_db)
    heard: list[Changes] = []
    ctx.bus.changed.connect(heard.append)
    offer = DemoOffer(ctx)
    qtbot.addWidget(offer)
    with qtbot.waitSignal(offer.loaded, timeout=10_000):
        offer.import_file(str(second))
    assert len(outcomes) == 2
    [new] = outcomes[-1].changes.created["client"]
    assert heard[-1].touches_card("client", new)
    assert _client_count(sqlite_db) == 3


def test_the_demo_names_the_computers_own_user(qtbot: QtBot, sqlite_db: Database) -> None:
    """It showed as its login ("root") among named colleagues: the feed's
    owner filter (and every feed line and conflict) now reads a full name."""
    from services.demo import generate
    from services.feed.pages import FeedScope
    from ui.feed import FeedView

    generate.generate(sqlite_db, clients=5)
    ctx = make_ctx(sqlite_db)
    assert ctx.actor.full_name != ctx.actor.login
    assert len(ctx.actor.full_name.split()) == 3  # «Фамилия Имя Отчество»
    view = FeedView(ctx, FeedScope())
    qtbot.addWidget(view)
    owners = view.filter_bar.owner
    qtbot.waitUntil(lambda: owners.count() > 2)
    mine = owners.itemText(owners.findData(ctx.actor.id))
    assert mine == f"{ctx.actor.full_name} (me)"
    assert ctx.actor.login not in mine
