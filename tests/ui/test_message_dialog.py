"""Reading a letter: safe HTML, remote content only on request, quoted text
folded, and why it is on the card."""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from models import MailAccount, MailAddress, MailMessage
from services.core import bootstrap
from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.mail.message_dialog import MessageDialog

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def image_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *_args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def _letter(
    db: Database,
    html: str | None,
    body: str,
    *,
    subject: str = "КП",
    client: str = "ООО Ромашка",
    sender_name: str | None = None,
) -> tuple[int, int]:
    """A client with a letter stored as an import leaves it (its HTML as given)."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, client, emails=["ivan@romashka.ru"]).id
        view = ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type="email",
                client_id=cid,
                subject=subject,
                body=body,
                direction="in",
                start=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
                source_kind="email",
                source_key="kp1@romashka.ru",
            ),
        )
        account = MailAccount(
            user_id=actor.id,
            email="me@x.example",
            imap_host="h",
            imap_port=993,
            imap_user="me",
            smtp_host="h",
            smtp_port=587,
            smtp_user="me",
        )
        uow.session.add(account)
        uow.session.flush()
        message = MailMessage(
            account_id=account.id,
            message_key="kp1@romashka.ru",
            direction="in",
            subject=subject,
            from_addr="ivan@romashka.ru",
            interaction_id=view.id,
            body_state="fetched",
            html=html,
            link_rule="auto",
            link_reason="ivan@romashka.ru is on client 1 (contact > client > lead)",
        )
        uow.session.add(message)
        if sender_name is not None:
            uow.session.flush()
            uow.session.add(
                MailAddress(
                    message_id=message.id, role="from", address="ivan@romashka.ru", name=sender_name
                )
            )
        uow.commit()
    return cid, view.id


def test_a_letter_opens_to_read_with_remote_images_blocked_until_asked(
    qtbot: QtBot, sqlite_db: Database, image_server: str
) -> None:
    remote = f"{image_server}/pixel.png"
    cid, iid = _letter(sqlite_db, f'<p>Добрый день!</p><img src="{remote}">', "Добрый день!")
    ctx = make_ctx(sqlite_db)
    card = CardWidget(ctx, "client", cid)
    qtbot.addWidget(card)
    card.open_interaction(iid)
    qtbot.waitUntil(lambda: getattr(card, "reader", None) is not None)
    reader = card.reader
    assert isinstance(reader, MessageDialog)
    qtbot.waitUntil(lambda: reader.letter is not None)
    assert reader.browser.blocked_remote == (remote,)
    assert reader.banner.isVisibleTo(reader)
    assert "is on client" in reader.reason.text()
    reader.remote_button.click()
    assert reader.browser.blocked_remote == ()
    assert not reader.banner.isVisibleTo(reader)
    reader.close()


def test_quoted_history_is_folded_in_a_plain_letter(qtbot: QtBot, sqlite_db: Database) -> None:
    body = "Согласны, подписываем.\n\n> Иван пишет:\n> Пришлите договор\n> до пятницы"
    _cid, iid = _letter(sqlite_db, None, body)
    reader = MessageDialog(make_ctx(sqlite_db), iid)
    qtbot.addWidget(reader)
    qtbot.waitUntil(lambda: reader.letter is not None)
    assert reader.quoted.isVisibleTo(reader)
    assert "Пришлите договор" not in reader.browser.toPlainText()
    reader.quoted.setChecked(True)
    assert "Пришлите договор" in reader.browser.toPlainText()


def test_reply_opens_compose_with_re_and_the_letter_quoted(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    from ui.cards.card_widget import CardWidget
    from ui.dialogs.compose_dialog import ComposeDialog

    cid, iid = _letter(sqlite_db, None, "Добрый день!\nПришлите счёт.", subject="КП на поставку")
    card = CardWidget(make_ctx(sqlite_db), "client", cid)
    qtbot.addWidget(card)
    card.show()
    card.open_interaction(iid)
    reader = card.reader
    qtbot.waitUntil(lambda: reader.letter is not None)
    assert reader.reply_button.isEnabled()
    reader.reply_button.click()
    compose = card.dialog
    assert isinstance(compose, ComposeDialog)
    qtbot.addWidget(compose)
    assert compose.to.text() == "ivan@romashka.ru"
    assert compose.subject.text() == "Re: КП на поставку"
    body = compose.body.toPlainText()
    assert "> Добрый день!\n> Пришлите счёт." in body
    assert "ivan@romashka.ru" in body.split("\n> ")[0]  # "On …, Иван <…> wrote:"
