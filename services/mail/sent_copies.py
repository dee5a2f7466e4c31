"""Copies of sent letters in the mailbox's Sent folder: searched there after
a crash (was it sent?) and appended there unless the server saved one itself."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from models import MailAccount, OutboxItem
from services.core.errors import UserError
from services.core.storage import Database
from services.mail import credentials, imap
from services.mail.outbox import build_message

log = logging.getLogger(__name__)

ImapConnect = Callable[[MailAccount, str], Any]


def in_sent_folder(client: Any, message_key: str) -> bool:
    folder = imap.sent_folder(client)
    if folder is None:
        return False
    client.select_folder(folder, readonly=True)
    return bool(client.search(["HEADER", "Message-ID", f"<{message_key}>"]))


def copy_to_sent(db: Database, imap_connect: ImapConnect, account_id: int | None) -> None:
    """Append a copy to Sent unless the server saved one itself (Gmail does)."""
    with db.reader() as uow:
        query = select(OutboxItem.id, OutboxItem.account_id).where(
            OutboxItem.state == "sent", OutboxItem.copied_to_sent.is_(False)
        )
        if account_id is not None:
            query = query.where(OutboxItem.account_id == account_id)
        pending = list(uow.session.execute(query))
    by_account: dict[int, list[int]] = {}
    for item_id, acc in pending:
        by_account.setdefault(acc, []).append(item_id)
    for acc, item_ids in by_account.items():
        try:
            _append_copies(db, acc, item_ids, imap_connect)
        except UserError as exc:  # retried on the next run; the letter itself is out
            log.warning("copy to Sent of account %s postponed: %s", acc, exc)


def _append_copies(
    db: Database, account_id: int, item_ids: list[int], imap_connect: ImapConnect
) -> None:
    with db.reader() as uow:
        account = uow.session.get(MailAccount, account_id)
        assert account is not None
        uow.session.expunge(account)
    client = imap_connect(account, credentials.load(account.uid, "imap"))
    try:
        folder = imap.sent_folder(client)
        for item_id in item_ids:
            with db.uow() as uow:
                row = uow.session.get(OutboxItem, item_id)
                assert row is not None
                if folder is not None and not in_sent_folder(client, row.message_key):
                    client.append(
                        folder,
                        build_message(account, row).as_bytes(),
                        flags=[b"\\Seen"],
                        msg_time=row.sent_at,
                    )
                row.copied_to_sent = True
                uow.commit()
    finally:
        imap.close(client)
