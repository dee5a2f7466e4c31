"""Saving what IMAP import found: messages, where they sit, interactions.

One ``ChunkWriter`` per batch, inside the batch's single transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlalchemy import insert, select

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
from services import contact_points, settings, timezones
from services.errors import UserError
from services.interactions import search_text
from services.linking import reason
from services.mail import mime
from services.paths import attachments_dir
from services.storage import UnitOfWork


@dataclasses.dataclass(frozen=True)
class Outcome:
    kind: str  # imported | linked | unlinked | seen | skipped
    skip_reason: str | None = None


def known_keys(uow: UnitOfWork, account_id: int, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    return set(
        uow.session.scalars(
            select(MailMessage.message_key).where(
                MailMessage.account_id == account_id, MailMessage.message_key.in_(set(keys))
            )
        )
    )


def save_attachment(data: bytes) -> tuple[str, str]:
    """Content-addressed file under the data folder: (relative path, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = attachments_dir() / digest[:2]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return f"attachments/{digest[:2]}/{digest}", digest


def save_attachments(uow: UnitOfWork, interaction: Interaction, parsed: mime.ParsedMessage) -> None:
    """Attachments under the size limit as files; a calendar invite as an
    .ics file so the user can open it in their calendar."""
    parts: list[tuple[str, str, int, bytes | None]] = [
        (p.filename, p.content_type, p.size, p.data) for p in parsed.attachments
    ]
    has_ics = any(ct == "text/calendar" for _n, ct, _s, _d in parts)
    if parsed.calendar and not has_ics:  # Gmail invites carry their own invite.ics
        invite = parsed.calendar.encode("utf-8")
        parts.append(("invite.ics", "text/calendar", len(invite), invite))
    for filename, content_type, size, data in parts:
        if data is None:
            continue
        path, digest = save_attachment(data)
        uow.session.add(
            Attachment(
                client_id=interaction.client_id,
                lead_id=interaction.lead_id,
                interaction_id=interaction.id,
                filename=filename,
                mime_type=content_type,
                size=size,
                sha256=digest,
                path=path,
            )
        )


class ChunkWriter:
    def __init__(
        self,
        uow: UnitOfWork,
        account: MailAccount,
        role: str,
        folder_id: int,
        uidvalidity: int,
        now: dt.datetime | None,
    ) -> None:
        self.uow = uow
        self.account = account
        self.direction = "out" if role == "sent" else "in"
        self.folder_id = folder_id
        self.uidvalidity = uidvalidity
        self.now = now or dt.datetime.now(dt.UTC)
        self.zone = settings.display_zone(uow)

    def store(
        self,
        key: str,
        uid: int,
        size: int | None,
        header: mime.ParsedHeaders,
        counterparts: list[str],
        body: bytes | None,
    ) -> Outcome:
        session = self.uow.session
        located = session.scalar(
            select(MailLocation.id).where(
                MailLocation.folder_id == self.folder_id,
                MailLocation.uidvalidity == self.uidvalidity,
                MailLocation.uid == uid,
            )
        )
        if located is not None:
            return Outcome("seen")
        message = session.scalar(
            select(MailMessage).where(
                MailMessage.account_id == self.account.id, MailMessage.message_key == key
            )
        )
        if message is not None:
            self._locate(message.id, uid)
            return Outcome("linked" if message.interaction_id else "seen")
        message = MailMessage(
            account_id=self.account.id,
            message_key=key,
            direction=self.direction,
            subject=header.subject[:5000],
            sent_at=header.date,
            from_addr=header.from_[0].email.casefold()[:320] if header.from_ else None,
            size=size,
            body_state="none",
            auto_reply=header.auto_submitted,
        )
        session.add(message)
        session.flush()
        self._addresses(message.id, header)
        self._locate(message.id, uid)
        owners = contact_points.owners_of(self.uow, "email", counterparts)
        if not owners:
            return Outcome("unlinked")
        existing = session.scalar(
            select(Interaction.id).where(
                Interaction.source_kind == "email", Interaction.source_key == key
            )
        )
        if existing is not None:  # the same letter came through another account
            message.interaction_id = existing
            return Outcome("linked")
        if body is None:
            message.note = "the message vanished before its body was fetched"
            return Outcome("skipped", message.note)
        try:
            parsed = mime.parse_message(body, max_attachment_bytes=self._attachment_limit())
        except UserError as exc:
            message.body_state = "skipped"
            message.note = str(exc)
            return Outcome("skipped", str(exc))
        message.interaction_id = self._interaction(header, parsed, counterparts, owners, key)
        address = next(a for a in counterparts if a in owners)
        owner = owners[address]
        message.link_rule = "auto"
        message.link_reason = reason(
            address,
            ("contact", "client", "lead").index(owner.kind),
            owner.id,
            2 if owner.tied else 1,
        )
        message.link_tie = owner.tied
        message.body_state = "fetched"
        message.html = parsed.html
        if parsed.warnings:
            message.note = "; ".join(parsed.warnings)[:2000]
        return Outcome("imported")

    def _attachment_limit(self) -> int:
        return max(self.account.max_attachment_mb, 0) * 1024 * 1024

    def _locate(self, message_id: int, uid: int) -> None:
        self.uow.session.add(
            MailLocation(
                folder_id=self.folder_id,
                uidvalidity=self.uidvalidity,
                uid=uid,
                message_id=message_id,
            )
        )

    def _addresses(self, message_id: int, header: mime.ParsedHeaders) -> None:
        rows: dict[tuple[str, str], str | None] = {}
        for role, addresses in (("from", header.from_), ("to", header.to), ("cc", header.cc)):
            for address in addresses:
                value = address.email.strip().casefold()
                if value and len(value) <= 320:
                    rows.setdefault((role, value), address.name[:300] or None)
        if rows:
            self.uow.session.execute(
                insert(MailAddress),
                [
                    {"message_id": message_id, "role": r, "address": a, "name": n}
                    for (r, a), n in rows.items()
                ],
            )

    def _interaction(
        self,
        header: mime.ParsedHeaders,
        parsed: mime.ParsedMessage,
        counterparts: list[str],
        owners: dict[str, contact_points.Owner],
        key: str,
    ) -> int:
        first = next(owners[a] for a in counterparts if a in owners)
        party = (first.client_id, first.lead_id)
        contact_ids = sorted(
            {
                o.contact_id
                for o in owners.values()
                if o.contact_id is not None and (o.client_id, o.lead_id) == party
            }
        )
        moment = header.date or self.now
        local, utc = timezones.split_input_time(moment, self.zone)
        subject = header.subject[:998] or None
        row = Interaction(
            type="email",
            direction=self.direction,
            state="done",
            start_local=local,
            start_tz=self.zone,
            start_utc=utc,
            owner_id=self.account.user_id,
            client_id=first.client_id,
            lead_id=first.lead_id,
            subject=subject,
            body=parsed.text,
            search_text=search_text(subject, parsed.text),
            source_kind="email",
            source_key=key,
            done_at=self.now,
            created_by_id=self.account.user_id,
        )
        self.uow.session.add(row)
        self.uow.session.flush()
        if contact_ids:
            self.uow.session.execute(
                insert(interaction_contacts),
                [{"interaction_id": row.id, "contact_id": c} for c in contact_ids],
            )
        save_attachments(self.uow, row, parsed)
        return row.id

    def advance_cursor(self, last_uid: int) -> None:
        folder = self.uow.session.get(MailFolder, self.folder_id)
        if folder is not None and last_uid > folder.last_uid:
            folder.last_uid = last_uid
