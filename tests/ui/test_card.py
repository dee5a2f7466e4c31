"""The card: header with the client's local time and one-click contacts,
tabs, the quick block and memo, indicators that can be hidden, Ctrl+N."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from services.core import bootstrap, settings
from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import deals
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from ui.cards import CardWidget
from ui.cards import indicators as card_indicators
from ui.dialogs import ComposeDialog, InteractionDialog

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def _client(db: Database, *, zone: str = "Asia/Almaty") -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        settings.put(uow, "default_timezone", "Europe/Moscow")
        client = parties.add_client(
            uow,
            actor,
            "Kaspi Logistics",
            timezone=zone,
            phones=["+7 701 555 12 34"],
            emails=["office@kaspi-logistics.kz"],
        )
        parties.add_contact(uow, actor, "Aigerim Nurlanovna", client_id=client.id, position="CFO")
        deals.add_deal(uow, actor, "Fleet tracking", client_id=client.id, amount="1250000")
        for days in (3, 40):
            ix.create(
                uow,
                actor,
                ix.NewInteraction(
                    type="call", client_id=client.id, start=NOW - dt.timedelta(days=days)
                ),
                now=NOW,
            )
        ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type="meeting",
                planned=True,
                client_id=client.id,
                start=NOW + dt.timedelta(days=2),
                subject="Contract signing",
            ),
            now=NOW,
        )
        uow.commit()
        return client.id


def _card(qtbot: QtBot, ctx: Any, kind: str, object_id: int, **kw: Any) -> CardWidget:
    card = CardWidget(ctx, kind, object_id, **kw)
    qtbot.addWidget(card)
    card.resize(1300, 850)
    card.show()
    return card


def test_the_header_shows_the_clients_local_time_and_keeps_it_current(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    clock = Clock(dt.datetime(2031, 6, 3, 7, 5, 30, tzinfo=dt.UTC))
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings, clock=clock)
    header = card.header
    assert header.name.text() == "Kaspi Logistics"
    assert "Owner:" in header.subtitle.text()
    assert header.local_time.isVisible()
    assert header.local_time.text() == "12:05 local time in Almaty"
    # the label wakes at the start of the next minute (30 s away here)
    assert 0 < header._minute.remainingTime() <= 30_000
    clock.now += dt.timedelta(minutes=1)
    header._on_minute_timeout()
    assert header.local_time.text() == "12:06 local time in Almaty"


def test_phones_call_and_emails_write(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    card = _card(qtbot, ctx, "client", client_id, settings=ui_settings)
    opened: list[str] = []
    card.open_url = lambda url: opened.append(url.toString())  # type: ignore[method-assign]
    assert [b.text() for b in card.header.phone_buttons] == ["+7 701 555 1234"]
    card.header.phone_buttons[0].click()
    card.header.email_buttons[0].click()  # no mailbox linked: the system's mail program
    assert opened == ["tel:+77015551234", "mailto:office@kaspi-logistics.kz"]


def test_a_softphone_command_gets_the_number(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    with sqlite_db.uow() as uow:
        settings.put(uow, "softphone_command", "microsip --call {number}")
        uow.commit()
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings)
    started: list[tuple[str, list[str]]] = []
    card.start_detached = lambda program, args: started.append((program, args))  # type: ignore[method-assign]
    card.open_url = lambda url: pytest.fail(f"opened {url}")  # type: ignore[method-assign]
    card.header.phone_buttons[0].click()
    assert started == [("microsip", ["--call", "+77015551234"])]


def test_a_phone_nothing_can_open_says_so_and_offers_the_softphone_command(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    from ui.cards.softphone_dialog import SoftphoneDialog

    client_id = _client(sqlite_db)
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings)
    card.open_url = lambda _url: False  # type: ignore[method-assign]  # no tel: handler
    started: list[tuple[str, list[str]]] = []
    card.start_detached = lambda program, args: started.append((program, args))  # type: ignore[method-assign]
    card.header.phone_buttons[0].click()
    dialog = card.dialog
    assert isinstance(dialog, SoftphoneDialog)
    assert dialog.isVisible()
    assert "No program on this computer opens phone links" in dialog.message.text()
    dialog.command.setText("microsip")  # no {number}: refused, in place
    dialog.save_button.click()
    assert "{number}" in dialog.hint.text()
    assert dialog.isVisible()
    dialog.command.setText("microsip --call {number}")
    dialog.save_button.click()
    assert started == [("microsip", ["--call", "+77015551234"])]
    with sqlite_db.reader() as uow:
        assert settings.get(uow, "softphone_command") == "microsip --call {number}"


def test_an_email_opens_compose_and_queues_the_letter_when_the_user_has_a_mailbox(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    from services.mail import accounts, outbox

    client_id = _client(sqlite_db)
    with sqlite_db.uow() as uow:
        accounts.add(
            uow,
            bootstrap.actor_for(uow),
            accounts.AccountSpec(
                email="me@example.com",
                display_name="Me",
                imap_host="imap.example.com",
                smtp_host="smtp.example.com",
            ),
            "secret",
            None,
        )
        uow.commit()
    ctx = make_ctx(sqlite_db)
    card = _card(qtbot, ctx, "client", client_id, settings=ui_settings)
    card.open_url = lambda url: pytest.fail(f"opened {url}")  # type: ignore[method-assign]
    card.header.email_buttons[0].click()
    dialog = card.dialog
    assert isinstance(dialog, ComposeDialog)  # a child of the card, gone when closed
    assert dialog.to.text() == "office@kaspi-logistics.kz"
    assert dialog.account.currentText() == "Me <me@example.com>"
    dialog.subject.setText("Tariffs for Q3")
    dialog.body.setPlainText("Please find the tariffs below.")
    dialog.later_radio.setChecked(True)
    assert dialog.send_button.text() == "Schedule"
    before = len(card.feed.model.items())
    with qtbot.waitSignal(dialog.queued) as queued:
        dialog.send_button.click()
    letter = queued.args[0]
    assert (letter.state, letter.to, letter.subject) == (
        "queued",
        ("office@kaspi-logistics.kz",),
        "Tariffs for Q3",
    )
    assert letter.send_at > NOW
    with sqlite_db.reader() as uow:
        assert [i.id for i in outbox.list_items(uow, ctx.actor)] == [letter.id]
    planned = [i for i in card.feed.model.items() if i.type == "email"]
    assert [(i.state, i.title) for i in planned] == [("planned", "Tariffs for Q3")]
    assert len(card.feed.model.items()) == before + 1


def test_tabs_list_deals_and_contacts(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings)
    tabs = [card.tabs.tabText(i) for i in range(card.tabs.count())]
    assert tabs == [
        "Feed",
        "Deals (1)",
        "Contacts (1)",
        "Inbound requests",
        "Tickets",
        "Attachments",
        "History",
    ]
    assert card.deals_tab.row_count() == 1
    assert card.deals_tab.tree.topLevelItem(0).text(0) == "Fleet tracking"
    assert card.contacts_tab.tree.topLevelItem(0).text(0) == "Aigerim Nurlanovna"
    with qtbot.waitSignal(card.contact_activated) as opened:
        item = card.contacts_tab.tree.topLevelItem(0)
        card.contacts_tab.tree.itemActivated.emit(item, 0)
    assert opened.args == [card.data.contacts[0].id]  # type: ignore[union-attr]


def test_the_history_tab_shows_card_changes_only(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings)
    card.tabs.setCurrentWidget(card.history_box)
    history = card.history
    assert history is not None
    kinds = {i.kind for i in history.model.items()}
    assert kinds == {"change"}
    assert not history.filter_bar.isVisible()


def test_the_indicators_panel_shows_dashes_when_they_cannot_be_read(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.core.errors import UserError
    from services.feed import indicators as service

    def unreadable(*_args: Any, **_kw: Any) -> Any:
        raise UserError("The indicators cannot be read now")

    client_id = _client(sqlite_db)
    monkeypatch.setattr(service, "indicators", unreadable)
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings)
    for name in card_indicators.NAMES:
        assert card.indicators.text_of(name) == "—"


def test_the_indicators_panel_shows_what_the_service_reports(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    pytest.importorskip("services.feed.indicators")
    client_id = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    card = _card(qtbot, ctx, "client", client_id, settings=ui_settings)
    assert ctx.errors == []  # type: ignore[attr-defined]
    panel = card.indicators
    assert panel.text_of("last_contact") == "3 day(s) ago"
    assert "Meeting" in panel.detail_labels["next_planned"].text()
    assert panel.text_of("open_deals") == "1"
    assert "1250000" in panel.detail_labels["open_deals"].text().replace(" ", "").replace(
        "\u00a0", ""
    ).replace(",", "")
    assert panel.text_of("per_month") == "2"


def test_hidden_indicators_stay_hidden_on_the_next_card(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    card = _card(qtbot, ctx, "client", client_id, settings=ui_settings)
    menu = card.indicators._fill_menu()
    per_month = next(a for a in menu.actions() if a.text() == "Interactions per month")
    per_month.setChecked(False)
    assert not card.indicators.rows["per_month"].isVisible()
    other = _card(qtbot, ctx, "client", client_id, settings=ui_settings)
    assert not other.indicators.is_shown("per_month")
    assert not other.indicators.rows["per_month"].isVisible()
    assert other.indicators.rows["last_contact"].isVisible()


def test_ctrl_n_logs_an_interaction_for_this_card(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    window = QMainWindow()
    qtbot.addWidget(window)
    fired: list[str] = []
    # the main window has its own Ctrl+N; inside a card the card's wins
    QShortcut(QKeySequence("Ctrl+N"), window).activated.connect(lambda: fired.append("window"))
    card = CardWidget(ctx, "client", client_id, settings=ui_settings)
    window.setCentralWidget(card)
    window.show()
    qtbot.waitExposed(window)
    card.feed.list.setFocus()
    qtbot.keyClick(card.feed.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = card.dialog
    assert isinstance(dialog, InteractionDialog)  # a child of the card, gone when closed
    assert fired == []
    assert dialog.party is not None
    assert dialog.party.id == client_id
    before = len(card.feed.model.items())
    dialog.planned.setChecked(False)
    with qtbot.waitSignal(dialog.saved):
        dialog.ok_button.click()
    assert len(card.feed.model.items()) == before + 1


def test_a_contact_card_plans_with_that_contact_ticked(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    with sqlite_db.reader() as uow:
        contact = parties.get_client(uow, ctx.actor, client_id).contacts[0]
    card = _card(qtbot, ctx, "contact", contact.id, settings=ui_settings)
    assert card.header.name.text() == "Aigerim Nurlanovna"
    assert "Kaspi Logistics" in card.header.subtitle.text()
    assert card.tabs.indexOf(card.contacts_tab) == -1
    dialog = card.new_interaction()
    assert dialog.checked_contacts() == (contact.id,)
    with qtbot.waitSignal(card.party_activated) as opened:
        card.header.subtitle.linkActivated.emit(f"party:client:{client_id}")
    assert opened.args == ["client", client_id]


def test_a_note_and_a_task_from_the_quick_block_land_in_the_feed(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    card = _card(qtbot, ctx, "client", client_id, settings=ui_settings)
    quick = card.quick
    assert not quick.sms_tab.isEnabled()
    assert quick.sms_tab.toolTip() == "Configure an SMS provider in Settings"
    quick.note_edit.setPlainText(f"Ask @{ctx.actor.login} about the discount")
    assert "Mention" in quick.note_hint.text() or "agenda" in quick.note_hint.text()
    quick.note_button.click()
    assert quick.note_edit.toPlainText() == ""
    notes_in_feed = [i for i in card.feed.model.items() if i.kind == "note"]
    assert [n.text for n in notes_in_feed] == [f"Ask @{ctx.actor.login} about the discount"]

    quick.task_tab.click()
    quick.task_title.setText("Send the price list")
    quick.task_button.click()
    tasks = [i for i in card.feed.model.items() if i.kind == "task"]
    assert [(t.title, t.state) for t in tasks] == [("Send the price list", "planned")]


def test_a_mention_of_nobody_is_explained(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    client_id = _client(sqlite_db)
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings)
    quick = card.quick
    quick.note_edit.setFocus()
    qtbot.keyClicks(quick.note_edit, "Ask @nobody-here")
    assert quick.note_hint.level == "warning"
    quick.note_button.click()
    assert quick.note_hint.is_error
    assert "nobody-here" in quick.note_hint.text()
    assert quick.note_edit.toPlainText() == "Ask @nobody-here"


def test_the_memo_is_edited_in_place(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    from sqlalchemy import select

    from models import Memo

    client_id = _client(sqlite_db)
    card = _card(qtbot, make_ctx(sqlite_db), "client", client_id, settings=ui_settings)
    memo = card.memo
    assert "Click Edit to write" in memo.view.text()
    memo.edit_button.click()
    assert memo.editor.isVisible()
    assert not memo.view.isVisible()
    memo.editor.setPlainText("Decides only after a call with the CFO")
    memo.save_button.click()
    assert memo.view.isVisible()
    assert memo.view.text() == "Decides only after a call with the CFO"
    memo.edit_button.click()
    memo.editor.setPlainText("Decides with the CFO; budget in Q3")
    memo.save_button.click()
    with sqlite_db.reader() as uow:
        bodies = list(uow.session.scalars(select(Memo.body)))
    assert bodies == ["Decides with the CFO; budget in Q3"]


def test_a_new_client_card_shows_what_to_do(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, bootstrap.actor_for(uow), "Brand New LLC")
        uow.commit()
    card = _card(qtbot, make_ctx(sqlite_db), "client", client.id, settings=ui_settings)
    assert card.feed.stack.currentWidget() is card.feed.empty
    assert "No interactions yet" in card.feed.empty.text()
    assert "No phone or email" in " ".join(
        w.text() for w in card.header.findChildren(type(card.header.subtitle))
    )
    card.tabs.setCurrentWidget(card.contacts_tab)
    assert card.contacts_tab.stack.currentWidget() is card.contacts_tab.empty
    assert not card.header.local_time.isVisible()  # no region, no phone: zone unknown


def test_a_card_that_cannot_be_opened_says_why(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    ctx = make_ctx(sqlite_db)
    card = _card(qtbot, ctx, "client", 4242, settings=ui_settings)
    assert card.stack.currentWidget() is card.failure
    assert "Client 4242 does not exist" in card.failure.text()
    assert ctx.errors == []  # type: ignore[attr-defined]


def test_the_card_works_on_real_worker_lanes(
    qtbot: QtBot, sqlite_db: Database, ui_settings: QSettings
) -> None:
    """Nothing in the card relies on a task finishing inside ``submit``."""
    from desktop.lanes import Lane

    client_id = _client(sqlite_db)
    reads, writes = Lane("test-reads"), Lane("test-writes")
    try:
        ctx = make_ctx(sqlite_db, reads=reads, writes=writes)
        card = _card(qtbot, ctx, "client", client_id, settings=ui_settings)
        qtbot.waitUntil(lambda: card.data is not None and card.feed.model.pages_loaded == 1)
        assert card.header.name.text() == "Kaspi Logistics"
        before = len(card.feed.model.items())
        dialog = card.new_interaction()
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled())
        dialog.planned.setChecked(False)
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            dialog.ok_button.click()
        qtbot.waitUntil(lambda: len(card.feed.model.items()) == before + 1)
        assert ctx.errors == []  # type: ignore[attr-defined]
    finally:
        assert reads.shutdown(5_000)
        assert writes.shutdown(5_000)
