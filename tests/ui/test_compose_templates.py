"""A letter from a template (SPEC E2, E3) in the compose dialog: the picker
needs a contact and a deal, a plain template fills the letter (undoably),
an AI template streams a draft from the real ``openai`` client on a qasync
loop into the editor, Stop keeps what came, and an unreachable server
offers the queue whose draft a later letter can use."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models.templates import AiDraftRequest
from services.ai import drafts as ai_drafts
from services.ai import settings as ai_settings
from services.core.storage import Database
from services.core.views import ContactView, DealView
from services.parties import records as parties
from tests.ai_server import FakeAIServer
from tests.integration.test_templates import Card, add_template, make_card
from tests.ui.helpers import make_ctx
from ui.dialogs.compose_dialog import ComposeDialog
from ui.widgets import event_loop


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """The app's kind of loop: asyncio on the Qt event loop."""
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    event_loop.use(loop)
    yield loop
    loop.run_until_complete(asyncio.sleep(0))
    event_loop.use(None)
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def ai_server() -> Iterator[FakeAIServer]:
    with FakeAIServer() as server:
        yield server


def views(db: Database, card: Card) -> tuple[list[ContactView], list[DealView]]:
    from services.parties import deals

    with db.reader() as uow:
        actor = make_ctx(db).actor
        client = parties.get_client(uow, actor, card.client_id)
        assert client is not None
        deal = deals.get(uow, actor, card.deal_id)
    return list(client.contacts), [deal]


def open_dialog(qtbot: QtBot, db: Database, card: Card, **kw: object) -> ComposeDialog:
    ctx = make_ctx(db)
    contacts, deals = views(db, card)
    values: dict[str, object] = {
        "to": "ivanov@romashka.ru",
        "client_id": card.client_id,
        "contacts": contacts,
        "deals": deals,
        "contact_ids": (card.contact_id,),
    } | kw
    dialog = ComposeDialog(ctx, [], **values)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.ctx = ctx  # type: ignore[attr-defined]
    return dialog


def pick(dialog: ComposeDialog, template_id: int) -> None:
    combo = dialog.templates.template
    combo.setCurrentIndex(combo.findData(template_id))
    combo.activated.emit(combo.currentIndex())


def use_server(db: Database, url: str) -> None:
    ctx = make_ctx(db)
    with db.uow(ctx.actor.id) as uow:
        ai_settings.save(uow, ctx.actor, base_url=url, model="llama3.1", timeout_s=5)
        uow.commit()


def test_a_plain_template_fills_the_letter_and_ctrl_z_brings_back_mine(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    card = make_card(sqlite_db, make_ctx(sqlite_db).actor)
    template_id = add_template(
        sqlite_db,
        make_ctx(sqlite_db).actor,
        "КП",
        "Предложение: {{ deal.title }}",
        "Здравствуйте, {{ contact.name_patronymic }}!",
    )
    dialog = open_dialog(qtbot, sqlite_db, card)
    dialog.body.setPlainText("мой черновик")
    pick(dialog, template_id)
    assert dialog.subject.text() == "Предложение: Поставка оборудования"
    assert dialog.body.toPlainText() == "Здравствуйте, Иван Петрович!"
    assert not dialog.templates.ai_box.isVisibleTo(dialog)
    dialog.body.undo()
    assert dialog.body.toPlainText() == "мой черновик"


def test_a_template_needs_the_contact_and_the_deal(qtbot: QtBot, sqlite_db: Database) -> None:
    actor = make_ctx(sqlite_db).actor
    card = make_card(sqlite_db, actor)
    template_id = add_template(sqlite_db, actor, "КП", "Тема", "{{ client.name }}")
    dialog = open_dialog(qtbot, sqlite_db, card, contact_ids=(), deals=[])
    dialog.templates.contact.setCurrentIndex(0)  # no contact chosen
    pick(dialog, template_id)
    assert dialog.templates.hint.is_error
    assert "no deal yet" in dialog.templates.hint.text()
    assert dialog.body.toPlainText() == ""


def test_without_a_client_there_is_no_template(qtbot: QtBot, sqlite_db: Database) -> None:
    actor = make_ctx(sqlite_db).actor
    card = make_card(sqlite_db, actor)
    dialog = open_dialog(qtbot, sqlite_db, card, client_id=None, lead_id=card.client_id)
    assert not dialog.templates.template.isEnabled()
    assert "client" in dialog.templates.hint.text()


def ai_template(db: Database) -> tuple[Card, int]:
    actor = make_ctx(db).actor
    card = make_card(db, actor)
    template_id = add_template(
        db,
        actor,
        "Ответ ИИ",
        "Re: {{ deal.title }}",
        "Напиши {{ contact.first_name }} о поставке. Письмо клиента:\n{{ inbound.last_email }}",
        ai=True,
    )
    return card, template_id


def test_an_ai_draft_streams_into_the_letter_from_the_edited_prompt(
    qtbot: QtBot, sqlite_db: Database, loop: qasync.QEventLoop, ai_server: FakeAIServer
) -> None:
    card, template_id = ai_template(sqlite_db)
    use_server(sqlite_db, ai_server.url)
    ai_server.reply = "Добрый день, Иван! Поставка будет в пятницу."
    dialog = open_dialog(qtbot, sqlite_db, card)
    pick(dialog, template_id)
    panel = dialog.templates
    assert panel.ai_box.isVisibleTo(dialog)
    assert dialog.subject.text() == "Re: Поставка оборудования"
    assert panel.prompt.toPlainText().startswith("Напиши Иван о поставке")
    panel.prompt.setPlainText("Напиши коротко, что поставка будет в пятницу.")
    panel.generate_button.click()
    assert panel.generation.task is not None
    assert not dialog.send_button.isEnabled()  # the letter waits for the AI
    loop.run_until_complete(panel.generation.task)
    assert dialog.body.toPlainText() == "Добрый день, Иван! Поставка будет в пятницу."
    assert dialog.send_button.isEnabled()
    assert panel.generate_button.text() == "Regenerate"
    (sent,) = ai_server.received
    user = sent.messages[-1]["content"]
    assert user.startswith("Напиши коротко, что поставка будет в пятницу.")  # the edited prompt
    assert '<data name="last_email">' in user


def test_what_is_sent_is_shown_before_sending(
    qtbot: QtBot, sqlite_db: Database, ai_server: FakeAIServer
) -> None:
    card, template_id = ai_template(sqlite_db)
    use_server(sqlite_db, ai_server.url)
    dialog = open_dialog(qtbot, sqlite_db, card)
    pick(dialog, template_id)
    with qtbot.waitSignal(dialog.templates.preview_ready) as shown:
        dialog.templates.preview_button.click()
    text = shown.args[0]
    assert ai_settings.SYSTEM_PROMPT.splitlines()[0] in text
    assert "Напиши Иван о поставке" in text
    assert '<data name="last_email">' in text
    assert ai_server.received == []  # a preview sends nothing


def test_stop_keeps_what_was_written_and_esc_stops_first(
    qtbot: QtBot, sqlite_db: Database, loop: qasync.QEventLoop, ai_server: FakeAIServer
) -> None:
    card, template_id = ai_template(sqlite_db)
    use_server(sqlite_db, ai_server.url)
    ai_server.chunks = ["Первая часть. ", "Вторая часть."]
    ai_server.hang_after_chunks = 1
    dialog = open_dialog(qtbot, sqlite_db, card)
    dialog.show()
    pick(dialog, template_id)
    panel = dialog.templates
    panel.generate_button.click()
    assert panel.generation.task is not None
    loop.run_until_complete(_until(lambda: dialog.body.toPlainText() == "Первая часть. "))
    dialog.reject()  # Esc: stops the AI, the letter stays open
    loop.run_until_complete(panel.generation.task)
    assert dialog.isVisible()
    assert dialog.body.toPlainText() == "Первая часть. "
    assert not dialog.body.isReadOnly()
    assert "Stopped" in panel.status.text()


async def _until(condition: object, tries: int = 500) -> None:
    for _ in range(tries):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never came true")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_offline_the_generation_is_queued_and_a_later_letter_offers_it(
    qtbot: QtBot, sqlite_db: Database, loop: qasync.QEventLoop
) -> None:
    card, template_id = ai_template(sqlite_db)
    use_server(sqlite_db, f"http://127.0.0.1:{free_port()}/v1")
    dialog = open_dialog(qtbot, sqlite_db, card)
    pick(dialog, template_id)
    panel = dialog.templates
    panel.generate_button.click()
    assert panel.generation.task is not None
    loop.run_until_complete(panel.generation.task)
    assert "cannot be reached" in panel.status.text()
    assert panel.queue_button.isVisibleTo(dialog)
    panel.queue_button.click()
    assert "Queued" in panel.status.text()
    ctx = make_ctx(sqlite_db)
    with sqlite_db.reader() as uow:
        row = uow.session.scalars(select(AiDraftRequest)).one()
        assert row.state == "queued"
        assert row.to_address == "ivanov@romashka.ru"
        assert "Напиши Иван о поставке" in row.messages
        row_id = row.id
    # the server answered later (the job wrote the draft)
    with sqlite_db.uow(ctx.actor.id) as uow:
        ai_drafts.record_ready(uow, ctx.actor, row_id, "Готовый черновик.")
        uow.commit()
    later = open_dialog(qtbot, sqlite_db, card)
    assert later.templates.ready_box.isVisibleTo(later)
    later.templates.use_button.click()
    assert later.body.toPlainText() == "Готовый черновик."
    assert later.subject.text() == "Re: Поставка оборудования"
    with sqlite_db.reader() as uow:
        assert ai_drafts.open_requests(uow, ctx.actor) == []
