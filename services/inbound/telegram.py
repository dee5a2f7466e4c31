"""A Telegram bot's incoming messages, read with the Bot API's long polling.

``getUpdates`` hands out every update whose id is at least the ``offset``
asked for and forgets the ones below it. So the client here is stateless:
it returns the messages and the offset that confirms them, and the caller
stores that offset in the same transaction as the requests it made from
them. A crash before that commit asks for the same updates again; after it,
never: each message becomes a request exactly once.

Telegram's answer is outside data: the body is read up to a size cap and a
deadline, the JSON is checked field by field, text is capped and cleaned of
control characters. The bot token is a password (whoever has it reads the
bot's messages): it lives in the OS keyring, and no message or log line
carries it (the request URL contains it, so errors never quote the URL).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.core import keyring_store
from services.core.errors import EnvironmentFault, PasswordMissing, UserError, ValidationError

API_URL = "https://api.telegram.org"
KEYRING_SERVICE = "Touchpoint Telegram"
WHAT = "the Telegram bot token"
# "123456789:AA...": the bot's id, a colon, then 35 characters today; allow some growth.
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,200}$")
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
MAX_TEXT = 20_000  # Telegram caps a message at 4,096 characters and a caption at 1,024
MAX_NAME = 256
MAX_UPDATES = 100  # Telegram's own upper limit per call
POLL_SECONDS = 25  # how long Telegram may hold a long poll open
_MARGIN_SECONDS = 10  # the network's share on top of the poll time
_DROP = frozenset({"Cc", "Cf", "Co", "Cs"})
_KEEP = frozenset("\n\t")


class TelegramRefused(UserError):
    """Telegram answered but refused: a wrong token, a webhook in the way."""

    code = "telegram.refused"


@dataclass(frozen=True)
class TelegramMessage:
    """One text message a person sent to the bot, cleaned for storage."""

    update_id: int
    chat_id: int
    message_id: int
    sent_at: datetime  # UTC
    text: str
    first_name: str
    last_name: str
    username: str  # without "@", as Telegram spells it; "" when the person has none

    @property
    def sender_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def origin_key(self) -> str:
        """The request's source_key: chat and message id (a message id is unique per chat)."""
        return f"tg:{self.chat_id}:{self.message_id}"


@dataclass(frozen=True)
class TelegramBatch:
    """What one poll brought: the messages, and the offset that confirms them.

    ``next_offset`` covers the skipped updates too (edits, joins, stickers):
    they are not requests, and asking for them again would only stall.
    """

    messages: tuple[TelegramMessage, ...]
    next_offset: int
    skipped: int


def check_token(token: str) -> str:
    token = token.strip()
    if not token:
        raise ValidationError(
            "The Telegram bot token is empty", field="token", code="telegram.token_empty"
        )
    if not _TOKEN.match(token):
        raise ValidationError(
            "This is not a Telegram bot token: it looks like 123456789:AAE…, "
            "as @BotFather gives it",
            field="token",
            code="telegram.token_malformed",
        )
    return token


def store_token(source_key: str, token: str) -> None:
    """Into the OS keyring, under the source's stable key; refused without one."""
    keyring_store.put(KEYRING_SERVICE, source_key, check_token(token), WHAT)


def load_token(source_key: str) -> str:
    token = keyring_store.get(KEYRING_SERVICE, source_key, WHAT)
    if not token:
        raise PasswordMissing(
            "No Telegram bot token is saved for this source; enter it again",
            code="telegram.token_missing",
        )
    return token


def forget_token(source_key: str) -> None:
    keyring_store.delete(KEYRING_SERVICE, source_key, WHAT)


Opener = Callable[[urllib.request.Request, float], Any]


def _open(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(request, timeout=timeout)


class TelegramClient:
    """The few Bot API calls Touchpoint needs, over plain HTTPS.

    ``base_url`` is Telegram's, or a local server speaking the same API in
    tests. ``opener`` exists for the same reason and defaults to urllib.
    """

    def __init__(
        self,
        token: str,
        *,
        base_url: str = API_URL,
        opener: Opener = _open,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self._token = check_token(token)
        self._base = base_url.rstrip("/")
        self._opener = opener
        self._max_bytes = max_bytes

    def __repr__(self) -> str:  # never the token, not even in a traceback's locals
        return f"TelegramClient({self._base!r})"

    def bot_name(self, *, timeout: float = 15) -> str:
        """The bot's @username: proves the token before a source is saved."""
        result = self._call("getMe", {}, timeout)
        if not isinstance(result, dict):
            raise EnvironmentFault(
                "Telegram sent an answer Touchpoint does not understand", code="telegram.garbled"
            )
        return _text(result.get("username"), MAX_NAME) or _text(result.get("first_name"), MAX_NAME)

    def get_updates(
        self, offset: int, *, poll_seconds: int = POLL_SECONDS, limit: int = MAX_UPDATES
    ) -> TelegramBatch:
        """Messages from ``offset`` on; waits up to ``poll_seconds`` when there are none."""
        params = {
            "offset": str(max(0, offset)),
            "timeout": str(max(0, poll_seconds)),
            "limit": str(max(1, min(limit, MAX_UPDATES))),
            "allowed_updates": json.dumps(["message"]),
        }
        result = self._call("getUpdates", params, poll_seconds + _MARGIN_SECONDS)
        return parse_updates(result, offset)

    def _call(self, method: str, params: dict[str, str], seconds: float) -> Any:
        url = f"{self._base}/bot{self._token}/{method}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        deadline = time.monotonic() + seconds
        try:
            with self._opener(request, seconds) as response:
                body = _read_bounded(response, self._max_bytes, deadline)
                status = int(getattr(response, "status", 200))
        except urllib.error.HTTPError as exc:
            # Telegram explains a refusal in a JSON body; read a little of it.
            try:
                body = _read_bounded(exc, 64 * 1024, deadline)
            except (OSError, EnvironmentFault):
                body = b""
            status = exc.code
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or type(exc).__name__
            if isinstance(reason, BaseException):
                reason = type(reason).__name__ if not str(reason) else str(reason)
            raise EnvironmentFault(
                f"Telegram could not be reached ({_clean(str(reason), 200, self._token)})",
                code="telegram.unreachable",
            ) from None
        return self._result(body, status)

    def _result(self, body: bytes, status: int) -> Any:
        answer = _json(body)
        if isinstance(answer, dict) and answer.get("ok") is True and "result" in answer:
            return answer["result"]
        description = ""
        if isinstance(answer, dict):
            description = _clean(str(answer.get("description") or ""), 300, self._token)
        if status == 401 or status == 404:
            raise TelegramRefused(
                "Telegram refused the bot token: check it with @BotFather and enter it again",
                params={"status": str(status)},
            )
        if status == 409:
            raise TelegramRefused(
                "Telegram sends this bot's messages to a webhook, so they cannot be polled: "
                "remove the webhook first" + (f" ({description})" if description else ""),
                params={"status": str(status)},
            )
        if answer is None or not isinstance(answer, dict):
            raise EnvironmentFault(
                f"Telegram sent an answer Touchpoint does not understand (HTTP {status})",
                code="telegram.garbled",
            )
        raise EnvironmentFault(
            f"Telegram refused the request (HTTP {status}"
            + (f": {description})" if description else ")"),
            code="telegram.failed",
        )


def _read_bounded(response: Any, max_bytes: int, deadline: float) -> bytes:
    """The body, or a refusal when it is larger than ``max_bytes`` or slower than the deadline.

    The socket timeout bounds each read; the deadline bounds them all, so a
    server trickling a byte a second cannot hold the poll for ever.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise EnvironmentFault("Telegram took too long to answer", code="telegram.slow")
        chunk = response.read(min(64 * 1024, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise EnvironmentFault(
                f"Telegram's answer is larger than {max_bytes // 1024} KB; nothing was read",
                code="telegram.too_large",
            )


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def parse_updates(result: Any, offset: int) -> TelegramBatch:
    """The text messages in a ``getUpdates`` result; anything malformed is skipped.

    An update below ``offset`` was confirmed already (a server replaying it
    is misbehaving): it is dropped rather than stored twice.
    """
    if not isinstance(result, list):
        raise EnvironmentFault(
            "Telegram sent an answer Touchpoint does not understand (no list of updates)",
            code="telegram.garbled",
        )
    messages: list[TelegramMessage] = []
    next_offset = max(0, offset)
    skipped = 0
    seen: set[int] = set()
    for update in result[:MAX_UPDATES]:
        update_id = _int(update.get("update_id")) if isinstance(update, dict) else None
        if update_id is None or update_id < offset or update_id in seen:
            skipped += 1
            continue
        seen.add(update_id)
        next_offset = max(next_offset, update_id + 1)
        message = _message(update_id, update.get("message"))
        if message is None:
            skipped += 1
        else:
            messages.append(message)
    return TelegramBatch(tuple(messages), next_offset, skipped)


def _message(update_id: int, raw: Any) -> TelegramMessage | None:
    if not isinstance(raw, dict):
        return None
    chat = raw.get("chat")
    sender = raw.get("from")
    chat_id = _int(chat.get("id")) if isinstance(chat, dict) else None
    message_id = _int(raw.get("message_id"))
    date = _int(raw.get("date"))
    if chat_id is None or message_id is None:
        return None
    text = _text(raw.get("text"), MAX_TEXT) or _text(raw.get("caption"), MAX_TEXT)
    if not text:
        return None
    person = sender if isinstance(sender, dict) else {}
    return TelegramMessage(
        update_id=update_id,
        chat_id=chat_id,
        message_id=message_id,
        sent_at=_when(date),
        text=text,
        first_name=_line(person.get("first_name")),
        last_name=_line(person.get("last_name")),
        username=_line(person.get("username")).lstrip("@"),
    )


def _int(value: Any) -> int | None:
    # bool is an int in Python; Telegram ids are 64-bit at most.
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if -(2**63) <= value < 2**63 else None


def _when(stamp: int | None) -> datetime:
    """Telegram's Unix time; a missing or absurd one becomes "now"."""
    if stamp is not None and 0 < stamp < 32_503_680_000:  # before the year 3000
        return datetime.fromtimestamp(stamp, UTC)
    return datetime.now(UTC)


def _text(value: Any, cap: int) -> str:
    return _clean(value, cap) if isinstance(value, str) else ""


def _line(value: Any) -> str:
    return " ".join(_text(value, MAX_NAME).split())


def _clean(text: str, cap: int, secret: str = "") -> str:
    """Without control and format characters (bidi overrides, NULs), capped, trimmed."""
    if secret:
        text = text.replace(secret, "…")
    kept = "".join(
        ch for ch in text[: cap * 2] if ch in _KEEP or unicodedata.category(ch) not in _DROP
    )
    return kept[:cap].strip()
