"""Bodies of letters the linking job attached after import kept only headers.

They are fetched from IMAP the next time the account syncs (so: when the
network is there), in batches, and filled into the interaction.
"""

from __future__ import annotations

import logging
from typing import Any

from imapclient.exceptions import IMAPClientError
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from models import Interaction, MailAccount, MailFolder, MailLocation, MailMessage
from models.mail import PENDING_BODY
from services.core.errors import EnvironmentFault, UserError
from services.core.storage import Database
from services.interactions.interaction_input import search_text
from services.mail import attachment_files, mime

log = logging.getLogger(__name__)
BATCH = 100
# Failures of the line or the database, not of a letter: the sync stops and says so.
ENVIRONMENT = (OSError, IMAPClientError, OperationalError, EnvironmentFault)


def fetch_pending(db: Database, client: Any, account: MailAccount) -> int:
    """Fill the bodies of this account's pending letters; returns how many."""
    with db.reader() as uow:
        rows = uow.session.execute(
            select(
                MailMessage.id,
                MailFolder.name,
                MailLocation.uid,
                MailLocation.uidvalidity,
                MailFolder.uidvalidity.label("current"),
            )
            .join(MailLocation, MailLocation.message_id == MailMessage.id)
            .join(MailFolder, MailFolder.id == MailLocation.folder_id)
            .where(MailMessage.account_id == account.id, text(PENDING_BODY))  # its index
            .order_by(MailFolder.name, MailLocation.uid)
        ).all()
    by_folder: dict[str, dict[int, int]] = {}
    for row in rows:
        if row.uidvalidity == row.current:
            by_folder.setdefault(row.name, {}).setdefault(row.uid, row.id)
    done = 0
    for folder, uid_to_message in by_folder.items():
        client.select_folder(folder, readonly=True)
        uids = sorted(uid_to_message)
        for start in range(0, len(uids), BATCH):
            chunk = uids[start : start + BATCH]
            fetched = client.fetch(chunk, [b"BODY.PEEK[]"])
            bodies = {uid_to_message[u]: fetched.get(u, {}).get(b"BODY[]") for u in chunk}
            done += _fill_guarded(db, account, bodies)
    return done


def _fill_guarded(db: Database, account: MailAccount, bodies: dict[int, bytes | None]) -> int:
    """One transaction for the batch; if a letter in it makes that fail, one
    per letter, and a letter that still fails is skipped with the reason."""
    try:
        return _fill_batch(db, account, bodies)
    except ENVIRONMENT:
        raise
    except Exception as exc:  # whatever one letter makes us raise
        if len(bodies) > 1:
            return sum(_fill_guarded(db, account, {k: v}) for k, v in bodies.items())
        [message_id] = bodies
        log.exception("body of message %s could not be saved", message_id)
        with db.uow(account.user_id) as uow:
            message = uow.session.get(MailMessage, message_id)
            if message is not None:
                message.body_state = "skipped"
                message.note = f"its body could not be saved ({type(exc).__name__})"
                uow.commit()
        return 0


def _fill_batch(db: Database, account: MailAccount, bodies: dict[int, bytes | None]) -> int:
    done = 0
    with db.uow(account.user_id) as uow:
        for message_id, body in bodies.items():
            message = uow.session.get(MailMessage, message_id)
            if message is None or message.body_state != "pending":
                continue
            if body is None:
                message.note = "the message is gone from the server"
                message.body_state = "skipped"
                continue
            _fill(uow, account, message, body)
            done += 1
        uow.commit()
    return done


def _fill(uow: Any, account: MailAccount, message: MailMessage, body: bytes) -> None:
    try:
        parsed = mime.parse_message(body, max_attachment_bytes=account.max_attachment_mb << 20)
    except UserError as exc:
        message.body_state = "skipped"
        message.note = str(exc)
        return
    except Exception as exc:  # a parser bug skips one letter, not the sync
        log.exception("body of message %s unreadable", message.id)
        message.body_state = "skipped"
        message.note = f"its structure cannot be read ({type(exc).__name__})"
        return
    interaction = uow.session.get(Interaction, message.interaction_id)
    if interaction is None:
        message.body_state = "skipped"
        return
    interaction.body = parsed.text
    interaction.search_text = search_text(interaction.subject, parsed.text)
    message.html = parsed.html
    message.body_state = "fetched"
    attachment_files.save_attachments(uow, interaction, parsed)
