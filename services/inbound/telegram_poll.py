"""Polling a Telegram bot source: its new messages become requests, once.

One poll: read the stored offset, ask Telegram for what came after it (no
transaction is open while the network is asked), then store the requests
and the new offset in one transaction. A kill before that commit stores
nothing and leaves Telegram's updates unconfirmed, so the next poll gets
them again; after it, the offset confirms them and the unique (source,
source_key) refuses any that come back anyway. Then the source's rules run
over the new requests (processing, one transaction per request).

The token comes from the OS keyring under the source's uid; saving one
proves it against Telegram first (``getMe``) and never writes it anywhere
else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable

from sqlalchemy import select

from models import InboundSource
from models.base import utcnow
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, UserError, ValidationError
from services.core.storage import Database
from services.inbound import intake, processing, telegram
from services.inbound.intake import Incoming
from services.inbound.telegram import TelegramBatch, TelegramClient, TelegramMessage

ClientFactory = Callable[[str, str], TelegramClient]
MAX_ERROR = 500


def _client(token: str, base_url: str) -> TelegramClient:
    return TelegramClient(token, base_url=base_url)


@dataclasses.dataclass(frozen=True)
class TelegramPoll:
    source_id: int
    received: int  # messages Telegram handed over
    stored: int  # new requests (a message stored before is not stored again)
    skipped: int  # updates that are not text messages
    offset: int
    processed: processing.Processed | None
    request_ids: tuple[int, ...] = ()

    def changes(self) -> Changes:
        """What the poll wrote, for the change bus after a background run
        (the change history does not record requests)."""
        routed = self.processed.request_ids if self.processed is not None else ()
        return Changes.of(
            created={"inbound_request": self.request_ids},
            updated={"inbound_request": routed, "inbound_source": [self.source_id]},
        )


def incoming(message: TelegramMessage) -> Incoming:
    """A Bot API message as a request; the original is the message as JSON."""
    original = {
        "update_id": message.update_id,
        "message_id": message.message_id,
        "chat_id": message.chat_id,
        "date": message.sent_at.isoformat(),
        "from": {
            "first_name": message.first_name,
            "last_name": message.last_name,
            "username": message.username,
        },
        "text": message.text,
    }
    return Incoming(
        source_key=message.origin_key,
        channel="telegram",
        received_at=message.sent_at,
        subject=message.text.split("\n", 1)[0][:120],
        body=message.text,
        sender_name=message.sender_name,
        sender_handle=message.username or None,
        original=json.dumps(original, ensure_ascii=False).encode("utf-8"),
        original_type="application/json",
    )


def _source(db: Database, source_id: int) -> tuple[str, str, int, bool]:
    """uid, Bot API address, stored offset, process_requests."""
    with db.reader() as uow:
        source = uow.session.get(InboundSource, source_id)
        if source is None or source.kind != "telegram" or source.archived_at is not None:
            raise NotFoundError("Telegram source", source_id)
        return (
            source.uid,
            source.api_base or telegram.API_URL,
            int(source.telegram_offset or 0),
            bool(source.process_requests),
        )


def store(db: Database, source_id: int, batch: TelegramBatch) -> list[int]:
    """The batch's requests and its offset, in one transaction.

    Another poll of the same source that committed first moved the offset:
    this batch is then a repeat of what it stored, and only the unique key
    decides (nothing is stored twice, the offset never goes back)."""
    with db.uow(durable=True) as uow:
        source = uow.session.execute(
            select(InboundSource).where(InboundSource.id == source_id).with_for_update()
        ).scalar_one()
        ids = intake.store(uow.session, source_id, [incoming(m) for m in batch.messages])
        source.telegram_offset = max(int(source.telegram_offset or 0), batch.next_offset)
        source.last_poll_at = utcnow()
        source.last_error = None
        uow.commit()
    return ids


def _failed(db: Database, source_id: int, error: str) -> None:
    with db.uow() as uow:
        source = uow.session.get(InboundSource, source_id)
        if source is not None:
            source.last_poll_at = utcnow()
            source.last_error = error[:MAX_ERROR]
            uow.commit()


def poll(
    db: Database,
    source_id: int,
    *,
    now: dt.datetime | None = None,
    poll_seconds: int = 0,
    client: ClientFactory = _client,
) -> Outcome[TelegramPoll]:
    """One poll of a Telegram source and the rules over what it brought.

    ``poll_seconds`` 0 asks and returns at once: the scheduler polls again
    after the source's interval. A refusal (a wrong token, Telegram down)
    is kept on the source for Settings and raised for the job's record."""
    uid, base_url, offset, process = _source(db, source_id)
    if not process:
        return Outcome(TelegramPoll(source_id, 0, 0, 0, offset, None))
    try:
        token = telegram.load_token(uid)
        batch = client(token, base_url).get_updates(offset, poll_seconds=poll_seconds)
    except UserError as exc:
        _failed(db, source_id, str(exc))
        raise
    ids = store(db, source_id, batch)
    changes = Changes.of(created={"inbound_request": ids}, updated={"inbound_source": [source_id]})
    done, processed = processing.process_pending(db, source_id, now=now)
    report = TelegramPoll(
        source_id=source_id,
        received=len(batch.messages),
        stored=len(ids),
        skipped=batch.skipped,
        offset=batch.next_offset,
        processed=done,
        request_ids=tuple(ids),
    )
    return Outcome(report, changes | processed)


def set_token(
    db: Database,
    actor: Actor,
    source_id: int,
    token: str,
    *,
    client: ClientFactory = _client,
) -> Outcome[str]:
    """Prove the token with Telegram, then keep it in the OS keyring; the
    bot's @username comes back. Nothing is saved when either step fails."""
    actor.require(Permission.SETTINGS)
    clean = telegram.check_token(token)
    uid, base_url, _offset, _process = _source(db, source_id)
    name = client(clean, base_url).bot_name()
    if not name:
        raise ValidationError(
            "Telegram did not name the bot for this token", "token", code="telegram.bot_unnamed"
        )
    telegram.store_token(uid, clean)
    return Outcome(name, Changes.of(updated={"inbound_source": [source_id]}))
