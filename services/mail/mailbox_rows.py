"""The mail sync's own rows: a folder's cursor, the record of a letter that
could not be read, and the account's last sync or error. Each is one short
transaction of its own, apart from the batches' writes in ``mail_store``."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, select

from models import MailAccount, MailFolder, MailLocation, MailMessage
from services.core.errors import UserError
from services.core.storage import Database

log = logging.getLogger(__name__)


def folder_row(
    db: Database, account_id: int, role: str, name: str, uidvalidity: int, modseq: int | None
) -> tuple[int, int]:
    """(folder id, last UID), after re-mapping on a UIDVALIDITY change."""
    with db.uow() as uow:
        row = uow.session.scalar(
            select(MailFolder).where(MailFolder.account_id == account_id, MailFolder.role == role)
        )
        if row is None:
            row = MailFolder(account_id=account_id, role=role, name=name, last_uid=0)
            uow.session.add(row)
        if row.uidvalidity is not None and row.uidvalidity != uidvalidity:
            # The server renumbered the folder: old UIDs mean nothing now. The
            # messages stay (keyed by Message-ID); their locations are re-read.
            log.warning("UIDVALIDITY of %s changed %s -> %s", name, row.uidvalidity, uidvalidity)
            uow.session.flush()
            uow.session.execute(delete(MailLocation).where(MailLocation.folder_id == row.id))
            row.last_uid = 0
        row.uidvalidity = uidvalidity
        row.name = name
        if modseq is not None and row.highestmodseq is None:
            row.highestmodseq = modseq
        uow.session.flush()
        result = (row.id, row.last_uid)
        uow.commit()
    return result


def keep_unreadable(
    db: Database,
    account: MailAccount,
    role: str,
    folder_id: int,
    uidvalidity: int,
    uid: int,
    reason: str,
) -> None:
    """An empty record with the reason where the letter sits, and the cursor past it."""
    with db.uow(account.user_id) as uow:
        message = MailMessage(
            account_id=account.id,
            message_key=f"unreadable-{folder_id}-{uidvalidity}-{uid}",
            direction="out" if role == "sent" else "in",
            subject="",
            body_state="skipped",
            note=reason,
        )
        uow.session.add(message)
        uow.session.flush()
        uow.session.add(
            MailLocation(
                folder_id=folder_id, uidvalidity=uidvalidity, uid=uid, message_id=message.id
            )
        )
        folder = uow.session.get(MailFolder, folder_id)
        if folder is not None and uid > folder.last_uid:
            folder.last_uid = uid
        uow.commit()


def record_success(db: Database, account_id: int, now: dt.datetime | None) -> None:
    with db.uow() as uow:
        row = uow.session.get(MailAccount, account_id)
        if row is not None:
            row.last_sync_at = now or dt.datetime.now(dt.UTC)
            row.last_error = None
            uow.commit()


def record_error(db: Database, account_id: int, message: str) -> None:
    try:
        with db.uow() as uow:
            row = uow.session.get(MailAccount, account_id)
            if row is not None:
                row.last_error = message
                uow.commit()
    except UserError:  # the database itself is unhappy: the sync error still reaches the user
        log.exception("could not record the sync error")
