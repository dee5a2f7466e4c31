"""What a user of a laptop replica sees (#20), as the 1366x768 screenshots
of scripts/screenshots_replica.py showed it missing: a refusal in English
names the field as the card does, the refused changes say what they mean
and what to do, Settings → Work offline counts the refusals and opens the
list, the stop dialog says where unsent changes stay and does not offer a
sync the laptop cannot make offline, and the composer says a letter waits
when the mail server cannot be reached. English and Russian."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from models import Client, SyncLog
from services.core.storage import Database
from services.parties import use_cases as creating
from services.sync.types import Refusal, ReplicaStatus
from tests.ui.helpers import make_ctx
from ui.dialogs.compose_dialog import ComposeDialog
from ui.dialogs.sync_conflicts import SyncConflictsDialog, refusal_reason
from ui.settings.replica_section import ReplicaSection
from ui.shell.preferences import Preferences


class Driver(QObject):
    """What the section and the composer use of the replica and mail drivers."""

    status_changed = Signal(object)

    def __init__(self, online: bool | None) -> None:
        super().__init__()
        self.online = online
        self.status = replica_status(online=online)
        self.syncs = 0

    def sync_now(self) -> None:
        self.syncs += 1


def replica_status(*, online: bool | None, pending: int = 3) -> ReplicaStatus:
    return ReplicaStatus(
        is_replica=True,
        server_url="postgresql+psycopg://anna@crm.example.test/team",
        login="anna",
        online=online,
        last_sync_at=dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC),
        pending=pending,
        refused=4,
        conflicts=2,
        node="laptop0anna",
    )


def section_on_replica(
    qtbot: QtBot, db: Database, tmp_path: Path, driver: Driver
) -> tuple[ReplicaSection, Any]:
    ctx = make_ctx(db)
    ctx.replica = driver
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    prefs.replica_url = "sqlite:///replica.sqlite3"
    section = ReplicaSection(ctx, prefs, lambda: None, lambda: "")
    qtbot.addWidget(section)
    section.show()
    driver.status_changed.emit(driver.status)  # this window runs on the replica
    return section, ctx


def test_an_english_refusal_names_the_field_as_the_card_does(english: None) -> None:
    """The server's sentence says the column ("timezone is longer than 64
    characters"); the window says the field as the card labels it."""
    refusal = Refusal(
        op_uid="0190aaaa-0000-7000-8000-000000000001",
        kind="client",
        uid="0190aaaa-0000-7000-8000-000000000002",
        label="ООО «Полевая»",
        reason="timezone is longer than 64 characters",
        code="sync.apply.too_long",
        params={"field": "timezone", "limit": "64"},
    )
    assert refusal_reason(refusal) == "The field time zone is longer than 64 characters"


def test_the_refused_changes_say_what_they_mean(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    ctx = make_ctx(sqlite_db)
    client = creating.add_client(sqlite_db, ctx.actor, "ООО «Полевая»").value
    with sqlite_db.uow() as uow:
        uid = uow.session.get_one(Client, client.id).uid
        uow.session.add(
            SyncLog(
                op_uid="0190aaaa-0000-7000-8000-0000000000fe",
                kind="client",
                uid=uid,
                field="region",
                value=json.dumps({"region": "ZZ"}),
                hlc="0190aaaa0000:0000:laptop0anna",
                state="refused",
                reason="Unknown region 'ZZ': use a two-letter country code",
                code="parties.records.unknown_region_use_two",
                params=json.dumps({"region": "'ZZ'"}),
            )
        )
        uow.commit()
    dialog = SyncConflictsDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.refusals))
    assert dialog.refused_hint is not None
    said = dialog.refused_hint.text()
    assert "не внесены" in said
    assert "внесите его снова в карточке" in said


def test_work_offline_counts_the_refusals_and_opens_the_list(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    section, _ctx = section_on_replica(qtbot, sqlite_db, tmp_path, Driver(online=True))
    assert "4 изменения отклонены сервером." in section.state.text()
    assert section.review_button.isVisible()
    assert section.review_button.text() == "Разобрать конфликты…"
    section.review_button.click()
    assert isinstance(section.review_dialog, SyncConflictsDialog)
    qtbot.addWidget(section.review_dialog)
    assert section.review_dialog.isVisible()


def test_stop_says_where_unsent_changes_stay_and_offline_offers_no_sync(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, english: None
) -> None:
    driver = Driver(online=False)
    section, _ctx = section_on_replica(qtbot, sqlite_db, tmp_path, driver)
    section.stop_button.click()
    box = section.box
    assert box is not None
    qtbot.addWidget(box)
    said = box.informativeText()
    assert "they stay only in the copy on this laptop" in said
    assert "The server cannot be reached now" in said
    assert section.sync_first is not None
    assert not section.sync_first.isEnabled()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).click()

    driver.status = replica_status(online=True)  # back online: "Sync first" works
    driver.status_changed.emit(driver.status)
    section.stop_button.click()
    assert section.box is not None
    qtbot.addWidget(section.box)
    assert "cannot be reached" not in section.box.informativeText()
    assert section.sync_first is not None
    assert section.sync_first.isEnabled()
    assert section.box.defaultButton() is section.sync_first
    section.sync_first.click()
    assert driver.syncs == 1


def test_the_composer_says_a_letter_waits_while_mail_is_offline(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    for online in (False, True):
        ctx = make_ctx(sqlite_db)
        ctx.mail = Driver(online=online)  # type: ignore[assignment]
        dialog = ComposeDialog(ctx, [], to="buh@key-account.example")
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.offline_note.isVisible() is (not online)
        assert "письмо подождёт в исходящих" in dialog.offline_note.text()
        assert "Ctrl+Return" in dialog.send_button.toolTip()


def test_a_record_named_in_a_refusal_is_quoted_once(russian: None) -> None:
    """«Сделка Аренда спецтехники относится…» read as one run-on phrase: the
    name the laptop puts in for the server's id is quoted, a name with its
    own quotes is not quoted again."""
    refusal = Refusal(
        op_uid="0190aaaa-0000-7000-8000-0000000000fc",
        kind="interaction",
        uid="0190aaaa-0000-7000-8000-000000000003",
        label="Звонок по счёту",
        reason="Deal 4711 belongs to another client or lead",
        code="interactions.actions.deal_belongs_another_client",
        params={"deal_id": "4711"},
        names={"deal_id": "Аренда спецтехники"},
    )
    shown = refusal_reason(refusal)
    assert "«Аренда спецтехники»" in shown, shown
    assert "4711" not in shown
    named = dataclasses.replace(refusal, names={"deal_id": "Поставка для АО «Вектор»"})
    assert "Поставка для АО «Вектор»" in refusal_reason(named)
    assert "««" not in refusal_reason(named)
    assert "«Поставка" not in refusal_reason(named)


def test_settings_say_where_the_data_is_without_the_url() -> None:
    """Settings → Database said "In use: sqlite:////tmp/…/touchpoint.sqlite3"."""
    from ui.settings.database_page import location

    assert location("sqlite:////home/анна/.local/touchpoint.sqlite3") == (
        "/home/анна/.local/touchpoint.sqlite3"
    )
    server = location("postgresql+psycopg://anna:секрет@crm.example.test:5433/team")
    assert server == "crm.example.test/team (anna)"


class MailDriver(QObject):
    sync_progressed = Signal(object, str, object, object)
    sync_finished = Signal(object, object)
    sync_failed = Signal(object, str)
    outbox_changed = Signal(object)
    online_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.online = True

    def refresh_outbox(self) -> None:
        pass


class ReplicaDriver(Driver):
    sync_started = Signal()
    sync_finished = Signal(object)
    sync_failed = Signal(str)

    def refresh_status(self) -> None:
        pass


def test_the_status_bar_says_whose_offline_on_a_replica(
    qtbot: QtBot, sqlite_db: Database, english: None
) -> None:
    """Mail's "Offline" stood beside the replica's "Offline since 22:52":
    two offlines, one unexplained. On a replica mail says it is mail."""
    from types import SimpleNamespace

    from ui.shell.status_bar import StatusBar

    ctx = make_ctx(sqlite_db)
    mail = MailDriver()
    ctx.mail = mail  # type: ignore[assignment]
    replica = ReplicaDriver(online=False)
    replica.status = None  # type: ignore[assignment]
    ctx.replica = replica
    bar = StatusBar(ctx)
    qtbot.addWidget(bar)
    bar.show()
    mail.online = False
    mail.online_changed.emit(False)
    assert bar.offline_text == "Offline"  # no replica here (yet): as before
    replica.status = replica_status(online=False)
    replica.status_changed.emit(replica.status)
    assert bar.offline_text == "Mail offline"
    mail.outbox_changed.emit(SimpleNamespace(waiting=2))
    assert bar.offline_text == "Mail offline — 2 letters wait in the outbox"


def test_the_composer_shows_its_contact_placeholder_whole(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    """A card with several contact persons: the picker read "Контактное
    лицо.." in the Russian composer, cut by a few pixels."""
    from PySide6.QtWidgets import QComboBox

    from services.parties import records
    from tests.integration.test_templates import make_card

    ctx = make_ctx(sqlite_db)
    card = make_card(sqlite_db, ctx.actor)
    with sqlite_db.uow(ctx.actor.id) as uow:
        records.add_contact(uow, ctx.actor, "Петрова Анна Сергеевна", client_id=card.client_id)
        uow.commit()
    with sqlite_db.reader() as uow:
        client = records.get_client(uow, ctx.actor, card.client_id)
    assert client is not None
    dialog = ComposeDialog(
        ctx, [], to="ivanov@romashka.ru", client_id=card.client_id, contacts=client.contacts
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    combo = dialog.templates.contact
    assert combo.currentText() == "Контактное лицо…"
    probe = QComboBox()
    qtbot.addWidget(probe)
    probe.addItem(combo.currentText())
    probe.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    assert combo.width() >= probe.sizeHint().width()
