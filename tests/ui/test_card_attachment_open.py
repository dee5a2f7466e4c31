"""Opening and saving a card's attachment: the desktop gets a private,
read-only copy under the readable name (never the stored file), a program
or script is opened only after the user says yes, a stored file that is
gone or was swapped reads as a clear message, and "Save as…" writes the
bytes where the user chose."""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.paths import attachments_dir
from services.core.storage import Database
from services.interactions import attachment_files
from services.interactions import use_cases as interaction_cases
from services.interactions.attachments import AttachmentView
from services.parties import use_cases as creating
from tests.ui.helpers import make_ctx
from ui.cards.attachments_tab import AttachmentsTab
from ui.cards.card_widget import CardWidget


class Desktop(QObject):
    """Stands in for the desktop's opener: records what it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def take(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


@pytest.fixture
def desktop() -> Iterator[Desktop]:
    handler = Desktop()
    QDesktopServices.setUrlHandler("file", handler, "take")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def _card_with(
    qtbot: QtBot, db: Database, tmp_path: Path, files: dict[str, bytes]
) -> tuple[CardWidget, list[AttachmentView]]:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    client = creating.add_client(db, actor, "ООО «Вложения»").value
    views = []
    for name, data in files.items():
        source = tmp_path / "in" / name
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(data)
        views.append(
            interaction_cases.add_attachment(db, actor, "client", client.id, str(source)).value
        )
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    card = CardWidget(make_ctx(db), "client", client.id, settings=settings)
    qtbot.addWidget(card)
    card.show()
    card.tabs.setCurrentWidget(card.attachments_tab)
    tab = card.attachments_tab
    qtbot.waitUntil(lambda: tab.row_count() == len(files))
    tab.temp_root = str(tmp_path / "tmp")
    Path(tab.temp_root).mkdir()
    return card, views


def _select(tab: AttachmentsTab, name: str) -> None:
    (item,) = tab.tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
    tab.tree.setCurrentItem(item)


def test_enter_opens_a_private_read_only_copy_under_the_readable_name(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, desktop: Desktop
) -> None:
    offer = b"%PDF-1.4 " + "Коммерческое предложение".encode() * 200
    card, (view,) = _card_with(qtbot, sqlite_db, tmp_path, {"Предложение.pdf": offer})
    tab = card.attachments_tab
    assert not tab.open_button.isEnabled()  # nothing chosen yet
    _select(tab, "Предложение.pdf")
    assert tab.open_button.isEnabled()
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(desktop.opened) == 1)
    (opened,) = desktop.opened
    assert opened.name == "Предложение.pdf"
    assert opened.read_bytes() == offer
    assert opened != Path(view.path)
    assert opened.parent.parent == tmp_path / "tmp"
    assert stat.S_IMODE(opened.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(opened.stat().st_mode) == 0o400  # no write, no execute bit
    assert Path(view.path).read_bytes() == offer  # the stored file is untouched

    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)  # the button: a second copy
    qtbot.waitUntil(lambda: len(desktop.opened) == 2)
    assert desktop.opened[1] != opened
    assert desktop.opened[1].read_bytes() == offer
    assert not card._ctx.errors  # type: ignore[attr-defined]


def test_a_program_is_opened_only_after_the_user_says_yes(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, desktop: Desktop
) -> None:
    card, _views = _card_with(
        qtbot, sqlite_db, tmp_path, {"счёт.pdf.exe": b"MZ" + b"\0" * 64, "письмо.txt": b"ok"}
    )
    tab = card.attachments_tab
    _select(tab, "счёт.pdf.exe")
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    box = tab.question
    assert box is not None
    assert box.isVisible()
    assert "счёт.pdf.exe" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert desktop.opened == []
    assert list((tmp_path / "tmp").iterdir()) == []  # not even copied

    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    box = tab.question
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Open), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(desktop.opened) == 1)
    assert desktop.opened[0].name == "счёт.pdf.exe"
    assert not desktop.opened[0].stat().st_mode & 0o111

    tab.question = None
    _select(tab, "письмо.txt")  # a plain text opens without a question
    row = tab.tree.visualItemRect(tab.tree.currentItem()).center()
    qtbot.mouseClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=row)
    qtbot.mouseDClick(tab.tree.viewport(), Qt.MouseButton.LeftButton, pos=row)
    qtbot.waitUntil(lambda: len(desktop.opened) == 2)
    assert tab.question is None
    assert desktop.opened[1].read_bytes() == b"ok"


def test_a_missing_or_swapped_stored_file_reads_as_a_clear_message(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, desktop: Desktop
) -> None:
    card, (gone, swapped) = _card_with(
        qtbot, sqlite_db, tmp_path, {"договор.docx": b"PK" * 500, "акт.xlsx": b"XL" * 300}
    )
    tab = card.attachments_tab
    errors = card._ctx.errors  # type: ignore[attr-defined]
    Path(gone.path).unlink()
    _select(tab, "договор.docx")
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], ValidationError)
    assert "договор.docx is no longer in the data folder" in str(errors[0])
    assert desktop.opened == []
    assert list((tmp_path / "tmp").iterdir()) == []  # the private folder is removed again

    Path(swapped.path).write_bytes(b"something else entirely")
    _select(tab, "акт.xlsx")
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert "акт.xlsx was changed outside Touchpoint" in str(errors[1])
    assert desktop.opened == []


def test_save_as_writes_the_bytes_where_the_user_chose(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    data = "Прайс-лист\n".encode() * 1000
    card, _views = _card_with(qtbot, sqlite_db, tmp_path, {"прайс.csv": data})
    tab = card.attachments_tab
    _select(tab, "прайс.csv")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None
    assert dialog.isVisible()
    target = tmp_path / "out" / "прайс на декабрь.csv"
    target.parent.mkdir()
    target.write_bytes(b"old")  # the dialog already asked about replacing
    dialog.fileSelected.emit(str(target))
    dialog.reject()
    qtbot.waitUntil(lambda: target.read_bytes() == data)
    assert tab.note.text().endswith("прайс на декабрь.csv")
    assert [p.name for p in target.parent.iterdir()] == ["прайс на декабрь.csv"]
    assert not card._ctx.errors  # type: ignore[attr-defined]


def test_a_row_pointing_outside_the_attachments_folder_is_refused(
    sqlite_db: Database, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("не для чужих глаз")
    size = secret.stat().st_size
    climbing = str(attachments_dir() / ".." / ".." / "outside" / "secret.txt")
    for path in (str(secret), climbing):
        view = AttachmentView(1, "secret.txt", "text/plain", size, None, dt.datetime.now(), path)
        with pytest.raises(ValidationError, match="outside the attachments folder"):
            attachment_files.copy_for_opening(view, outside)
        with pytest.raises(ValidationError, match="outside the attachments folder"):
            attachment_files.save_copy(view, outside / "copy.txt")
    assert [p.name for p in outside.iterdir()] == ["secret.txt"]


@pytest.mark.parametrize(
    ("name", "runs"),
    [
        ("setup.EXE", True),
        ("invoice.pdf.js", True),
        ("ярлык.lnk", True),
        ("run.sh", True),
        ("pack.jar", True),
        ("счёт\u202egpj.exe", True),
        ("отчёт.pdf", False),
        ("exe", False),
        (".bashrc", False),
        ("photo.jpeg", False),
    ],
)
def test_which_names_ask_first(name: str, runs: bool) -> None:
    assert attachment_files.is_executable(name) is runs
