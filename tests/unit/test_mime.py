"""MIME layer against ~580 real messages from ten mail parsers' test suites (see
tests/data/mime/SOURCES.md). Hand-made hostile input and the folding of
quoted history are test_mime_handmade.py."""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path

import pytest

from services.core.errors import UserError
from services.mail.mime import (
    Address,
    MessageTooLargeError,
    ParsedMessage,
    UnparseableMessageError,
    fold_quoted,
    parse_headers,
    parse_message,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "mime"
OURS = {DATA / "SOURCES.md", DATA / ".gitattributes"}
CORPUS = sorted(p for p in DATA.rglob("*") if p.is_file() and p not in OURS)
NOT_MAIL = "no header fields found: the data is not an email message"
# Everything else in the corpus must import; these are refused, and say why.
REFUSED = {
    "SpamScope_mail-parser/tests/mails/mail_outlook_1": "this is an Outlook .msg file",
    "apache_james-mime4j/core/src/test/resources/mimetools-testmsgs/ARTISTIC-LICENSE.txt": NOT_MAIL,
    "apache_james-mime4j/core/src/test/resources/testmsgs/malformedHeader-noheader.msg": NOT_MAIL,
    "apache_james-mime4j/core/src/test/resources/testmsgs/malformedHeaderStartsBody-noheader.msg": (
        NOT_MAIL
    ),
    "jhillyerd_enmime/testdata/mail/erroneous.raw": NOT_MAIL,
    "mikel_mail/spec/fixtures/emails/.gitattributes": NOT_MAIL,
    "mikel_mail/spec/fixtures/emails/sample_output_multipart": "the message is empty",
    "stalwartlabs_mail-parser/resources/eml/legacy/COPYING": NOT_MAIL,
    "stalwartlabs_mail-parser/resources/eml/malformed/COPYING": NOT_MAIL,
    "stalwartlabs_mail-parser/resources/eml/thirdparty/COPYING": NOT_MAIL,
}
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def relative(path: Path) -> str:
    return path.relative_to(DATA).as_posix()


def message(name: str, **kwargs: int) -> ParsedMessage:
    return parse_message((DATA / name).read_bytes(), **kwargs)


def assert_sane(parsed: ParsedMessage) -> None:
    for part in parsed.attachments:
        assert part.filename
        assert len(part.filename) <= 200
        assert not re.search(r'[\\/\x00-\x1f<>:"|?*]', part.filename)
        assert (part.data is None) == (part.skipped_reason is not None)
        assert part.data is None or len(part.data) == part.size
    assert "\x00" not in parsed.text
    if parsed.html is not None:
        assert not re.search(r"<script|<iframe|<form|\son\w+\s*=|javascript:", parsed.html, re.I)
    date = parsed.headers.date
    assert date is None or date.tzinfo is UTC


# --- every real message ----------------------------------------------------------


def test_the_real_corpus_is_present() -> None:
    assert len(CORPUS) >= 580


@pytest.mark.parametrize("path", CORPUS, ids=relative)
def test_every_real_message_imports_or_is_refused_with_its_reason(path: Path) -> None:
    raw = path.read_bytes()
    headers = parse_headers(raw)  # never raises
    end = _HEADER_END.search(raw)
    if end:  # a header-only fetch gives the same key as the whole message
        assert parse_headers(raw[: end.end()]) == headers
    expected = REFUSED.get(relative(path))
    if expected is not None:
        with pytest.raises((MessageTooLargeError, UnparseableMessageError)) as refused:
            parse_message(raw)
        assert isinstance(refused.value, UserError)
        assert str(refused.value).startswith(expected)
        return
    parsed = parse_message(raw)
    assert parsed.headers == headers
    assert headers.synthetic_id == (headers.message_id or headers.synthetic_id)
    assert_sane(parsed)


# --- chosen real messages --------------------------------------------------------


def test_cyrillic_utf8_words_and_a_raw_utf8_filename_without_date() -> None:
    parsed = message("SpamScope_mail-parser/tests/mails/mail_test_1")

    assert parsed.headers.subject == "письмо уведом-е"
    assert parsed.headers.from_ == (Address("служба ФНС Даниил Суворов", "suvorov.s@nalg.ru"),)
    assert parsed.headers.date is None  # the message has no Date header
    assert parsed.headers.message_id is None
    assert parsed.headers.synthetic_id.startswith("synthetic-")
    assert parsed.text.startswith("Налогоплательщик!\nИнформируем Вас")
    assert [(a.filename, a.size) for a in parsed.attachments] == [("ФНС_РФ558.zip", 8932)]


def test_koi8r_encoded_word_in_an_unquoted_filename_parameter() -> None:
    # name==?koi8-r?B?...?= : policy.default drops the parameter, compat32 keeps it.
    parsed = message("apache_james-mime4j/core/src/test/resources/testmsgs/russian-headers.msg")

    assert parsed.headers.subject == "A simple subject"
    [part] = parsed.attachments
    assert part.filename == "Список.doc"
    assert part.data == b"A simple body.\r\n"


def test_windows_1251_sender_and_a_boundary_only_compat32_reads() -> None:
    parsed = message("mikel_mail/spec/fixtures/emails/plain_emails/raw_email_bad_time.eml")

    assert parsed.headers.from_ == (Address("Атиковa", "yusuf75thu@auracom.net"),)
    assert parsed.headers.date is None  # "Mon, 30 Jun 3609": a broken clock, not a date
    assert parsed.warnings == (
        "fell back to compat32: policy.default found no parts in multipart/alternative",
    )
    assert parsed.text.startswith("Filter2: This message has been scanned for viruses")
    assert parsed.html is not None
    assert '<a href="http://www.mailscanner.info/"' in parsed.html


def test_windows_1251_html_and_text_bodies() -> None:
    parsed = message("SpamScope_mail-parser/tests/mails/mail_test_4")

    assert parsed.text.startswith("Dear All,\nWe have made the payment of USD 103,349,35.")
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("img1.jpg", "image/jpeg"),
        ("Payment Invoice.zip", "application/x-zip-compressed"),
    ]


def test_html_only_message_gets_text_and_keeps_its_cid_image() -> None:
    parsed = message("jhillyerd_enmime/testdata/mail/html-only-inline.raw")

    assert parsed.text == "Test of HTML section"
    assert parsed.html is not None
    assert 'src="cid:8B8481A2-25CA-4886-9B5A-8EB9115DD064@skynet"' in parsed.html
    assert "apple-width" not in parsed.html
    [image] = parsed.attachments
    assert image.filename == "favicon.png"
    assert image.content_type == "image/png"
    assert image.content_id == "8B8481A2-25CA-4886-9B5A-8EB9115DD064@skynet"
    assert image.size == 687
    assert image.data is not None
    assert image.data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("apache_james-mime4j/core/src/test/resources/mimetools-testmsgs/"
         "attachment-filename-encoding-UTF8.msg", "attachment.äöü"),
        ("apache_james-mime4j/core/src/test/resources/mimetools-testmsgs/"
         "attachment-filename-encoding-Latin1.msg", "attachment.äöü"),
        ("mikel_mail/spec/fixtures/emails/multi_charset/japanese_attachment_long_name.eml",
         "かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"),
    ],
)  # fmt: skip
def test_rfc2231_filenames_are_decoded(name: str, filename: str) -> None:
    assert [a.filename for a in message(name).attachments] == [filename]


def test_calendar_invite_exposes_the_request() -> None:
    parsed = message("postalsys_postal-mime/test/fixtures/calendar-event.eml")

    assert parsed.headers.subject.startswith("Invitation: Test event ⏰ @ Thu Apr 11, 2024")
    assert parsed.calendar is not None
    assert parsed.calendar.startswith("BEGIN:VCALENDAR")
    assert "METHOD:REQUEST" in parsed.calendar
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("invite.ics", "application/ics")
    ]
    assert parsed.text.startswith("Test event ⏰\nThursday Apr 11, 2024")


def test_exchange_invite_in_alternative() -> None:
    parsed = message("php-mime-mail-parser/tests/mails/m0020")

    assert parsed.calendar is not None
    assert "METHOD:REQUEST" in parsed.calendar
    assert "PRODID:Microsoft Exchange Server 2010" in parsed.calendar
    assert parsed.text == "1"
    assert parsed.attachments == ()


def test_nested_message_is_kept_whole_and_its_text_folds_as_history() -> None:
    parsed = message(
        "apache_james-mime4j/core/src/test/resources/mimetools-testmsgs/mp-msg-rfc822.msg"
    )

    [enclosed] = parsed.attachments
    assert enclosed.content_type == "message/rfc822"
    assert enclosed.filename == "Re_ 34Mbit_s Netz.eml"  # from its subject; "/" is not a folder
    assert enclosed.data is not None
    assert parse_message(enclosed.data).headers.subject == "Re: 34Mbit/s Netz"
    new, history = fold_quoted(parsed.text)
    assert new.endswith("Juergen Specht - KULTURBOX")
    assert history is not None
    assert history.startswith(
        "---------- Attached message ----------\n"
        "From: Guenter Deuschle <deuschle@mnh.telekom.de>\n"
        "Date: 1996-06-19 16:12 UTC\n"
        "Subject: Re: 34Mbit/s Netz\n\nHallo Herr Specht,"
    )


def test_digest_parts_are_messages_by_default() -> None:
    parsed = message(
        "apache_james-mime4j/core/src/test/resources/mimetools-testmsgs/multi-digest.msg"
    )

    assert [a.filename for a in parsed.attachments] == [
        "embedded message 1.eml",
        "embedded message 2.eml",
    ]
    assert parsed.text.count("---------- Attached message ----------") == 2
    assert "This is implicitly-typed ASCII text." in parsed.text


def test_base64_encoded_nested_message_is_decoded() -> None:
    parsed = message(
        "apache_james-mime4j/core/src/test/resources/testmsgs/base64encoded-rfc822message.msg"
    )

    assert parsed.text.endswith("Text body")
    [enclosed] = parsed.attachments
    assert enclosed.data is not None
    assert enclosed.data.startswith(b"Content-Type: text/plain; charset=us-ascii")


def test_obsolete_header_syntax_is_read() -> None:
    # "Subject :value", empty lines in folding, and a header name with a non-ASCII letter.
    parsed = message("apache_james-mime4j/core/src/test/resources/testmsgs/obsolete.msg")

    assert parsed.headers.subject == (
        "The obsolete syntax allow spaces before the colon        and also empty lines in folding."
    )
    assert parsed.headers.date is None  # "Malformed Date."
    assert parsed.text.endswith("body")


def test_rfc2822_obsolete_comments_and_spaces_in_addresses() -> None:
    headers = parse_headers(
        (DATA / "mikel_mail/spec/fixtures/emails/rfc2822/example10.eml").read_bytes()
    )

    assert [a.email for a in headers.from_] == ["pete@silly.test"]
    assert [a.email for a in headers.to] == ["c@public.example", "joe@example.org", "jdoe@one.test"]


def test_raw_utf8_headers_rfc6532() -> None:
    headers = parse_headers(
        (DATA / "mikel_mail/spec/fixtures/emails/rfc6532/utf8_headers.eml").read_bytes()
    )

    assert headers.subject == "Säying Hello"
    assert headers.from_ == (Address("Jöhn Doe", "jdöe@mächine.example"),)


def test_205_kb_subject_header() -> None:
    parsed = message("mailgun_flanker/tests/fixtures/messages/long-header.eml")

    sentence = "Die heiße Zypernsonne quälte Max und Victoria ja böse auf dem Weg bis zur Küste"
    assert parsed.headers.subject.startswith(sentence + sentence)
    # cut at 64 K characters (the database keeps 5,000), and said so
    assert 500 < parsed.headers.subject.count(sentence) < 1000
    assert "Subject: 209,675 characters; cut at 65,536" in parsed.warnings
    assert parsed.headers.from_ == (Address("", "bob@example.com"),)
    assert parsed.text == "test"


def test_bounce_is_marked_automatic_with_its_report_attached() -> None:
    parsed = message("mailgun_flanker/tests/fixtures/messages/bounce/mailbox-full.eml")

    assert parsed.headers.subject == "Undelivered Mail Returned to Sender"
    assert parsed.headers.auto_submitted
    assert "Your e-mail is being returned to you" in parsed.text
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("attachment-1.txt", "message/delivery-status"),
        ("attachment-2.txt", "text/rfc822-headers"),
    ]
    status = parsed.attachments[0].data
    assert status is not None
    assert b"Status: 5.2.2" in status


def test_bounce_with_the_original_message_enclosed() -> None:
    parsed = message("nodemailer_mailparser/test/fixtures/delivery-status.eml")

    assert parsed.text.startswith("An error occurred while trying to deliver the mail")
    assert "---------- Attached message ----------\nFrom: xx xx <xxx@xxx.com>" in parsed.text
    assert [a.filename for a in parsed.attachments] == ["attachment-1.txt", "Example Subject.eml"]


def test_endless_nesting_is_cut_with_a_warning() -> None:
    parsed = message("mailgun_flanker/tests/fixtures/messages/enclosed-endless.eml")  # 2.8 MB

    assert parsed.headers.to == (Address("Александр Клижентас☯", "example@example.com"),)
    assert parsed.text.startswith("Hello\n\n---------- Attached message ----------")
    assert "too many or too deeply nested parts; the rest was skipped" in parsed.warnings


def test_attachment_over_the_limit_is_listed_without_data() -> None:
    parsed = message("php-mime-mail-parser/tests/mails/m0005", max_attachment_bytes=1_000_000)

    [part] = parsed.attachments
    assert (part.filename, part.size, part.data) == ("attach05", 1_635_877, None)
    assert part.skipped_reason == (
        "1,635,877 bytes is over the attachment limit of 1,000,000 bytes"
    )


def test_outlook_msg_file_is_refused_with_a_reason() -> None:
    with pytest.raises(UnparseableMessageError, match=r"Outlook \.msg file"):
        message("SpamScope_mail-parser/tests/mails/mail_outlook_1")


def test_email_address_as_display_name_is_not_trusted() -> None:
    parsed = message("SpamScope_mail-parser/tests/mails/mail_test_19")

    assert parsed.headers.from_ == ()  # "alice@example.com <bob@example.com>"
    assert parsed.headers.cc == ()
    assert [a.email for a in parsed.headers.to] == ["charlie@example.com", "dave@example.com"]
    assert parsed.warnings[0] == (
        "From: ambiguous or invalid address ignored: 'alice@example.com <bob@example.com>'"
    )


def test_mangled_mbox_from_line_is_skipped_for_the_real_from() -> None:
    headers = parse_headers(
        (
            DATA / "rjarry_aerc/lib/jwz/testdata/0002.b3120c4bcbf3101e661161ee7efcb8bf.eml"
        ).read_bytes()
    )

    assert headers.from_ == (Address("Steve Burt", "Steve_Burt@cursor-system.com"),)
