"""The feed widget: lazy keyset pages, filters that keep planned items on
top, cancel with undo, the empty state, and what a row looks like."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.demo import generate as demo
from services.feed.pages import FeedScope
from services.interactions import actions as ix
from services.interactions import notes
from services.parties import records as parties
from tests.ui.helpers import HeldLane, make_ctx
from ui.feed import FeedModel, FeedView
from ui.feed.feed_delegate import HEADER, OVERDUE, PAD_X
from ui.widgets import glyphs

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _client_with_feed(db: Database) -> dict[str, int]:
    """A client with one planned call, an overdue planned call, two done
    calls, a done meeting, a cancelled call and a note."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "Acme Trading", timezone="Europe/Berlin")
        ids: dict[str, int] = {"client": client.id}

        def add(key: str, **kw: Any) -> None:
            spec = ix.NewInteraction(client_id=client.id, tz="Europe/Berlin", **kw)
            ids[key] = ix.create(uow, actor, spec, now=NOW).id

        add(
            "planned",
            type="call",
            planned=True,
            start=NOW + dt.timedelta(days=2),
            subject="Quarterly review",
        )
        add(
            "overdue",
            type="call",
            planned=True,
            start=NOW - dt.timedelta(days=1),
            subject="Call back about the invoice",
        )
        add("done1", type="call", start=NOW - dt.timedelta(days=3), body="Spoke to Anna")
        add("done2", type="call", start=NOW - dt.timedelta(days=5), body="No answer")
        add("meeting", type="meeting", start=NOW - dt.timedelta(days=4), subject="Site visit")
        add("cancelled", type="call", start=NOW - dt.timedelta(days=6), subject="Dropped")
        ix.cancel(uow, actor, ids["cancelled"], now=NOW)
        ids["note"] = notes.add_note(uow, actor, "client", client.id, "Prefers mornings")
        uow.commit()
    return ids


def _keys(model: FeedModel) -> list[tuple[str, int, str]]:
    """What the feed shows, leaving out card changes ("card created" ...)."""
    return [(i.kind, i.id, i.state) for i in model.items() if i.kind != "change"]


def _shown_feed(
    qtbot: QtBot,
    db: Database,
    client_id: int,
    *,
    size: tuple[int, int] | None = None,
    exposed: bool = False,
) -> FeedView:
    """A client's feed on screen (painted, with ``exposed``)."""
    view = FeedView(make_ctx(db), FeedScope(client_id=client_id))
    qtbot.addWidget(view)
    if size is not None:
        view.resize(*size)
    view.show()
    if exposed:
        qtbot.waitExposed(view)
    return view


def test_feed_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, sqlite_db: Database
) -> None:
    ids = _client_with_feed(sqlite_db)
    ctx = make_ctx(sqlite_db)
    model = FeedModel(ctx, page_size=3)
    qtmodeltester.check(model)
    model.set_query(FeedScope(client_id=ids["client"]))
    assert model.rowCount() == 3
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert len(_keys(model)) == 7
    assert model.rowCount() == len(model.items())
    model.set_filter(model.feed_filter.__class__(types=("meeting",)))
    # the two planned calls stay on top whatever the filter (SPEC B5)
    assert [k[2] for k in _keys(model)][:2] == ["planned", "planned"]
    assert model.data(model.index(0), FeedModel.SectionStartRole) is True
    assert model.data(model.index(2), FeedModel.SectionStartRole) is True
    assert model.data(model.index(2), FeedModel.SectionRole) == "history"


def test_a_page_in_flight_shows_one_loading_row(
    qtbot: QtBot, qtmodeltester: Any, sqlite_db: Database
) -> None:
    ids = _client_with_feed(sqlite_db)
    lane = HeldLane()
    model = FeedModel(make_ctx(sqlite_db, reads=lane), page_size=50)
    qtmodeltester.check(model)
    model.set_query(FeedScope(client_id=ids["client"]))
    assert model.rowCount() == 1
    assert model.data(model.index(0)) == "Loading…"
    assert not model.canFetchMore(QModelIndex())
    # a new filter before the page arrives: the stale page is dropped
    model.set_filter(model.feed_filter.__class__(upcoming_only=True))
    lane.run_all()
    assert [k[2] for k in _keys(model)] == ["planned", "planned"]


def test_a_big_feed_loads_page_by_page_as_the_user_scrolls(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    summary = demo.generate(sqlite_db, clients=5, big_client_interactions=1000)
    assert summary.big_client_id is not None
    ctx = make_ctx(sqlite_db)
    view = FeedView(ctx, FeedScope(client_id=summary.big_client_id))
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    first = view.model.loaded_count
    assert 0 < first <= 100
    assert view.model.has_more
    view.list.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.loaded_count > first)
    assert view.model.loaded_count < 1000
    for _ in range(100):
        if not view.model.has_more:
            break
        view.list.scrollToBottom()
        qtbot.waitUntil(lambda: not view.model.is_loading)
    assert not view.model.has_more
    keys = [i.key for i in view.model.items()]
    assert len(keys) == len(set(keys)) == 1000
    # planned first (soonest first), then history newest first
    states = [i.state for i in view.model.items()]
    planned = states.count("planned")
    assert states[:planned] == ["planned"] * planned
    history = [i.start for i in view.model.items()[planned:]]
    assert history == sorted(history, reverse=True)


def test_filters_narrow_history_but_keep_planned_items(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"])
    assert len(_keys(view.model)) == 7

    view.filter_bar.set_checked_types(("meeting",))
    assert {(k, i) for k, i, _ in _keys(view.model)} == {
        ("interaction", ids["planned"]),
        ("interaction", ids["overdue"]),
        ("interaction", ids["meeting"]),
    }
    assert view.filter_bar.types_button.text() == "Meetings"
    assert view.filter_bar.clear_button.isVisible()

    view.filter_bar.clear()
    view.filter_bar.search.setText("anna")  # debounced, then applied
    qtbot.waitUntil(lambda: len(_keys(view.model)) == 3)
    assert ("interaction", ids["done1"], "done") in _keys(view.model)

    view.filter_bar.clear()
    view.filter_bar.upcoming.setChecked(True)
    assert [k[2] for k in _keys(view.model)] == ["planned", "planned"]

    view.filter_bar.clear()
    assert len(_keys(view.model)) == 7
    assert not view.filter_bar.clear_button.isVisible()


def test_period_filter_uses_whole_days(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = _client_with_feed(sqlite_db)
    view = FeedView(make_ctx(sqlite_db), FeedScope(client_id=ids["client"]))
    qtbot.addWidget(view)
    day = (NOW - dt.timedelta(days=4)).astimezone(dt.UTC).date()
    from PySide6.QtCore import QDate

    view.filter_bar.since.setDate(QDate(day.year, day.month, day.day))
    view.filter_bar.until.setDate(QDate(day.year, day.month, day.day))
    history = [k for k in _keys(view.model) if k[2] != "planned"]
    assert history == [("interaction", ids["meeting"], "done")]


def test_an_empty_feed_says_what_to_do(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, bootstrap.actor_for(uow), "New Client Ltd")
        uow.commit()
    view = FeedView(make_ctx(sqlite_db), FeedScope(client_id=client.id))
    qtbot.addWidget(view)
    view.show()
    assert view.stack.currentWidget() is view.empty
    assert "No interactions yet" in view.empty.text()
    assert "Ctrl+N" in view.empty.text()
    with qtbot.waitSignal(view.new_requested):
        view.empty.button.click()


def test_a_filter_that_matches_nothing_offers_to_clear_it(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "Quiet Client")
        ix.create(uow, actor, ix.NewInteraction(type="call", client_id=client.id), now=NOW)
        uow.commit()
    view = FeedView(make_ctx(sqlite_db), FeedScope(client_id=client.id))
    qtbot.addWidget(view)
    view.show()
    view.filter_bar.set_checked_types(("meeting",))
    assert view.stack.currentWidget() is view.empty
    assert "Nothing matches these filters" in view.empty.text()
    view.empty.button.click()
    assert view.stack.currentWidget() is view.list
    assert len(_keys(view.model)) == 1


def test_delete_cancels_the_selected_interaction_and_undo_brings_it_back(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    ids = _client_with_feed(sqlite_db)
    ctx = make_ctx(sqlite_db)
    view = FeedView(ctx, FeedScope(client_id=ids["client"]))
    qtbot.addWidget(view)
    view.show()
    assert view.select("interaction", ids["done1"])
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert ("interaction", ids["done1"], "cancelled") in _keys(view.model)
    assert view.undo_bar.isVisible()
    assert view.undo_bar.message.text() == "Call cancelled"
    assert view.current_item() is not None
    assert view.current_item().id == ids["done1"]  # type: ignore[union-attr]

    view.undo_bar.undo_button.click()
    assert ("interaction", ids["done1"], "done") in _keys(view.model)
    assert not view.undo_bar.isVisible()
    with sqlite_db.reader() as uow:
        assert ix.get(uow, ctx.actor, ids["done1"]).state == "done"
    assert ctx.errors == []  # type: ignore[attr-defined]


def test_delete_on_a_note_asks_before_removing_it(qtbot: QtBot, sqlite_db: Database) -> None:
    """Del on a note was "Only interactions can be cancelled"; a note is
    removed now, after a question (tests/ui/test_note_edit_ui.py)."""
    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"])
    asked: list[str] = []
    view.note_actions.confirm = lambda _title, text: asked.append(text) or False
    assert view.select("note", ids["note"])
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert asked == ["Remove the note “Prefers mornings”? It is deleted for everyone."]
    assert ("note", ids["note"]) in {(i.kind, i.id) for i in view.model.items()}
    assert not view.undo_bar.isVisible()


def test_double_click_opens_the_item(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"], size=(700, 500), exposed=True)
    row = view.model.row_of("interaction", ids["meeting"])
    assert row is not None
    rect = view.list.visualRect(view.model.index(row))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened: list[tuple[str, int]] = []
    view.item_activated.connect(lambda kind, object_id: opened.append((kind, object_id)))
    qtbot.mouseDClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [("interaction", ids["meeting"])]  # once, not once per signal
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    assert opened == [("interaction", ids["meeting"])] * 2


@pytest.mark.parametrize("key", ["overdue", "planned"])
def test_overdue_planned_rows_are_marked_red(qtbot: QtBot, sqlite_db: Database, key: str) -> None:
    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"], size=(700, 500), exposed=True)
    row = view.model.row_of("interaction", ids[key])
    assert row is not None
    index = view.model.index(row)
    assert view.model.data(index, FeedModel.OverdueRole) is (key == "overdue")
    image = view.list.viewport().grab().toImage()
    rect = view.list.visualRect(index)
    edge = QColor(image.pixel(1, rect.bottom() - 4))
    assert (edge == OVERDUE) is (key == "overdue")


def test_cancelled_rows_are_greyed_out(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"], size=(700, 900), exposed=True)
    image = view.list.viewport().grab().toImage()

    def badge_color(key: str) -> QColor:
        row = view.model.row_of("interaction", ids[key])
        assert row is not None
        rect = view.list.visualRect(view.model.index(row))
        body_center = rect.bottom() - (rect.height() - (HEADER if row == 0 else 0)) // 2
        return QColor(image.pixel(PAD_X + 5, body_center))

    assert badge_color("cancelled") == QColor(glyphs.MUTED)
    assert badge_color("done1") == glyphs.color_for("call")


def test_a_deal_feed_can_show_the_whole_client_history(qtbot: QtBot, sqlite_db: Database) -> None:
    from services.parties import deals

    ids = _client_with_feed(sqlite_db)
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deal = deals.add_deal(uow, actor, "Pilot", client_id=ids["client"])
        spec = ix.NewInteraction(type="meeting", deal_id=deal.id, start=NOW - dt.timedelta(days=1))
        in_deal = ix.create(uow, actor, spec, now=NOW).id
        uow.commit()
    view = FeedView(make_ctx(sqlite_db), FeedScope(deal_id=deal.id))
    qtbot.addWidget(view)
    view.show()
    assert view.filter_bar.whole_history.isVisible()
    assert [k[:2] for k in _keys(view.model)] == [("interaction", in_deal)]
    view.filter_bar.whole_history.setChecked(True)
    shown = {k[:2] for k in _keys(view.model)}
    assert ("interaction", in_deal) in shown
    assert ("interaction", ids["meeting"]) in shown
    assert len(shown) == 8
    view.filter_bar.whole_history.setChecked(False)
    assert [k[:2] for k in _keys(view.model)] == [("interaction", in_deal)]


def test_delete_in_the_feed_beats_a_window_shortcut(qtbot: QtBot, sqlite_db: Database) -> None:
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QMainWindow

    ids = _client_with_feed(sqlite_db)
    window = QMainWindow()
    qtbot.addWidget(window)
    fired: list[int] = []
    QShortcut(QKeySequence(Qt.Key.Key_Delete), window).activated.connect(lambda: fired.append(1))
    view = FeedView(make_ctx(sqlite_db), FeedScope(client_id=ids["client"]))
    window.setCentralWidget(view)
    window.show()
    qtbot.waitExposed(window)
    view.select("interaction", ids["done2"])
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert fired == []
    assert ("interaction", ids["done2"], "cancelled") in _keys(view.model)


def test_a_cancelled_row_does_not_strike_through_the_rows_painted_after_it(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"], size=(700, 900), exposed=True)
    delegate = view.list.itemDelegate()

    def paint(key: str) -> QImage:
        row = view.model.row_of("interaction", ids[key])
        assert row is not None
        index = view.model.index(row)
        option = QStyleOptionViewItem()
        view.list.initViewItemOption(option)
        option.rect = view.list.visualRect(index).translated(0, -view.list.visualRect(index).top())
        image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        delegate.paint(painter, option, index)
        painter.end()
        return image

    before = paint("done2")
    struck = paint("cancelled")
    after = paint("done2")
    assert after == before
    assert struck != before


def test_restoring_a_cancelled_call_asks_when_and_it_does_not_come_back_overdue(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    ids = _client_with_feed(sqlite_db)  # "cancelled" was due six days ago
    view = _shown_feed(qtbot, sqlite_db, ids["client"], size=(700, 900))
    row = view.model.row_of("interaction", ids["cancelled"])
    assert row is not None
    view.list.setCurrentIndex(view.model.index(row))
    view.restore_current()
    asked = view.when_dialog
    assert asked is not None
    assert asked.isVisible()
    assert asked.value() > dt.datetime.now()  # the default is ahead, not six days ago
    with sqlite_db.reader() as uow:
        assert ix.get(uow, bootstrap.actor_for(uow), ids["cancelled"]).state == "cancelled"
    asked.accept()
    with sqlite_db.reader() as uow:
        restored = ix.get(uow, bootstrap.actor_for(uow), ids["cancelled"])
    assert restored.state == "planned"
    assert restored.start.replace(tzinfo=None) == asked.value()
    assert restored.start > dt.datetime.now(dt.UTC)
    row = view.model.row_of("interaction", ids["cancelled"])
    assert row is not None
    assert view.model.data(view.model.index(row), FeedModel.OverdueRole) is False


def test_the_order_switch_shows_the_history_oldest_first_and_survives_clear(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"])
    newest = _history(view)
    assert newest[0] == ids["done1"]  # three days ago, the most recent

    view.filter_bar.oldest_first.setChecked(True)
    keys = _keys(view.model)
    assert [k[2] for k in keys[:2]] == ["planned", "planned"]  # the plan stays on top
    oldest = _history(view)
    assert oldest[0] == ids["cancelled"]  # six days ago
    assert sorted(oldest) == sorted(newest)
    assert oldest != newest
    assert not view.filter_bar.clear_button.isVisible()  # an order, not a filter

    view.filter_bar.set_checked_types(("call",))
    view.filter_bar.clear()
    assert view.filter_bar.oldest_first.isChecked()
    assert _history(view)[0] == ids["cancelled"]


def _history(view: FeedView) -> list[int]:
    """Interaction ids below the planned section, in the order shown."""
    return [i for k, i, state in _keys(view.model) if k == "interaction" and state != "planned"]


def test_the_filter_bar_does_not_move_under_the_cursor(qtbot: QtBot, sqlite_db: Database) -> None:
    ids = _client_with_feed(sqlite_db)
    view = _shown_feed(qtbot, sqlite_db, ids["client"], size=(760, 600), exposed=True)
    bar = view.filter_bar
    controls = (bar.search, bar.types_button, bar.owner, bar.since, bar.upcoming)
    before = [w.geometry() for w in controls]
    bar.upcoming.click()  # "Clear filters" appears
    assert bar.clear_button.isVisible()
    bar.set_checked_types(("call", "meeting"))  # the types button says "2 types"
    assert [w.geometry() for w in controls] == before
