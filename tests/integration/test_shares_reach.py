"""A shared card reaches its mail, calls and agenda (#19 gap): what Anna
shares with Boris shows in his agenda and calls list, and a letter, an
outbox letter, a call or a draft on it opens for him; once she stops
sharing, all of it is refused again. On SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models import AiDraftRequest, CallRecord, MailAccount, MailMessage, OutboxItem
from services.core import access
from services.core.access import PermissionDenied
from services.core.storage import Database
from services.interactions import actions as ix
from services.interactions import agenda
from services.linking import listing
from services.parties import records as parties
from services.parties import shares
from tests.conftest import Team

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@dataclasses.dataclass(frozen=True)
class Card:
    client: int
    planned: int  # Boris's planned call on Anna's client
    letter: int
    outbox: int
    call: int
    draft: int


def _annas_card(db: Database, team: Team) -> Card:
    """Anna's client with her letter, outbox letter, call and draft; shared
    with Boris for as long as he plans a call on it."""
    anna, boris = team.anna, team.boris
    with db.uow(anna.id) as uow:
        client = parties.add_client(uow, anna, "ООО Общий клиент")
        done = ix.create(
            uow,
            anna,
            ix.NewInteraction(
                type="email", planned=False, start=NOW - dt.timedelta(days=1), client_id=client.id
            ),
            now=NOW,
        )
        session = uow.session
        account = MailAccount(
            user_id=anna.id,
            email="anna@mail.example",
            imap_host="127.0.0.1",
            imap_port=993,
            imap_user="anna",
            smtp_host="127.0.0.1",
            smtp_port=587,
            smtp_user="anna",
        )
        session.add(account)
        session.flush()
        letter = MailMessage(
            account_id=account.id,
            message_key="letter@anna.example",
            direction="in",
            subject="Письмо об общем клиенте",
            from_addr="client@shared.example",
            interaction_id=done.id,
            link_rule="auto",
        )
        outbox = OutboxItem(
            account_id=account.id,
            message_key="out@anna.example",
            to_addrs="client@shared.example",
            subject="Ответ общему клиенту",
            send_at=NOW + dt.timedelta(days=1),
            interaction_id=done.id,
        )
        call = CallRecord(
            source="pbx",
            call_key="shared-1",
            started_at=NOW - dt.timedelta(hours=2),
            direction="in",
            number="+74951234500",
            raw_number="84951234500",
            user_id=anna.id,
            interaction_id=done.id,
        )
        draft = AiDraftRequest(
            requested_by=anna.id, client_id=client.id, subject="Черновик Анны", messages="[]"
        )
        session.add_all([letter, outbox, call, draft])
        session.flush()
        ids = (letter.id, outbox.id, call.id, draft.id)
        uow.commit()
    shares.set_shared(db, anna, "client", client.id, "boris", shared=True)
    with db.uow(boris.id) as uow:
        planned = ix.create(
            uow,
            boris,
            ix.NewInteraction(
                type="call", planned=True, start=NOW + dt.timedelta(hours=3), client_id=client.id
            ),
            now=NOW,
        )
        uow.commit()
    return Card(client.id, planned.id, *ids)


def _agenda_ids(db: Database, boris: access.Actor) -> set[int]:
    with db.reader() as uow:
        seen = agenda.agenda(uow, boris, NOW, zone_name="Europe/Moscow")
    return {i.id for s in (seen.overdue, seen.today, seen.this_week, seen.later) for i in s.items}


def _opens(db: Database, actor: access.Actor, kind: str, ident: int) -> bool:
    with db.reader() as uow:
        return access.may_see(uow, actor, kind, ident)


def test_a_shared_cards_agenda_calls_and_mail_follow_the_share(db: Database, team: Team) -> None:
    card = _annas_card(db, team)
    boris, anna = team.boris, team.anna

    assert card.planned in _agenda_ids(db, boris)
    with db.reader() as uow:
        assert card.call in {c.id for c in listing.calls(uow, boris)}
    for kind in ("letter", "outbox", "call", "draft"):
        assert _opens(db, boris, kind, getattr(card, kind)), kind

    shares.set_shared(db, anna, "client", card.client, "boris", shared=False)
    assert card.planned not in _agenda_ids(db, boris)
    with db.reader() as uow:
        assert card.call not in {c.id for c in listing.calls(uow, boris)}
        with pytest.raises(PermissionDenied):
            access.check(uow, boris, "letter", card.letter)
    for kind in ("letter", "outbox", "call", "draft"):
        assert not _opens(db, boris, kind, getattr(card, kind)), kind
    # Anna, whose card it is, sees all of it throughout.
    for kind in ("letter", "outbox", "call", "draft"):
        assert _opens(db, anna, kind, getattr(card, kind)), kind
