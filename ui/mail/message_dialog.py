"""One letter, read safely: headers, HTML without remote content until asked,
quoted history folded, and why the letter is on this card.

Everything shown here comes from outside, so every label is plain text. The
letter is read and bounded off the GUI thread (a placeholder shows meanwhile);
a letter the bounds simplified says so above it and, when part of it is left
out, offers its plain text (a QPlainTextEdit: laid out only where visible).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
)

from ui.context import UiContext
from ui.mail.safe_browser import SafeMailBrowser
from ui.widgets.work import Work


class MessageDialog(QDialog):
    edit_requested = Signal(object)  # interaction id
    reply_requested = Signal(object)  # services.mail.reply.ReplyDraft

    def __init__(self, ctx: UiContext, interaction_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.interaction_id = interaction_id
        self.letter: Any = None
        self._remote: dict[str, bytes] = {}
        self.setWindowTitle(self.tr("Letter"))
        self.resize(820, 640)
        self.subject = QLabel()
        self.subject.setWordWrap(True)
        font = self.subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.subject.setFont(font)
        self.from_label = QLabel()
        self.recipients = QLabel()
        self.recipients.setWordWrap(True)
        self.date = QLabel()
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setProperty("role", "muted")
        for label in (self.subject, self.from_label, self.recipients, self.date, self.reason):
            label.setTextFormat(Qt.TextFormat.PlainText)  # a subject may be "<img src=file:…>"
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head = QFormLayout()
        head.addRow(self.tr("From"), self.from_label)
        head.addRow(self.tr("To"), self.recipients)
        head.addRow(self.tr("Date"), self.date)
        head.addRow(self.tr("Why here"), self.reason)

        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_row = QHBoxLayout(self.banner)
        self.banner_text = QLabel(
            self.tr("Remote images are blocked: loading them tells the sender you read this.")
        )
        self.banner_text.setWordWrap(True)
        self.remote_button = QPushButton(self.tr("Show remote content"))
        self.remote_button.clicked.connect(self._on_remote_button_clicked)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.remote_button)
        self.banner.setVisible(False)

        self.simplified = QFrame()
        self.simplified.setFrameShape(QFrame.Shape.StyledPanel)
        simplified_row = QHBoxLayout(self.simplified)
        self.simplified_text = QLabel()
        self.simplified_text.setTextFormat(Qt.TextFormat.PlainText)
        self.simplified_text.setWordWrap(True)
        self.plain_button = QPushButton(self.tr("Show as plain text"))
        self.plain_button.setCheckable(True)
        self.plain_button.toggled.connect(self._on_plain_button_toggled)
        simplified_row.addWidget(self.simplified_text, 1)
        simplified_row.addWidget(self.plain_button)
        self.simplified.setVisible(False)

        self.browser = SafeMailBrowser()
        self.browser.setPlainText(self.tr("Preparing the letter…"))
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.plain = QPlainTextEdit()
        self.plain.setReadOnly(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.browser)
        self.pages.addWidget(self.plain)
        self.browser.remote_blocked.connect(lambda _url: self.banner.setVisible(True))
        self.quoted = QCheckBox(self.tr("Show quoted text"))
        self.quoted.setVisible(False)
        self.quoted.toggled.connect(self._show)
        self.pending = QLabel()
        self.pending.setProperty("role", "muted")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.edit_button = buttons.addButton(
            self.tr("Edit interaction…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.interaction_id))
        self.reply_button = buttons.addButton(
            self.tr("Reply"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.reply_button.setEnabled(False)  # until the letter is read
        self.reply_button.clicked.connect(self._on_reply_button_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.subject)
        layout.addLayout(head)
        layout.addWidget(self.simplified)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.quoted)
        layout.addWidget(self.pending)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        from services.mail import messages

        interaction_id = self.interaction_id
        self._work.read(
            lambda uow, actor: messages.letter(uow, actor, interaction_id), self._on_loaded
        )

    def _on_loaded(self, letter: Any) -> None:
        self.letter = letter
        self.reply_button.setEnabled(True)
        self.subject.setText(letter.subject or self.tr("(no subject)"))
        self.from_label.setText(letter.sender)
        self.recipients.setText(", ".join((*letter.recipients, *letter.copies)))
        self.date.setText(
            letter.sent_at.astimezone().strftime("%Y-%m-%d %H:%M") if letter.sent_at else "—"
        )
        self.reason.setText(letter.reason or self.tr("Entered by hand"))
        self.quoted.setVisible(not letter.html and bool(letter.quoted))
        if letter.simplified:
            self.simplified_text.setText(self._simplified_text(letter.simplified))
            self.plain_button.setVisible("size" in letter.simplified)
            self.simplified.setVisible(True)
        if letter.body_state == "pending":
            self.pending.setText(
                self.tr("The text of this letter arrives with the next mail sync.")
            )
        self._show()

    def _on_reply_button_clicked(self) -> None:
        """Compose opens with the address, "Re: subject" and the letter quoted."""
        from services.mail import reply

        letter = self.letter
        if letter is None:
            return
        when = letter.sent_at.astimezone().strftime("%Y-%m-%d %H:%M") if letter.sent_at else ""
        heading = (
            self.tr("On %1, %2 wrote:").replace("%1", when).replace("%2", letter.sender)
            if when
            else self.tr("%1 wrote:").replace("%1", letter.sender)
        )
        self.reply_requested.emit(reply.draft(letter, heading))

    def _simplified_text(self, reasons: tuple[str, ...]) -> str:
        why = {
            "size": self.tr("only its beginning is shown"),
            "depth": self.tr("parts nested too deeply were flattened"),
            "tables": self.tr("tables nested too deeply became plain lines"),
            "elements": self.tr("parts past its first 20,000 elements lost their formatting"),
            "images": self.tr("only its first 200 images are shown"),
        }
        details = "; ".join(why[code] for code in reasons if code in why)
        return self.tr("This letter was simplified: %1.").replace("%1", details)

    def _show(self) -> None:
        letter = self.letter
        if letter is None:
            return
        text = letter.text
        if self.quoted.isChecked() and letter.quoted:
            text = f"{letter.text}\n\n{letter.quoted}"
        if self.plain_button.isChecked():
            self.plain.setPlainText(text)
            self.pages.setCurrentWidget(self.plain)
            self.banner.setVisible(False)
            return
        self.pages.setCurrentWidget(self.browser)
        self.browser.show_message(letter.html, text, remote=self._remote)
        self.banner.setVisible(bool(self.browser.blocked_remote))

    def _on_plain_button_toggled(self, plain: bool) -> None:
        self.plain_button.setText(
            self.tr("Show with formatting") if plain else self.tr("Show as plain text")
        )
        self._show()

    def _on_remote_button_clicked(self) -> None:
        from services.mail import remote_content

        urls = list(self.browser.blocked_remote)
        self.remote_button.setEnabled(False)
        self.remote_button.setText(self.tr("Loading…"))
        self._work.submit(
            self._ctx.reads, lambda: remote_content.fetch_images(urls), self._on_remote_loaded, None
        )

    def _on_remote_loaded(self, images: dict[str, bytes]) -> None:
        self._remote = images
        self.remote_button.setText(self.tr("Show remote content"))
        self.remote_button.setEnabled(True)
        self._show()
        self.banner.setVisible(False)

    def _on_browser_anchor_clicked(self, url: Any) -> None:
        from PySide6.QtGui import QDesktopServices

        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
