"""The cards' side of IMAP import: a known sender's new letter becomes an
interaction on the card the owner rule chose, with its contact persons, its
attachments, the history and a laptop replica's change log, all of a batch
in a few statements inside the batch's transaction (``mail_store``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert

from models import Attachment, Interaction, MailAccount, interaction_contacts
from models.ids import new_uid
from models.types import utcnow
from services.core import audit, timezones
from services.core.rows import insert_rows, select_in
from services.core.storage import UnitOfWork
from services.interactions import attachment_blobs
from services.interactions.interaction_input import search_text
from services.linking import rule
from services.mail import parse_worker
from services.mail.attachment_files import StoredAttachment
from services.sync import log as change_log
from services.sync.log_links import record_links

if TYPE_CHECKING:
    from services.mail.mail_store import Item

_ATTACHMENTS = cast(Table, Attachment.__table__)
_INTERACTIONS = cast(Table, Interaction.__table__)
# The columns of an imported letter's interaction (``CardWriter.interaction``).
_INTERACTION_COLUMNS = (
    *("type", "direction", "state", "start_local", "start_tz", "start_utc", "owner_id"),
    *("client_id", "lead_id", "subject", "body", "search_text", "source_kind", "source_key"),
    *("done_at", "created_by_id"),
)


@dataclasses.dataclass(slots=True)
class Fill:
    """A new letter's columns that the parse and the owner rule decide; an
    unknown sender's letter keeps these defaults (header only)."""

    interaction_id: int | None = None
    body_state: str = "none"
    html: str | None = None
    note: str | None = None
    link_rule: str | None = None
    link_reason: str | None = None
    link_tie: bool = False


class CardWriter:
    """The interactions of one batch's imported letters, for ``ChunkWriter``."""

    def __init__(self, uow: UnitOfWork, account: MailAccount, now: dt.datetime, zone: str) -> None:
        self.uow = uow
        self.account = account
        self.now = now
        self.zone = zone

    def interaction(
        self, item: Item, parsed: parse_worker.Body, decision: rule.Decision
    ) -> dict[str, Any]:
        """The letter's interaction on the card the owner rule chose: its
        columns, for the batch's one insert (``insert``)."""
        header = item.header
        moment = header.date or self.now
        local, utc = timezones.split_input_time(moment, self.zone)
        subject = header.subject[:998] or None
        return {
            "type": "email",
            "direction": item.direction,
            "state": "done",
            "start_local": local,
            "start_tz": self.zone,
            "start_utc": utc,
            "owner_id": self.account.user_id,
            "client_id": decision.client_id,
            "lead_id": decision.lead_id,
            "subject": subject,
            "body": parsed.text,
            "search_text": search_text(subject, parsed.text),
            "source_kind": "email",
            "source_key": item.key,
            "done_at": self.now,
            "created_by_id": self.account.user_id,
        }

    def insert(
        self, made: list[tuple[Fill, dict[str, Any], rule.Decision, list[StoredAttachment]]]
    ) -> None:
        """The batch's interactions in one insert, in the order parsed, with
        what the ORM's flush hooks would have written for them (their history,
        a laptop replica's change log); then exactly the contact persons whose
        addresses are on each letter, and the attachments."""
        session = self.uow.session
        self._interactions([interaction for _fill, interaction, _decision, _stored in made])
        contacts: list[dict[str, int]] = []
        files: list[dict[str, Any]] = []
        for fill, interaction, decision, stored in made:
            fill.interaction_id = interaction["id"]
            contacts += [
                {"interaction_id": interaction["id"], "contact_id": c} for c in decision.contact_ids
            ]
            files += [
                {
                    "client_id": interaction["client_id"],
                    "lead_id": interaction["lead_id"],
                    "interaction_id": interaction["id"],
                    "filename": s.filename,
                    "mime_type": s.content_type,
                    "size": s.size,
                    "sha256": s.sha256,
                    "path": s.path,
                }
                for s in stored
            ]
        if contacts:
            session.execute(insert(interaction_contacts), contacts)
            record_links(
                session,
                "interaction_contact",
                [(c["interaction_id"], c["contact_id"]) for c in contacts],
            )
        if files:
            ids = session.execute(insert(_ATTACHMENTS).returning(_ATTACHMENTS.c.id), files)
            # A laptop replica logs them to push (the flush hook sees ORM writes only).
            change_log.record_bulk(session, "attachment", list(ids.scalars()), None)
            # On a team database the bytes go to the server with the rows.
            attachment_blobs.upload_rows(
                session, [(f["sha256"], f["size"], f["filename"]) for f in files]
            )

    def _interactions(self, rows: list[dict[str, Any]]) -> None:
        """One insert of the batch's rows straight through the driver
        (``insert_rows``: SQLAlchemy's executemany with RETURNING built and
        processed a parameter dict per row), with the values the model's
        defaults give (a uid each, version 1, the times); each row then gets
        its ``id``, read back by ``source_key`` (unique for mail: the
        letters already there were ``taken`` in this transaction). Then the
        "created" history and a replica's log rows the ORM flush hooks write
        for an added ``Interaction``, through their own functions."""
        session = self.uow.session
        made = utcnow()
        insert_rows(
            session,
            _INTERACTIONS,
            (*_INTERACTION_COLUMNS, "uid", "row_version", "created_at", "updated_at"),
            [(*(row[c] for c in _INTERACTION_COLUMNS), new_uid(), 1, made, made) for row in rows],
        )
        ids: dict[str, int] = dict(
            select_in(
                session,
                _INTERACTIONS,
                ("source_key", "id"),
                [("source_kind", "email")],
                "source_key",
                (row["source_key"] for row in rows),
            )
        )
        for row in rows:
            row["id"] = ids[row["source_key"]]
        audit.record_created(session, "interaction", rows)
        change_log.record_bulk(session, "interaction", [row["id"] for row in rows], None)
