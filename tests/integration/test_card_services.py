"""Services the card needs: editing an interaction, the memo, attachments."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.interactions import actions as ix
from services.interactions import attachments, notes
from services.parties import deals
from tests.integration.helpers import client, interaction, row_counts


def test_editing_type_subject_body_and_deal(db: Database) -> None:
    cid = client(db)
    iid = interaction(db, type="call", client_id=cid, subject=None)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deal = deals.add_deal(uow, actor, "Поставка", client_id=cid)
        view = ix.update(
            uow,
            actor,
            iid,
            type="meeting",
            subject="Встреча в офисе",
            body="Обсудили сроки",
            deal_id=deal.id,
            duration_min=45,
        )
        uow.commit()
    assert (view.type, view.subject, view.body, view.deal_id, view.duration_min) == (
        "meeting",
        "Встреча в офисе",
        "Обсудили сроки",
        deal.id,
        45,
    )


def test_moving_the_last_planned_step_off_a_strict_deal_is_refused(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deals.add_pipeline(uow, actor, "Strict", ["Open", "Won:won"], requires_planned=True)
        deal = deals.add_deal(uow, actor, "Deal", client_id=cid, pipeline="Strict")
        planned = ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type="call",
                planned=True,
                start=dt.datetime(2027, 1, 5, 10),
                tz="UTC",
                deal_id=deal.id,
            ),
        )
        uow.commit()
    before = row_counts(db)
    with db.uow() as uow, pytest.raises(ValidationError, match="must always have a planned"):
        ix.update(uow, bootstrap.actor_for(uow), planned.id, deal_id=None)
    assert row_counts(db) == before


def test_bad_edits_are_refused(db: Database) -> None:
    cid = client(db)
    iid = interaction(db, type="call", client_id=cid)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        with pytest.raises(ValidationError, match="Unknown interaction type"):
            ix.update(uow, actor, iid, type="fax")
        with pytest.raises(ValidationError, match="Duration"):
            ix.update(uow, actor, iid, duration_min=5000)


def test_the_memo_is_read_back(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        assert notes.get_memo(uow, actor, "client", cid) is None
        notes.add_memo(uow, actor, "client", cid, "Звонить после 14:00")
        uow.commit()
    with db.reader() as uow:
        assert notes.get_memo(uow, bootstrap.actor_for(uow), "client", cid) == (
            "Звонить после 14:00"
        )


def test_attachments_of_an_empty_card(db: Database) -> None:
    cid = client(db)
    with db.reader() as uow:
        assert attachments.list_for(uow, bootstrap.actor_for(uow), "client", cid) == []
        with pytest.raises(ValidationError):
            attachments.list_for(uow, bootstrap.actor_for(uow), "planet", 1)
