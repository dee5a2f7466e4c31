"""The Inbound section against a real SQLite file: requests by state with
counters, a request's card (take, reassign, decline with a reason, link to a
card or a deal, undo a conversion), the original as plain text, tickets, and
the Inbound requests / Tickets tabs of a client's card."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.scheduler import LaneExecutor
from models import Deal, InboundRequest, SupportTicket
from services.core.scheduler import JobSpec
from services.core.storage import Database
from services.inbound import setup, telegram_poll
from services.inbound import use_cases as inbound
from services.jobs.registry import Scope
from services.parties import records as parties
from tests.conftest import Team
from tests.integration import inbound_helpers as h
from tests.telegram_server import TOKEN, FakeTelegramServer
from tests.ui.helpers import InlineLane, make_ctx
from ui.cards import CardWidget
from ui.dialogs.link_target import LinkTarget
from ui.inbound import texts
from ui.inbound.inbound_panel import TICKETS, InboundPanel
from ui.inbound.request_card import OriginalDialog
from ui.inbound.request_dialogs import DeclineDialog, ReasonsDialog, ReassignDialog
from ui.inbound.request_model import RequestModel
from ui.main_window import MainWindow
from ui.shell.preferences import Preferences

HOSTILE = '<img src="file:///etc/passwd"><b>Счёт</b>'


def _panel(qtbot: QtBot, db: Database, login: str | None = None) -> tuple[InboundPanel, Any]:
    ctx = make_ctx(db, login=login)
    panel = InboundPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    panel.refresh()
    return panel, ctx


def _row_of(panel: InboundPanel, request_id: int) -> int:
    row = panel.model.row_of(request_id)
    assert row is not None, f"request {request_id} is not in the {panel.state()} list"
    return row


def _processed(db: Database, source_id: int) -> None:
    inbound.process(db, source_id)


def test_requests_by_state_with_counters(qtbot: QtBot, sqlite_db: Database) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    queue = (h.user_id(sqlite_db, "anna"),)
    h.rule(sqlite_db, team.admin, source, name="Все", is_default=True, queue_user_ids=queue)
    for n in range(3):
        h.deliver(sqlite_db, source, f"Нужен прайс {n}", "Пришлите цены", email=f"c{n}@x.ru")
    h.deliver(sqlite_db, source, "Out of office", mark="auto_reply")
    _processed(sqlite_db, source)
    panel, _ctx = _panel(qtbot, sqlite_db)
    assert panel.counts == {"new": 0, "assigned": 3, "converted": 0, "rejected": 0}
    assert panel.tabs.tabText(1) == "Assigned (3)"
    assert panel.list_stack.currentWidget() is panel.empty
    assert "No new requests" in panel.empty.text()
    panel.set_state("assigned")
    assert panel.model.rowCount() == 3
    assert {panel.model.row_at(r).owner for r in range(3)} == {"Анна Смирнова"}  # type: ignore[union-attr]
    panel.marked.setChecked(True)
    panel.set_state("new")
    assert panel.model.rowCount() == 1  # the auto-reply: kept, shown only on request
    assert panel.model.row_at(0).mark == "auto_reply"  # type: ignore[union-attr]


def _team(db: Database) -> Team:
    from tests.conftest import make_team

    return make_team(db)


def test_take_a_role_request_then_reassign_and_decline(qtbot: QtBot, sqlite_db: Database) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    manager = h.role_id(sqlite_db, "Manager")
    h.rule(
        sqlite_db,
        team.admin,
        source,
        name="Роль",
        is_default=True,
        assign_mode="role",
        role_id=manager,
    )
    request_id = h.deliver(sqlite_db, source, "Хочу купить", "Позвоните мне")
    _processed(sqlite_db, source)
    panel, ctx = _panel(qtbot, sqlite_db, "anna")
    panel.table.selectRow(_row_of(panel, request_id))
    card = panel.card
    assert card.view is not None
    assert card.owner.text() == "Offered to the role Manager"
    assert card.take_button.isVisible()

    card.take()
    assert h.request(sqlite_db, request_id).owner_id == team.anna.id
    assert panel.message.message.text() == "The request is yours now"
    assert card.state.text() == "Assigned"
    assert not card.take_button.isVisible()
    assert panel.counts["assigned"] == 1

    card.choose_owner()
    dialog = card.dialog
    assert isinstance(dialog, ReassignDialog)
    assert "Борис Петров" in dialog.names()
    assert "Уволенный Сотрудник" not in dialog.names()  # deactivated: never offered
    assert "Анна Смирнова" not in dialog.names()  # the owner already
    dialog.choose("Борис Петров")
    dialog.accept()
    assert not ctx.errors
    assert h.request(sqlite_db, request_id).owner_id == team.boris.id
    assert card.owner.text() == "Борис Петров"
    assert not ctx.errors


def test_decline_with_a_reason_from_an_edited_list_and_reopen(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    request_id = h.deliver(sqlite_db, source, "Реклама SEO", "Раскрутим ваш сайт")
    _processed(sqlite_db, source)
    panel, ctx = _panel(qtbot, sqlite_db)
    panel.table.selectRow(_row_of(panel, request_id))
    card = panel.card
    card.choose_reason()
    dialog = card.dialog
    assert isinstance(dialog, DeclineDialog)
    assert dialog.edit_button.isVisible()  # the administrator may edit the list
    dialog.edit_reasons()
    editor = dialog.editor
    assert isinstance(editor, ReasonsDialog)
    editor.add("Advertising", "Реклама")
    editor.close()
    dialog.refresh()
    dialog.choose("Advertising")
    dialog.note.setText("спам, в чёрный список")
    dialog.accept()
    row = h.request(sqlite_db, request_id)
    assert row.state == "rejected"
    assert row.rejection_note == "спам, в чёрный список"
    assert card.state.text() == "Rejected"
    assert card.reason.text() == "Advertising: спам, в чёрный список"
    assert card.undo_button.text() == "Reopen"

    card.undo()
    assert h.request(sqlite_db, request_id).state in ("new", "assigned")
    assert not ctx.errors


def test_link_to_a_client_then_to_a_deal_and_undo(qtbot: QtBot, sqlite_db: Database) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, team.admin, "ООО Ёлка").id
        uow.commit()
    request_id = h.deliver(
        sqlite_db, source, "Повторный заказ", "Как в прошлый раз", email="zakaz@elka.example"
    )
    _processed(sqlite_db, source)
    panel, ctx = _panel(qtbot, sqlite_db)
    panel.table.selectRow(_row_of(panel, request_id))
    card = panel.card
    card.choose_link(deals=False)
    assert card.dialog is not None
    card.link(LinkTarget("client", client, "ООО Ёлка"))
    assert h.request(sqlite_db, request_id).client_id == client
    assert card.open_client.isVisible()
    opened: list[tuple[str, int]] = []
    panel.open_requested.connect(lambda kind, ident: opened.append((kind, ident)))
    card.open_client.click()
    assert opened == [("client", client)]

    with sqlite_db.uow() as uow:
        deal = Deal(
            title="Поставка ёлок",
            client_id=client,
            owner_id=team.admin.id,
            pipeline_id=1,
            stage_id=_first_stage(uow),
        )
        uow.session.add(deal)
        uow.session.flush()
        deal_id = deal.id
        uow.commit()
    card.link(LinkTarget("deal", deal_id, "Поставка ёлок"))
    row = h.request(sqlite_db, request_id)
    assert (row.state, row.deal_id) == ("converted", deal_id)
    assert card.undo_button.isVisible()
    assert card.undo_button.text() == "Undo conversion"
    card.undo()
    row = h.request(sqlite_db, request_id)
    assert row.deal_id is None
    assert row.state in ("new", "assigned")
    with sqlite_db.reader() as uow:
        assert uow.session.get(Deal, deal_id) is not None  # attached, not made: it stays
    assert not ctx.errors


def _first_stage(uow: Any) -> int:
    from models import Stage

    found = uow.session.scalar(
        select(Stage.id).where(Stage.pipeline_id == 1).order_by(Stage.position)
    )
    assert found is not None
    return int(found)


def test_hostile_text_shows_as_text_and_the_original_opens(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    request_id = h.deliver(
        sqlite_db,
        source,
        HOSTILE,
        HOSTILE + "\n<script>x()</script>",
        name='<a href="file:///">Ева</a>',
    )
    _processed(sqlite_db, source)
    panel, _ctx = _panel(qtbot, sqlite_db)
    panel.table.selectRow(_row_of(panel, request_id))
    card = panel.card
    for label in (card.subject, card.sender_label, card.why):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert card.subject.text() == HOSTILE
    assert card.sender_label.text().startswith('<a href="file:///">Ева</a>')
    assert card.body.toPlainText().startswith(HOSTILE)
    tip = panel.model.data(panel.model.index(0, panel.model.SUBJECT), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img" in tip  # escaped inside explicit rich text: shown, never loaded
    card.open_original()
    dialog = card.dialog
    assert isinstance(dialog, OriginalDialog)
    assert dialog.text.toPlainText().startswith(HOSTILE)


def test_what_the_rule_did_and_why_reads_in_words(qtbot: QtBot, sqlite_db: Database) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    anna = h.user_id(sqlite_db, "anna")
    h.rule(
        sqlite_db,
        team.admin,
        source,
        name="Поддержка",
        keywords="не работает; сломался",
        action="ticket",
        queue_user_ids=(anna,),
    )
    request_id = h.deliver(sqlite_db, source, "Кондиционер СЛОМАЛСЯ", "Помогите")
    _processed(sqlite_db, source)
    panel, _ctx = _panel(qtbot, sqlite_db)
    panel.set_state("converted")
    panel.table.selectRow(_row_of(panel, request_id))
    card = panel.card
    why = card.why.text()
    assert "Rule “Поддержка” applied: the text contains “сломался”." in why
    assert "the round-robin queue" in why
    assert "a new support ticket" in why
    assert card.open_ticket.isVisible()
    card.open_ticket.click()
    assert panel.state() == TICKETS
    ticket = panel.tickets.card.ticket
    assert ticket is not None
    assert ticket.subject.casefold().startswith("кондиционер")
    panel.tickets.card.state.setCurrentIndex(panel.tickets.card.state.findData("closed"))
    panel.tickets.card.state.activated.emit(panel.tickets.card.state.currentIndex())
    with sqlite_db.reader() as uow:
        assert uow.session.get(SupportTicket, ticket.id).state == "closed"  # type: ignore[union-attr]
    feed = [panel.tickets.card.feed.item(r).text() for r in range(panel.tickets.card.feed.count())]
    assert any("ticket closed" in line for line in feed)
    assert any("request from" in line for line in feed)


def test_client_card_has_requests_and_tickets_tabs(qtbot: QtBot, sqlite_db: Database) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    with sqlite_db.uow() as uow:
        client = parties.add_client(
            uow, team.admin, "ООО Снежинка", emails=["info@snow.example"]
        ).id
        uow.commit()
    h.rule(
        sqlite_db,
        team.admin,
        source,
        name="Тикеты",
        is_default=True,
        action="ticket",
        queue_user_ids=(team.admin.id,),
    )
    h.deliver(sqlite_db, source, "Сломался", "Ничего не работает", email="info@snow.example")
    _processed(sqlite_db, source)
    ctx = make_ctx(sqlite_db)
    card = CardWidget(ctx, "client", client)
    qtbot.addWidget(card)
    card.show()
    card.tabs.setCurrentWidget(card.requests_tab)
    assert card.requests_tab.row_count() == 1
    card.tabs.setCurrentWidget(card.tickets_tab)
    assert card.tickets_tab.row_count() == 1
    activated: list[tuple[str, int]] = []
    card.inbound_activated.connect(lambda what, ident: activated.append((what, ident)))
    item = card.tickets_tab.tree.topLevelItem(0)
    card.tickets_tab.tree.itemActivated.emit(item, 0)
    assert activated[0][0] == "ticket"


def test_main_window_shows_the_inbound_section_with_its_counter(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    h.deliver(sqlite_db, source, "Вопрос 1")
    h.deliver(sqlite_db, source, "Вопрос 2")
    _processed(sqlite_db, source)
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(window)
    item = window.navigation.item_for("inbound")
    assert item is not None
    # The section is built just after the client list (issue #16), its count then.
    qtbot.waitUntil(lambda: item.text() == "Inbound  (2)", timeout=60_000)
    window.navigation.select("inbound")
    assert window.workspace.sections.currentWidget() is window.inbound
    assert window.inbound.model.rowCount() == 2


def test_requests_page_in_from_the_database(qtbot: QtBot, sqlite_db: Database) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    for n in range(7):
        h.deliver(sqlite_db, source, f"Запрос {n}")
    _processed(sqlite_db, source)
    ctx = make_ctx(sqlite_db)
    panel = InboundPanel(ctx)
    qtbot.addWidget(panel)
    panel.model.page_size = 3
    panel.refresh()
    assert panel.model.rowCount() == 3
    while panel.model.canFetchMore():
        panel.model.fetchMore()
    subjects = [panel.model.row_at(r).subject for r in range(panel.model.rowCount())]  # type: ignore[union-attr]
    assert subjects == [f"Запрос {n}" for n in reversed(range(7))]
    with sqlite_db.reader() as uow:
        assert len(list(uow.session.scalars(select(InboundRequest.id)))) == 7


def test_the_request_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, sqlite_db: Database
) -> None:
    team = _team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    for n in range(5):
        h.deliver(sqlite_db, source, f"Запрос {n}", email=f"k{n}@x.ru")
    _processed(sqlite_db, source)
    model = RequestModel(make_ctx(sqlite_db), page_size=2)
    model.refresh()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 5
    qtmodeltester.check(model)


def test_a_background_telegram_poll_shows_in_the_open_inbound_view(
    qtbot: QtBot, sqlite_db: Database, telegram: FakeTelegramServer
) -> None:
    """The scheduler's Telegram job runs on a lane; what it stored reaches the
    change bus (the history does not record requests) and the view reloads."""
    team = _team(sqlite_db)
    source = setup.add_source(
        sqlite_db, team.admin, "telegram", "Бот", api_base=telegram.url
    ).value.id
    telegram_poll.set_token(sqlite_db, team.admin, source, TOKEN)
    panel, ctx = _panel(qtbot, sqlite_db)
    assert panel.model.rowCount() == 0
    executor = LaneExecutor(
        sqlite_db, InlineLane(), Scope(actor=ctx.actor), lambda: dt.datetime.now(dt.UTC), ctx.bus
    )
    telegram.send("Здравствуйте! Нужна консультация по поставке")
    executor.run_job(JobSpec(f"telegram:{source}", "telegram", "write", None))
    assert panel.counts["new"] == 1
    assert panel.model.rowCount() == 1
    assert panel.model.row_at(0).body == "Здравствуйте! Нужна консультация по поставке"  # type: ignore[union-attr]
    assert not ctx.errors


def test_the_rules_story_names_the_card_in_words(qtbot: QtBot) -> None:
    why = {"rule": "Продажи", "matched": ["счет"], "party": "client 5 (ООО «Ёлка»)",
           "assigned": "client_owner", "effect": "deal_attached"}  # fmt: skip
    assert texts.why_lines(why) == [
        "Rule “Продажи” applied: the text contains “счет”.",
        "The sender was found on the client ООО «Ёлка».",
        "Assigned to the owner of the sender's card.",
        "Result: attached to an open deal.",
    ]
    assert texts.party_label("lead 7 (Иван (ИП))") == "the lead “Иван (ИП)”"  # English quotes
    assert texts.party_label("something else") == "something else"
