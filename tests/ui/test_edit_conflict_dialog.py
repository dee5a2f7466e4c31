"""The edit dialog when a colleague saved the card, deal or interaction
meanwhile (#19 item 4): both values per field, the user picks, and only
then is it saved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTime
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import deals, edit_cases
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.dialogs import InteractionDialog
from ui.dialogs.deal_dialog import DealDialog
from ui.dialogs.party_dialog import PartyDialog


def test_a_colleagues_save_meanwhile_is_shown_and_the_user_chooses(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, sqlite_team.anna, "ООО Лютик")
        uow.commit()
    with sqlite_db.reader() as uow:
        shown = parties.get_client(uow, sqlite_team.anna, client.id)
    dialog = PartyDialog(make_ctx(sqlite_db, login="anna"), "client", existing=shown)
    qtbot.addWidget(dialog)
    # While the dialog is open the administrator renames the client.
    edit_cases.edit_client(sqlite_db, sqlite_team.admin, client.id, name="ООО Лютик и К")
    dialog.name.setText("ООО Лютик-Север")
    dialog.address.setText("Мурманск")
    dialog.save()
    conflict = dialog.conflict_dialog
    assert conflict.isVisible()
    texts = {f.field: (f.yours, f.theirs) for f in conflict.conflict.fields}
    assert texts["name"] == ("ООО Лютик-Север", "ООО Лютик и К")
    with sqlite_db.reader() as uow:  # nothing saved yet
        assert parties.get_client(uow, sqlite_team.anna, client.id).address is None

    conflict.take_theirs("name")
    with qtbot.waitSignal(dialog.saved) as saved:
        conflict.accept()
    view = saved.args[0]
    assert (view.name, view.address) == ("ООО Лютик и К", "Мурманск")
    dialog._timer.stop()


def test_a_deal_saved_meanwhile_shows_both_values_and_keeps_the_choice(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, sqlite_team.anna, "ООО Ромашка")
        deal = deals.add_deal(uow, sqlite_team.anna, "Поставка ромашек", client_id=client.id)
        uow.commit()
    with sqlite_db.reader() as uow:
        shown = deals.get(uow, sqlite_team.anna, deal.id)
    dialog = DealDialog(make_ctx(sqlite_db, login="anna"), existing=shown)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.owner.count() > 0)
    # While the dialog is open the administrator renames the deal.
    edit_cases.edit_deal(sqlite_db, sqlite_team.admin, deal.id, title="Поставка лютиков")
    dialog.title.setText("Поставка васильков")
    dialog.amount.setText("250000")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.conflict_dialog is not None)
    conflict = dialog.conflict_dialog
    assert conflict is not None
    assert conflict.isVisible()
    texts = {f.field: (f.yours, f.theirs) for f in conflict.conflict.fields}
    assert texts["title"] == ("Поставка васильков", "Поставка лютиков")
    with sqlite_db.reader() as uow:  # nothing saved yet
        assert deals.get(uow, sqlite_team.anna, deal.id).amount is None

    conflict.take_theirs("title")
    with qtbot.waitSignal(dialog.saved) as saved:
        conflict.accept()
    view = saved.args[0]
    assert (view.title, int(view.amount)) == ("Поставка лютиков", 250000)


def test_an_interaction_moved_meanwhile_offers_both_times_and_contacts_by_name(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    anna, admin = sqlite_team.anna, sqlite_team.admin
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, anna, "ООО Ландыш", timezone="Europe/Moscow")
        olga = parties.add_contact(uow, anna, "Ольга Сергеевна", client_id=client.id)
        pavel = parties.add_contact(uow, anna, "Павел Игоревич", client_id=client.id)
        spec = ix.NewInteraction(type="call", planned=True, start=start, client_id=client.id)
        call = ix.create(uow, anna, spec)
        uow.commit()
    dialog = InteractionDialog(make_ctx(sqlite_db, login="anna"), interaction_id=call.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.interaction is not None and dialog.contacts.count() == 2)
    # While it is open the administrator moves the call an hour later and adds Павел.
    with sqlite_db.uow(admin.id) as uow:
        ix.reschedule(uow, admin, call.id, start + dt.timedelta(hours=1), "Europe/Moscow")
        ix.set_contacts(uow, admin, call.id, [pavel.id])
        uow.commit()
    day = (start + dt.timedelta(days=1)).date()
    dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
    dialog.time_edit.setTime(QTime(15, 30))
    for row in range(dialog.contacts.count()):
        item = dialog.contacts.item(row)
        if item.text().startswith("Ольга"):
            item.setCheckState(Qt.CheckState.Checked)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.conflict_dialog is not None)
    conflict = dialog.conflict_dialog
    assert conflict is not None
    assert conflict.isVisible()
    assert [f.field for f in conflict.conflict.fields] == ["start", "contacts"]
    yours, theirs = conflict._groups["contacts"]
    assert "Ольга Сергеевна" in yours.text()
    assert "Павел Игоревич" in theirs.text()
    assert "15:30" in conflict._groups["start"][0].text()
    assert "11:00" in conflict._groups["start"][1].text()  # 08:00 UTC in Moscow
    with sqlite_db.reader() as uow:  # nothing saved yet: the administrator's values stand
        now = ix.get(uow, anna, call.id)
    assert (now.start, now.contact_ids) == (start + dt.timedelta(hours=1), (pavel.id,))

    conflict.take_theirs("start")  # the administrator's time, Anna's contact person
    with qtbot.waitSignal(dialog.saved) as saved:
        conflict.accept()
    view = saved.args[0]
    assert view.start == start + dt.timedelta(hours=1)
    assert view.contact_ids == (olga.id,)
