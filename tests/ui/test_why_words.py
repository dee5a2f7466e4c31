"""'Why is this letter here?' in the Russian window: the linking job's
reason is stored as an English sentence (the CLI prints it), and the
Russian window showed it as is ("… is on client “…” (contact > client >
lead)"). The window now words the job's and linking by hand's sentences."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.linking import job as linking
from tests.ui.helpers import make_ctx
from tests.ui.linking_ui_helpers import (
    NOW,
    add_client,
    add_letters,
    no_modal_questions,  # noqa: F401 - the autouse fixture
    open_feed,
)
from ui.feed import link_reason_words


def test_the_russian_window_says_why_a_letter_is_on_the_card_in_russian(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    add_letters(sqlite_db, ["ivan@romashka.example"])
    cid = add_client(sqlite_db, emails=["ivan@romashka.example"])
    assert linking.run(sqlite_db, now=NOW).emails == 1
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)
    [item] = [i for i in view.model.items() if i.type == "email"]
    view.explain(item)
    assert view.why_bar.title.text() == "Почему это письмо здесь?"
    text = view.why_bar.text.text()
    assert text.startswith("ivan@romashka.example есть в карточке клиента «Romashka» (")
    assert "контактное лицо > клиент > лид" in text
    assert "is on" not in text


def test_the_why_bar_quotes_a_quoted_name_once(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    """«Ромашка» was shown as “«Ромашка»”, АО «Вектор» as “АО «Вектор»”."""
    add_letters(sqlite_db, ["ivan@romashka.example", "olga@vektor.example"])
    ids = {
        "ivan@romashka.example": add_client(
            sqlite_db, "«Ромашка»", emails=["ivan@romashka.example"]
        ),
        "olga@vektor.example": add_client(sqlite_db, "АО «Вектор»", emails=["olga@vektor.example"]),
    }
    assert linking.run(sqlite_db, now=NOW).emails == 2
    ctx = make_ctx(sqlite_db)
    for address, name in (
        ("ivan@romashka.example", "«Ромашка»"),
        ("olga@vektor.example", "АО «Вектор»"),
    ):
        view = open_feed(qtbot, ctx, ids[address])
        [item] = [i for i in view.model.items() if i.type == "email"]
        view.explain(item)
        text = view.why_bar.text.text()
        assert f" {name} (" in text
        for doubled in ("“«", "»”", "««", "»»"):
            assert doubled not in text


def test_each_stored_shape_is_worded_and_anything_else_shown_as_stored(
    russian: None,
) -> None:
    assert link_reason_words.worded(
        "+74951234567;ext=12 is on lead “ИП Котов” (contact > client > lead)"
        "; 2 leads have it, the oldest was chosen: review"
    ) == (
        "+74951234567;ext=12 есть в карточке лида «ИП Котов» (порядок: контактное лицо >"
        " клиент > лид); он есть в 2 карточках, выбрана самая старая: проверьте"
    )
    assert link_reason_words.worded(
        "a%2b@x.ru is on contact 7 (contact > client > lead)"
    ).startswith("a%2b@x.ru есть в карточке контактного лица 7")
    assert link_reason_words.worded("linked by hand by anna") == "Привязано вручную: anna"
    assert link_reason_words.worded("unlinked by hand by boris") == "Отвязано вручную: boris"
    assert link_reason_words.worded("something older") == "something older"


def test_the_english_window_keeps_the_stored_sentence_quoting_a_name_once() -> None:
    stored = "ivan@x.ru is on client “Acme Ltd” (contact > client > lead)"
    assert link_reason_words.worded(stored) == stored
    tie = stored + "; 2 clients have it, the oldest was chosen: review"
    assert (
        link_reason_words.worded(tie) == stored + "; 2 cards have it, the oldest was chosen: review"
    )
    assert (
        link_reason_words.worded("ivan@x.ru is on client “ООО «Ромашка»” (contact > client > lead)")
        == "ivan@x.ru is on client ООО «Ромашка» (contact > client > lead)"
    )
