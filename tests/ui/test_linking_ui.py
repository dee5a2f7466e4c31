"""Linking in the desktop UI: the unlinked letters, linking one by hand with
the offer to save its address, the Mail section and the call-log import.
What a card's feed offers (why, unlink, recordings) and a new address on a
card are test_linking_feed_ui.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from models import AddressDecision
from services.core import bootstrap
from services.core.storage import Database
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from tests.ui.linking_ui_helpers import (
    add_client,
    add_letters,
    client_emails,
    feed_items,
    link_via_dialog,
    no_modal_questions,  # noqa: F401 - the autouse fixture
    open_panel,
)
from ui.dialogs.call_import_dialog import CallImportDialog
from ui.dialogs.link_target import LinkTarget, LinkTargetDialog
from ui.mail.mail_panel import MailPanel
from ui.mail.unlinked_model import UnlinkedModel
from ui.mail.unlinked_panel import NEVER, NO, YES

# --- the list ----------------------------------------------------------------------


def test_unlinked_letters_are_listed_newest_first_with_the_other_side(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    [old, new] = add_letters(sqlite_db, ["ivan@unknown.example", "olga@unknown.example"])
    [sent] = add_letters(sqlite_db, ["petr@unknown.example"], direction="out", start=5)
    panel = open_panel(qtbot, make_ctx(sqlite_db))
    model = panel.model
    assert [r.id for r in model.rows()] == [sent, new, old]
    assert panel.stack.currentWidget() is panel.table
    person = [model.index(n, UnlinkedModel.PERSON).data() for n in range(3)]
    assert person == ["To: petr@unknown.example", "olga@unknown.example", "ivan@unknown.example"]
    assert model.index(1, UnlinkedModel.SUBJECT).data() == "Letter 1"
    assert model.index(1, UnlinkedModel.DATE).data()  # a date is shown
    assert not panel.link_button.isEnabled()  # nothing selected yet
    panel.select(new)
    assert panel.link_button.isEnabled()


def test_without_unlinked_letters_the_list_says_what_it_is_for(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    panel = open_panel(qtbot, make_ctx(sqlite_db))
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.title.text() == "No unlinked letters"
    assert "on no card" in panel.empty.hint.text()


def test_the_list_pages_lazily_and_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, sqlite_db: Database
) -> None:
    ids = add_letters(sqlite_db, [f"p{n}@unknown.example" for n in range(5)])
    ctx = make_ctx(sqlite_db)
    model = UnlinkedModel(ctx, page_size=2)
    model.refresh()
    assert [r.id for r in model.rows()] == ids[::-1][:2]
    assert model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [r.id for r in model.rows()] == ids[::-1]
    qtmodeltester.check(model)


def test_opening_an_unlinked_letter_shows_its_headers(qtbot: QtBot, sqlite_db: Database) -> None:
    [letter] = add_letters(sqlite_db, ["ivan@unknown.example"])
    panel = open_panel(qtbot, make_ctx(sqlite_db))
    panel.select(letter)
    panel.open_button.click()
    dialog = panel.dialog
    assert dialog is not None
    assert dialog.isVisible()
    texts = [w.text() for w in dialog.findChildren(type(panel.empty.title))]
    assert "Letter 0" in texts
    assert "ivan@unknown.example" in texts


# --- linking by hand ---------------------------------------------------------------


def test_linking_a_letter_puts_it_in_the_clients_feed_and_yes_saves_the_address(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    cid = add_client(sqlite_db, "Romashka Trading")
    [first, second] = add_letters(sqlite_db, ["new@client.example", "new@client.example"])
    ctx = make_ctx(sqlite_db)
    panel = open_panel(qtbot, ctx)
    linked: list[tuple[str, object]] = []
    panel.linked.connect(lambda kind, ident: linked.append((kind, ident)))

    link_via_dialog(panel, first, "Romashka")

    assert [r.id for r in panel.model.rows()] == [second]
    assert [i.title for i in feed_items(sqlite_db, cid, "email")] == ["Letter 0"]
    assert linked == [("client", cid)]
    box = panel.offer_box
    assert box is not None
    assert box.isVisible()
    assert box.text() == "Save new@client.example on client “Romashka Trading”?"

    panel.offer_buttons[YES].click()

    assert client_emails(sqlite_db, cid) == ["new@client.example"]
    assert [i.title for i in feed_items(sqlite_db, cid, "email")] == ["Letter 0", "Letter 1"]
    panel.refresh()
    assert panel.model.rows() == []
    assert "saved on Romashka Trading" in panel.undo_bar.message.text()


def test_never_records_the_choice_and_the_address_is_not_offered_again(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    cid = add_client(sqlite_db)
    [first, second] = add_letters(sqlite_db, ["noise@lists.example", "noise@lists.example"])
    ctx = make_ctx(sqlite_db)
    panel = open_panel(qtbot, ctx)
    target = LinkTarget("client", cid, "Romashka")
    panel.link(panel.model.row_at(panel.model.row_of(first) or 0), target)  # type: ignore[arg-type]
    assert panel.offer_box is not None
    panel.offer_buttons[NEVER].click()
    with sqlite_db.reader() as uow:
        decision = uow.session.get(AddressDecision, (ctx.actor.id, "email", "noise@lists.example"))
    assert decision is not None
    assert client_emails(sqlite_db, cid) == []

    row = panel.model.row_at(panel.model.row_of(second) or 0)
    assert row is not None
    assert row.id == second
    panel.link(row, target)
    assert panel.offer_box is None  # not asked again
    assert len(feed_items(sqlite_db, cid, "email")) == 2


def test_no_leaves_the_address_unsaved_and_asks_again_next_time(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    cid = add_client(sqlite_db)
    [first, second] = add_letters(sqlite_db, ["maybe@x.example", "maybe@x.example"])
    ctx = make_ctx(sqlite_db)
    panel = open_panel(qtbot, ctx)
    target = LinkTarget("client", cid, "Romashka")
    row = panel.model.row_at(panel.model.row_of(first) or 0)
    assert row is not None
    panel.link(row, target)
    assert panel.offer_box is not None
    panel.offer_buttons[NO].click()
    assert client_emails(sqlite_db, cid) == []
    row = panel.model.row_at(panel.model.row_of(second) or 0)
    assert row is not None
    panel.link(row, target)
    assert panel.offer_box is not None


def test_the_picker_finds_contact_persons_and_leads_too(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "Vostok")
        contact = parties.add_contact(uow, actor, "Irina Vostokova", client_id=client.id)
        lead = parties.add_lead(uow, actor, "Vostok Lead")
        uow.commit()
    dialog = LinkTargetDialog(make_ctx(sqlite_db), "Link to:")
    qtbot.addWidget(dialog)
    dialog.search_now("Vostok")
    found = {
        dialog.results.item(n).data(Qt.ItemDataRole.UserRole) for n in range(dialog.results.count())
    }
    assert {(t.kind, t.id) for t in found} >= {
        ("client", client.id),
        ("contact", contact.id),
        ("lead", lead.id),
    }


# --- the Mail section and the call-log import --------------------------------------


def test_the_mail_section_has_the_unlinked_letters_and_the_call_import(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from ui.shell.preferences import Preferences

    [letter] = add_letters(sqlite_db, ["ivan@unknown.example"])
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    panel = MailPanel(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.unlinked.model.loaded_once  # loads when its tab opens
    panel.show_unlinked()
    assert [r.id for r in panel.unlinked.model.rows()] == [letter]
    assert panel.import_calls_button.isVisible()
    dialog = panel.import_calls()
    assert isinstance(dialog, CallImportDialog)
    dialog.reject()


def test_the_call_log_import_reports_new_known_skipped_and_linked(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    add_client(sqlite_db, phones=["+74951234567"])
    log = tmp_path / "cdr.csv"
    log.write_text(
        "calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,"
        "disposition,amaflags,accountcode,uniqueid,userfield,did,recordingfile\n"
        "2026-11-21 09:00:00,x,+74951234567,100,from-trunk,a,b,Dial,c,65,60,ANSWERED,3,,u1,,,"
        "r.wav\n"
        "2026-11-21 10:00:00,x,+74957654321,100,from-trunk,a,b,Dial,c,65,60,ANSWERED,3,,u2,,,\n"
        "not a date,x,+74957654321,100,from-trunk,a,b,Dial,c,65,60,ANSWERED,3,,u3,,,\n",
        encoding="utf-8",
    )
    ctx = make_ctx(sqlite_db)
    dialog = CallImportDialog(ctx)
    qtbot.addWidget(dialog)
    done: list[Any] = []
    dialog.imported.connect(done.append)
    dialog.path.setText(str(log))
    dialog.set_preset("freepbx")
    dialog.import_button.click()
    assert len(done) == 1
    text = dialog.summary.text()
    assert "New calls: 2 · already there: 0 · skipped: 1 · linked to cards: 1" in text
    assert "Line 4:" in text
    dialog.import_button.click()  # the same file again changes nothing
    assert "New calls: 0 · already there: 2 · skipped: 1 · linked to cards: 0" in (
        dialog.summary.text()
    )
    dialog.path.setText(str(tmp_path / "nope.csv"))
    dialog.import_button.click()
    assert "There is no file" in dialog.summary.text()
    assert len(done) == 2
    assert ctx.errors == []
