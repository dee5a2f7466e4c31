"""A laptop's own mailbox, for the replica tests of the linking job
(test_replica_linking.py, test_replica_held.py): header-only letters from
Ivan's address as the mail import leaves letters of an unknown sender (mail
stays per machine), and where the job put them on a machine.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from models import (
    Client,
    Contact,
    Interaction,
    Lead,
    MailAccount,
    MailAddress,
    MailMessage,
    interaction_contacts,
)
from services.core.storage import Database

ADDRESS = "ivan.petrov@romashka.example"
SENT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def mailbox_letters(db: Database, user_id: int, keys: list[str]) -> None:
    """This machine's mailbox with header-only letters from ADDRESS, as the
    mail import leaves letters of an unknown sender (mail stays per machine)."""
    with db.uow() as uow:
        account = MailAccount(
            user_id=user_id,
            email="anna@ourfirm.example",
            imap_host="127.0.0.1",
            imap_port=993,
            imap_security="tls",
            imap_user="anna",
            smtp_host="127.0.0.1",
            smtp_port=587,
            smtp_security="starttls",
            smtp_user="anna",
        )
        uow.session.add(account)
        uow.session.flush()
        for n, key in enumerate(keys):
            mid = uow.session.scalars(
                insert(MailMessage).returning(MailMessage.id),
                [
                    {
                        "account_id": account.id,
                        "message_key": key,
                        "direction": "in",
                        "subject": f"Счёт №{n + 1} за ноябрь",
                        "sent_at": SENT + dt.timedelta(hours=n),
                        "from_addr": ADDRESS,
                        "body_state": "none",
                        "auto_reply": False,
                    }
                ],
            ).one()
            uow.session.execute(
                insert(MailAddress), [{"message_id": mid, "role": "from", "address": ADDRESS}]
            )
        uow.commit()


def placed_by_source(
    db: Database, source_kind: str
) -> list[tuple[str, str | None, str | None, set[str]]]:
    """Every interaction of that source here: (uid, client, lead, contact persons)."""
    ic = interaction_contacts.c
    with db.reader() as uow:
        s = uow.session
        out = []
        for i in s.scalars(
            select(Interaction)
            .where(Interaction.source_kind == source_kind)
            .order_by(Interaction.source_key)
        ):
            client = s.scalar(select(Client.name).where(Client.id == i.client_id))
            lead = s.scalar(select(Lead.name).where(Lead.id == i.lead_id))
            people = set(
                s.scalars(
                    select(Contact.full_name)
                    .join(interaction_contacts, ic.contact_id == Contact.id)
                    .where(ic.interaction_id == i.id)
                )
            )
            out.append((i.uid, client, lead, people))
    return out


def letters_linked_to(db: Database) -> set[str | None]:
    """The uids of the interactions this machine's letters are on."""
    with db.reader() as uow:
        return set(
            uow.session.scalars(
                select(Interaction.uid).join(
                    MailMessage, MailMessage.interaction_id == Interaction.id
                )
            )
        )
