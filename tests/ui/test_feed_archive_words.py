"""A card moved to the archive and back, in its feed: the rows read
"Изменено: archived at" over "2026-12-07T08:32:33.764058+00:00 →" (the
column's name and its raw times) in both languages."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import edit_cases
from tests.ui.helpers import make_ctx
from tests.ui.linking_ui_helpers import add_client, open_feed


def test_the_feed_says_archived_and_restored_in_words(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    cid = add_client(sqlite_db, "ООО «Архив»")
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    edit_cases.set_archived(sqlite_db, actor, "client", cid, True)
    edit_cases.set_archived(sqlite_db, actor, "client", cid, False)
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)
    model = view.model
    qtbot.waitUntil(lambda: sum(i.kind == "change" for i in model.items()) >= 2)
    changes = [i for i in model.items() if (i.title or "").endswith("archived_at")]
    titles = sorted(model.title_of(i) for i in changes)
    assert (
        titles
        == {
            "en": ["Moved to the archive", "Restored from the archive"],
            "ru": ["Возвращено из архива", "Перемещено в архив"],
        }[language]
    )
    assert [model.text_of(i) for i in changes] == ["", ""]  # the row's own time says when
