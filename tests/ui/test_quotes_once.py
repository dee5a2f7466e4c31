"""A name from outside is put in quotes once, in the window's quotes:
the inbound rule's story, a card named in a request, a pipeline's clash and
a removed task's Undo bar said “«Поддержка»” / ««Продажи»» before."""

from __future__ import annotations

from ui.inbound import texts
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
