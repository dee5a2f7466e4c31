"""Editing, archiving and converting cards through the use cases the
desktop and the CLI share, on SQLite and PostgreSQL, with several users."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from models import AuditEntry
from services.core.access import Actor, PermissionDenied
from services.core.errors import ValidationError
from services.core.storage import Database
from services.core.views import ClientView
from services.feed import pages
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.parties import board, deals, edit_cases, lists, records
from services.parties import use_cases as parties
from tests.conftest import Team


def _card(db: Database, actor: Actor, kind: str, ident: int) -> ClientView:
    with db.reader() as uow:
        if kind == "lead":
            return records.get_lead(uow, actor, ident)
        return records.get_client(uow, actor, ident)


def _history(db: Database, kind: str, ident: int) -> list[tuple[str, str | None, str | None]]:
    with db.reader() as uow:
        rows = uow.session.execute(
            select(AuditEntry.field, AuditEntry.old, AuditEntry.new)
            .where(AuditEntry.entity_kind == kind, AuditEntry.entity_id == ident)
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_edit_client_fields_owner_by_login_and_history(db: Database, team: Team) -> None:
    made = parties.add_client(db, team.anna, "ООО Ромашка", region="RU").value
    done = edit_cases.edit_client(
        db,
        team.anna,
        made.id,
        name="  ООО  «Ромашка-Плюс» ",
        owner="boris",
        address="Москва, ул. Льва Толстого, 16",
        region="kz",
    )
    view = done.value
    assert view.name == "ООО «Ромашка-Плюс»"
    assert view.owner_name == "Борис Петров"
    assert view.address == "Москва, ул. Льва Толстого, 16"
    assert view.region == "KZ"
    assert done.changes.touches_card("client", made.id)
    fields = {f: (old, new) for f, old, new in _history(db, "client", made.id)}
    assert fields["name"] == ("ООО Ромашка", "ООО «Ромашка-Плюс»")
    assert fields["region"] == ("RU", "KZ")
    # Anna handed it to Boris: it is no longer hers to edit.
    with pytest.raises(PermissionDenied):
        edit_cases.edit_client(db, team.anna, made.id, name="Другое")
    edit_cases.edit_client(db, team.boris, made.id, address="")
    assert _card(db, team.boris, "client", made.id).address is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Ромашка\x07"}, "control character"),
        ({"name": "\u202eакшамоР"}, "control character"),
        ({"name": "   "}, "must not be empty"),
        ({"owner": "gone"}, "No active user"),
        ({"region": "ZZ"}, "Unknown region"),
    ],
)
def test_bad_edits_change_nothing(
    db: Database, team: Team, changes: dict[str, str], message: str
) -> None:
    made = parties.add_client(db, team.admin, "Ромашка").value
    with pytest.raises(ValidationError, match=message):
        edit_cases.edit_client(db, team.admin, made.id, **changes)  # type: ignore[arg-type]
    after = _card(db, team.admin, "client", made.id)
    assert (after.name, after.owner_id, after.region) == ("Ромашка", made.owner_id, None)


def test_contact_lead_and_deal_edits(db: Database, team: Team) -> None:
    client = parties.add_client(db, team.anna, "Василёк").value
    contact = parties.add_contact(db, team.anna, "Иван", client_id=client.id).value
    lead = parties.add_lead(db, team.anna, "Пётр", company="Лютик").value
    deal = parties.add_deal(db, team.anna, parties.NewDeal("Поставка", client_id=client.id)).value
    person = edit_cases.edit_contact(
        db, team.anna, contact.id, name="Иван Петрович", position="Директор"
    ).value
    assert (person.full_name, person.position) == ("Иван Петрович", "Директор")
    lead_view = edit_cases.edit_lead(db, team.anna, lead.id, company="").value
    assert lead_view.company is None
    edited = edit_cases.edit_deal(
        db, team.anna, deal.id, title="Поставка бумаги", amount="1 500,50", currency="eur"
    ).value
    assert (edited.title, edited.amount, edited.currency) == (
        "Поставка бумаги",
        Decimal("1500.50"),
        "EUR",
    )
    with pytest.raises(ValidationError, match="three-letter"):
        edit_cases.edit_deal(db, team.anna, deal.id, currency="рубль")


def test_archive_hides_from_lists_and_unarchive_brings_back(db: Database, team: Team) -> None:
    client = parties.add_client(db, team.anna, "Архивная Компания").value
    parties.add_contact(db, team.anna, "Сотрудник Архивный", client_id=client.id)
    done = edit_cases.set_archived(db, team.anna, "client", client.id)
    assert done.value.changed
    assert done.changes.touches_card("client", client.id)
    assert not edit_cases.set_archived(db, team.anna, "client", client.id).value.changed
    with db.reader() as uow:
        shown = [r.name for r in lists.client_page(uow, team.anna).rows]
        archived = [r.name for r in lists.client_page(uow, team.anna, archived=True).rows]
        contacts = [r.name for r in lists.contact_page(uow, team.anna).rows]
        assert lists.count_clients(uow, team.anna) == 0
        assert lists.count_contacts(uow, team.anna, archived=True) == 1
    assert shown == []
    assert archived == ["Архивная Компания"]
    assert contacts == []
    assert _card(db, team.anna, "client", client.id).archived
    edit_cases.set_archived(db, team.anna, "client", client.id, archived=False)
    with db.reader() as uow:
        assert [r.name for r in lists.client_page(uow, team.anna).rows] == ["Архивная Компания"]
        assert [r.name for r in lists.contact_page(uow, team.anna).rows] == ["Сотрудник Архивный"]
    with pytest.raises(PermissionDenied):
        edit_cases.set_archived(db, team.boris, "client", client.id)
    theirs = parties.add_client(db, team.boris, "Секрет Бориса").value
    edit_cases.set_archived(db, team.boris, "client", theirs.id)
    with db.reader() as uow:
        assert lists.client_page(uow, team.anna, archived=True).rows == ()
        assert [c.name for c in records.list_clients(uow, team.boris, archived=True)] == [
            "Секрет Бориса"
        ]
        assert records.list_clients(uow, team.anna, archived=True) == []


def test_convert_lead_moves_contacts_deals_and_feed(db: Database, team: Team) -> None:
    lead = parties.add_lead(
        db, team.anna, "Мария Иванова", company="ООО Лютик", phones=["+7 912 345-67-89"]
    ).value
    colleague = parties.add_contact(db, team.anna, "Олег", lead_id=lead.id).value
    deal = parties.add_deal(db, team.anna, parties.NewDeal("Пилот", lead_id=lead.id)).value
    call = interactions.log_interaction(
        db, team.anna, ix.NewInteraction(type="call", lead_id=lead.id, subject="Первый звонок")
    ).value
    done = edit_cases.convert_lead(db, team.anna, lead.id)
    client = done.value
    assert client.name == "ООО Лютик"
    assert client.owner_id == team.anna.id
    assert done.changes.touches_card("client", client.id)
    assert done.changes.touches_card("lead", lead.id)
    names = sorted(c.full_name for c in client.contacts)
    assert names == ["Мария Иванова", "Олег"]
    person = next(c for c in client.contacts if c.full_name == "Мария Иванова")
    assert [p.normalized for p in person.points] == ["+79123456789"]
    with db.reader() as uow:
        assert deals.get(uow, team.anna, deal.id).client_id == client.id
    assert colleague.id in {c.id for c in client.contacts}
    with db.reader() as uow:
        feed = pages.page(uow, team.anna, pages.FeedScope(client_id=client.id))
    assert call.id in {item.id for item in feed.items if item.kind == "interaction"}
    lead_after = _card(db, team.anna, "lead", lead.id)
    assert lead_after.converted
    assert lead_after.archived
    assert ("converted", "Мария Иванова", "ООО Лютик") in _history(db, "lead", lead.id)
    with pytest.raises(ValidationError, match="already converted"):
        edit_cases.convert_lead(db, team.anna, lead.id)
    with pytest.raises(ValidationError, match="converted"):
        edit_cases.set_archived(db, team.anna, "lead", lead.id, archived=False)


def test_duplicates_by_name_and_phone_only_visible(db: Database, team: Team) -> None:
    mine = parties.add_client(db, team.anna, "ООО Ромашка", phones=["+7 495 123-45-67"]).value
    parties.add_client(db, team.boris, "Чужая Ромашка", phones=["+7 495 765-43-21"])
    found = edit_cases.find_duplicates(db, team.anna, "client", "ооо  РОМАШКА")
    assert [(d.kind, d.id, d.why) for d in found] == [("client", mine.id, "name")]
    by_phone = edit_cases.find_duplicates(db, team.anna, "lead", "", phones=["84951234567"])
    assert [(d.id, d.why) for d in by_phone] == [(mine.id, "phone")]
    assert edit_cases.find_duplicates(db, team.anna, "client", "", phones=["84957654321"]) == ()
    assert edit_cases.find_duplicates(db, team.anna, "client", "ООО Ромашка", exclude=mine.id) == ()


def test_an_archived_deal_leaves_the_card_and_the_board(db: Database, team: Team) -> None:
    client = parties.add_client(db, team.anna, "Одуванчик").value
    deal = parties.add_deal(db, team.anna, parties.NewDeal("Сделка", client_id=client.id)).value
    edit_cases.set_archived(db, team.anna, "deal", deal.id)
    with db.reader() as uow:
        assert board.deals_of(uow, team.anna, "client", client.id) == ()
        shown = board.board(uow, team.anna, deal.pipeline_id)
    assert all(d.id != deal.id for column in shown.columns for d in column.deals)
    edit_cases.set_archived(db, team.anna, "deal", deal.id, archived=False)
    with db.reader() as uow:
        assert [d.id for d in board.deals_of(uow, team.anna, "client", client.id)] == [deal.id]
