"""Bodies of letters the linking job attached after import kept only headers.

They are fetched from IMAP the next time the account syncs (so: when the
network is there), in batches, and filled into the interaction.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from models import Interaction, MailAccount, MailFolder, MailLocation, MailMessage
from services.core.errors import UserError
from services.core.storage import Database
from services.interactions.actions import search_text
from services.mail import mail_store, mime

log = logging.getLogger(__name__)
BATCH = 100


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
            .where(MailMessage.account_id == account.id, MailMessage.body_state == "pending")
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
            with db.uow(account.user_id) as uow:
                for uid in chunk:
                    body = fetched.get(uid, {}).get(b"BODY[]")
                    message = uow.session.get(MailMessage, uid_to_message[uid])
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
    mail_store.save_attachments(uow, interaction, parsed)
