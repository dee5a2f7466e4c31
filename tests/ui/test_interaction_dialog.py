"""The interaction dialog: log and plan, times in two zones, hints under
the fields, complete / cancel / restore, and the deal's next-step rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from services.core import bootstrap, settings
from services.core.errors import ValidationError
from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import deals
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from ui.dialogs import InteractionDialog, NextStepDialog

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _client(db: Database, zone: str = "Asia/Almaty", *, my_zone: str = "Europe/Moscow") -> Any:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        settings.put(uow, "default_timezone", my_zone)
        client = parties.add_client(uow, actor, "Kaspi Logistics", timezone=zone)
        parties.add_contact(uow, actor, "Aigerim Nurlanovna", client_id=client.id, position="CFO")
        parties.add_contact(uow, actor, "Daniyar Seitkali", client_id=client.id)
        uow.commit()
        return parties.get_client(uow, actor, client.id)


def _planned(db: Database, client_id: int, days: float = 1, **kw: Any) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        start = NOW + dt.timedelta(days=days)
        spec = ix.NewInteraction(type="call", planned=True, start=start, client_id=client_id, **kw)
        view = ix.create(uow, actor, spec, now=NOW)
        uow.commit()
        return view.id


def _state(db: Database, interaction_id: int) -> str:
    with db.reader() as uow:
        return ix.get(uow, bootstrap.actor_for(uow), interaction_id).state


def _set_time(dialog: InteractionDialog, day: dt.date, hour: int, minute: int = 0) -> None:
    dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
    dialog.time_edit.setTime(QTime(hour, minute))


def _open(qtbot: QtBot, dialog: InteractionDialog) -> InteractionDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_planned_call_is_saved_with_its_contacts(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)
    dialog = _open(qtbot, InteractionDialog(ctx, client_id=client.id))
    assert dialog.party_label.text() == "Kaspi Logistics"
    assert dialog.party_label.isVisible()
    assert not dialog.party_picker.isVisible()
    assert dialog.type_combo.currentData() == "call"
    assert dialog.planned.isChecked()
    day = (NOW + dt.timedelta(days=7)).date()
    _set_time(dialog, day, 10)
    dialog.contacts.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.body.setPlainText("Agree on the Q3 tariffs")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.ok_button.click()
    view = saved.args[0]
    assert dialog.result() == InteractionDialog.DialogCode.Accepted
    assert (view.state, view.type, view.start_tz) == ("planned", "call", "Asia/Almaty")
    assert (view.start.hour, view.start.date()) == (10, day)
    assert view.contact_ids == (client.contacts[0].id,)
    assert view.body == "Agree on the Q3 tariffs"


def test_the_time_is_the_clients_with_the_users_beside_it(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client = _client(sqlite_db, "Asia/Almaty", my_zone="Europe/Moscow")
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), client_id=client.id))
    _set_time(dialog, dt.date(2031, 6, 3), 10)
    assert dialog.zone_label.text() == "10:00 Almaty = 08:00 your time"
    _set_time(dialog, dt.date(2031, 6, 3), 1, 30)
    assert dialog.zone_label.text() == "01:30 Almaty = Yesterday 23:30 your time"


def test_a_client_in_the_users_zone_says_so(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db, "Europe/Moscow", my_zone="Europe/Moscow")
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), client_id=client.id))
    assert dialog.zone_label.text() == "Moscow time, the same as yours"


def test_a_time_kept_in_the_users_zone_does_not_claim_the_client_shares_it(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    """An interaction kept in the user's zone (an imported call, one logged
    from the user's calendar) on a client elsewhere read "Moscow time, the
    same as yours", as if the client in Almaty lived by Moscow's clock."""
    client = _client(sqlite_db, "Asia/Almaty", my_zone="Europe/Moscow")
    interaction_id = _planned(sqlite_db, client.id, tz="Europe/Moscow")
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), interaction_id=interaction_id))
    qtbot.waitUntil(lambda: dialog.zone_label.text() != "")
    assert dialog.zone_label.text() == "Your time (Moscow)"


def test_the_subject_shows_for_email_only(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), client_id=client.id))
    assert not dialog.subject.isVisible()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("email"))
    assert dialog.subject.isVisible()
    dialog.subject.setText("Tariffs for Q3")
    assert dialog.new_interaction().subject == "Tariffs for Q3"
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("meeting"))
    assert not dialog.subject.isVisible()
    assert dialog.new_interaction().subject is None


def test_a_time_the_clocks_skip_is_refused_under_the_field(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client = _client(sqlite_db, "Europe/Berlin")
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), client_id=client.id))
    _set_time(dialog, dt.date(2030, 3, 31), 2, 30)  # Berlin springs forward at 02:00
    hint = dialog.hints["start"]
    assert hint.is_error
    assert hint.text() == "02:30 does not exist in Berlin: the clocks skip that hour"
    assert not dialog.ok_button.isEnabled()
    dialog.time_edit.setTime(QTime(3, 30))
    assert not hint.is_error
    assert dialog.ok_button.isEnabled()


def test_a_planned_time_in_the_past_is_a_warning_not_an_error(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client = _client(sqlite_db)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), client_id=client.id))
    _set_time(dialog, dt.date(2020, 1, 15), 10)
    assert dialog.hints["start"].level == "warning"
    assert "overdue" in dialog.hints["start"].text()
    assert dialog.ok_button.isEnabled()
    dialog.planned.setChecked(False)  # logging a past call is what "done" is for
    assert dialog.hints["start"].level == ""


def test_a_service_error_lands_under_its_field_until_that_field_changes(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(sqlite_db)
    ctx = make_ctx(sqlite_db)

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise ValidationError("Daniyar Seitkali is not a contact person of this client", "contacts")

    monkeypatch.setattr(ix, "create", refuse)
    dialog = _open(qtbot, InteractionDialog(ctx, client_id=client.id))
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.hints["contacts"].text() == (
        "Daniyar Seitkali is not a contact person of this client"
    )
    assert not dialog.ok_button.isEnabled()
    dialog.body.setPlainText("another field")  # not the one in question
    assert not dialog.ok_button.isEnabled()
    dialog.contacts.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.hints["contacts"].text() == ""
    assert dialog.ok_button.isEnabled()
    assert ctx.errors == []  # type: ignore[attr-defined]


def test_without_a_client_ok_waits_for_one(
    qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(sqlite_db)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db)))
    popups: list[int] = []
    # the offscreen platform cannot raise a popup; count it instead
    monkeypatch.setattr(dialog.party_picker, "showPopup", lambda: popups.append(1))
    assert dialog.party_picker.isVisible()
    assert not dialog.ok_button.isEnabled()
    assert dialog.hints["party"].text() == "Choose the client this interaction is with"
    qtbot.keyClicks(dialog.party_picker.lineEdit(), "kaspi")
    qtbot.waitUntil(lambda: dialog.party_picker.count() == 1)
    assert popups
    assert dialog.party_picker.itemData(0) == client.id
    dialog.party_picker.activated.emit(0)
    assert dialog.party is not None
    assert dialog.party.id == client.id
    assert dialog.contacts.count() == 2
    assert dialog.ok_button.isEnabled()


def test_enter_saves_and_escape_closes(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), client_id=client.id))
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("email"))
    dialog.subject.setFocus()
    qtbot.keyClicks(dialog.subject, "Contract draft")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.subject, Qt.Key.Key_Return)
    other = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), client_id=client.id))
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert other.result() == InteractionDialog.DialogCode.Rejected


def test_cancel_and_restore_through_the_dialog(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db)
    interaction_id = _planned(sqlite_db, client.id)
    ctx = make_ctx(sqlite_db)
    dialog = _open(qtbot, InteractionDialog(ctx, interaction_id=interaction_id))
    assert dialog.windowTitle() == "Call with Kaspi Logistics"
    assert dialog.complete_button.isVisible()
    assert dialog.cancel_interaction_button.isVisible()
    assert not dialog.restore_button.isVisible()
    dialog.cancel_interaction_button.click()
    box = dialog.confirm_box
    assert box is not None
    assert box.isVisible()
    keep = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    keep.click()
    assert _state(sqlite_db, interaction_id) == "planned"

    dialog.cancel_interaction_button.click()
    box = dialog.confirm_box
    assert box is not None
    yes = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    with qtbot.waitSignal(dialog.saved):
        yes.click()
    assert dialog.action == "cancelled"
    assert _state(sqlite_db, interaction_id) == "cancelled"

    again = _open(qtbot, InteractionDialog(ctx, interaction_id=interaction_id))
    assert again.restore_button.isVisible()
    assert not again.complete_button.isVisible()
    assert not again.ok_button.isVisible()
    later = (NOW + dt.timedelta(days=10)).date()
    _set_time(again, later, 15)
    with qtbot.waitSignal(again.saved) as restored:
        again.restore_button.click()
    view = restored.args[0]
    assert view.state == "planned"
    assert (view.start.date(), view.start.hour) == (later, 15)


def test_restoring_without_a_new_time_asks_for_one(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db)
    interaction_id = _planned(sqlite_db, client.id, days=-3)
    with sqlite_db.uow() as uow:
        ix.cancel(uow, bootstrap.actor_for(uow), interaction_id)
        uow.commit()
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), interaction_id=interaction_id))
    dialog.restore_button.click()
    asked = dialog.when_dialog
    assert asked is not None
    qtbot.addWidget(asked)
    assert asked.isVisible()
    assert _state(sqlite_db, interaction_id) == "cancelled"
    with qtbot.waitSignal(dialog.saved) as restored:
        asked.accept()
    view = restored.args[0]
    assert view.state == "planned"
    assert view.start > dt.datetime.now(dt.UTC)  # not back three days overdue


def test_rescheduling_and_contacts_are_saved_on_an_existing_one(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client = _client(sqlite_db)
    interaction_id = _planned(sqlite_db, client.id)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), interaction_id=interaction_id))
    assert not dialog.type_combo.isEnabled()  # fixed once saved
    day = (NOW + dt.timedelta(days=3)).date()
    _set_time(dialog, day, 9, 45)
    dialog.contacts.item(1).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.ok_button.click()
    view = saved.args[0]
    assert (view.start.date(), view.start.hour, view.start.minute) == (day, 9, 45)
    assert view.contact_ids == (client.contacts[1].id,)


def test_completing_adds_the_outcome(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db)
    interaction_id = _planned(sqlite_db, client.id, days=-0.1)  # due an hour or two ago
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), interaction_id=interaction_id))
    assert dialog.outcome.isVisible()
    dialog.outcome.setPlainText("They sign next week")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.complete_button.click()
    assert saved.args[0].state == "done"
    assert saved.args[0].body == "They sign next week"


def test_completing_a_call_planned_for_tomorrow_asks_when_it_happened(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client = _client(sqlite_db)
    interaction_id = _planned(sqlite_db, client.id, days=1)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), interaction_id=interaction_id))
    dialog.complete_button.click()
    asked = dialog.when_dialog
    assert asked is not None
    qtbot.addWidget(asked)
    assert asked.isVisible()
    assert _state(sqlite_db, interaction_id) == "planned"  # nothing until answered
    assert dialog.interaction is not None
    own_now = dt.datetime.now(dialog.interaction.start.tzinfo).replace(tzinfo=None)
    earlier = own_now.replace(second=0, microsecond=0) - dt.timedelta(hours=3)
    asked.when.setDateTime(
        QDateTime(QDate(earlier.year, earlier.month, earlier.day), QTime(earlier.hour, 0))
    )
    with qtbot.waitSignal(dialog.saved) as saved:
        asked.accept()
    view = saved.args[0]
    assert view.state == "done"
    assert view.start.replace(tzinfo=None) == earlier.replace(minute=0)


def _deal_that_needs_a_next_step(db: Database, client_id: int) -> tuple[int, int]:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deals.add_pipeline(uow, actor, "Key accounts", ["Talks", "Won:won"], requires_planned=True)
        deal = deals.add_deal(
            uow, actor, "Fleet tracking", client_id=client_id, pipeline="Key accounts"
        )
        spec = ix.NewInteraction(
            type="call", planned=True, start=NOW - dt.timedelta(hours=2), deal_id=deal.id
        )
        first = ix.create(uow, actor, spec, now=NOW)
        deals.check_next_step(uow, deal.id)
        uow.commit()
        return deal.id, first.id


def test_completing_the_last_planned_step_of_a_deal_asks_for_the_next(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client = _client(sqlite_db)
    deal_id, first = _deal_that_needs_a_next_step(sqlite_db, client.id)
    ctx = make_ctx(sqlite_db)
    dialog = _open(qtbot, InteractionDialog(ctx, interaction_id=first))
    assert dialog.deal_combo.currentData() == deal_id
    dialog.complete_button.click()
    nested = dialog.next_step_dialog
    assert isinstance(nested, NextStepDialog)
    qtbot.addWidget(nested)
    assert nested.isVisible()
    assert nested.banner.isVisible()
    assert "planned interaction" in nested.banner.text()
    assert _state(sqlite_db, first) == "planned"  # nothing written yet
    assert nested.planned.isChecked()
    assert not nested.planned.isEnabled()
    assert nested.party_label.text() == "Kaspi Logistics"
    assert nested.deal_combo.currentData() == deal_id
    nested.type_combo.setCurrentIndex(nested.type_combo.findData("meeting"))
    day = (NOW + dt.timedelta(days=14)).date()
    _set_time(nested, day, 11)
    with qtbot.waitSignal(dialog.saved):
        nested.ok_button.click()
    assert dialog.action == "completed"
    assert _state(sqlite_db, first) == "done"
    with sqlite_db.reader() as uow:
        from services.feed.pages import FeedScope, page

        planned = [
            i
            for i in page(uow, ctx.actor, FeedScope(deal_id=deal_id)).items
            if i.state == "planned"
        ]
    assert [(i.type, i.start.date(), i.start.hour) for i in planned] == [("meeting", day, 11)]
    assert ctx.errors == []  # type: ignore[attr-defined]


def test_declining_the_next_step_changes_nothing(qtbot: QtBot, sqlite_db: Database) -> None:
    client = _client(sqlite_db)
    _deal_id, first = _deal_that_needs_a_next_step(sqlite_db, client.id)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), interaction_id=first))
    dialog.complete_button.click()
    nested = dialog.next_step_dialog
    assert nested is not None
    qtbot.addWidget(nested)
    nested.reject()
    assert dialog.isVisible()
    assert "needs a planned next step" in dialog.general_hint.text()
    assert _state(sqlite_db, first) == "planned"
