"""Linking in a card's feed: "why is this here", unlinking, playing a call's
recording, and adding an address on a card, which runs the linking job and
reloads the open feeds. The unlinked letters and linking by hand are
test_linking_ui.py."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.linking import call_log
from services.linking import job as linking
from tests.ui.helpers import InlineLane, make_ctx
from tests.ui.linking_ui_helpers import (
    NOW,
    add_client,
    add_letters,
    client_emails,
    feed_items,
    no_modal_questions,  # noqa: F401 - the autouse fixture
    open_feed,
    open_panel,
)
from ui.cards import CardWidget

# --- the feed: why, unlink, recording ----------------------------------------------


def _linked_letter(db: Database) -> tuple[int, int]:
    """A client whose address brought in one earlier letter."""
    [message] = add_letters(db, ["ivan@romashka.example"])
    cid = add_client(db, emails=["ivan@romashka.example"])
    assert linking.run(db, now=NOW).emails == 1
    return cid, message


def test_why_is_this_here_shows_the_reason_of_the_link(qtbot: QtBot, sqlite_db: Database) -> None:
    cid, _message = _linked_letter(sqlite_db)
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)
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

    cid = add_client(sqlite_db)
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        ix.create(uow, actor, ix.NewInteraction(type="call", client_id=cid, start=NOW), now=NOW)
        uow.commit()
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)
    [item] = [i for i in view.model.items() if i.kind == "interaction"]
    texts = [a.text() for a in view.menu_for(item).actions()]
    assert "Why is this here?" not in texts
    assert "Unlink from this card…" not in texts
    view.select("interaction", item.id)
    view.explain_current()  # Ctrl+I on it still answers
    assert "Entered by hand" in view.why_bar.text.text()


def test_unlink_takes_the_letter_off_the_card_for_good(qtbot: QtBot, sqlite_db: Database) -> None:
    cid, message = _linked_letter(sqlite_db)
    ctx = make_ctx(sqlite_db)
    view = open_feed(qtbot, ctx, cid)
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
    assert feed_items(sqlite_db, cid, "email") == []
    panel = open_panel(qtbot, ctx)
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
    cid = add_client(db, phones=["+74951234567"])
    assert linking.run(db, now=NOW).calls == len(recordings)
    return cid


def test_play_recording_hands_the_file_to_the_system_player(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    sound = tmp_path / "in-100.wav"
    sound.write_bytes(b"RIFF")
    missing = tmp_path / "gone.wav"
    cid = _calls(sqlite_db, tmp_path, [str(sound), str(missing), ""])
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)
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
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)
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
    add_letters(sqlite_db, ["ivan@romashka.example", "ivan@romashka.example"])
    cid = add_client(sqlite_db)
    ctx = make_ctx(sqlite_db)
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
    assert client_emails(sqlite_db, cid) == ["ivan@romashka.example"]
    assert [b.text() for b in card.header.email_buttons] == ["Ivan@Romashka.example"]
    assert len(feed_items(sqlite_db, cid, "email")) == 2


def test_open_feeds_reload_when_the_job_links_something(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow
    from ui.shell.preferences import Preferences

    add_letters(sqlite_db, ["ivan@romashka.example"])
    cid = add_client(sqlite_db)
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    window_ctx = make_ctx(sqlite_db)
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
