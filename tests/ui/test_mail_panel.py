"""The Mail section driven by a fake mail driver: accounts, progress and
Cancel, the outbox, the offline notice, and adding an account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.mail import accounts, outbox
from services.parties import records as parties
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from ui.mail.account_dialog import AccountDialog
from ui.mail.mail_panel import MailPanel


def add_account(db: Database, email: str = "anna@acme.test") -> int:
    spec = accounts.AccountSpec(email=email, imap_host="imap.acme.test", smtp_host="smtp.acme.test")
    with db.uow() as uow:
        view = accounts.add(uow, bootstrap.actor_for(uow), spec, "secret", None)
        uow.commit()
    return view.id


@pytest.fixture
def mail() -> FakeMail:
    return FakeMail()


@pytest.fixture
def panel(qtbot: QtBot, sqlite_db: Database, mail: FakeMail, tmp_path: Path) -> MailPanel:
    widget = MailPanel(make_ctx(sqlite_db, mail=mail), make_prefs(tmp_path))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_no_account_yet_says_what_to_do(panel: MailPanel) -> None:
    panel.refresh()
    assert panel.empty_accounts.isVisible()
    assert not panel.accounts.isVisible()
    assert not panel.sync_button.isEnabled()


def test_sync_now_shows_progress_and_can_be_cancelled(
    panel: MailPanel, sqlite_db: Database, mail: FakeMail
) -> None:
    account = add_account(sqlite_db)
    panel.refresh()
    assert panel.accounts.item(0, 0).text() == "anna@acme.test"
    assert panel.accounts.item(0, 1).text() == "never"
    assert panel.sync_button.isEnabled()
    assert not panel.cancel_button.isEnabled()
    panel.sync_button.click()
    assert mail.calls == [("sync_now", account)]
    mail.sync_progressed.emit(account, "INBOX", 120, 500)
    assert panel.progress.isVisible()
    assert (panel.progress.value(), panel.progress.maximum()) == (120, 500)
    assert panel.progress_label.text() == "INBOX: 120 of 500 messages"
    assert panel.accounts.item(0, 2).text() == "Syncing INBOX: 120 of 500"
    assert panel.cancel_button.isEnabled()
    assert not panel.sync_button.isEnabled()
    panel.cancel_button.click()
    assert mail.calls[-1] == ("cancel", account)
    mail.running.clear()
    mail.sync_finished.emit(account, object())
    assert not panel.progress.isVisible()
    assert panel.sync_button.isEnabled()


def test_a_failed_sync_shows_the_reason(
    panel: MailPanel, sqlite_db: Database, mail: FakeMail
) -> None:
    account = add_account(sqlite_db)
    with sqlite_db.uow() as uow:
        accounts.get_row(uow, bootstrap.actor_for(uow), account).last_error = "Login refused"
        uow.commit()
    mail.sync_failed.emit(account, "Login refused")
    assert panel.accounts.item(0, 2).text() == "Error: Login refused"


def test_enter_the_password_again_has_a_place_and_it_goes_to_the_keyring(
    panel: MailPanel, sqlite_db: Database, mail: FakeMail
) -> None:
    from services.mail import credentials
    from ui.mail.password_dialog import PasswordDialog

    account = add_account(sqlite_db)
    panel.refresh()
    mail.sync_failed.emit(account, "The IMAP server rejected the login of anna@acme.test")
    panel.accounts.selectRow(0)
    assert panel.password_button.isEnabled()
    panel.password_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, PasswordDialog)
    assert dialog.isVisible()
    dialog.buttons.accepted.emit()  # empty: refused in place
    assert "Enter the password" in dialog.hint.text()
    dialog.password.setText("новый-пароль")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    with sqlite_db.reader() as uow:
        uid = accounts.get_row(uow, bootstrap.actor_for(uow), account).uid
    assert credentials.load(uid, "imap") == "новый-пароль"
    assert credentials.load(uid, "smtp") == "новый-пароль"
    assert mail.calls[-1] == ("sync_now", account)  # tried again at once
    assert "Error" not in panel.accounts.item(0, 2).text()


@pytest.mark.usefixtures("english")
def test_offline_notice_counts_the_waiting_letters(panel: MailPanel, mail: FakeMail) -> None:
    assert not panel.banner.isVisible()
    mail.go_offline(waiting=2)
    assert panel.banner.isVisible()
    assert "You are offline" in panel.banner_text.text()
    assert "2 letters wait in the outbox" in panel.banner_text.text()
    mail.online = True
    mail.online_changed.emit(True)
    assert not panel.banner.isVisible()


def test_the_outbox_lists_state_time_and_last_failure(
    panel: MailPanel, sqlite_db: Database
) -> None:
    account = add_account(sqlite_db)
    when = dt.datetime(2030, 5, 6, 9, 30, tzinfo=dt.UTC)
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "Acme").id
        item = outbox.queue(
            uow,
            actor,
            account,
            to=["bob@acme.test"],
            subject="Offer",
            body="Hi",
            send_at=when,
            client_id=client,
        )
        uow.commit()
    panel.refresh()
    assert panel.outbox.rowCount() == 1
    assert [panel.outbox.item(0, c).text() for c in (0, 1, 3)] == [
        "bob@acme.test",
        "Offer",
        "Waiting",
    ]
    assert panel.outbox.item(0, 2).text()  # the local send time
    panel.outbox.selectRow(0)
    panel.stop_button.click()
    panel.refresh()
    assert panel.outbox.item(0, 3).text() == "Not sent"
    assert panel.outbox.item(0, 4).text() == "cancelled by the user"
    assert item.id == panel.selected_letter() or panel.outbox.rowCount() == 1


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(before)


def fill(dialog: AccountDialog) -> None:
    dialog.email.setText("anna@acme.test")
    dialog.email.editingFinished.emit()
    dialog.password.setText("secret")


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_account_is_refused_with_the_reason(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    dialog = AccountDialog(make_ctx(sqlite_db))
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog)
    dialog.submit()
    assert dialog.isVisible()
    assert dialog.error_row.isVisible()
    assert "No OS keyring" in dialog.error.text()
    with sqlite_db.reader() as uow:
        assert accounts.list_accounts(uow, bootstrap.actor_for(uow)) == []


def test_the_dialog_guesses_the_servers_from_the_address(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = AccountDialog(make_ctx(sqlite_db), sync_minutes=15)
    qtbot.addWidget(dialog)
    fill(dialog)
    assert dialog.imap.host.text() == "imap.acme.test"
    assert (dialog.imap.port.value(), dialog.smtp.port.value()) == (993, 587)


def _point_at(dialog: AccountDialog, mailbox: dict[str, Any], smtp: Any) -> None:
    dialog.email.setText(mailbox["user"])
    dialog.email.editingFinished.emit()
    dialog.password.setText(mailbox["password"])
    dialog.imap.host.setText(mailbox["host"])
    dialog.imap.port.setValue(mailbox["tls_port"])
    dialog.smtp.host.setText(mailbox["host"])
    dialog.smtp.port.setValue(smtp.port)


def test_an_account_is_added_once_its_servers_accept_the_login(
    qtbot: QtBot, sqlite_db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    dialog = AccountDialog(make_ctx(sqlite_db), sync_minutes=15)
    qtbot.addWidget(dialog)
    dialog.show()
    _point_at(dialog, mailbox, smtp)
    dialog.ca_file.setText(mailbox["ca_file"])
    with qtbot.waitSignal(dialog.added) as added:
        dialog.submit()
    assert added.args[0].email == mailbox["user"]
    assert added.args[0].sync_minutes == 15
    assert added.args[0].ca_file == mailbox["ca_file"]  # the company CA, trusted
    assert not dialog.isVisible()


def test_a_server_whose_certificate_is_not_trusted_is_refused_in_the_dialog(
    qtbot: QtBot, sqlite_db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    """The rig's CA is not in the system store: without the company CA file
    the login is refused now, not at the first sync, and nothing is saved."""
    dialog = AccountDialog(make_ctx(sqlite_db))
    qtbot.addWidget(dialog)
    dialog.show()
    _point_at(dialog, mailbox, smtp)
    dialog.submit()
    qtbot.waitUntil(dialog.error_row.isVisible, timeout=30_000)
    assert dialog.isVisible()
    assert "certificate" in dialog.error.text().lower()
    with sqlite_db.reader() as uow:
        assert accounts.list_accounts(uow, bootstrap.actor_for(uow)) == []


def test_plaintext_servers_only_after_the_warned_checkbox(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    dialog = AccountDialog(make_ctx(sqlite_db))
    qtbot.addWidget(dialog)
    assert dialog.imap.security.findData("plain") == -1
    assert "readable" in dialog.plaintext.toolTip()
    dialog.plaintext.setChecked(True)
    index = dialog.imap.security.findData("plain")
    assert index >= 0
    dialog.imap.security.setCurrentIndex(index)
    assert dialog.imap.port.value() == 143
    dialog.plaintext.setChecked(False)
    assert dialog.imap.security.currentData() == "tls"


def test_the_account_list_opens_the_dialog(panel: MailPanel) -> None:
    panel.add_button.click()
    assert panel.dialog is not None
    assert panel.dialog.isVisible()
    panel.dialog.reject()


def test_the_account_dialog_can_trust_a_company_ca_file(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    dialog = AccountDialog(make_ctx(sqlite_db))
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog)
    dialog.ca_file.setText(str(tmp_path / "нет-такого.pem"))
    dialog.submit()
    qtbot.waitUntil(dialog.error_row.isVisible)
    assert "CA file not found" in dialog.error.text()
    # a real company CA that the servers' certificate chains to: see
    # test_an_account_is_added_once_its_servers_accept_the_login
