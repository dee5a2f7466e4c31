"""Helpers shared by the linking UI tests (test_linking_ui.py: the unlinked
letters, linking by hand, the Mail section; test_linking_feed_ui.py: the
feed's why and unlink, recordings, a new address on a card): header-only
letters as mail sync keeps them, a client, the panels on screen, and a
guard that fails a test which opens a modal question instead of hanging.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from models import MailAccount, MailAddress, MailMessage
from services.core import bootstrap
from services.core.storage import Database
from services.core.views import FeedItem
from services.feed import pages as feed
from services.feed.pages import FeedScope
from services.parties import records as parties
from ui.dialogs.link_target import LinkTargetDialog
from ui.feed import FeedView
from ui.mail.unlinked_panel import UnlinkedPanel

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
ME = "anna@severtrade.example"


def add_account(db: Database) -> int:
    with db.uow() as uow:
        row = MailAccount(
            user_id=1,
            email=ME,
            imap_host="127.0.0.1",
            imap_port=993,
            imap_security="tls",
            imap_user=ME,
            smtp_host="127.0.0.1",
            smtp_port=587,
            smtp_security="starttls",
            smtp_user=ME,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def add_letters(
    db: Database, senders: list[str], direction: str = "in", start: int = 0
) -> list[int]:
    """Header-only letters, as mail sync keeps them for unknown addresses."""
    with db.reader() as uow:
        acc = uow.session.scalar(select(MailAccount.id))
    acc = acc or add_account(db)
    with db.uow() as uow:
        ids = list(
            uow.session.execute(
                insert(MailMessage).returning(MailMessage.id, sort_by_parameter_order=True),
                [
                    {
                        "account_id": acc,
                        "message_key": f"<m{n}-{s}>",
                        "direction": direction,
                        "subject": f"Letter {n}",
                        "sent_at": NOW - dt.timedelta(days=n),
                        "from_addr": s if direction == "in" else ME,
                        "body_state": "none",
                        "auto_reply": False,
                    }
                    for n, s in enumerate(senders, start=start)
                ],
            ).scalars()
        )
        uow.session.execute(
            insert(MailAddress),
            [
                {"message_id": i, "role": "from" if direction == "in" else "to", "address": s}
                for i, s in zip(ids, senders, strict=True)
            ],
        )
        uow.commit()
    return ids


def add_client(db: Database, name: str = "Romashka", **kw: Any) -> int:
    with db.uow() as uow:
        cid = parties.add_client(uow, bootstrap.actor_for(uow), name, **kw).id
        uow.commit()
    return cid


def feed_items(db: Database, client_id: int, kind: str) -> list[FeedItem]:
    with db.reader() as uow:
        page = feed.page(
            uow,
            bootstrap.actor_for(uow),
            FeedScope(client_id=client_id),
            feed.FeedFilter(types=(kind,)),
        )
    return list(page.items)


def client_emails(db: Database, client_id: int) -> list[str]:
    with db.reader() as uow:
        client = parties.get_client(uow, bootstrap.actor_for(uow), client_id)
    return [p.normalized for p in client.points if p.kind == "email"]


def open_panel(qtbot: QtBot, ctx: Any) -> UnlinkedPanel:
    panel = UnlinkedPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    panel.refresh()
    return panel


def open_feed(qtbot: QtBot, ctx: Any, client_id: int) -> FeedView:
    view = FeedView(ctx, FeedScope(client_id=client_id))
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    return view


def link_via_dialog(panel: UnlinkedPanel, message_id: int, search: str) -> None:
    """Select the letter, press Link to…, find the card, press Link."""
    assert panel.select(message_id)
    panel.link_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, LinkTargetDialog)
    dialog.search_now(search)
    assert dialog.target() is not None
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


@pytest.fixture(autouse=True)
def no_modal_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stray modal question would hang the run: fail instead."""

    def refuse(*_args: Any, **_kw: Any) -> Any:
        raise AssertionError("a modal QMessageBox was opened")

    monkeypatch.setattr(QMessageBox, "question", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
