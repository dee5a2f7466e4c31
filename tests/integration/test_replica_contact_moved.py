"""A contact person moved on the server to a card the laptop's user may not
see leaves the laptop (issue #20), as a client that left the view does.

Real PostgreSQL, two managers of different departments (Anna, Boris), Anna
and her head Gleb on laptop replicas (tests/integration/replica_rig.py).
The administrator moves Мария Соколова from Anna's client to Boris's: her
contact details, memo and call link leave both laptops with her; the note
on Anna's card that was about her stays there; Anna's own offline edit of
her is kept until the server has refused it, and is listed as refused.
The other way, Boris's contact person moved onto Anna's client comes down
with the contact details and memo he had before the move.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from models import Contact, ContactPoint, Interaction, Memo, Note, interaction_contacts
from services.core.storage import Database
from services.interactions import actions
from services.interactions import use_cases as ix
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync.pull import pull
from services.sync.use_cases import status, sync
from tests.integration.replica_rig import IVAN, Rig, move_contact_to_boris

pytestmark = pytest.mark.postgres

MARIA = "Мария Соколова"
MARIA_EMAIL = "m.sokolova@romashka.ru"
NOTE = "Мария просила перезвонить после обеда"
OLEG = "Олег Ким"
OLEG_EMAIL = "o.kim@lebedev.ru"


def _contact(db: Database, name: str) -> int | None:
    with db.reader() as uow:
        return uow.session.scalar(select(Contact.id).where(Contact.full_name == name))


def _with_maria(rig: Rig) -> str:
    """Anna, on her laptop: Maria on her client with an email and a phone,
    a memo on Maria, a note about her on the card and a call with Ivan and
    Maria; both laptops synced. Returns the call's uid."""
    laptop, anna = rig.laptop["anna"], rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    maria = parties.add_contact(
        laptop,
        anna,
        MARIA,
        client_id=client_id,
        position="Главный бухгалтер",
        emails=[MARIA_EMAIL],
        phones=["+7 843 765-43-21"],
    ).value
    ix.add_memo(laptop, anna, "contact", maria.id, "Предпочитает звонки утром")
    ix.add_note(laptop, anna, "contact", maria.id, NOTE)
    ivan = _contact(laptop, IVAN)
    assert ivan is not None
    call = ix.log_interaction(
        laptop,
        anna,
        actions.NewInteraction(
            type="call", client_id=client_id, contact_ids=(ivan, maria.id), subject="Сверка актов"
        ),
    ).value
    for who in rig.laptop:
        report = sync(rig.laptop[who], rig.server[who])
        assert report.refused == ()
    assert _contact(rig.laptop["head"], MARIA) is not None
    return call.uid


def _holds(db: Database, call_uid: str) -> dict[str, object]:
    """What this database holds of Maria and of what was on her."""
    ic = interaction_contacts.c
    with db.reader() as uow:
        s = uow.session
        return {
            "maria": s.scalar(select(func.count()).where(Contact.full_name == MARIA)),
            "email": s.scalar(select(func.count()).where(ContactPoint.normalized == MARIA_EMAIL)),
            "memo": s.scalar(
                select(func.count()).select_from(Memo).where(Memo.object_kind == "contact")
            ),
            "call_persons": sorted(
                s.scalars(
                    select(Contact.full_name)
                    .join(interaction_contacts, ic.contact_id == Contact.id)
                    .join(Interaction, Interaction.id == ic.interaction_id)
                    .where(Interaction.uid == call_uid)
                )
            ),
            "note_contact": s.execute(select(Note.contact_id).where(Note.body == NOTE)).all(),
        }


def test_a_contact_person_moved_to_a_card_the_user_may_not_see_leaves_both_laptops(
    rig: Rig,
) -> None:
    call_uid = _with_maria(rig)
    move_contact_to_boris(rig, MARIA)

    for who in rig.laptop:
        report = sync(rig.laptop[who], rig.server[who])
        assert report.refused == ()
        held = _holds(rig.laptop[who], call_uid)
        assert held["maria"] == 0, who
        assert held["email"] == 0, who
        assert held["memo"] == 0, who
        assert held["call_persons"] == [IVAN], who
        # the note was on Anna's card and stays, no longer naming Maria
        assert held["note_contact"] == [(None,)], who
        # Ivan and the card itself are untouched
        assert _contact(rig.laptop[who], IVAN) is not None
    # Boris sees Maria on his client with everything that was hers.
    boris = _holds(rig.server["boris"], call_uid)
    assert (boris["maria"], boris["email"], boris["memo"]) == (1, 1, 1)
    # A second sync finds nothing more to change.
    again = sync(rig.laptop["anna"], rig.server["anna"])
    assert (again.pushed, again.refused) == (0, ())


def test_an_offline_edit_of_the_moved_contact_is_kept_until_refused_then_listed(
    rig: Rig,
) -> None:
    call_uid = _with_maria(rig)
    laptop = rig.laptop["anna"]
    maria = _contact(laptop, MARIA)
    assert maria is not None
    edit_cases.edit_contact(laptop, rig.local_actor("anna"), maria, position="Финансовый директор")
    move_contact_to_boris(rig, MARIA)

    # A pull alone (no push yet) keeps her: the edit still waits for the server.
    pull(laptop, rig.server["anna"])
    with laptop.reader() as uow:
        position = uow.session.scalar(select(Contact.position).where(Contact.id == maria))
    assert position == "Финансовый директор"
    assert status(laptop).pending == 1

    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert (refusal.kind, refusal.label) == ("contact", MARIA)
    assert status(laptop).pending == 0
    assert status(laptop).refused == 1  # listed with the refused changes
    assert _holds(laptop, call_uid)["maria"] == 0
    with rig.server["boris"].reader() as uow:
        on_server = uow.session.scalar(select(Contact.position).where(Contact.full_name == MARIA))
    assert on_server == "Главный бухгалтер"  # refused: nothing of it applied


def test_a_contact_person_moved_onto_a_card_the_user_sees_comes_down_with_its_details(
    rig: Rig,
) -> None:
    """The other way: Boris's contact person moved onto Anna's client comes
    down to both laptops with the email, phone and memo made before the
    move (which changed none of them, and which the laptops' cursors had
    passed)."""
    boris = rig.actor("boris")
    theirs = parties.add_client(rig.server["boris"], boris, "ИП Лебедев").value
    oleg = parties.add_contact(rig.server["boris"], boris, OLEG, client_id=theirs.id).value
    for kind, value in (("email", OLEG_EMAIL), ("phone", "+7 843 222-33-44")):
        parties.add_point(rig.server["boris"], boris, kind, value, "contact", oleg.id, link=False)
    ix.add_memo(rig.server["boris"], boris, "contact", oleg.id, "Звонить только после 10:00")
    # Anna writes on her own card afterwards: the laptops' pull cursors pass
    # the numbers of Oleg's details, which they could not see then.
    anna_client = rig.local_id("admin", "client", rig.client_uid)  # on the server
    ix.add_note(rig.server["anna"], rig.actor("anna"), "client", anna_client, "Созвон в пятницу")
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
        assert _contact(rig.laptop[who], OLEG) is None
    with rig.server["admin"].uow() as uow:
        uow.session.execute(
            text("UPDATE contacts SET client_id = :c WHERE full_name = :n"),
            {"c": anna_client, "n": OLEG},
        )
        uow.commit()

    for who in rig.laptop:
        assert sync(rig.laptop[who], rig.server[who]).refused == ()
        with rig.laptop[who].reader() as uow:
            s = uow.session
            person = s.scalar(select(Contact.id).where(Contact.full_name == OLEG))
            assert person is not None, who
            points = set(
                s.scalars(select(ContactPoint.kind).where(ContactPoint.contact_id == person))
            )
            memos = list(
                s.scalars(
                    select(Memo.body).where(Memo.object_kind == "contact", Memo.object_id == person)
                )
            )
        assert points == {"email", "phone"}, who
        assert memos == ["Звонить только после 10:00"], who
