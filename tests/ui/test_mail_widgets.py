"""Mail display and the background driver, offscreen."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.mail_driver import MailDriver
from desktop.scheduler import LaneExecutor, Ticker
from services.core import scheduler
from services.core.storage import Database
from services.jobs.registry import Scope
from tests.integration.mail_helpers import ALICE, account, client_with_email, letter
from tests.mail_fixtures import append_messages
from tests.ui.helpers import InlineLane
from ui.mail.safe_browser import SafeMailBrowser, decode_data_url

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_only_cid_and_data_resources_load(qtbot: QtBot) -> None:
    view = SafeMailBrowser()
    qtbot.addWidget(view)
    html = (
        '<p>Hi</p><img src="cid:logo@acme"><img src="file:///etc/passwd">'
        '<img src="http://tracker.example/pixel.png">'
        f'<img src="data:image/png;base64,{base64.b64encode(PNG).decode()}">'
    )
    view.show_message(html, "Hi", inline={"<logo@acme>": PNG})
    view.show()
    qtbot.waitExposed(view)
    assert "file:///etc/passwd" in view.refused
    assert view.blocked_remote == ("http://tracker.example/pixel.png",)
    assert not any(u.startswith(("cid:", "data:")) for u in view.refused)


def test_remote_images_load_only_when_allowed_for_this_message(qtbot: QtBot) -> None:
    view = SafeMailBrowser()
    qtbot.addWidget(view)
    url = "https://cdn.example/banner.png"
    view.show_message(f'<img src="{url}">', "")
    view.show()
    qtbot.waitExposed(view)
    assert view.blocked_remote == (url,)
    view.show_message(f'<img src="{url}">', "", remote={url: PNG})
    assert view.blocked_remote == ()
    view.show_message(f'<img src="{url}">', "")  # the next message starts blocked again
    assert view.blocked_remote == (url,)


def test_data_urls_decode_and_garbage_is_refused() -> None:
    assert decode_data_url("data:text/plain,hi%20there") == b"hi there"
    assert decode_data_url("data:image/png;base64," + base64.b64encode(PNG).decode()) == PNG
    assert decode_data_url("javascript:alert(1)") is None


def mail_ticker(db: Database, driver: MailDriver) -> Ticker:
    """The app's ticker with the driver as mail and outbox runner."""
    scope = Scope(user_id=1)
    fallback = LaneExecutor(db, InlineLane(), scope, lambda: dt.datetime.now(dt.UTC))
    return Ticker(db, InlineLane(), scope, {"mail": driver, "outbox": driver}, fallback)


def test_the_driver_syncs_due_accounts_off_the_gui_thread(
    qtbot: QtBot, sqlite_db: Database, mailbox: dict[str, Any]
) -> None:
    client_with_email(sqlite_db, "Acme", "bob@acme.example")
    append_messages(mailbox, ALICE, "INBOX", [letter("bob@acme.example", ALICE, "Hello")])
    acc = account(sqlite_db, mailbox)
    driver = MailDriver(sqlite_db, user_id=1, clock=lambda: dt.datetime.now(dt.UTC))
    progress: list[tuple[Any, ...]] = []
    driver.sync_progressed.connect(lambda *a: progress.append(a))
    with qtbot.waitSignal(driver.sync_finished, timeout=20_000) as finished:
        mail_ticker(sqlite_db, driver).tick()
    account_id, result = finished.args
    assert account_id == acc
    assert result.imported == 1
    assert progress
    assert progress[-1][1] in ("INBOX", "Sent")
    driver.shutdown()


def test_the_driver_reports_offline_when_the_server_is_gone(
    qtbot: QtBot, sqlite_db: Database, mailbox: dict[str, Any]
) -> None:
    from tests.servers import free_port

    acc = account(sqlite_db, mailbox, port=free_port())
    driver = MailDriver(sqlite_db, user_id=1)
    ticker = mail_ticker(sqlite_db, driver)
    with qtbot.waitSignals([driver.sync_failed, driver.online_changed], timeout=20_000):
        ticker.tick()
    assert driver.online is False
    driver.shutdown()
    with sqlite_db.reader() as uow:  # recorded with a retry time that holds it back
        state = scheduler.states(uow)[f"mail:{acc}"]
    assert state.failures == 1
    assert state.last_error is not None
    assert "refused the connection" in state.last_error
    assert state.next_run_at is not None
    assert state.last_run_at is not None
    assert state.next_run_at - state.last_run_at == dt.timedelta(minutes=1)
    driver = MailDriver(sqlite_db, user_id=1)
    ticker = mail_ticker(sqlite_db, driver)
    with qtbot.waitSignal(ticker.planned) as planned:
        ticker.tick()  # a tick right after: the broken mailbox is not tried again
    assert f"mail:{acc}" not in [s.key for s in planned.args[0]]
    driver.shutdown()


def test_an_untrusted_certificate_is_not_reported_as_offline(
    qtbot: QtBot, sqlite_db: Database, mailbox: dict[str, Any]
) -> None:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from ui.shell import i18n

    account(sqlite_db, mailbox, ca_file=mailbox["other_ca_file"])
    before = QLocale()
    installed = i18n.install(QApplication.instance(), "ru")  # type: ignore[arg-type]
    driver = MailDriver(sqlite_db, user_id=1)
    try:
        with qtbot.waitSignal(driver.sync_failed, timeout=20_000) as failed:
            mail_ticker(sqlite_db, driver).tick()
    finally:
        driver.shutdown()
        i18n.uninstall(QApplication.instance(), installed)  # type: ignore[arg-type]
        QLocale.setDefault(before)
    assert driver.online is True  # the user is online: a setting is wrong
    reason = failed.args[1]
    assert "127.0.0.1" in reason
    assert "CA" in reason
    assert "сертификат" in reason.lower()  # the window's words, in Russian
