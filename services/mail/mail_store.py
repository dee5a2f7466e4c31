"""Saving what IMAP import found: messages, where they sit, interactions.

One ``ChunkWriter`` per batch, inside the batch's single transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, insert

from models import (
    Attachment,
    Interaction,
    MailAccount,
    MailAddress,
    MailFolder,
    MailLocation,
    MailMessage,
    interaction_contacts,
)
from models.ids import new_uid
from models.types import utcnow
from services.core import audit, settings, timezones
from services.core.errors import UserError
from services.core.rows import insert_rows, select_in
from services.core.storage import UnitOfWork
from services.interactions import attachment_blobs
from services.interactions.interaction_input import search_text
from services.linking import rule
from services.mail import mime
from services.mail.attachment_files import StoredAttachment, stored_attachments
from services.sync import log as change_log
from services.sync.log_links import record_links

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Outcome:
    kind: str  # imported | linked | unlinked | seen | skipped
    skip_reason: str | None = None


def known_keys(uow: UnitOfWork, account_id: int, keys: Sequence[str]) -> set[str]:
    rows = select_in(
        uow.session, _MESSAGES, ("message_key",), [("account_id", account_id)], "message_key", keys
    )
    return {key for (key,) in rows}


@dataclasses.dataclass(frozen=True)
class Item:
    """One letter of a batch, as the IMAP side found it."""

    key: str
    uid: int
    size: int | None
    header: mime.ParsedHeaders
    counterparts: list[str]  # the addresses the owner rule counts
    body: bytes | None
    direction: str = "in"  # from who sent it (``rule.direction``)
    report: bytes | None = None  # a delivery report's start when its body is not fetched
    # ``rule.decide`` of counterparts against the batch's candidates when the
    # IMAP side made it already (``decided``): not made twice.
    decision: rule.Decision | None = None
    decided: bool = False


_MESSAGES = cast(Table, MailMessage.__table__)
_LOCATIONS = cast(Table, MailLocation.__table__)
_ADDRESSES = cast(Table, MailAddress.__table__)
_ATTACHMENTS = cast(Table, Attachment.__table__)
_INTERACTIONS = cast(Table, Interaction.__table__)
# What the header says, then what the parse and the owner rule made of it
# (``_Fill``): each new letter's row is inserted once, with its final values.
# The columns of an imported letter's interaction (``_interaction``).
_INTERACTION_COLUMNS = (
    *("type", "direction", "state", "start_local", "start_tz", "start_utc", "owner_id"),
    *("client_id", "lead_id", "subject", "body", "search_text", "source_kind", "source_key"),
    *("done_at", "created_by_id"),
)
_MESSAGE_COLUMNS = (
    *("account_id", "message_key", "direction", "subject", "sent_at", "from_addr", "size"),
    *("auto_reply", "interaction_id", "body_state", "html", "note"),
    *("link_rule", "link_reason", "link_tie"),
)


@dataclasses.dataclass(slots=True)
class _Fill:
    """A new letter's columns that the parse and the owner rule decide; an
    unknown sender's letter keeps these defaults (header only)."""

    interaction_id: int | None = None
    body_state: str = "none"
    html: str | None = None
    note: str | None = None
    link_rule: str | None = None
    link_reason: str | None = None
    link_tie: bool = False


class ChunkWriter:
    """Writes one batch in a handful of statements: what is already there is
    read once per batch, new letters go in with executemany."""

    def __init__(
        self,
        uow: UnitOfWork,
        account: MailAccount,
        folder_id: int,
        uidvalidity: int,
        now: dt.datetime | None,
        candidates: dict[str, list[rule.Candidate]],
    ) -> None:
        self.uow = uow
        self.account = account
        self.folder_id = folder_id
        self.uidvalidity = uidvalidity
        self.now = now or dt.datetime.now(dt.UTC)
        self.zone = settings.display_zone(uow)
        self.candidates = candidates

    def write(self, items: list[Item]) -> list[Outcome]:
        session = self.uow.session
        place = [("folder_id", self.folder_id), ("uidvalidity", self.uidvalidity)]
        located = {
            uid
            for (uid,) in select_in(
                session, _LOCATIONS, ("uid",), place, "uid", (i.uid for i in items)
            )
        }
        existing = {
            key: (mid, interaction_id)
            for key, mid, interaction_id in select_in(
                session,
                _MESSAGES,
                ("message_key", "id", "interaction_id"),
                [("account_id", self.account.id)],
                "message_key",
                (i.key for i in items),
            )
        }
        fresh: dict[str, Item] = {}
        locations: list[tuple[str, int]] = []  # (key, uid)
        plan: list[tuple[Item, str]] = []  # what each item is, decided below
        for item in items:
            if item.uid in located:
                plan.append((item, "seen"))
            elif item.key in existing:
                locations.append((item.key, item.uid))
                plan.append((item, "linked" if existing[item.key][1] else "seen"))
            elif item.key in fresh:  # the same letter twice in one batch
                locations.append((item.key, item.uid))
                plan.append((item, "repeat"))
            else:
                fresh[item.key] = item
                locations.append((item.key, item.uid))
                plan.append((item, "new"))
        ids, results = self._insert_fresh(fresh)
        ids |= {k: v[0] for k, v in existing.items()}
        insert_rows(
            session,
            _LOCATIONS,
            ("folder_id", "uidvalidity", "uid", "message_id"),
            [(self.folder_id, self.uidvalidity, uid, ids[key]) for key, uid in locations],
        )
        self._hear_replies(fresh.values())
        outcomes: list[Outcome] = []
        for item, kind in plan:
            if kind == "new":
                outcomes.append(results[item.key])
            elif kind == "repeat":
                first = results[item.key]
                outcomes.append(
                    Outcome("linked" if first.kind in ("imported", "linked") else "seen")
                )
            else:
                outcomes.append(Outcome(kind))
        return outcomes

    def _hear_replies(self, items: Iterable[Item]) -> None:
        """A reply or bounce stops a scenario's letters in this transaction."""
        from services.scenarios import replies

        inbound = [i for i in items if i.direction == "in"]
        if not inbound or not replies.any_live(self.uow):
            return
        replies.hear(
            self.uow,
            [replies.from_headers(i.header, i.body or i.report) for i in inbound],
            self.now,
        )

    def _insert_fresh(self, fresh: dict[str, Item]) -> tuple[dict[str, int], dict[str, Outcome]]:
        """The new letters: parsed and their interactions inserted first
        (``_fill``), then each letter's row once with its final values, its
        addresses; their ids by key, and what became of each."""
        if not fresh:
            return {}, {}
        fills, outcomes = self._fill(fresh)
        session = self.uow.session
        account_id = self.account.id
        rows = []
        for key, i in fresh.items():
            f = fills[key]
            rows.append(
                (
                    account_id,
                    key,
                    i.direction,
                    i.header.subject[:5000],
                    i.header.date,
                    rule.letter_address(i.header.from_[0].email)[:320] if i.header.from_ else None,
                    i.size,
                    i.header.auto_submitted,
                    f.interaction_id,
                    f.body_state,
                    f.html,
                    f.note,
                    f.link_rule,
                    f.link_reason,
                    f.link_tie,
                )
            )
        insert_rows(session, _MESSAGES, _MESSAGE_COLUMNS, rows)
        ids = dict(
            select_in(
                session,
                _MESSAGES,
                ("message_key", "id"),
                [("account_id", account_id)],
                "message_key",
                fresh,
            )
        )
        addresses: list[tuple[int, str, str, str | None]] = []
        for item in fresh.values():
            seen: set[tuple[str, str]] = set()
            for role, found in (
                ("from", item.header.from_),
                ("to", item.header.to),
                ("cc", item.header.cc),
            ):
                for address in found:
                    value = rule.letter_address(address.email)
                    if value and len(value) <= 320 and (role, value) not in seen:
                        seen.add((role, value))
                        addresses.append((ids[item.key], role, value, address.name[:300] or None))
        insert_rows(session, _ADDRESSES, ("message_id", "role", "address", "name"), addresses)
        return ids, outcomes

    def _fill(self, items: dict[str, Item]) -> tuple[dict[str, _Fill], dict[str, Outcome]]:
        """What the new letters that name a known card become: parsed one by
        one (attachments go to files at once, so a batch never holds them
        all), their interactions inserted with one statement for the batch.
        Before the letters' own rows, which then go in once with these values
        instead of being inserted and updated."""
        outcomes = {key: Outcome("unlinked") for key in items}
        fills = {key: _Fill() for key in items}
        decided = {
            k: i.decision if i.decided else rule.decide(i.counterparts, self.candidates)
            for k, i in items.items()
        }
        known = {k: i for k, i in items.items() if decided[k] is not None}
        if not known:
            return fills, outcomes
        taken: dict[str, int] = dict(
            select_in(
                self.uow.session,
                _INTERACTIONS,
                ("source_key", "id"),
                [("source_kind", "email")],
                "source_key",
                known,
            )
        )
        made: list[tuple[_Fill, dict[str, Any], rule.Decision, list[StoredAttachment]]] = []
        for key, item in known.items():
            decision = decided[key]
            assert decision is not None
            fill = fills[key]
            fill.link_rule = "auto"
            fill.link_tie = decision.tie
            fill.link_reason = decision.reason()
            if key in taken:  # the same letter came through another account
                fill.interaction_id = taken[key]
                outcomes[key] = Outcome("linked")
            elif item.body is None:
                fill.note = "the message vanished before its body was fetched"
                outcomes[key] = Outcome("skipped", fill.note)
            else:
                try:
                    parsed = mime.parse_message(
                        item.body, max_attachment_bytes=self._attachment_limit()
                    )
                except UserError as exc:
                    fill.body_state, fill.note = "skipped", str(exc)
                    outcomes[key] = Outcome("skipped", str(exc))
                except Exception as exc:  # a parser bug skips one letter
                    log.exception("body of %s unreadable", key)
                    why = f"its structure cannot be read ({type(exc).__name__})"
                    fill.body_state, fill.note = "skipped", why
                    outcomes[key] = Outcome("skipped", why)
                else:
                    made.append(
                        (
                            fill,
                            self._interaction(item, parsed, decision),
                            decision,
                            stored_attachments(parsed),
                        )
                    )
                    fill.body_state = "fetched"
                    fill.html = parsed.html
                    fill.note = "; ".join(parsed.warnings)[:2000] or None
                    outcomes[key] = Outcome("imported")
        if made:
            self._insert(made)
        return fills, outcomes

    def _attachment_limit(self) -> int:
        return max(self.account.max_attachment_mb, 0) * 1024 * 1024

    def _interaction(
        self, item: Item, parsed: mime.ParsedMessage, decision: rule.Decision
    ) -> dict[str, Any]:
        """The letter's interaction on the card the owner rule chose: its
        columns, for the batch's one insert (``_insert``)."""
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

    def _insert(
        self, made: list[tuple[_Fill, dict[str, Any], rule.Decision, list[StoredAttachment]]]
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

    def advance_cursor(self, last_uid: int) -> None:
        folder = self.uow.session.get(MailFolder, self.folder_id)
        if folder is not None and last_uid > folder.last_uid:
            folder.last_uid = last_uid
