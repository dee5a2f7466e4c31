"""What a reply starts with: the address, one "Re:" and the quote."""

from __future__ import annotations

import datetime as dt

from services.mail import reply
from services.mail.messages import LetterView


def _letter(direction: str = "in", subject: str = "Счёт", text: str = "Да\n\nНет") -> LetterView:
    return LetterView(
        message_id=1,
        interaction_id=1,
        direction=direction,
        subject=subject,
        sender="Иван Петров <ivan@romashka.ru>",
        recipients=("Я <me@x.example>", "boss@x.example"),
        copies=(),
        sent_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
        html=None,
        text=text,
        quoted=None,
        reason=None,
        body_state="fetched",
    )


def test_a_reply_goes_to_the_sender_of_a_letter_received_and_the_recipient_of_one_sent() -> None:
    assert reply.draft(_letter("in"), "Иван wrote:").to == "ivan@romashka.ru"
    assert reply.draft(_letter("out"), "Я wrote:").to == "me@x.example"


def test_re_is_added_once() -> None:
    assert reply.reply_subject("Счёт") == "Re: Счёт"
    assert reply.reply_subject("RE: Счёт") == "RE: Счёт"
    assert reply.reply_subject("  re :  Счёт ") == "re : Счёт"
    assert reply.reply_subject("") == "Re:"


def test_every_line_is_quoted_under_the_heading() -> None:
    body = reply.draft(_letter(), "Иван написал:").body
    assert body == "\n\nИван написал:\n> Да\n>\n> Нет\n"
    assert reply.draft(_letter(text=""), "x").body == ""
