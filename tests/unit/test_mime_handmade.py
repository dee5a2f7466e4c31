"""MIME layer against hand-made hostile input: odd and forged addresses,
message ids, dates, subjects in old charsets, hostile HTML, unsafe
attachment names, size and nesting limits, and the folding of quoted
history. The real corpus is test_mime.py."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from services.mail.mime import (
    MAX_MESSAGE_BYTES,
    Address,
    MessageTooLargeError,
    UnparseableMessageError,
    fold_quoted,
    parse_headers,
    parse_message,
)


def mail(*headers: str, body: str = "body", raw: bytes = b"") -> bytes:
    """A message from header lines, a text body and optional raw bytes after it."""
    head = "".join(f"{line}\r\n" for line in headers)
    return (head + "\r\n" + body).encode() + raw


# --- hand-made input -------------------------------------------------------------


@pytest.mark.parametrize("value", ["(c):", '"', "undisclosed-recipients:;", "", "<>", "@"])
def test_odd_address_headers_give_no_address_and_no_error(value: str) -> None:
    raw = mail("From: a@b.example", f"To: {value}", f"Cc: {value}")

    assert parse_headers(raw).to == ()
    parsed = parse_message(raw)
    assert (parsed.headers.to, parsed.headers.cc) == ((), ())
    assert parsed.headers.from_ == (Address("", "a@b.example"),)


@pytest.mark.parametrize("separator", ["", " ", "(", ")", "<", ">", "@", '"', "[", ":", "."])
def test_cve_2023_27043_style_addresses_yield_neither_address(separator: str) -> None:
    """alice@example.com{sep}<bob@evil.example>: no guess, nothing to link a client by."""
    raw = mail(f"From: alice@example.com{separator}<bob@evil.example>", "To: me@home.example")

    assert parse_headers(raw).from_ == ()
    parsed = parse_message(raw)
    assert parsed.headers.from_ == ()
    assert parsed.warnings
    assert parsed.warnings[0].startswith("From: ")


def test_address_lists_keep_every_valid_mailbox() -> None:
    headers = parse_headers(
        mail(
            'To: "Doe, John" <john@x.example>, =?utf-8?B?0JjQstCw0L0=?= <ivan@y.example>;'
            " Team: ann@z.example, bob@z.example;, local@localhost, JOHN@x.example",
            "Cc: =?koi8-r?B?8MXU0s/X?= <petrov@mail.example>",
        )
    )

    assert headers.to == (
        Address("Doe, John", "john@x.example"),
        Address("Иван", "ivan@y.example"),
        Address("", "ann@z.example"),
        Address("", "bob@z.example"),
    )
    assert headers.cc == (Address("Петров", "petrov@mail.example"),)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<abc.123@host.example>", "abc.123@host.example"),
        ("  <  spaced@host.example >  ", "spaced@host.example"),
        ("bare@host.example", "bare@host.example"),
        ("<first@a.example> <second@b.example>", "first@a.example"),
        ("<odd@id@example>", "odd@id@example"),
        ("<>", None),
        ("<[>", None),
        ("<@>", None),
        ("garbage", None),
        pytest.param("<" + "x" * 990 + "@y.example>", None, id="longer than a key may hold"),
        ("<ид@пример.рф>", None),
    ],
)
def test_message_ids(value: str, expected: str | None) -> None:
    headers = parse_headers(mail(f"Message-ID: {value}", "Subject: s"))

    assert headers.message_id == expected
    assert headers.synthetic_id == (expected or headers.synthetic_id)
    assert expected is not None or headers.synthetic_id.startswith("synthetic-")


def test_synthetic_id_is_stable_and_depends_on_date_from_to_subject() -> None:
    base = ["Date: Mon, 1 Jan 2024 10:00:00 +0000", "From: a@b.example", "To: c@d.example"]
    one = parse_headers(mail(*base, "Subject: Hello", "X-Other: 1"))
    again = parse_headers(mail(*base, "Subject: Hello", "X-Other: 2", body="other body"))
    other = parse_headers(mail(*base, "Subject: Hello again"))

    assert one.synthetic_id == again.synthetic_id
    assert one.synthetic_id != other.synthetic_id
    assert re.fullmatch(r"synthetic-[0-9a-f]{64}", one.synthetic_id)


def test_references_and_in_reply_to() -> None:
    headers = parse_headers(
        mail(
            "In-Reply-To: <parent@x.example> (comment)",
            "References: <root@x.example>\r\n <mid@x.example> <parent@x.example> <root@x.example>",
        )
    )

    assert headers.in_reply_to == "parent@x.example"
    assert headers.references == ("root@x.example", "mid@x.example", "parent@x.example")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, 1 Jan 2024 10:00:00 +0300", datetime(2024, 1, 1, 7, 0, tzinfo=UTC)),
        ("1 Jan 2024 10:00 -0000", datetime(2024, 1, 1, 10, 0, tzinfo=UTC)),
        ("Fri, 21 Nov 1997 09(comment):   55  :  06 -0600",
         datetime(1997, 11, 21, 15, 55, 6, tzinfo=UTC)),
        ("2024-01-01T10:00:00+01:00", datetime(2024, 1, 1, 9, 0, tzinfo=UTC)),
        ("yesterday", None),
        ("Mon, 30 Jun 3609 15:33:50 +0600", None),
        ("", None),
    ],
)  # fmt: skip
def test_dates_are_aware_utc_or_none(value: str, expected: datetime | None) -> None:
    assert parse_headers(mail(f"Date: {value}")).date == expected


@pytest.mark.parametrize(
    ("header", "automatic"),
    [
        ("Auto-Submitted: auto-replied", True),
        ("Auto-Submitted: auto-generated; owner-email=x@y.example", True),
        ("Auto-Submitted: no", False),
        ("X-Autoreply: yes", True),
        ("X-Autorespond: vacation", True),
        ("Precedence: auto_reply", True),
        ("Precedence: bulk", False),
        ("X-Mailer: Outlook", False),
    ],
)
def test_auto_replies_are_recognised(header: str, automatic: bool) -> None:
    assert parse_headers(mail(header)).auto_submitted is automatic


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        ("=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?= =?windows-1251?Q?_=EC=E8=F0?=", "Привет мир"),
        ("=?utf-8?B?0J/RgNC4?= =?utf-8?B?0LLQtdGC?=", "Привет"),
        ("=?utf-8?B?0J/R?= =?utf-8?B?gNC40LLQtdGC?=", "Привет"),  # a letter split in two words
        ("=?x-unknown?B?z/Do4uXy?=", "Привет"),  # unknown charset, cp1251 bytes
        ("=?utf-8*ru?Q?=D0=94=D0=B0?=", "Да"),  # RFC 2231 language tag
        ("=?utf-8?B?broken base64!?=", "=?utf-8?B?broken base64!?="),
        ("Re: plain", "Re: plain"),
        ("line\r\n break", "line break"),
    ],
)
def test_subjects(subject: str, expected: str) -> None:
    assert parse_headers(mail(f"Subject: {subject}")).subject == expected


def test_raw_8bit_cp1251_and_koi8r_subjects_are_told_apart() -> None:
    cp1251 = parse_headers(b"Subject: " + "Привет, как дела".encode("cp1251") + b"\r\n\r\n")
    koi8 = parse_headers(b"Subject: " + "Привет, как дела".encode("koi8-r") + b"\r\n\r\n")

    assert cp1251.subject == koi8.subject == "Привет, как дела"


def test_unknown_body_charset_falls_back_with_a_warning() -> None:
    raw = mail(
        "Content-Type: text/plain; charset=x-foo", body="", raw="Привет мир".encode("cp1251")
    )

    parsed = parse_message(raw)

    assert parsed.text == "Привет мир"
    assert parsed.warnings == ("unknown charset x-foo, decoded as cp1251",)


def test_undeclared_koi8r_body_and_mislabelled_utf8() -> None:
    koi8 = parse_message(mail("Subject: s", body="", raw="Добрый день, коллеги".encode("koi8-r")))
    lying = parse_message(
        mail("Content-Type: text/plain; charset=utf-8", body="", raw="Добрый день".encode("cp1251"))
    )

    assert koi8.text == "Добрый день, коллеги"
    assert koi8.warnings == ("no charset, decoded as koi8-r",)
    assert lying.text == "Добрый день"
    assert lying.warnings == ("not utf-8, decoded as cp1251",)


def test_policy_default_failures_fall_back_to_compat32() -> None:
    raw = mail(
        "From: a@b.example",
        "Content-Type: multipart/alternative; boundary=----=_Part_1",
        body="------=_Part_1\r\nContent-Type: text/plain\r\n\r\nhello\r\n------=_Part_1--\r\n",
    )

    parsed = parse_message(raw)

    assert parsed.text == "hello"
    assert parsed.warnings[0].startswith("fell back to compat32: ")


HOSTILE_HTML = """<html><head><title>T</title><style>p{x:url(http://t.example/)}</style>
<script>alert(1)</script></head><body onload="steal()">
<p style="color:red;background:url(http://track.example/p)" onclick="x()">Hello</p>
<img src="cid:logo@x" onerror="alert(1)"><img src="data:image/png;base64,AAAA">
<img src="https://remote.example/pixel.gif"><img src="javascript:alert(1)"><img src="file:///etc/passwd">
<a href="javascript:alert(1)">js</a><a href="JaVaScRiPt:alert(2)">js2</a>
<a href="data:text/html,<script>x</script>">data</a><a href="https://ok.example/">ok</a>
<iframe src="https://x.example/"></iframe><form action="https://x.example/"><input name="p"></form>
<svg onload="alert(1)"><script>alert(2)</script></svg>
</body></html>"""


def test_html_is_sanitized_but_keeps_images_for_the_viewer() -> None:
    parsed = parse_message(mail("Content-Type: text/html; charset=utf-8", body=HOSTILE_HTML))

    html = parsed.html
    assert html is not None
    for banned in ("<script", "alert", "onerror", "onclick", "onload", "javascript:", "<iframe"):
        assert banned not in html.lower()
    for banned in ("<form", "<input", "url(", "<style", "file:", "data:text", "<svg"):
        assert banned not in html
    assert '<p style="color:red">Hello</p>' in html
    assert '<img src="cid:logo@x">' in html
    assert '<img src="data:image/png;base64,AAAA">' in html
    assert '<img src="https://remote.example/pixel.gif">' in html  # the viewer blocks it
    assert '<a href="https://ok.example/" rel="noopener noreferrer">ok</a>' in html
    assert parsed.text.split("\n")[0] == "Hello"
    assert "alert" not in parsed.text


def test_html_text_keeps_line_breaks_and_quotes() -> None:
    body = (
        "<div>Line one</div><div>Line two<br>Line three</div><p>Para</p>"
        "<div>On Mon, Ann wrote:<blockquote>old text</blockquote></div>"
    )
    parsed = parse_message(mail("Content-Type: text/html", body=body))

    assert (
        parsed.text == "Line one\nLine two\nLine three\n\nPara\n\nOn Mon, Ann wrote:\n\n> old text"
    )


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\Users\\\\ann\\\\cv.pdf"', "cv.pdf"),
        ('attachment; filename="Report 1/2.pdf"', "Report 1_2.pdf"),
        ('attachment; filename="invoice\u202egpj.exe"', "invoicegpj.exe"),
        ('attachment; filename="a\tb:c?.txt"', "a b_c_.txt"),
        ('attachment; filename="CON.txt"', "_CON.txt"),
        ('attachment; filename=".."', "attachment-1.pdf"),
        ("attachment", "attachment-1.pdf"),
        ("attachment; filename*=utf-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf", "отчёт.pdf"),
        ('attachment; filename="=?utf-8?B?0L7RgtGH0ZHRgi5wZGY=?="', "отчёт.pdf"),
        pytest.param(f'attachment; filename="{"x" * 300}.pdf"', "x" * 196 + ".pdf", id="long"),
    ],
)
def test_attachment_names_are_safe(disposition: str, expected: str) -> None:
    raw = mail(
        "Content-Type: multipart/mixed; boundary=B",
        body=(
            "--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            f"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: {disposition}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--B--\r\n"
        ),
    )

    parsed = parse_message(raw)

    assert parsed.text == "see attached"
    [part] = parsed.attachments
    assert (part.filename, part.data) == (expected, b"%PDF-")


def test_size_limits() -> None:
    with pytest.raises(MessageTooLargeError, match="over the 50 MB limit"):
        parse_message(b"Subject: big\r\n\r\n" + b"x" * MAX_MESSAGE_BYTES)
    with pytest.raises(UnparseableMessageError, match="empty"):
        parse_message(b" \r\n")
    with pytest.raises(UnparseableMessageError, match="not an email message"):
        parse_message(bytes(range(256)) * 4)


def test_absurd_nesting_is_cut_not_crashed() -> None:
    depth = 1200
    raw = b"From: a@b.example\r\n" + b"Content-Type: message/rfc822\r\n\r\n" * depth + b"x"

    parsed = parse_message(raw)

    assert "too many or too deeply nested parts; the rest was skipped" in parsed.warnings
    assert parsed.headers.from_ == (Address("", "a@b.example"),)


# --- quoted history -------------------------------------------------------------

FOLDS = {
    "gmail": (
        "Sounds good, see you then.\n\nOn Mon, Jan 15, 2024 at 10:00 AM Ann Lee <ann@x.example>"
        " wrote:\n> Shall we meet at ten?\n>\n> Ann",
        "Sounds good, see you then.",
        "On Mon, Jan 15, 2024 at 10:00 AM Ann Lee <ann@x.example> wrote:",
    ),
    "gmail wrapped": (
        "Yes.\n\nOn Mon, Jan 15, 2024 at 10:00 AM Ann Lee <\nann@x.example> wrote:\n\n> Ok?",
        "Yes.",
        "On Mon, Jan 15, 2024 at 10:00 AM Ann Lee <",
    ),
    "outlook": (
        "Thanks!\n\n________________________________\nFrom: Ann Lee <ann@x.example>\n"
        "Sent: Monday, January 15, 2024 10:00\nTo: Bob\nSubject: Price\n\nWhat is the price?",
        "Thanks!",
        "________________________________",
    ),
    "original message": (
        "See below.\n\n-----Original Message-----\nFrom: Ann\nSent: today\n\nOld text",
        "See below.",
        "-----Original Message-----",
    ),
    "trailing quotes only": (
        "Agreed.\n\n> Can we ship on Friday?\n> Ann",
        "Agreed.",
        "> Can we ship on Friday?",
    ),
    "thunderbird ru": (
        "Договорились.\n\n15.01.2024 12:34, Иван Петров пишет:\n> Встречаемся в десять?",
        "Договорились.",
        "15.01.2024 12:34, Иван Петров пишет:",
    ),
    "gmail ru": (
        "Да, подходит.\n\nпн, 15 янв. 2024 г. в 12:34, Иван Петров <ivan@x.example>:\n\n> Удобно?",
        "Да, подходит.",
        "пн, 15 янв. 2024 г. в 12:34, Иван Петров <ivan@x.example>:",
    ),
    "apple ru": (
        "Спасибо!\n\n15 янв. 2024 г., в 12:34, Иван <ivan@x.example> написал(а):\n\n"
        "> Счёт во вложении",
        "Спасибо!",
        "15 янв. 2024 г., в 12:34, Иван <ivan@x.example> написал(а):",
    ),
    "thunderbird ru forward": (
        "Посмотрите, пожалуйста.\n\n-------- Исходное сообщение --------\n"
        "Тема: Счёт\nДата: сегодня",
        "Посмотрите, пожалуйста.",
        "-------- Исходное сообщение --------",
    ),
    "outlook ru": (
        "Принято.\n\nОт: Иван Петров <ivan@x.example>\nОтправлено: 15 января 2024 г. 12:34\n"
        "Кому: Анна\nТема: Счёт",
        "Принято.",
        "От: Иван Петров <ivan@x.example>",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", FOLDS.values(), ids=FOLDS.keys())
def test_quoted_history_is_folded(case: tuple[str, str, str]) -> None:
    text, new_part, first_history_line = case

    new, history = fold_quoted(text)

    assert new == new_part
    assert history is not None
    assert history.split("\n")[0] == first_history_line
    assert history.rstrip().endswith(text.rstrip()[-8:])


@pytest.mark.parametrize(
    "text",
    [
        "Just a note, nothing quoted.",
        "> Shall we meet?\n\nYes, at ten.\n\n> And lunch?\n\nSure.",  # interleaved answers stay
        "> only a quote\n> nothing new",
        "On Mon, Ann wrote:\n> quoted\nmy answer\n> more\nanother answer",
        "Meeting notes: price is 10.\nNext step: call John.",
        "",
    ],
)
def test_text_without_foldable_history_is_left_alone(text: str) -> None:
    assert fold_quoted(text) == (text, None)
