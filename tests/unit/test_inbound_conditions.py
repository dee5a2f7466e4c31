"""A rule's condition: keywords separated by ";" in the subject or the body (SPEC G2)."""

from __future__ import annotations

from services.inbound import conditions
from services.inbound.routing import RuleSpec, choose


def test_keywords_are_split_on_semicolons_folded_and_deduplicated() -> None:
    assert conditions.keywords(" Счёт ; СЧЕТ;;оплата ;  ") == ("счет", "оплата")


def test_case_and_yo_do_not_matter_in_subject_or_body() -> None:
    assert conditions.matched("счёт", "СЧЕТ на оплату", "") == ["счет"]
    assert conditions.matched("ЕЩЕ", "", "Пришлите ещё раз, пожалуйста") == ["еще"]
    assert conditions.matched("Доставка; Возврат", "Вопрос", "хочу ВОЗВРАТ товара") == ["возврат"]
    assert conditions.matched("доставка", "Вопрос", "про оплату") == []


def test_whole_word_refuses_a_part_of_a_longer_word() -> None:
    body = "Показания счётчика и счет-фактура"
    assert conditions.matched("счетчик", "", body) == ["счетчик"]
    assert conditions.matched("счет", "", "Показания счётчика", whole_word=True) == []
    assert conditions.matched("счет", "", body, whole_word=True) == ["счет"]
    assert conditions.matched("счет", "", "Показания счётчика") == ["счет"]


def test_a_keyword_with_regex_characters_is_plain_text() -> None:
    assert conditions.matched("c++ (senior)", "Ищем C++ (Senior)", "", whole_word=True) == [
        "c++ (senior)"
    ]
    assert conditions.matched(".*", "anything", "") == []


def test_an_empty_condition_matches_nothing() -> None:
    assert conditions.matched(" ; ;", "срочно", "срочно") == []


def test_the_first_matching_rule_applies_else_the_default() -> None:
    rules = [
        RuleSpec(id=1, name="Поддержка", position=10, keywords="не работает; ошибка"),
        RuleSpec(id=2, name="Продажи", position=20, keywords="цена; Счёт"),
        RuleSpec(id=3, name="Прочее", position=30, is_default=True),
    ]
    assert choose(rules, "Ошибка в счёте", "").rule == rules[0]
    picked = choose(rules, "Нужен СЧЕТ", "и цена")
    assert picked.rule == rules[1]
    assert picked.matched == ("цена", "счет")
    fallback = choose(rules, "Привет", "просто так")
    assert fallback.rule == rules[2]
    assert fallback.matched == ()
    assert choose(rules[:2], "Привет", "").rule is None
