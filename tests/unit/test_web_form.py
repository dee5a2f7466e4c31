"""Form-mailer letters read into sender fields: Russian and English labels, HTML
tables, a source's own mapping, and hostile bodies."""

from __future__ import annotations

import pytest

from services.core.errors import ValidationError
from services.inbound import web_form

TILDA_TEXT = """\
Request details:

Имя: Светлана Ёлкина
Телефон: 8 (916) 123-45-67
E-mail: Svetlana.Elkina@Пример.РФ
Комментарий: Нужен монтаж
двух кондиционеров в офисе.
Срочно!
Страница: https://klimat.example/contacts
"""

BITRIX_HTML = """\
<html><head><style>td { color: red }</style><title>Заявка</title></head><body>
<p>Новая заявка с сайта</p>
<table border="1">
  <tr><th>Your name</th><td>John&nbsp;Smith</td></tr>
  <tr><th>Phone number</th><td>+44 20 7946 0958</td></tr>
  <tr><th>Email</th><td>John Smith &lt;JOHN@example.com&gt;</td></tr>
  <tr><th>Message</th><td>Please call me back<br>after 5 pm &amp; ask for John</td></tr>
  <tr><td>utm_source</td><td>yandex</td></tr>
</table></body></html>
"""


def test_plain_text_form_in_russian() -> None:
    fields = web_form.parse(TILDA_TEXT)
    assert fields.name == "Светлана Ёлкина"
    assert fields.phone == "+79161234567"
    assert fields.phone_as_written == "8 (916) 123-45-67"
    assert fields.email == "svetlana.elkina@пример.рф"
    assert fields.message == "Нужен монтаж\nдвух кондиционеров в офисе.\nСрочно!"
    assert fields.subject == ""
    assert fields.extras == (("Страница", "https://klimat.example/contacts"),)
    assert fields.problems == ()
    assert not fields.empty


def test_html_table_form_in_english() -> None:
    fields = web_form.parse(BITRIX_HTML, is_html=True)
    assert fields.name == "John Smith"
    assert fields.phone == "+442079460958"
    assert fields.email == "john@example.com"
    assert fields.message == "Please call me back\nafter 5 pm & ask for John"
    assert fields.extras == (("utm_source", "yandex"),)


def test_html_without_a_table_is_read_as_lines() -> None:
    html = "<div><b>ФИО:</b> Пётр Иванов<br/><b>Тел.:</b> +7 495 123-45-67<br>Вопрос: цена?</div>"
    fields = web_form.parse(html, is_html=True)
    assert (fields.name, fields.phone, fields.message) == ("Пётр Иванов", "+74951234567", "цена?")


def test_a_sources_own_mapping_wins_and_folds_case_and_yo() -> None:
    body = (
        "Как к вам обращаться: Алёна\nКОНТАКТНЫЙ НОМЕР: +7 916 765-43-21\nЧто нужно: счёт\n"
        "Форма: Заказ звонка"
    )
    mapping = {
        "name": ["как к вам обращаться"],
        "phone": "Контактный номер",
        "message": ["Что нужно"],
    }
    fields = web_form.parse(body, mapping=mapping)
    assert (fields.name, fields.phone, fields.message) == ("Алёна", "+79167654321", "счёт")
    assert fields.subject == "Заказ звонка"
    assert web_form.parse("Алена: да", mapping={"name": ["Алёна"]}).name == "да"


def test_mapping_is_checked() -> None:
    with pytest.raises(ValidationError, match="Unknown form fields: city"):
        web_form.check_mapping({"city": ["Город"]})
    with pytest.raises(ValidationError, match="both name and phone"):
        web_form.check_mapping({"name": ["Контакт"], "phone": ["контакт"]})
    with pytest.raises(ValidationError, match="longer than"):
        web_form.check_mapping({"name": ["я" * 100]})


def test_bad_phone_and_email_are_kept_as_written_and_named() -> None:
    fields = web_form.parse("Имя: Олег\nТелефон: 123\nEmail: oleg at mail")
    assert fields.phone == ""
    assert fields.phone_as_written == "123"
    assert fields.email == ""
    assert fields.email_as_written == "oleg at mail"
    assert len(fields.problems) == 2
    assert fields.name == "Олег"


def test_a_letter_that_is_not_a_form_is_empty() -> None:
    fields = web_form.parse("Добрый день, пришлите прайс.\nСпасибо")
    assert fields.empty
    assert fields.extras == ()


def test_the_first_value_of_a_repeated_field_wins() -> None:
    fields = web_form.parse("Имя: Первый\nName: Second\nИмя:\nТелефон: +7 916 123-45-67")
    assert fields.name == "Первый"


def test_control_and_bidi_characters_are_dropped() -> None:
    body = "Им\u200bя: Ива\x00н\u202e\x1b[2J\nТелефон: +7 916 123\u200d-45-67"
    fields = web_form.parse(body)
    assert fields.name == "Иван[2J"
    assert fields.phone == "+79161234567"


def test_a_huge_body_is_read_up_to_the_cap() -> None:
    body = "Имя: Анна\nСообщение: " + "очень длинный текст " * 200_000
    fields = web_form.parse(body)
    assert fields.name == "Анна"
    assert len(fields.message) <= web_form.MAX_VALUE


def test_many_lines_are_capped() -> None:
    body = "\n".join(f"Поле {i}: значение {i}" for i in range(5000))
    fields = web_form.parse(body + "\nИмя: поздно")
    assert len(fields.extras) == web_form.MAX_EXTRAS
    assert fields.name == ""  # past the row cap: a real form has a few dozen fields


def test_deeply_nested_html_costs_nothing() -> None:
    depth = 2_000
    html = "<table><tr><td>" * depth + "Имя</td><td>Вера" + "</td></tr></table>" * depth
    assert web_form.parse(html, is_html=True).name == "Вера"
    # Deeper than the body cap: read up to the cap, nothing found, no error.
    assert web_form.parse("<table><tr><td>" * 100_000, is_html=True).empty


def test_broken_html_does_not_raise() -> None:
    for html in [
        "<table><tr><td>Имя<td>Лев",
        "<<<>>><tr",
        "<!-- unterminated",
        "</td></tr>" * 50,
        "<table><tr><td>Телефон</td><td>&#x110000;&#0;&#xD800;</td></tr></table>",
    ]:
        web_form.parse(html, is_html=True)
    assert web_form.parse("<table><tr><td>Имя<td>Лев", is_html=True).name == "Лев"


def test_script_and_style_are_not_fields() -> None:
    html = "<script>Имя: evil()</script><style>Телефон: 1</style>Имя: Роза"
    fields = web_form.parse(html, is_html=True)
    assert fields.name == "Роза"
    assert fields.phone_as_written == ""
