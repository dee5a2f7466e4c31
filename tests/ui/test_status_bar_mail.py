"""The status bar's mail line tells what the mailboxes stored, from the
start: it said "Mail: no sync yet" while Settings → Mail showed a stored
error for the same mailbox. Each user reads their own mailboxes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from desktop.mail_driver import MailDriver
from models import MailAccount
from services.core import bootstrap
from services.core.storage import Database
from services.mail import accounts
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.context import UiContext
from ui.shell.formatting import date_time
from ui.shell.status_bar import StatusBar

REFUSED = "Сервер отклонил вход: неверный пароль"


def _mailbox(db: Database, login: str, email: str, **stored: object) -> int:
    """``login``'s mailbox, with what a sync stored (an error, a time)."""
    spec = accounts.AccountSpec(email=email, imap_host="imap.test", smtp_host="smtp.test")
    with db.uow() as uow:
        view = accounts.add(uow, bootstrap.actor_for(uow, login), spec, "secret", None)
        uow.session.execute(update(MailAccount).where(MailAccount.id == view.id).values(**stored))
        uow.commit()
    return view.id


@pytest.fixture
def bar_for(qtbot: QtBot, sqlite_db: Database) -> Iterator[object]:
    drivers: list[MailDriver] = []

    def build(login: str | None = None) -> StatusBar:
        ctx: UiContext = make_ctx(sqlite_db, login=login)
        driver = MailDriver(sqlite_db, ctx.actor.id, bus=ctx.bus)
        drivers.append(driver)
        ctx.mail = driver
        bar = StatusBar(ctx)
        qtbot.addWidget(bar)
        bar.show()
        return bar

    yield build
    for driver in drivers:
        driver.shutdown()


@pytest.mark.usefixtures("english")
def test_the_status_bar_shows_the_stored_error_and_each_user_their_own(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, bar_for: object
) -> None:
    synced = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    _mailbox(sqlite_db, "anna", "anna@romashka.ru", last_error=REFUSED)
    _mailbox(sqlite_db, "boris", "boris@romashka.ru", last_sync_at=synced)
    anna = bar_for("anna")  # type: ignore[operator]
    qtbot.waitUntil(lambda: anna.sync.text.text() == "Mail sync failed")
    assert anna.sync.toolTip() == f"anna@romashka.ru: {REFUSED}"
    boris = bar_for("boris")  # type: ignore[operator]
    # another day than today: with its date, in this computer's zone
    qtbot.waitUntil(lambda: boris.sync.text.text() == f"Mail synced at {date_time(synced)}")
    assert boris.sync.toolTip() == ""
    admin = bar_for()  # type: ignore[operator]
    assert admin.sync.text.text() == "Mail: no sync yet"  # colleagues' mailboxes are theirs


@pytest.mark.usefixtures("russian")
def test_a_later_sync_replaces_the_stored_error(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, bar_for: object
) -> None:
    account_id = _mailbox(sqlite_db, "anna", "anna@romashka.ru", last_error=REFUSED)
    anna = bar_for("anna")  # type: ignore[operator]
    qtbot.waitUntil(lambda: anna.sync.text.text() == "Ошибка синхронизации почты")
    anna._mail.sync_finished.emit(account_id, None)
    assert anna.sync.text.text().startswith("Почта синхронизирована в ")
    assert anna.sync.toolTip() == ""
