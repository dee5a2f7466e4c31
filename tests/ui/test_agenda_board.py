"""My agenda (complete, reschedule, the next-step rule, mentions) and the
deal board (a drag moves the deal; a refused move snaps back)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.interactions import actions as interactions
from services.interactions import notes
from services.parties import deals
from services.parties import records as parties
from tests.ui.test_main_window import make_ctx
from ui.agenda.agenda_panel import AgendaPanel
from ui.deals.board_panel import BoardPanel
from ui.deals.deal_list import MIME
from ui.dialogs import NextStepDialog
from ui.shell import formatting

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def plan(
    db: Database,
    *,
    days: float,
    subject: str,
    deal_id: int | None = None,
    client_id: int | None = None,
) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        view = interactions.create(
            uow,
            actor,
            interactions.NewInteraction(
                type="call",
                planned=True,
                start=NOW + dt.timedelta(days=days),
                subject=subject,
                client_id=client_id,
                deal_id=deal_id,
            ),
        )
        uow.commit()
    return view.id


def add_client(db: Database, name: str = "ООО «Ромашка»") -> int:
    with db.uow() as uow:
        client = parties.add_client(uow, bootstrap.actor_for(uow), name).id
        uow.commit()
    return client


def state_of(db: Database, interaction_id: int) -> Any:
    with db.reader() as uow:
        return interactions.get(uow, bootstrap.actor_for(uow), interaction_id)


@pytest.fixture
def errors() -> list[BaseException]:
    return []


@pytest.fixture
def agenda(qtbot: QtBot, sqlite_db: Database, errors: list[BaseException]) -> AgendaPanel:
    panel = AgendaPanel(make_ctx(sqlite_db, errors))
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    return panel


def section_titles(panel: AgendaPanel) -> list[str]:
    tree = panel.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]  # type: ignore[union-attr]


def test_the_agenda_sorts_planned_work_into_sections(
    agenda: AgendaPanel, sqlite_db: Database
) -> None:
    client = add_client(sqlite_db)
    plan(sqlite_db, days=-1, subject="Перезвонить по КП", client_id=client)
    plan(sqlite_db, days=12, subject="Встреча в офисе", client_id=client)
    agenda.refresh()
    assert section_titles(agenda) == ["Overdue · 1", "Later · 1"]
    assert agenda.selected_item() is not None
    assert agenda.selected_item().subject == "Перезвонить по КП"  # type: ignore[union-attr]
    assert agenda.heading.text().startswith("My agenda")


def test_the_agenda_shows_the_users_time_with_the_clients_beside_it(
    agenda: AgendaPanel, sqlite_db: Database
) -> None:
    from services.core import settings

    day = (NOW + dt.timedelta(days=30)).date()
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        settings.put(uow, "default_timezone", "Europe/Moscow")
        almaty = parties.add_client(uow, actor, "ТОО «Алатау»", timezone="Asia/Almaty").id
        moscow = parties.add_client(uow, actor, "ООО «Ромашка»", timezone="Europe/Moscow").id
        for client, hour, zone in ((moscow, 9, "Europe/Moscow"), (almaty, 10, "Asia/Almaty")):
            spec = interactions.NewInteraction(
                type="call",
                planned=True,
                start=dt.datetime.combine(day, dt.time(hour)),
                tz=zone,
                subject=f"Звонок {hour}:00",
                client_id=client,
            )
            interactions.create(uow, actor, spec)
        uow.commit()
    agenda.refresh()
    group = agenda.tree.topLevelItem(0)
    assert group is not None
    rows = [group.child(i) for i in range(group.childCount())]
    texts = [(row.text(2), row.text(0)) for row in rows if row is not None]
    moscow_clock = dt.datetime.combine(day, dt.time(8))  # 10:00 in Almaty (UTC+5)
    assert texts == [
        (
            "Звонок 10:00",
            formatting.date_time(moscow_clock, to_local=False)
            + " ("
            + formatting.time(dt.datetime.combine(day, dt.time(10)))
            + " Almaty)",
        ),
        ("Звонок 9:00", formatting.date_time(dt.datetime.combine(day, dt.time(9)), to_local=False)),
    ]


def test_done_completes_in_place(agenda: AgendaPanel, sqlite_db: Database) -> None:
    client = add_client(sqlite_db)
    overdue = plan(sqlite_db, days=-1, subject="Перезвонить", client_id=client)
    agenda.refresh()
    assert agenda.select_interaction(overdue)
    agenda.done_button.click()
    assert state_of(sqlite_db, overdue).state == "done"
    assert section_titles(agenda) == []
    assert agenda.empty.isVisible()


def test_done_on_a_call_planned_for_later_asks_when_it_happened(
    agenda: AgendaPanel, sqlite_db: Database
) -> None:
    client = add_client(sqlite_db)
    later = plan(sqlite_db, days=2, subject="Презентация", client_id=client)
    agenda.refresh()
    assert agenda.select_interaction(later)
    agenda.done_button.click()
    assert state_of(sqlite_db, later).state == "planned"  # nothing until answered
    dialog = agenda.dialog
    assert dialog.isVisible()
    assert dialog.windowTitle() == "When did it happen?"
    asked_at = dt.datetime.now(dt.UTC)
    dialog.accept()  # the default: now
    done = state_of(sqlite_db, later)
    assert done.state == "done"
    assert abs(done.start.astimezone(dt.UTC) - asked_at) < dt.timedelta(minutes=2)


def test_reschedule_moves_to_the_chosen_time(agenda: AgendaPanel, sqlite_db: Database) -> None:
    client = add_client(sqlite_db)
    later = plan(sqlite_db, days=12, subject="Встреча", client_id=client)
    agenda.refresh()
    assert agenda.select_interaction(later)
    when = (NOW + dt.timedelta(days=20)).replace(hour=15, minute=30, tzinfo=None, second=0)
    agenda.reschedule(later, when)
    moved = state_of(sqlite_db, later)
    assert moved.start.replace(tzinfo=None) == when
    assert moved.state == "planned"


def test_tomorrow_morning_keeps_the_time_of_day(agenda: AgendaPanel, sqlite_db: Database) -> None:
    client = add_client(sqlite_db)
    overdue = plan(sqlite_db, days=-2, subject="Счёт", client_id=client)
    before = state_of(sqlite_db, overdue).start
    agenda.refresh()
    agenda.select_interaction(overdue)
    agenda._move_selected(1)
    after = state_of(sqlite_db, overdue).start
    assert after.date() > dt.date.today()
    assert after.weekday() < 5
    assert (after.hour, after.minute) == (before.hour, before.minute)


def test_completing_the_last_step_of_a_strict_deal_asks_for_the_next(
    agenda: AgendaPanel, sqlite_db: Database
) -> None:
    client = add_client(sqlite_db)
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        pipeline = deals.add_pipeline(
            uow, actor, "Проекты", ["Старт", "Итог:won"], requires_planned=True
        )
        deal = deals.add_deal(uow, actor, "Внедрение", client_id=client, pipeline=pipeline).id
        step = interactions.create(
            uow,
            actor,
            interactions.NewInteraction(
                type="call", planned=True, start=NOW + dt.timedelta(days=-1), deal_id=deal
            ),
        ).id
        uow.commit()
    agenda.refresh()
    agenda.select_interaction(step)
    agenda.done_button.click()
    assert state_of(sqlite_db, step).state == "planned"  # refused: nothing saved
    assert isinstance(agenda.dialog, NextStepDialog)
    agenda.dialog.collected.emit(
        interactions.NewInteraction(type="meeting", planned=True, start=NOW + dt.timedelta(days=3))
    )
    assert state_of(sqlite_db, step).state == "done"
    titles = section_titles(agenda)
    assert len(titles) == 1
    assert titles[0].endswith("· 1")


def test_mentions_are_listed_and_open_the_card(
    qtbot: QtBot, agenda: AgendaPanel, sqlite_db: Database
) -> None:
    client = add_client(sqlite_db)
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        notes.add_note(uow, actor, "client", client, f"@{actor.login} подготовь договор")
        uow.commit()
    agenda.refresh()
    entry = agenda.mentions.item(0)
    assert entry is not None
    assert "подготовь договор" in entry.text()
    with qtbot.waitSignal(agenda.open_requested) as opened:
        agenda.mentions.itemActivated.emit(entry)
    assert opened.args[:2] == ["client", client]


# --- the deal board ---------------------------------------------------------


@pytest.fixture
def board(qtbot: QtBot, sqlite_db: Database, errors: list[BaseException]) -> BoardPanel:
    panel = BoardPanel(make_ctx(sqlite_db, errors))
    qtbot.addWidget(panel)
    panel.resize(1300, 700)
    panel.show()
    return panel


def new_deal(db: Database, title: str, **kwargs: Any) -> int:
    client = add_client(db)
    with db.uow() as uow:
        deal = deals.add_deal(uow, bootstrap.actor_for(uow), title, client_id=client, **kwargs).id
        uow.commit()
    return deal


def stage_of(db: Database, deal_id: int) -> str:
    with db.reader() as uow:
        return deals.get(uow, bootstrap.actor_for(uow), deal_id).stage


def column_names(board: BoardPanel) -> list[str]:
    return [c.title.text() for c in board.columns]


def test_the_board_has_a_column_per_stage(board: BoardPanel, sqlite_db: Database) -> None:
    deal = new_deal(sqlite_db, "Поставка оборудования", amount="1200000")
    board.refresh()
    assert column_names(board) == ["Qualification", "Proposal", "Negotiation", "Won", "Lost"]
    first = board.columns[0]
    assert [c.id for c in first.list.cards()] == [deal]
    assert first.summary.text().startswith("1 deal")
    assert board.pipeline.currentText() == "Sales"


def test_the_board_sums_amounts_per_currency(board: BoardPanel, sqlite_db: Database) -> None:
    new_deal(sqlite_db, "Поставка оборудования", amount="1200000", currency="RUB")
    new_deal(sqlite_db, "Лицензии", amount="300", currency="USD")
    new_deal(sqlite_db, "Обучение", amount="200", currency="RUB")
    new_deal(sqlite_db, "Консалтинг", amount="50", currency="EUR")
    board.refresh()
    summary = board.columns[0].summary.text()
    totals = board.totals.text()
    for text in (summary, totals):
        assert formatting.money(Decimal("1200200"), "RUB") in text
        assert "300 $" in text
        assert "50 €" in text
        assert "1200550" not in text  # no mixed total


def test_dropping_a_card_on_a_column_moves_the_deal(board: BoardPanel, sqlite_db: Database) -> None:
    deal = new_deal(sqlite_db, "Поставка оборудования")
    board.refresh()
    target = board.columns[1].list
    data = QMimeData()
    data.setData(MIME, QByteArray(str(deal).encode()))
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.MoveAction | Qt.DropAction.CopyAction,  # what a DealList drag offers
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    target.dropEvent(event)
    assert event.dropAction() == Qt.DropAction.CopyAction  # the source keeps nothing to delete
    assert stage_of(sqlite_db, deal) == "Proposal"
    assert [c.id for c in target.cards()] == [deal]
    assert board.columns[0].list.count() == 0


def test_a_refused_move_shows_why_and_snaps_back(
    board: BoardPanel, sqlite_db: Database, errors: list[BaseException]
) -> None:
    with sqlite_db.uow() as uow:
        pipeline = deals.add_pipeline(
            uow,
            bootstrap.actor_for(uow),
            "Проекты",
            ["Старт", "Работа", "Итог:won"],
            requires_planned=True,
        )
        uow.commit()
    deal = new_deal(sqlite_db, "Внедрение CRM", pipeline=pipeline, stage="Итог")
    board.refresh()
    board.pipeline.setCurrentIndex(board.pipeline.findData(pipeline))
    board.pipeline.activated.emit(board.pipeline.currentIndex())
    assert column_names(board) == ["Старт", "Работа", "Итог"]
    won, start = board.columns[2], board.columns[0]
    board.move_deal(deal, start.stage_id)
    assert stage_of(sqlite_db, deal) == "Итог"
    assert [c.id for c in won.list.cards()] == [deal]
    assert start.list.count() == 0
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "planned interaction" in str(errors[0])


def test_a_card_opens_its_deal(qtbot: QtBot, board: BoardPanel, sqlite_db: Database) -> None:
    deal = new_deal(sqlite_db, "Аренда техники")
    board.refresh()
    item = board.columns[0].list.item(0)
    with qtbot.waitSignal(board.open_requested) as opened:
        board.columns[0].list.itemActivated.emit(item)
    assert opened.args == ["deal", deal, "Аренда техники"]


def test_work_planned_elsewhere_shows_in_the_open_agenda(
    agenda: AgendaPanel, sqlite_db: Database
) -> None:
    from services.interactions import use_cases

    client = add_client(sqlite_db)
    plan(sqlite_db, days=-1, subject="Перезвонить по КП", client_id=client)
    agenda.refresh()
    assert section_titles(agenda) == ["Overdue · 1"]
    planned = use_cases.log_interaction(
        sqlite_db,
        agenda._ctx.actor,
        interactions.NewInteraction(
            type="meeting",
            planned=True,
            start=NOW + dt.timedelta(days=12),
            subject="Встреча в офисе",
            client_id=client,
        ),
    )
    agenda._ctx.bus.deliver(planned)  # as the task runner or a background job does
    assert section_titles(agenda) == ["Overdue · 1", "Later · 1"]


def test_a_deal_moved_elsewhere_moves_on_the_open_board(
    board: BoardPanel, sqlite_db: Database
) -> None:
    from services.parties import use_cases

    client = add_client(sqlite_db)
    with sqlite_db.uow() as uow:
        deal = deals.add_deal(uow, bootstrap.actor_for(uow), "Поставка КАМАЗов", client_id=client)
        uow.commit()
    board.refresh()
    before = [c.total for c in board.columns]
    moved = use_cases.move_deal(sqlite_db, board._ctx.actor, deal.id, "Proposal")
    board._ctx.bus.deliver(moved)
    after = [c.total for c in board.columns]
    assert after != before
    assert board.column_of_deal(deal.id) is board.columns[1]
