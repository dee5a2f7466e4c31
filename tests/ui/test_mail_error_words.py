"""A mailbox's and an outbox letter's last network error in the Russian
window: stored as the English sentence (the CLI prints it), they showed
"Ошибка: 127.0.0.1:993 refused the connection" (the 1366x768 Russian Mail
screenshot). The network's shapes are now worded from the error catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from models import MailAccount, OutboxItem
from services.core import bootstrap
from services.core.storage import Database
from services.mail import accounts, outbox
from services.parties import records as parties
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from ui.mail import stored_errors
from ui.mail.mail_panel import MailPanel


def test_the_russian_mail_section_words_network_errors_in_russian(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    spec = accounts.AccountSpec(
        email="anna@acme.test", imap_host="127.0.0.1", smtp_host="127.0.0.1"
    )
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        account = accounts.add(uow, actor, spec, "secret", None).id
        client = parties.add_client(uow, actor, "ООО «Фармация»").id
        outbox.queue(
            uow,
            actor,
            account,
            to=["zakupki@farmatsiya.ru"],
            subject="Коммерческое предложение",
            body="Добрый день!",
            send_at=dt.datetime.now(dt.UTC),
            client_id=client,
        )
        uow.session.execute(
            update(MailAccount).values(last_error="127.0.0.1:993 refused the connection")
        )
        uow.session.execute(
            update(OutboxItem).values(last_error="127.0.0.1:587 did not answer in time")
        )
        uow.commit()
    panel = MailPanel(make_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    assert panel.accounts.item(0, 2).text() == "Ошибка: 127.0.0.1:993 отказал в соединении"
    assert panel.outbox.item(0, 4).text() == "127.0.0.1:587 не ответил вовремя"


def test_other_stored_errors_show_as_stored(russian: None) -> None:
    assert stored_errors.worded("cancelled by the user") == "cancelled by the user"
    assert stored_errors.worded(None) == ""
    assert (
        stored_errors.worded("Cannot find the server imap.acme.test (offline or a typo?)")
        == "Сервер imap.acme.test не найден (нет сети или опечатка?)"
    )
