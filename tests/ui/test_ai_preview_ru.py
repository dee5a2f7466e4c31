"""Settings → AI in Russian: the preview is what a draft sends, word for
word below the captions (the Russian request with the pointer to the
letter as every template sends it, the English instructions), and the
page's own words say in Russian what the English parts are."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from services.ai import settings as ai_settings
from services.core import bootstrap
from services.core.storage import Database
from services.templates import store as templates
from tests.ui.helpers import make_ctx
from ui.settings import ai_preview
from ui.settings.ai_page import AiPage


def test_the_russian_preview_is_what_is_sent_with_russian_captions(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    page = AiPage(make_ctx(sqlite_db))
    qtbot.addWidget(page)
    page.refresh()
    text = page.preview.toPlainText()
    marker = templates.data_marker("last_email")
    assert "━━ system · указания модели ━━" in text
    assert "━━ user · запрос ━━" in text
    request = text.split("━━ user · запрос ━━\n")[1]
    assert request.startswith("Ответь Ивану Петровичу")
    assert marker in request  # as a real generation sends it: not a translation of it
    with sqlite_db.reader() as uow:
        draft, untrusted = ai_preview.sample()
        sent = ai_settings.preview(uow, bootstrap.actor_for(uow), draft, untrusted)
    assert all(m.content in text for m in sent)  # each message as it goes out
    shown = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "уходят на английском" in shown
    assert "кто бы им ни пользовался" in shown  # and why: the same request for everyone
    assert "[see <data …> below]" in shown
