"""An imported call in the Russian feed: the linking job stores its summary
as a short English line ("answered, 75 s"; the CLI prints it), and the
Russian window showed that line as is. The window now words it; the stored
text, which the CLI and exports read, stays as it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.interactions import actions as ix
from services.linking import call_log
from services.linking import job as linking
from tests.ui.helpers import make_ctx
from tests.ui.linking_ui_helpers import (
    NOW,
    add_client,
    no_modal_questions,  # noqa: F401 - the autouse fixture
    open_feed,
)
from ui.dialogs import InteractionDialog
from ui.feed import call_summary_words


def _calls(db: Database, tmp_path: Path, rows: list[tuple[str, int]]) -> int:
    """A client with a number and one imported call per (result, seconds)."""
    log = tmp_path / "calls.csv"
    lines = ["started_at,direction,number,duration_s,result,call_id"]
    for n, (result, seconds) in enumerate(rows):
        lines.append(f"2026-11-0{n + 1} 10:00:00,in,+74951234567,{seconds},{result},c{n}")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with db.uow() as uow:
        call_log.import_calls(uow, bootstrap.actor_for(uow), log, source="office")
        uow.commit()
    cid = add_client(db, "ООО «Ромашка»", phones=["+74951234567"])
    assert linking.run(db, now=NOW).calls == len(rows)
    return cid


def test_the_russian_feed_words_an_imported_call(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    cid = _calls(sqlite_db, tmp_path, [("answered", 75), ("NO ANSWER", 0), ("voicemail", 3700)])
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)
    model = view.model
    calls = sorted((i for i in model.items() if i.type == "call"), key=lambda i: i.start)
    # stored as the job wrote it: what `touchpoint history` prints
    assert [i.text for i in calls] == ["answered, 75 s", "no answer, 0 s", "voicemail, 3700 s"]
    tip = Qt.ItemDataRole.ToolTipRole
    shown = [model.data(model.index(model.row_of("interaction", i.id)), tip) for i in calls]
    assert shown == ["отвечен, 1 мин 15 с", "без ответа, 0 с", "voicemail, 1 ч 1 мин"]
    assert [model.text_of(i) for i in calls] == shown  # the row's second line
    assert not any(" s" in text or "answer" in text for text in shown[:2])


def test_an_extension_and_a_summary_edited_by_hand(russian: None) -> None:
    assert call_summary_words.worded("busy, 12 s, ext. 104") == "занято, 12 с, доб. 104"
    assert call_summary_words.worded("call, 0 s") == "звонок, 0 с"
    edited = "Обсудили сроки, 30 s"  # a comma and seconds, but typed by a person
    assert call_summary_words.worded(edited) == "Обсудили сроки, 30 с"
    assert call_summary_words.worded("Обсудили сроки поставки") == "Обсудили сроки поставки"


def test_the_english_feed_keeps_the_stored_words(english: None) -> None:
    assert call_summary_words.worded("answered, 75 s, ext. 12") == "answered, 1 min 15 s, ext. 12"


def _open_call(qtbot: QtBot, db: Database, tmp_path: Path) -> tuple[InteractionDialog, int]:
    cid = _calls(db, tmp_path, [("answered", 75)])
    feed = open_feed(qtbot, make_ctx(db), cid)
    call = next(i for i in feed.model.items() if i.type == "call")
    dialog = InteractionDialog(make_ctx(db), interaction_id=call.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.body.toPlainText() != "")
    return dialog, call.id


def test_the_russian_dialog_words_an_imported_call_and_keeps_it_stored(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    """The interaction dialog showed "answered, 75 s" in the Russian window;
    the words are the window's, the record keeps the job's line."""
    dialog, call_id = _open_call(qtbot, sqlite_db, tmp_path)
    assert dialog.body.toPlainText() == "отвечен, 1 мин 15 с"
    assert dialog.body_text() == "answered, 75 s"  # what a save would store
    assert dialog.new_interaction().body == "answered, 75 s"
    dialog.body.setPlainText("отвечен, 1 мин 15 с; перезвонить")  # edited: the user's words
    assert dialog.body_text() == "отвечен, 1 мин 15 с; перезвонить"
    with sqlite_db.reader() as uow:
        assert ix.get(uow, bootstrap.actor_for(uow), call_id).body == "answered, 75 s"


def test_the_english_dialog_shows_the_call_in_english_words(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, english: None
) -> None:
    dialog, _ = _open_call(qtbot, sqlite_db, tmp_path)
    assert dialog.body.toPlainText() == "answered, 1 min 15 s"
    assert dialog.body_text() == "answered, 75 s"
