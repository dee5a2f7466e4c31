"""The Telegram Bot API client against the local Telegram-compatible server."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime

import pytest

from services.core.errors import EnvironmentFault, PasswordMissing, ValidationError
from services.inbound import telegram
from services.inbound.telegram import TelegramClient, TelegramRefused
from tests.telegram_server import TOKEN, FakeTelegramServer


def _client(server: FakeTelegramServer, **kwargs: object) -> TelegramClient:
    return TelegramClient(TOKEN, base_url=server.url, **kwargs)  # type: ignore[arg-type]


def test_messages_arrive_with_sender_and_offset_confirms_them(
    telegram: FakeTelegramServer,
) -> None:
    first = telegram.send("Здравствуйте! Нужен счёт на 10 кондиционеров")
    telegram.send("А ещё монтаж", first_name="Ёлка", last_name="", username="")
    client = _client(telegram)

    batch = client.get_updates(0, poll_seconds=0)

    assert [m.text for m in batch.messages] == [
        "Здравствуйте! Нужен счёт на 10 кондиционеров",
        "А ещё монтаж",
    ]
    one, two = batch.messages
    assert (one.first_name, one.last_name, one.username) == ("Иван", "Петров", "ivan_petrov")
    assert one.sender_name == "Иван Петров"
    assert two.sender_name == "Ёлка"
    assert two.username == ""
    assert one.chat_id == 501
    assert one.origin_key == f"tg:501:{one.message_id}"
    assert one.sent_at == datetime.fromtimestamp(1_790_000_000, UTC)
    assert batch.next_offset == first + 2
    # Not confirmed until asked with the new offset: a crash before storing loses nothing.
    assert [m.text for m in client.get_updates(0, poll_seconds=0).messages] == [
        m.text for m in batch.messages
    ]
    again = client.get_updates(batch.next_offset, poll_seconds=0)
    assert again.messages == ()
    assert again.next_offset == batch.next_offset
    assert telegram.pending() == 0


def test_long_poll_waits_for_a_message_and_returns_it(telegram: FakeTelegramServer) -> None:
    client = _client(telegram)
    timer = threading.Timer(0.3, lambda: telegram.send("Перезвоните мне"))
    timer.start()
    try:
        batch = client.get_updates(0, poll_seconds=5)
    finally:
        timer.cancel()
    assert [m.text for m in batch.messages] == ["Перезвоните мне"]
    assert telegram.requests[-1]["timeout"] == "5"


def test_updates_that_are_not_text_are_confirmed_but_not_messages(
    telegram: FakeTelegramServer,
) -> None:
    telegram.send_update({"edited_message": {"message_id": 1, "chat": {"id": 1}, "text": "x"}})
    telegram.send_update(
        {"message": {"message_id": 2, "chat": {"id": 7}, "date": 1, "sticker": {}}}
    )
    last = telegram.send_update(
        {"message": {"message_id": 3, "chat": {"id": 7}, "date": 1, "caption": "Фото счёта"}}
    )
    batch = _client(telegram).get_updates(0, poll_seconds=0)
    assert [m.text for m in batch.messages] == ["Фото счёта"]
    assert batch.skipped == 2
    assert batch.next_offset == last + 1


def test_wrong_token_is_refused_without_showing_it(
    telegram: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    other = "987654321:AAEsomeoneElsesTokenWhichIsWrong_xyz"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TelegramRefused) as info:
        TelegramClient(other, base_url=telegram.url).get_updates(0, poll_seconds=0)
    assert "refused the bot token" in str(info.value)
    assert other not in str(info.value)
    assert other not in caplog.text
    assert "987654321" not in repr(TelegramClient(other, base_url=telegram.url))


def test_bot_name_proves_the_token(telegram: FakeTelegramServer) -> None:
    assert _client(telegram).bot_name() == "touchpoint_test_bot"


@pytest.mark.parametrize(
    ("reply", "status", "message"),
    [
        (b"<html>502 Bad Gateway</html>", 502, "does not understand"),
        (b"\xff\xfe\x00garbage", 200, "does not understand"),
        (b"[" * 100_000 + b"]" * 100_000, 200, "does not understand"),
        (json.dumps({"ok": True, "result": {"not": "a list"}}).encode(), 200, "no list"),
        (
            json.dumps({"ok": False, "description": "Too Many Requests"}).encode(),
            429,
            "Too Many Requests",
        ),
        (
            json.dumps({"ok": False, "description": "Conflict: webhook is active"}).encode(),
            409,
            "webhook",
        ),
    ],
)
def test_hostile_or_failed_answers_are_clear_errors(
    telegram: FakeTelegramServer, reply: bytes, status: int, message: str
) -> None:
    telegram.raw_reply, telegram.status = reply, status
    with pytest.raises((EnvironmentFault, TelegramRefused), match=message):
        _client(telegram).get_updates(0, poll_seconds=0)


def test_an_answer_over_the_size_cap_is_refused(telegram: FakeTelegramServer) -> None:
    for _ in range(30):
        telegram.send("Ж" * 4000)
    with pytest.raises(EnvironmentFault, match="larger than"):
        _client(telegram, max_bytes=64 * 1024).get_updates(0, poll_seconds=0)
    assert telegram.pending() == 30  # nothing confirmed, nothing lost


def test_hostile_fields_are_skipped_or_cleaned(telegram: FakeTelegramServer) -> None:
    good = {"message_id": 9, "chat": {"id": 5}, "date": 1_790_000_000}
    telegram.send_update({"message": {**good, "text": "Счёт\x00 \u202eпожалуйста\x1b[31m"}})
    telegram.send_update({"message": {**good, "chat": {"id": True}, "text": "bool id"}})
    telegram.send_update({"message": {**good, "message_id": "9", "text": "string id"}})
    telegram.send_update({"message": {**good, "text": ["not", "text"]}})
    telegram.send_update(
        {
            "message": {
                **good,
                "date": 10**15,
                "text": "far future",
                "from": {"first_name": "А" * 5000, "username": 7},
            }
        }
    )
    telegram.send_update({"message": "just a string"})
    batch = _client(telegram).get_updates(0, poll_seconds=0)
    texts = [m.text for m in batch.messages]
    assert texts == ["Счёт пожалуйста[31m", "far future"]
    far = batch.messages[1]
    assert len(far.first_name) == 256
    assert far.username == ""
    assert far.sent_at.year == datetime.now(UTC).year
    assert batch.skipped == 4


def test_a_message_longer_than_the_cap_is_cut() -> None:
    update = {
        "update_id": 5,
        "message": {"message_id": 1, "chat": {"id": 1}, "date": 1, "text": "я" * 100_000},
    }
    batch = telegram.parse_updates([update], 0)
    assert len(batch.messages[0].text) == telegram.MAX_TEXT


def test_replayed_updates_below_the_offset_are_dropped() -> None:
    update = {
        "update_id": 5,
        "message": {"message_id": 1, "chat": {"id": 1}, "date": 1, "text": "уже было"},
    }
    batch = telegram.parse_updates([update, update], 6)
    assert batch.messages == ()
    assert batch.next_offset == 6
    twice = telegram.parse_updates([update, update], 0)
    assert len(twice.messages) == 1
    assert twice.next_offset == 6


def test_unreachable_server_is_an_environment_fault_without_the_token() -> None:
    from tests.servers import free_port

    client = TelegramClient(TOKEN, base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(EnvironmentFault, match="could not be reached") as info:
        client.get_updates(0, poll_seconds=0)
    assert TOKEN not in str(info.value)


def test_a_server_that_never_answers_times_out(telegram: FakeTelegramServer) -> None:
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        port = silent.getsockname()[1]
        client = TelegramClient(TOKEN, base_url=f"http://127.0.0.1:{port}")
        with pytest.raises(EnvironmentFault, match="could not be reached"):
            client.get_updates(0, poll_seconds=0, limit=1)
    finally:
        silent.close()


def test_token_lives_in_the_keyring_only() -> None:
    telegram.store_token("source-uid-1", f"  {TOKEN}  ")
    assert telegram.load_token("source-uid-1") == TOKEN
    telegram.forget_token("source-uid-1")
    with pytest.raises(PasswordMissing):
        telegram.load_token("source-uid-1")


@pytest.mark.parametrize(
    "bad", ["", "   ", "not a token", "123:short", "abc:" + "x" * 40, TOKEN + "\n" + TOKEN]
)
def test_malformed_tokens_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        telegram.store_token("source-uid-2", bad)
