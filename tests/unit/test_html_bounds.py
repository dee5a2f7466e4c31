"""Hostile HTML is bounded before and after sanitizing: depth, nested
tables, element count, size; what was cut is marked for the viewer."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from services.mail import html_bounds
from services.mail.html_bounds import bound_html, simplified_by
from services.mail.mime import parse_message
from services.mail.mime_html import sanitize_html


class _Depth(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = self.tables = self.most_tables = self.elements = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.elements += 1
        if tag in ("br", "img", "hr", "wbr", "col"):
            return
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        self.tables += tag == "table"
        self.most_tables = max(self.most_tables, self.tables)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1
        self.tables -= tag == "table"


def _shape(html: str) -> _Depth:
    shape = _Depth()
    shape.feed(html)
    shape.close()
    return shape


def _nested(tag: str, count: int, inner: str = "Привет") -> str:
    return f"<{tag}>" * count + inner + f"</{tag}>" * count


def test_twenty_nested_tables_keep_their_text_and_lose_the_deep_tables() -> None:
    html = "<table><tr><td>" * 20 + "Договор №7" + "</td></tr></table>" * 20
    clean = sanitize_html(html)
    assert simplified_by(clean) == ("tables",)
    assert _shape(clean).most_tables == html_bounds.MAX_TABLE_DEPTH
    assert "Договор №7" in clean


def test_a_hundred_thousand_nested_elements_are_flattened() -> None:
    for tag in ("div", "span", "blockquote", "font"):
        clean = sanitize_html("<p>Начало</p>" + _nested(tag, 100_000))
        assert "depth" in simplified_by(clean), tag
        assert _shape(clean).deepest <= html_bounds.MAX_DEPTH
        assert "Начало" in clean
        # 100k <blockquote> is over the size bound before its text: cut there.
        assert ("Привет" in clean) == (tag != "blockquote")
    ordered = sanitize_html(_nested("ol", 100_000, "<li>пункт</li>"))
    assert _shape(ordered).deepest <= html_bounds.MAX_DEPTH
    assert "пункт" in ordered


def test_a_million_rows_and_a_huge_body_are_cut_and_say_so() -> None:
    rows = sanitize_html("<table>" + "<tr><td>а</td><td>б</td></tr>" * 1_000_000 + "</table>")
    assert simplified_by(rows) == ("size", "elements")
    assert _shape(rows).elements <= html_bounds.MAX_ELEMENTS + 1
    body = sanitize_html("<p>" + "Привет, мир! " * 4_000_000 + "</p>")
    assert simplified_by(body) == ("size",)
    assert len(body) <= html_bounds.MAX_HTML_CHARS + 100


def test_the_display_bound_keeps_the_layout_budget_and_breaks_endless_words() -> None:
    stored = "<p>" + "слово" * 300_000 + "</p>"  # stored before the bounds existed
    shown = bound_html(stored, for_display=True)
    assert shown.simplified == ("size",)
    words = re.split(r"[\s\u200b]", re.sub(r"<[^>]*>", "", shown.html))
    assert max(len(word) for word in words) <= html_bounds.MAX_WORD
    assert shown.html.count("слово") < 300_000


def test_ordinary_letters_pass_unchanged_and_marks_cannot_be_forged() -> None:
    letter = "<table><tbody><tr><td><p>Добрый день, <b>Иван</b>!</p></td></tr></tbody></table>"
    assert sanitize_html(letter) == letter
    assert simplified_by(sanitize_html(letter)) == ()
    forged = "<!--touchpoint-simplified:size--><p>Привет</p>"
    assert simplified_by(sanitize_html(forged)) == ()


def test_an_imported_letter_is_bounded_and_its_text_kept() -> None:
    html = "<table><tr><td>" * 30 + "Счёт на оплату" + "</td></tr></table>" * 30
    raw = (
        "From: a@b.example\r\nTo: c@d.example\r\nSubject: s\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n" + html
    ).encode()
    parsed = parse_message(raw)
    assert parsed.html is not None
    assert simplified_by(parsed.html) == ("tables",)
    assert "Счёт на оплату" in parsed.text


def test_the_sanitizer_keeps_raster_data_images_only() -> None:
    svg = '<img src="data:image/svg+xml;base64,PHN2Zy8+"><img src="data:image/tiff;base64,SUkq">'
    png = '<img src="data:image/png;base64,iVBORw0KGgo=">'
    windows = '<img src="\\\\fileserver\\share\\a.png"><img src="file://fileserver/share/a.png">'
    clean = sanitize_html(svg + png + windows)
    assert clean.count("src=") == 1
    assert "data:image/png" in clean
