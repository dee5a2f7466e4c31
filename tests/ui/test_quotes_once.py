"""A name from outside is put in quotes once, in the window's quotes:
the inbound rule's story, a card named in a request, a pipeline's clash and
a removed task's Undo bar said “«Поддержка»” / ««Продажи»» before."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.ai.settings import AiConfig
from services.core.errors import ValidationError
from services.core.storage import Database
from tests.ui.helpers import make_ctx
from tests.ui.linking_ui_helpers import (
    add_client,
    add_letters,
    link_via_dialog,
    no_modal_questions,  # noqa: F401 - the autouse fixture
    open_panel,
)
from ui.inbound import texts
from ui.settings.ai_page import AiPage
from ui.shell import error_text
from ui.widgets.plain import quoted

DOUBLED = ("“«", "»”", "««", "»»", "«“", "”»")


def _once(text: str) -> None:
    for doubled in DOUBLED:
        assert doubled not in text, text


def test_the_inbound_story_quotes_a_rule_and_its_words_once(language: str) -> None:
    lines = texts.why_lines({"rule": "«Поддержка»", "matched": ["сломался", "«срочно»"]})
    _once(lines[0])
    assert "«Поддержка»" in lines[0]
    assert ("«сломался»" if language == "ru" else "“сломался”") in lines[0]
    default = texts.why_lines({"rule": "Остальное"})
    assert ("«Остальное»" if language == "ru" else "“Остальное”") in default[0]
    card = texts.party_label("client 5 (ООО «Ромашка»)")
    _once(card)
    assert card.endswith(" ООО «Ромашка»")
    plain = texts.party_label("lead 7 (Иван (ИП))")
    assert plain.endswith("«Иван (ИП)»" if language == "ru" else "“Иван (ИП)”")


def test_the_shared_helper_quotes_once_in_the_windows_quotes(language: str) -> None:
    assert quoted("Ромашка") == ("«Ромашка»" if language == "ru" else "“Ромашка”")
    assert quoted("«Ромашка»") == "«Ромашка»"
    assert quoted('АО "Вектор"') == 'АО "Вектор"'
    assert quoted("") == ""


def test_saving_a_letters_address_names_the_card_once_in_quotes(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    add_client(sqlite_db, "ООО «Ромашка»")
    add_letters(sqlite_db, ["new@client.example"])
    panel = open_panel(qtbot, make_ctx(sqlite_db))
    [row] = panel.model.rows()
    link_via_dialog(panel, row.id, "Ромашка")
    box = panel.offer_box
    assert box is not None
    _once(box.text())
    assert "ООО «Ромашка»" in box.text()


def test_a_deals_title_in_the_next_step_refusal_is_quoted_once(language: str) -> None:
    """The catalogue's sentence put its own quotes around the title ("Deal
    “%1”", «%1»), the English window showed the service's repr ('АО
    «Вектор»'). Fails on the old code (checked)."""
    for title, shown in (
        ("АО «Вектор»", "АО «Вектор»"),
        ("Поставка Q3", "«Поставка Q3»" if language == "ru" else "“Поставка Q3”"),
    ):
        exc = ValidationError(
            f"Deal {title!r} must always have a planned interaction: plan the next one first",
            code="deal.next_step_required",
            params={"deal": title},
        )
        text = error_text.message(exc)
        _once(text)
        assert shown in text
        assert "'" not in text
        assert text.startswith("У сделки " if language == "ru" else "Deal ")


def test_the_ai_connection_test_quotes_the_answer_once(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    page = AiPage(make_ctx(sqlite_db))
    qtbot.addWidget(page)
    config = AiConfig(base_url="http://127.0.0.1:9/v1", model="llama3.1")
    page._on_tested(config, "«Готово»")
    _once(page.test_result.text())
    assert page.test_result.text().endswith(" «Готово».")
    page._on_tested(config, "OK")
    assert page.test_result.text() == (
        "Подключено: llama3.1 ответила «OK»."
        if language == "ru"
        else "Connected: llama3.1 answered “OK”."
    )


def test_a_param_the_service_wrote_as_pythons_repr_gets_the_windows_quotes(
    russian: None,
) -> None:
    """'info@romashka' (the service's repr, for its English sentence) read
    "Неверный адрес электронной почты: 'info@romashka' (…)" in the Russian
    new-client dialog; a sentence that quotes the param itself keeps one
    pair. Fails on the old code (checked)."""
    bad = ValidationError(
        "Not a valid email address: 'info@romashka' (no dot in the domain)",
        code="core.normalize.bad_email",
        params={"address": "'info@romashka'", "reason": "no dot in the domain"},
    )
    text = error_text.message(bad)
    assert text.startswith("Неверный адрес электронной почты: «info@romashka»"), text
    assert "'" not in text
    taken = error_text.worded("inbound.setup.source_name_taken", {"name": "'Почта'"})
    assert taken == "Источник «Почта» уже есть"  # the sentence's own pair only
    raw = error_text.worded("inbound.setup.source_name_taken", {"name": "Почта"})
    assert raw == "Источник «Почта» уже есть"
    region = error_text.worded("parties.records.unknown_region_use_two", {"region": "'ZZ'"})
    assert region is not None
    assert "«ZZ»" in region
