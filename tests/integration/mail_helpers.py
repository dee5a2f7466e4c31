"""Builders for mail tests: accounts on the rigs, messages, counts."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import func, select

from models import Interaction, MailLocation, MailMessage
from services.core import bootstrap
from services.core.storage import Database
from services.mail import accounts
from services.parties import records as parties

ALICE = "alice@example.test"


def account(
    db: Database,
    server: dict[str, Any],
    *,
    security: str = "tls",
    port: int | None = None,
    host: str | None = None,
    ca_file: str | None = None,
    smtp: Any = None,
) -> int:
    """Alice's mailbox on the Dovecot rig (and the SMTP rig when given)."""
    imap_port = port or (server["tls_port"] if security == "tls" else server["port"])
    spec = accounts.AccountSpec(
        email=ALICE,
        imap_host=host or server["host"],
        imap_port=imap_port,
        imap_security=security,
        smtp_host=server["host"],
        smtp_port=smtp.port if smtp is not None else 2525,
        smtp_security="starttls",
        ca_file=ca_file or server["ca_file"],
        display_name="Alice Manager",
        allow_plaintext=security == "plain",
    )
    with db.uow() as uow:
        view = accounts.add(uow, bootstrap.actor_for(uow), spec, server["users"][ALICE], None)
        uow.commit()
    return view.id


def client_with_email(db: Database, name: str, email: str) -> int:
    with db.uow() as uow:
        cid = parties.add_client(uow, bootstrap.actor_for(uow), name, emails=[email]).id
        uow.commit()
    return cid


def letter(
    sender: str,
    to: str,
    subject: str,
    body: str = "Hello",
    *,
    msgid: str | None = None,
    when: dt.datetime | None = None,
    cc: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(when or dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC))
    if msgid:
        message["Message-ID"] = f"<{msgid}>"
    message.set_content(body)
    return message.as_bytes()


def counts(db: Database) -> dict[str, int]:
    with db.reader() as uow:
        s = uow.session
        return {
            "messages": s.scalar(select(func.count()).select_from(MailMessage)) or 0,
            "locations": s.scalar(select(func.count()).select_from(MailLocation)) or 0,
            "emails": s.scalar(
                select(func.count()).select_from(Interaction).where(Interaction.type == "email")
            )
            or 0,
            "linked": s.scalar(
                select(func.count())
                .select_from(MailMessage)
                .where(MailMessage.interaction_id.is_not(None))
            )
            or 0,
        }
