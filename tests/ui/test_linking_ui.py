"""Linking in the desktop UI: the unlinked letters, linking one by hand with
the offer to save its address, "why is this here", unlinking from a feed,
playing a call's recording, adding an address on a card, the call-log
import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from models import AddressDecision, MailAccount, MailAddress, MailMessage
from services.core import bootstrap
from services.core.storage import Database
from services.core.views import FeedItem
from services.feed import pages as feed
from services.feed.pages import FeedScope
from services.linking import call_log
from services.linking import job as linking
from services.parties import records as parties
from tests.ui.helpers import InlineLane, make_ctx
from ui.cards import CardWidget
from ui.dialogs.call_import_dialog import CallImportDialog
from ui.dialogs.link_target import LinkTarget, LinkTargetDialog
from ui.feed import FeedView
from ui.mail.mail_panel import MailPanel
from ui.mail.unlinked_model import UnlinkedModel
from ui.mail.unlinked_panel import NEVER, NO, YES, UnlinkedPanel

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
ME = "anna@severtrade.example"


def _account(db: Database) -> int:
    with db.uow() as uow:
        row = MailAccount(
            user_id=1,
            email=ME,
            imap_host="127.0.0.1",
            imap_port=993,
            imap_security="tls",
            imap_user=ME,
            smtp_host="127.0.0.1",
            smtp_port=587,
            smtp_security="starttls",
            smtp_user=ME,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def _letters(db: Database, senders: list[str], direction: str = "in", start: int = 0) -> list[int]:
    """Header-only letters, as mail sync keeps them for unknown addresses."""
    with db.reader() as uow:
        acc = uow.session.scalar(select(MailAccount.id))
    acc = acc or _account(db)
    with db.uow() as uow:
        ids = list(
            uow.session.execute(
                insert(MailMessage).returning(MailMessage.id, sort_by_parameter_order=True),
                [
                    {
                        "account_id": acc,
                        "message_key": f"<m{n}-{s}>",
                        "direction": direction,
                        "subject": f"Letter {n}",
                        "sent_at": NOW - dt.timedelta(days=n),
                        "from_addr": s if direction == "in" else ME,
                        "body_state": "none",
                        "auto_reply": False,
                    }
                    for n, s in enumerate(senders, start=start)
                ],
            ).scalars()
        )
        uow.session.execute(
            insert(MailAddress),
            [
                {"message_id": i, "role": "from" if direction == "in" else "to", "address": s}
                for i, s in zip(ids, senders, strict=True)
            ],
        )
        uow.commit()
    return ids


def _client(db: Database, name: str = "Romashka", **kw: Any) -> int:
    with db.uow() as uow:
        cid = parties.add_client(uow, bootstrap.actor_for(uow), name, **kw).id
        uow.commit()
    return cid


def _feed_items(db: Database, client_id: int, kind: str) -> list[FeedItem]:
    with db.reader() as uow:
        page = feed.page(
            uow,
            bootstrap.actor_for(uow),
            FeedScope(client_id=client_id),
            feed.FeedFilter(types=(kind,)),
        )
    return list(page.items)


def _client_emails(db: Database, client_id: int) -> list[str]:
    with db.reader() as uow:
        client = parties.get_client(uow, bootstrap.actor_for(uow), client_id)
    return [p.normalized for p in client.points if p.kind == "email"]


def _ctx(db: Database) -> Any:
    return make_ctx(db)


def _panel(qtbot: QtBot, ctx: Any) -> UnlinkedPanel:
    panel = UnlinkedPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    panel.refresh()
    return panel


def _feed(qtbot: QtBot, ctx: Any, client_id: int) -> FeedView:
    view = FeedView(ctx, FeedScope(client_id=client_id))
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    return view


def _link_via_dialog(panel: UnlinkedPanel, message_id: int, search: str) -> None:
    """Select the letter, press Link to…, find the card, press Link."""
    assert panel.select(message_id)
    panel.link_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, LinkTargetDialog)
    dialog.search_now(search)
    assert dialog.target() is not None
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


# --- the list ----------------------------------------------------------------------


def test_unlinked_letters_are_listed_newest_first_with_the_other_side(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    [old, new] = _letters(sqlite_db, ["ivan@unknown.example", "olga@unknown.example"])
    [sent] = _letters(sqlite_db, ["petr@unknown.example"], direction="out", start=5)
    panel = _panel(qtbot, _ctx(sqlite_db))
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
    panel = _panel(qtbot, _ctx(sqlite_db))
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.title.text() == "No unlinked letters"
    assert "on no card" in panel.empty.hint.text()


def test_the_list_pages_lazily_and_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: Any, sqlite_db: Database
) -> None:
    ids = _letters(sqlite_db, [f"p{n}@unknown.example" for n in range(5)])
    ctx = _ctx(sqlite_db)
    model = UnlinkedModel(ctx, page_size=2)
    model.refresh()
    assert [r.id for r in model.rows()] == ids[::-1][:2]
    assert model.canFetchMore(QModelIndex())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [r.id for r in model.rows()] == ids[::-1]
    qtmodeltester.check(model)


def test_opening_an_unlinked_letter_shows_its_headers(qtbot: QtBot, sqlite_db: Database) -> None:
    [letter] = _letters(sqlite_db, ["ivan@unknown.example"])
    panel = _panel(qtbot, _ctx(sqlite_db))
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
    cid = _client(sqlite_db, "Romashka Trading")
    [first, second] = _letters(sqlite_db, ["new@client.example", "new@client.example"])
    ctx = _ctx(sqlite_db)
    panel = _panel(qtbot, ctx)
    linked: list[tuple[str, object]] = []
    panel.linked.connect(lambda kind, ident: linked.append((kind, ident)))

    _link_via_dialog(panel, first, "Romashka")

    assert [r.id for r in panel.model.rows()] == [second]
    assert [i.title for i in _feed_items(sqlite_db, cid, "email")] == ["Letter 0"]
    assert linked == [("client", cid)]
    box = panel.offer_box
    assert box is not None
    assert box.isVisible()
    assert box.text() == "Save new@client.example on client “Romashka Trading”?"

    panel.offer_buttons[YES].click()

    assert _client_emails(sqlite_db, cid) == ["new@client.example"]
    assert [i.title for i in _feed_items(sqlite_db, cid, "email")] == ["Letter 0", "Letter 1"]
    panel.refresh()
    assert panel.model.rows() == []
    assert "saved on Romashka Trading" in panel.undo_bar.message.text()


def test_never_records_the_choice_and_the_address_is_not_offered_again(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    cid = _client(sqlite_db)
    [first, second] = _letters(sqlite_db, ["noise@lists.example", "noise@lists.example"])
    ctx = _ctx(sqlite_db)
    panel = _panel(qtbot, ctx)
    target = LinkTarget("client", cid, "Romashka")
    panel.link(panel.model.row_at(panel.model.row_of(first) or 0), target)  # type: ignore[arg-type]
    assert panel.offer_box is not None
    panel.offer_buttons[NEVER].click()
    with sqlite_db.reader() as uow:
        decision = uow.session.get(AddressDecision, (ctx.actor.id, "email", "noise@lists.example"))
    assert decision is not None
    assert _client_emails(sqlite_db, cid) == []

    row = panel.model.row_at(panel.model.row_of(second) or 0)
    assert row is not None
    assert row.id == second
    panel.link(row, target)
    assert panel.offer_box is None  # not asked again
    assert len(_feed_items(sqlite_db, cid, "email")) == 2


def test_no_leaves_the_address_unsaved_and_asks_again_next_time(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    cid = _client(sqlite_db)
    [first, second] = _letters(sqlite_db, ["maybe@x.example", "maybe@x.example"])
    ctx = _ctx(sqlite_db)
    panel = _panel(qtbot, ctx)
    target = LinkTarget("client", cid, "Romashka")
    row = panel.model.row_at(panel.model.row_of(first) or 0)
    assert row is not None
    panel.link(row, target)
    assert panel.offer_box is not None
    panel.offer_buttons[NO].click()
    assert _client_emails(sqlite_db, cid) == []
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
    dialog = LinkTargetDialog(_ctx(sqlite_db), "Link to:")
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


# --- the feed: why, unlink, recording ----------------------------------------------


def _linked_letter(db: Database) -> tuple[int, int]:
    """A client whose address brought in one earlier letter."""
    [message] = _letters(db, ["ivan@romashka.example"])
    cid = _client(db, emails=["ivan@romashka.example"])
    assert linking.run(db, now=NOW).emails == 1
    return cid, message


def test_why_is_this_here_shows_the_reason_of_the_link(qtbot: QtBot, sqlite_db: Database) -> None:
    cid, _message = _linked_letter(sqlite_db)
    view = _feed(qtbot, _ctx(sqlite_db), cid)
    [item] = [i for i in view.model.items() if i.type == "email"]
    assert item.source == "email"
    menu = view.menu_for(item)
    actions = {a.text(): a for a in menu.actions()}
    assert "Why is this here?" in actions
    assert "Play recording" not in actions  # a letter has none
    assert actions["Why is this here?"].shortcut().toString() == "Ctrl+I"
    assert not view.why_bar.isVisible()
    actions["Why is this here?"].trigger()
    assert view.why_bar.isVisible()
    assert view.why_bar.title.text() == "Why is this letter here?"
    assert "ivan@romashka.example is on client" in view.why_bar.text.text()


def test_items_entered_by_hand_offer_no_why_or_unlink(qtbot: QtBot, sqlite_db: Database) -> None:
    from services.interactions import actions as ix

    cid = _client(sqlite_db)
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        ix.create(uow, actor, ix.NewInteraction(type="call", client_id=cid, start=NOW), now=NOW)
        uow.commit()
    view = _feed(qtbot, _ctx(sqlite_db), cid)
    [item] = [i for i in view.model.items() if i.kind == "interaction"]
    texts = [a.text() for a in view.menu_for(item).actions()]
    assert "Why is this here?" not in texts
    assert "Unlink from this card…" not in texts
    view.select("interaction", item.id)
    view.explain_current()  # Ctrl+I on it still answers
    assert "Entered by hand" in view.why_bar.text.text()


def test_unlink_takes_the_letter_off_the_card_for_good(qtbot: QtBot, sqlite_db: Database) -> None:
    cid, message = _linked_letter(sqlite_db)
    ctx = _ctx(sqlite_db)
    view = _feed(qtbot, ctx, cid)
    [item] = [i for i in view.model.items() if i.type == "email"]
    questions: list[str] = []
    view.confirm = lambda _title, text: questions.append(text) is not None  # answers No
    view.unlink(item)
    assert len(questions) == 1
    assert [i.id for i in view.model.items() if i.type == "email"] == [item.id]  # kept

    view.confirm = lambda _title, _text: True
    changed: list[bool] = []
    view.changed.connect(lambda: changed.append(True))
    actions = {a.text(): a for a in view.menu_for(item).actions()}
    actions["Unlink from this card…"].trigger()
    assert [i for i in view.model.items() if i.type == "email"] == []
    assert changed == [True]
    assert view.undo_bar.message.text() == "The letter is no longer on this card"
    linking.run(sqlite_db, now=NOW)  # the job leaves it off
    assert _feed_items(sqlite_db, cid, "email") == []
    panel = _panel(qtbot, ctx)
    assert [r.id for r in panel.model.rows()] == [message]  # back with the unlinked ones


def _calls(db: Database, tmp_path: Path, recordings: list[str]) -> int:
    """A client with a number; one imported call per recording name ("" for none)."""
    log = tmp_path / "calls.csv"
    lines = ["started_at,direction,number,duration_s,result,call_id,recording"]
    for n, rec in enumerate(recordings):
        lines.append(f"2026-11-0{n + 1} 10:00:00,in,+74951234567,60,answered,c{n},{rec}")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with db.uow() as uow:
        call_log.import_calls(uow, bootstrap.actor_for(uow), log, source="office")
        uow.commit()
    cid = _client(db, phones=["+74951234567"])
    assert linking.run(db, now=NOW).calls == len(recordings)
    return cid


def test_play_recording_hands_the_file_to_the_system_player(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    sound = tmp_path / "in-100.wav"
    sound.write_bytes(b"RIFF")
    missing = tmp_path / "gone.wav"
    cid = _calls(sqlite_db, tmp_path, [str(sound), str(missing), ""])
    view = _feed(qtbot, _ctx(sqlite_db), cid)
    opened: list[QUrl] = []
    view.open_url = lambda url: opened.append(url) is None
    calls = sorted(
        (i for i in view.model.items() if i.type == "call"), key=lambda i: i.start, reverse=True
    )
    with_file, without_file, no_recording = calls[2], calls[1], calls[0]
    assert all(i.source == "call" for i in calls)

    actions = {a.text(): a for a in view.menu_for(with_file).actions()}
    actions["Play recording"].trigger()
    assert opened == [QUrl.fromLocalFile(str(sound.resolve()))]
    assert not view.undo_bar.isVisible()

    view.play_recording(without_file)
    assert len(opened) == 1
    assert view.undo_bar.isVisible()
    assert view.undo_bar.message.text() == f"The recording {missing} is not on this computer"

    view.play_recording(no_recording)
    assert len(opened) == 1
    assert view.undo_bar.message.text() == "No recording was imported with this call"


def test_a_call_explains_itself_and_can_be_unlinked(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    cid = _calls(sqlite_db, tmp_path, [""])
    view = _feed(qtbot, _ctx(sqlite_db), cid)
    [call] = [i for i in view.model.items() if i.type == "call"]
    view.explain(call)
    assert view.why_bar.title.text() == "Why is this call here?"
    assert "+74951234567 is on client" in view.why_bar.text.text()
    view.confirm = lambda _title, _text: True
    view.why_bar.unlink_button.click()
    assert not view.why_bar.isVisible()
    assert [i for i in view.model.items() if i.type == "call"] == []
    assert linking.run(sqlite_db, now=NOW).calls == 0


# --- a new address on a card ---------------------------------------------------------


def test_adding_an_address_on_a_card_runs_the_linking_job(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    _letters(sqlite_db, ["ivan@romashka.example", "ivan@romashka.example"])
    cid = _client(sqlite_db)
    ctx = _ctx(sqlite_db)
    card = CardWidget(ctx, "client", cid)
    qtbot.addWidget(card)
    card.show()
    assert card.header.add_point_button is not None
    card.header.add_point_button.click()
    dialog = card.dialog
    dialog.set_point("email", "not an address")
    dialog.save()
    assert dialog.error.isVisible()

    dialog.set_point("email", "Ivan@Romashka.example")
    dialog.save()
    assert _client_emails(sqlite_db, cid) == ["ivan@romashka.example"]
    assert [b.text() for b in card.header.email_buttons] == ["Ivan@Romashka.example"]
    assert len(_feed_items(sqlite_db, cid, "email")) == 2


def test_open_feeds_reload_when_the_job_links_something(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow
    from ui.shell.preferences import Preferences

    _letters(sqlite_db, ["ivan@romashka.example"])
    cid = _client(sqlite_db)
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    window_ctx = _ctx(sqlite_db)
    window = MainWindow(window_ctx, prefs)
    qtbot.addWidget(window)
    window.open_card("client", cid)
    card = window.workspace.currentWidget()
    assert isinstance(card, CardWidget)
    assert [i for i in card.feed.model.items() if i.type == "email"] == []
    with sqlite_db.uow() as uow:
        from services.parties import contact_points

        contact_points.add(
            uow, bootstrap.actor_for(uow), "email", "ivan@romashka.example", client_id=cid
        )
        uow.commit()
    from desktop.jobs import LinkingRunner

    runner = LinkingRunner(sqlite_db, InlineLane(), clock=lambda: NOW, bus=window_ctx.bus)
    runner.run_now()
    assert [i.title for i in card.feed.model.items() if i.type == "email"] == ["Letter 0"]
    before = window_ctx.reads.calls
    runner.run_now()  # nothing more to link: nothing reloads
    assert window_ctx.reads.calls == before


# --- the Mail section and the call-log import --------------------------------------


def test_the_mail_section_has_the_unlinked_letters_and_the_call_import(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from ui.shell.preferences import Preferences

    [letter] = _letters(sqlite_db, ["ivan@unknown.example"])
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    panel = MailPanel(_ctx(sqlite_db), prefs)
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
    _client(sqlite_db, phones=["+74951234567"])
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
    ctx = _ctx(sqlite_db)
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


@pytest.fixture(autouse=True)
def _no_modal_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stray modal question would hang the run: fail instead."""

    def refuse(*_args: Any, **_kw: Any) -> Any:
        raise AssertionError("a modal QMessageBox was opened")

    monkeypatch.setattr(QMessageBox, "question", refuse)
