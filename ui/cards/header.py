"""The top of a card: who it is, whose client, what time it is there, and
the numbers and addresses to reach them with one click."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from services.core import timezones
from services.feed.card import CardData
from ui.widgets import glyphs, phone_text, stage_names, timefmt
from ui.widgets.avatar import Avatar
from ui.widgets.elided import ElidedLabel
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.plain import plain, tooltip


class ElidedTitle(ElidedLabel):
    """The card's name on one line, cut with "…" where the column ends; the
    whole name in the tooltip and in ``text()``."""

    def __init__(self) -> None:
        super().__init__()


class CardHeader(QWidget):
    phone_clicked = Signal(str)  # E.164
    email_clicked = Signal(str)
    party_clicked = Signal(str, object)  # kind, id
    new_clicked = Signal()
    add_point_clicked = Signal()
    # edit | archive | convert | new_contact | new_deal (the card's "More" menu)
    action_chosen = Signal(str)

    def __init__(self, parent: Any = None, *, clock: Any = None) -> None:
        super().__init__(parent)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._data: CardData | None = None
        self.phone_buttons: list[QToolButton] = []
        self.email_buttons: list[QToolButton] = []
        self.add_point_button: QToolButton | None = None
        self.avatar = Avatar(52)
        self.name = ElidedTitle()
        self.name.setObjectName("cardTitle")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.55)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.RichText)
        self.subtitle.setWordWrap(True)  # a long Russian line must not widen the window
        self.subtitle.linkActivated.connect(self._on_subtitle_link_activated)
        self.local_time = QLabel()
        self.local_time.setObjectName("localTime")
        self.local_time.setStyleSheet(
            "QLabel#localTime { background: palette(alternate-base); border-radius: 9px;"
            " padding: 1px 8px; }"
        )
        self.local_time.hide()
        # The phones and emails ask for no width of their own: four of them
        # and "+ Add" in Russian made a card at 1366x768 ask for 1411 px, the
        # window wider than the screen. Where the row ends they wrap (a
        # squeezed "+7 495 ...9-26-89" could not be read).
        self.points_box = QWidget()
        self.points_box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.points_row = FlowLayout(self.points_box, spacing=2)
        self.custom = QLabel()
        self.custom.setStyleSheet("color: palette(placeholder-text);")
        self.custom.setWordWrap(True)
        self.custom.hide()
        plain(self.name, self.custom, self.local_time)  # names and field values from outside
        self.new_button = QPushButton(self.tr("Log interaction…"))
        self.new_button.setToolTip(self.tr("Log a call or plan a meeting (Ctrl+N)"))
        self.new_button.setIcon(glyphs.type_icon("call", 16))
        self.new_button.clicked.connect(self.new_clicked)
        self.more_button = QToolButton()
        self.more_button.setText(self.tr("Edit"))
        self.more_button.setToolTip(self.tr("Edit, archive, add a contact person or a deal (F2)"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.more_button.clicked.connect(lambda: self.action_chosen.emit("edit"))
        self.more_menu = QMenu(self.more_button)
        self.more_button.setMenu(self.more_menu)

        meta = QHBoxLayout()
        meta.setSpacing(10)
        meta.addWidget(self.subtitle, 1)  # wraps only where the line is full
        meta.addWidget(self.local_time)
        text = QVBoxLayout()
        text.setSpacing(3)
        text.addWidget(self.name)
        text.addLayout(meta)
        text.addWidget(self.points_box)
        text.addWidget(self.custom)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 14, 16, 10)
        row.setSpacing(14)
        row.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)

        self._minute = QTimer(self)
        self._minute.setSingleShot(True)
        self._minute.setTimerType(Qt.TimerType.PreciseTimer)
        self._minute.timeout.connect(self._on_minute_timeout)

    def _fill_menu(self, kind: str) -> None:
        menu = self.more_menu
        menu.clear()
        entries = [("edit", self.tr("Edit…"))]
        if kind in ("client", "lead"):
            entries += [
                ("new_contact", self.tr("New contact person…")),
                ("new_deal", self.tr("New deal…")),
                ("share", self.tr("Share…")),
            ]
        if kind == "lead":
            entries.append(("convert", self.tr("Convert to client…")))
        entries.append(("archive", self.tr("Archive")))
        for action, text in entries:
            item = menu.addAction(text)
            item.triggered.connect(lambda _checked=False, a=action: self.action_chosen.emit(a))

    def set_data(self, data: CardData) -> None:
        self._data = data
        self._fill_menu(data.kind)
        self.name.setText(data.title)
        self.avatar.set_name(data.title)
        self.subtitle.setText(self._subtitle(data))
        self._fill_points(data)
        if data.custom:
            russian = QLocale().language() == QLocale.Language.Russian
            names = {f.code: f.label_ru if russian else f.label for f in data.fields}
            parts = [
                self.tr("%1: %2")
                .replace("%1", names.get(code) or code.replace("_", " ").capitalize())
                .replace("%2", value)
                for code, value in data.custom.items()
            ]
            self.custom.setText("   ·   ".join(parts))
        self.custom.setVisible(bool(data.custom))
        self.update_local_time()

    def _subtitle(self, data: CardData) -> str:
        muted = []
        kind_names = {
            "client": self.tr("Client"),
            "lead": self.tr("Lead"),
            "contact": self.tr("Contact person"),
            "deal": self.tr("Deal"),
        }
        muted.append(html.escape(kind_names[data.kind]))
        if data.kind == "contact" and data.contact is not None and data.contact.position:
            muted.append(html.escape(data.contact.position))
        if data.kind == "lead" and data.party is not None and data.party.company:
            muted.append(html.escape(data.party.company))
        if data.kind == "deal" and data.deal is not None:
            muted.append(html.escape(stage_names.shown(data.deal.stage)))
            if data.deal.amount is not None:
                muted.append(html.escape(timefmt.money(data.deal.amount, data.deal.currency)))
        if data.kind in ("contact", "deal") and data.party is not None:
            target = f"party:{data.party.kind}:{data.party.id}"
            link = f'<a href="{target}">{html.escape(data.party.name)}</a>'
            muted.append(link)
        if data.owner_name:
            muted.append(
                html.escape(self.tr("Owner: %1")).replace("%1", html.escape(data.owner_name))
            )
        return " &nbsp;·&nbsp; ".join(muted)

    def _fill_points(self, data: CardData) -> None:
        while self.points_row.count():
            item = self.points_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.phone_buttons = []
        self.email_buttons = []
        phones = [p for p in data.points if p.kind == "phone"]
        emails = [p for p in data.points if p.kind == "email"]
        for point in phones:
            shown = phone_text.shown(point.normalized, point.raw)
            button = self._point_button(shown, "call", self.tr("Call %1").replace("%1", shown))
            button.clicked.connect(lambda _c=False, n=point.normalized: self.phone_clicked.emit(n))
            self.phone_buttons.append(button)
        for point in emails:
            button = self._point_button(
                point.raw, "email", self.tr("Write to %1").replace("%1", point.raw)
            )
            button.clicked.connect(lambda _c=False, a=point.normalized: self.email_clicked.emit(a))
            self.email_buttons.append(button)
        if not phones and not emails:
            empty = QLabel(self.tr("No phone or email on this card"))
            empty.setStyleSheet("color: palette(placeholder-text);")
            self.points_row.addWidget(empty)
        self.add_point_button = None
        if data.kind != "deal":  # a deal's numbers are its client's
            add = QToolButton()
            add.setText(self.tr("+ Add"))
            add.setAutoRaise(True)
            add.setCursor(Qt.CursorShape.PointingHandCursor)
            add.setToolTip(
                self.tr("Add a phone or email; earlier letters and calls with it join the feed")
            )
            add.setStyleSheet("QToolButton { color: palette(placeholder-text); padding: 2px 6px; }")
            add.clicked.connect(self.add_point_clicked)
            self.points_row.addWidget(add)
            self.add_point_button = add

    def _point_button(self, text: str, kind: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setIcon(glyphs.type_icon(kind, 16))
        button.setIconSize(QSize(16, 16))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setToolTip(tooltip(tip))
        button.setStyleSheet("QToolButton { color: palette(link); padding: 2px 6px 2px 2px; }")
        self.points_row.addWidget(button)
        return button

    # --- the client's local time ----------------------------------------------------

    def update_local_time(self) -> None:
        data = self._data
        if data is None or not data.zone:
            self.local_time.hide()
            return
        now = self.clock().astimezone(timezones.zone(data.zone))
        city = timefmt.zone_city(data.zone)
        if data.zone == data.display_zone:
            text = self.tr("%1 local time (same as yours)").replace("%1", timefmt.hhmm(now))
        else:
            text = (
                self.tr("%1 local time in %2").replace("%1", timefmt.hhmm(now)).replace("%2", city)
            )
        self.local_time.setText(text)
        self.local_time.setToolTip(tooltip(data.zone))
        self.local_time.show()
        # wake at the start of the next minute, so the clock never lags
        seconds = 60 - now.second
        self._minute.start(max(1, seconds) * 1000 - now.microsecond // 1000)

    def _on_minute_timeout(self) -> None:
        self.update_local_time()

    def _on_subtitle_link_activated(self, link: str) -> None:
        _, kind, ident = link.split(":", 2)
        self.party_clicked.emit(kind, int(ident))
