"""Saving what IMAP import found: messages, where they sit, interactions.

One ``ChunkWriter`` per batch, inside the batch's single transaction; the
interactions of the letters it imports are ``mail_cards``'.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, cast

from sqlalchemy import Table

from models import Interaction, MailAccount, MailAddress, MailFolder, MailLocation, MailMessage
from services.core import settings
from services.core.rows import insert_rows, select_in
from services.core.storage import UnitOfWork
from services.linking import rule
from services.mail import mime, parse_worker
from services.mail.attachment_files import StoredAttachment, stored_attachments
from services.mail.mail_cards import CardWriter, Fill

log = logging.getLogger(__name__)


class Outcome(NamedTuple):
    kind: str  # imported | linked | unlinked | seen | skipped
    skip_reason: str | None = None


# The outcomes without a reason, made once: a batch gives one a letter.
_SAME = {kind: Outcome(kind) for kind in ("imported", "linked", "unlinked", "seen")}


def known_keys(uow: UnitOfWork, account_id: int, keys: Sequence[str]) -> set[str]:
    rows = select_in(
        uow.session, _MESSAGES, ("message_key",), [("account_id", account_id)], "message_key", keys
    )
    return {key for (key,) in rows}


class Item(NamedTuple):
    """One letter of a batch, as the IMAP side found it (a tuple: a batch
    makes one a letter, built in a third of a frozen dataclass's time)."""

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
    # The body's parse when it was made ahead (``parse_worker``), else made here.
    parsed: parse_worker.Outcome | None = None


_MESSAGES = cast(Table, MailMessage.__table__)
_LOCATIONS = cast(Table, MailLocation.__table__)
_ADDRESSES = cast(Table, MailAddress.__table__)
_INTERACTIONS = cast(Table, Interaction.__table__)
# What the header says, then what the parse and the owner rule made of it
# (``mail_cards.Fill``): each new letter's row is inserted once, with its
# final values.
_MESSAGE_COLUMNS = (
    *("account_id", "message_key", "direction", "subject", "sent_at", "from_addr", "size"),
    *("auto_reply", "interaction_id", "body_state", "html", "note"),
    *("link_rule", "link_reason", "link_tie"),
)


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
        self.candidates = candidates
        self.cards = CardWriter(uow, account, self.now, settings.display_zone(uow))

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
                outcomes.append(_SAME["linked" if first.kind in ("imported", "linked") else "seen"])
            else:
                outcomes.append(_SAME[kind])
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

    def _fill(self, items: dict[str, Item]) -> tuple[dict[str, Fill], dict[str, Outcome]]:
        """What the new letters that name a known card become: parsed one by
        one (attachments go to files at once, so a batch never holds them
        all), their interactions inserted with one statement for the batch.
        Before the letters' own rows, which then go in once with these values
        instead of being inserted and updated."""
        outcomes = dict.fromkeys(items, _SAME["unlinked"])
        fills = {key: Fill() for key in items}
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
        made: list[tuple[Fill, dict[str, Any], rule.Decision, list[StoredAttachment]]] = []
        for key, item in known.items():
            decision = decided[key]
            assert decision is not None
            fill = fills[key]
            fill.link_rule = "auto"
            fill.link_tie = decision.tie
            fill.link_reason = decision.reason()
            if key in taken:  # the same letter came through another account
                fill.interaction_id = taken[key]
                outcomes[key] = _SAME["linked"]
            elif item.body is None:
                fill.note = "the message vanished before its body was fetched"
                outcomes[key] = Outcome("skipped", fill.note)
            else:
                found = item.parsed
                if found is None:
                    found = parse_worker.parse_body(item.body, self._attachment_limit())
                if isinstance(found, parse_worker.Failed):
                    if found.bug is not None:  # a parser bug skips one letter
                        log.error("body of %s unreadable\n%s", key, found.bug)
                    fill.body_state, fill.note = "skipped", found.note
                    outcomes[key] = Outcome("skipped", found.note)
                else:
                    made.append(
                        (
                            fill,
                            self.cards.interaction(item, found, decision),
                            decision,
                            stored_attachments(found),
                        )
                    )
                    fill.body_state = "fetched"
                    fill.html = found.html
                    fill.note = "; ".join(found.warnings)[:2000] or None
                    outcomes[key] = _SAME["imported"]
        if made:
            self.cards.insert(made)
        return fills, outcomes

    def _attachment_limit(self) -> int:
        return max(self.account.max_attachment_mb, 0) * 1024 * 1024

    def advance_cursor(self, last_uid: int) -> None:
        folder = self.uow.session.get(MailFolder, self.folder_id)
        if folder is not None and last_uid > folder.last_uid:
            folder.last_uid = last_uid
