"""The lazy lists: keyset pages on demand, search and sort in SQL, the card
on Enter; models checked with qtmodeltester."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from models.parties import ContactPoint
from services.core import bootstrap
from services.core.access import Actor
from services.core.storage import Database, open_database
from services.demo import generate as demo
from services.parties import records as parties
from tests.ui.test_main_window import InlineLane, make_ctx
from ui.clients.list_model import PAGE, Column, LazyListModel, Page, Query
from ui.clients.list_panel import ListPanel
from ui.context import UiContext

DEMO_CLIENTS = 3000


@dataclasses.dataclass(frozen=True)
class Row:
    id: int
    name: str


class NumbersSource:
    """A list of ``total`` rows in memory, paged by id like the services do."""

    kind = "client"

    def __init__(self, total: int) -> None:
        self.rows = [Row(i, f"Client {i:05d}") for i in range(1, total + 1)]
        self.pages: list[Any] = []

    def columns(self) -> list[Column]:
        return [Column("name", "Name", lambda r: r.name), Column("", "Id", lambda r: str(r.id))]

    def page(self, uow: Any, actor: Any, query: Query, cursor: Any, limit: int) -> Page:
        self.pages.append(cursor)
        rows = [r for r in self.rows if query.text in r.name]
        rows.sort(key=lambda r: r.id, reverse=query.descending)
        start = 0 if cursor is None else cursor
        chunk = rows[start : start + limit]
        return Page(chunk, start + limit if start + limit < len(rows) else None)

    def count(self, uow: Any, actor: Any, query: Query) -> int:
        return sum(query.text in r.name for r in self.rows)


class NoDatabase:
    """For sources that need none: an empty unit of work."""

    def reader(self, _actor_id: int | None = None) -> Any:
        return contextlib.nullcontext(None)


def memory_ctx() -> UiContext:
    actor = Actor(1, "anna", "Anna", frozenset())
    return UiContext(db=NoDatabase(), actor=actor, writes=InlineLane(), reads=InlineLane())  # type: ignore[arg-type]


def test_the_model_passes_qtmodeltester_while_paging(qtmodeltester: Any) -> None:
    source = NumbersSource(2 * PAGE + 17)
    model = LazyListModel(memory_ctx(), source)
    model.set_query(Query())
    assert model.rowCount() == PAGE
    assert model.total == 2 * PAGE + 17
    qtmodeltester.check(model)  # it calls fetchMore too
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE + 17
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == f"Client {2 * PAGE + 17:05d}"
    model.sort(1, Qt.SortOrder.AscendingOrder)  # not sortable: nothing happens
    assert model.query.sort == "name"


def test_an_answer_to_an_old_query_is_dropped(qapp: Any) -> None:
    class HeldLane(InlineLane):
        def __init__(self) -> None:
            super().__init__()
            self.pending: list[tuple[Any, Any, Any]] = []

        def submit(self, fn: Any, on_done: Any, on_error: Any) -> None:
            self.pending.append((fn, on_done, on_error))

    ctx = memory_ctx()
    lane = HeldLane()
    ctx.reads = lane
    model = LazyListModel(ctx, NumbersSource(50))
    model.set_query(Query(text="00001"))
    stale = list(lane.pending)
    lane.pending.clear()
    model.set_query(Query(text="0004"))
    for fn, on_done, on_error in stale + lane.pending:
        InlineLane.submit(lane, fn, on_done, on_error)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        f"Client {i:05d}" for i in [4, *range(40, 50)]
    ]


@pytest.fixture(scope="module")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lists") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}")
    demo.generate(db, clients=DEMO_CLIENTS)
    db.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Any:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


def panel_for(qtbot: QtBot, db: Database, kind: str) -> ListPanel:
    panel = ListPanel(make_ctx(db), kind)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    return panel


@pytest.mark.parametrize("kind", ["client", "lead", "contact"])
def test_only_the_first_pages_load_and_qtmodeltester_passes(
    qtbot: QtBot, qtmodeltester: Any, demo_db: Database, kind: str
) -> None:
    panel = panel_for(qtbot, demo_db, kind)
    model = panel.model
    assert model.total is not None
    assert model.total > PAGE
    assert model.pages_loaded <= 2
    assert model.rowCount() < model.total
    qtmodeltester.check(model)


def test_scrolling_fetches_the_next_page(qtbot: QtBot, demo_db: Database) -> None:
    panel = panel_for(qtbot, demo_db, "client")
    model = panel.model
    before = model.rowCount()
    bar = panel.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: model.rowCount() > before)
    assert model.rowCount() <= before + PAGE
    ids = [model.id_at(r) for r in range(model.rowCount())]
    assert len(ids) == len(set(ids))


def test_search_runs_in_sql_after_a_pause(qtbot: QtBot, demo_db: Database) -> None:
    panel = panel_for(qtbot, demo_db, "client")
    name = panel.model.row_at(5).name
    word = name.split()[-1].strip('«»"')
    qtbot.keyClicks(panel.search, word)
    assert panel.model.query.text == ""  # not yet: debounced
    qtbot.waitUntil(lambda: panel.model.query.text == word)
    assert 0 < panel.model.rowCount() < DEMO_CLIENTS
    texts = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert any(word.lower() in t.lower() for t in texts)


def test_sorting_by_a_header_runs_in_sql(qtbot: QtBot, demo_db: Database) -> None:
    panel = panel_for(qtbot, demo_db, "client")
    header = panel.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    names = [panel.model.index(r, 0).data() for r in range(20)]
    assert panel.model.query.descending
    assert names == sorted(names, key=str.casefold, reverse=True) or panel.model.pages_loaded == 1


def test_enter_opens_the_selected_card(qtbot: QtBot, demo_db: Database) -> None:
    panel = panel_for(qtbot, demo_db, "client")
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    expected = panel.model.id_at(panel.table.currentIndex().row())
    with qtbot.waitSignal(panel.open_requested) as opened:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args[:2] == ["client", expected]


def test_phones_show_in_one_format_however_they_were_typed(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    """The list showed '+74950386304' beside '+7 499 268-93-86': every phone
    now reads in international format; one libphonenumber cannot read (an
    old import's) as stored. The stored values stay as typed."""

    typed = {
        "ООО «Альфа»": "8 (495) 038-63-04",
        "ООО «Бета»": "+74992689386",
        "ООО «Гамма»": "+7 499 268-93-87 доб. 12",
        "ООО «Дельта»": "+7 916 555-44-33",
    }
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        for name, phone in typed.items():
            parties.add_client(uow, actor, name, phones=[phone])
        uow.session.execute(
            update(ContactPoint)
            .where(ContactPoint.raw == "+7 916 555-44-33")
            .values(raw="внутр. 2-15", normalized="внутр. 2-15")
        )
        uow.commit()
    panel = panel_for(qtbot, sqlite_db, "client")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4)
    phones = {
        panel.model.index(r, 0).data(): panel.model.index(r, 1).data()
        for r in range(panel.model.rowCount())
    }
    assert phones == {
        "ООО «Альфа»": "+7 495 038-63-04",
        "ООО «Бета»": "+7 499 268-93-86",
        "ООО «Гамма»": "+7 499 268-93-87 ext. 12",
        "ООО «Дельта»": "внутр. 2-15",
    }
    with sqlite_db.reader() as uow:
        stored = set(
            uow.session.scalars(select(ContactPoint.raw).where(ContactPoint.kind == "phone"))
        )
    assert stored == {
        "8 (495) 038-63-04",
        "+74992689386",
        "+7 499 268-93-87 доб. 12",
        "внутр. 2-15",
    }
