"""A hostile letter in the letter window: it never freezes the window, says
what was simplified, offers its plain text, and its headers stay text."""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from pytestqt.qtbot import QtBot

from desktop.lanes import Lane
from services.core.storage import Database
from services.mail.mime import parse_message
from tests.sentinel import FifoSentinel
from tests.ui.helpers import make_ctx
from tests.ui.test_message_dialog import _letter
from ui.mail.message_dialog import MessageDialog


class _Heartbeat:
    """The longest the GUI thread went without running a 20 ms timer."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def __enter__(self) -> _Heartbeat:
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()


def _open(qtbot: QtBot, db: Database, iid: int, lane: Lane) -> MessageDialog:
    reader = MessageDialog(make_ctx(db, reads=lane), iid)
    qtbot.addWidget(reader)
    reader.show()
    return reader


def test_twenty_nested_tables_open_without_freezing_the_window(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    # Stored as it came (letters imported before the bounds were not bounded).
    html = "<table><tr><td>" * 20 + "Счёт №15" + "</td></tr></table>" * 20
    _cid, iid = _letter(sqlite_db, html, "Счёт №15")
    lane = Lane("reads")
    with _Heartbeat() as heart:
        reader = _open(qtbot, sqlite_db, iid, lane)
        assert "Preparing the letter" in reader.browser.toPlainText()  # the placeholder
        qtbot.waitUntil(lambda: reader.letter is not None, timeout=60_000)
        reader.browser.document().size()  # laid out
        qtbot.wait(100)
    lane.shutdown()
    assert heart.longest < 3_000  # before: 30-50 s in one go
    assert "Счёт №15" in reader.browser.toPlainText()
    assert reader.simplified.isVisibleTo(reader)
    assert "simplified" in reader.simplified_text.text()
    assert not reader.plain_button.isVisibleTo(reader)  # nothing left out


def test_a_huge_letter_shows_its_beginning_and_offers_plain_text(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    html = "<p>" + "Привет, мир! " * 200_000 + "</p><p>Конец письма</p>"
    body = "Привет, мир! " * 200_000 + "\n\nКонец письма"
    _cid, iid = _letter(sqlite_db, html, body)
    lane = Lane("reads")
    with _Heartbeat() as heart:
        reader = _open(qtbot, sqlite_db, iid, lane)
        qtbot.waitUntil(lambda: reader.letter is not None, timeout=60_000)
        reader.browser.document().size()
        qtbot.wait(100)
    lane.shutdown()
    assert heart.longest < 3_000
    assert "Конец письма" not in reader.browser.toPlainText()
    assert "only its beginning is shown" in reader.simplified_text.text()
    assert reader.plain_button.isVisibleTo(reader)
    reader.plain_button.click()
    assert reader.pages.currentWidget() is reader.plain
    assert reader.plain.toPlainText().endswith("Конец письма")
    reader.plain_button.click()
    assert reader.pages.currentWidget() is reader.browser


def test_headers_from_outside_are_shown_as_text_and_load_nothing(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    with FifoSentinel(tmp_path) as fifo:
        img = f'<img src="file://{fifo.path}">'
        _cid, iid = _letter(
            sqlite_db,
            "<p>Добрый день</p>",
            "Добрый день",
            subject=f"Счёт {img}",
            sender_name=f"<b>Иван</b>{img}",
        )
        reader = MessageDialog(make_ctx(sqlite_db), iid)
        qtbot.addWidget(reader)
        reader.show()
        qtbot.waitExposed(reader)
        qtbot.waitUntil(lambda: reader.letter is not None)
        qtbot.wait(50)  # painted
    assert not fifo.opened
    assert reader.subject.text() == f"Счёт {img}"
    assert reader.from_label.text() == f"<b>Иван</b>{img} <ivan@romashka.ru>"
    for label in (reader.subject, reader.from_label, reader.recipients, reader.reason):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_rfc2047_encoded_markup_in_subject_and_sender_stays_text(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    with FifoSentinel(tmp_path) as fifo:
        img = f'<img src="file://{fifo.path}">'
        encoded = base64.b64encode(f"Счёт {img}".encode()).decode()
        name = base64.b64encode(f"<b>Иван</b>{img}".encode()).decode()
        raw = (
            f"From: =?utf-8?B?{name}?= <ivan@romashka.ru>\r\nTo: me@x.example\r\n"
            f"Subject: =?utf-8?B?{encoded}?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "\r\nДобрый день"
        ).encode()
        parsed = parse_message(raw)
        subject, sender = parsed.headers.subject, parsed.headers.from_[0].name
        assert subject == f"Счёт {img}"  # decoded to the markup it carries
        _cid, iid = _letter(sqlite_db, None, "Добрый день", subject=subject, sender_name=sender)
        reader = MessageDialog(make_ctx(sqlite_db), iid)
        qtbot.addWidget(reader)
        reader.show()
        qtbot.waitExposed(reader)
        qtbot.waitUntil(lambda: reader.letter is not None)
        qtbot.wait(50)
    assert not fifo.opened
    assert reader.subject.text() == subject
    assert reader.from_label.text().startswith(f"<b>Иван</b>{img}")
