"""Indicators on a card (SPEC B7): last contact, next planned, open deals
and their sum, interactions per month. Each can be hidden from the panel's
menu or context menu; the choice is kept in QSettings for all cards."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QPoint, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from services.core.access import Actor
from services.feed import indicators as card_indicators
from ui.cards.quick_block import section_title
from ui.widgets import labels, timefmt
from ui.widgets.bar_chart import MonthBars
from ui.widgets.work import Uow

SETTINGS_KEY = "card/hidden_indicators"
NAMES = ("last_contact", "next_planned", "open_deals", "per_month")
DASH = "—"


@dataclasses.dataclass(frozen=True)
class IndicatorValues:
    """The panel's own view of ``services.feed.indicators``' result."""

    last_contact: dt.datetime | None = None
    last_type: str | None = None
    next_planned: dt.datetime | None = None
    next_type: str | None = None
    next_title: str | None = None
    open_deals: int | None = None
    open_amounts: tuple[tuple[str, Decimal], ...] = ()
    per_month: tuple[tuple[dt.date, int], ...] = ()


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def _moment(value: Any) -> tuple[dt.datetime | None, str | None, str | None]:
    """(time, type, title) of a datetime or of an item that has a start."""
    if value is None or isinstance(value, dt.datetime):
        return value, None, None
    start = _get(value, "start", "at", "when")
    return (
        start if isinstance(start, dt.datetime) else None,
        _get(value, "type", "kind"),
        _get(value, "title", "subject"),
    )


def _amounts(value: Any, currency: Any) -> tuple[tuple[str, Decimal], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        return tuple((str(k), Decimal(str(v))) for k, v in value.items())
    if isinstance(value, (Decimal, int, float, str)):
        return ((str(currency or ""), Decimal(str(value))),)
    pairs: list[tuple[str, Decimal]] = []
    for entry in value:
        if isinstance(entry, tuple) and len(entry) == 2:
            a, b = entry
            cur, amount = (a, b) if isinstance(a, str) else (b, a)
        else:
            cur, amount = _get(entry, "currency"), _get(entry, "amount", "total", "sum")
        pairs.append((str(cur or ""), Decimal(str(amount or 0))))
    return tuple(pairs)


def _months(value: Any) -> tuple[tuple[dt.date, int], ...]:
    if not value:
        return ()
    entries: Iterable[Any] = value.items() if isinstance(value, Mapping) else value
    out = []
    for entry in entries:
        if isinstance(entry, tuple) and len(entry) == 2:
            month, count = entry
        else:
            month, count = _get(entry, "month", "start", "period"), _get(entry, "count", "total")
        if isinstance(month, str):
            month = dt.date.fromisoformat(month[:7] + "-01")
        elif isinstance(month, dt.datetime):
            month = month.date()
        out.append((month, int(count or 0)))
    return tuple(out)


def adapt(result: Any) -> IndicatorValues:
    if result is None or isinstance(result, IndicatorValues):
        return result or IndicatorValues()
    last, last_type, _ = _moment(_get(result, "last_contact", "last_contact_at"))
    nxt, next_type, next_title = _moment(_get(result, "next_planned", "next_planned_at"))
    deals = _get(result, "open_deals", "open_deal_count", "open_deals_count")
    count = deals if isinstance(deals, int) else (len(deals) if deals is not None else None)
    return IndicatorValues(
        last_contact=last,
        last_type=last_type or _get(result, "last_contact_type"),
        next_planned=nxt,
        next_type=next_type or _get(result, "next_planned_type"),
        next_title=next_title or _get(result, "next_planned_title"),
        open_deals=count,
        open_amounts=_amounts(
            _get(result, "open_amounts", "open_sum", "open_amount", "open_deals_sum"),
            _get(result, "currency"),
        ),
        per_month=_months(_get(result, "per_month", "interactions_per_month", "months")),
    )


def load(
    uow: Uow, actor: Actor, kind: str, object_id: int, now: dt.datetime
) -> IndicatorValues | None:
    return adapt(card_indicators.indicators(uow, actor, kind, object_id, now))


class IndicatorsPanel(QWidget):
    visibility_changed = Signal()

    def __init__(self, parent: Any = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else QSettings()
        self.values: IndicatorValues | None = None
        self.display_zone: str | None = None
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.menu_button = QToolButton()
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setToolTip(self.tr("Choose the indicators to show"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.menu = QMenu(self)
        self.menu_button.setMenu(self.menu)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)

        self.rows: dict[str, QWidget] = {}
        self.value_labels: dict[str, QLabel] = {}
        self.detail_labels: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        # caption above value: long captions ("Следующее запланированное")
        # never squeeze the values in a narrow side column
        rows_box = QWidget()
        rows_col = QVBoxLayout(rows_box)
        rows_col.setContentsMargins(0, 0, 0, 0)
        rows_col.setSpacing(10)
        for name in NAMES[:3]:
            caption = QLabel(self.caption(name))
            caption.setStyleSheet("color: palette(placeholder-text);")
            value = QLabel(DASH)
            value.setWordWrap(True)
            font = value.font()
            font.setWeight(font.Weight.DemiBold)
            value.setFont(font)
            detail = QLabel()
            detail.setWordWrap(True)
            detail.setStyleSheet("color: palette(placeholder-text);")
            detail.hide()
            cell = QWidget()
            cell_col = QVBoxLayout(cell)
            cell_col.setContentsMargins(0, 0, 0, 0)
            cell_col.setSpacing(1)
            cell_col.addWidget(caption)
            cell_col.addWidget(value)
            cell_col.addWidget(detail)
            rows_col.addWidget(cell)
            self.rows[name] = cell
            self._captions[name] = caption
            self.value_labels[name] = value
            self.detail_labels[name] = detail
        self.chart = MonthBars()
        self.chart_caption = QLabel(self.caption("per_month"))
        self.chart_caption.setStyleSheet("color: palette(placeholder-text);")
        self.chart_empty = QLabel(DASH)
        chart_box = QWidget()
        chart_col = QVBoxLayout(chart_box)
        chart_col.setContentsMargins(0, 4, 0, 0)
        chart_col.setSpacing(2)
        chart_col.addWidget(self.chart_caption)
        chart_col.addWidget(self.chart)
        chart_col.addWidget(self.chart_empty)
        self.rows["per_month"] = chart_box
        self.all_hidden = QLabel(self.tr("All indicators are hidden. Use ⋯ to show them."))
        self.all_hidden.setWordWrap(True)
        self.all_hidden.setStyleSheet("color: palette(placeholder-text);")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(section_title(self.tr("Indicators")))
        top.addStretch(1)
        top.addWidget(self.menu_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(top)
        column.addWidget(rows_box)
        column.addWidget(chart_box)
        column.addWidget(self.all_hidden)
        self.set_values(None, None)
        self._apply_visibility()

    def caption(self, name: str) -> str:
        return {
            "last_contact": self.tr("Last contact"),
            "next_planned": self.tr("Next planned"),
            "open_deals": self.tr("Open deals"),
            "per_month": self.tr("Interactions per month"),
        }[name]

    # --- values ---------------------------------------------------------------------

    def set_values(self, values: IndicatorValues | None, display_zone: str | None) -> None:
        self.values = values
        self.display_zone = display_zone
        v = values or IndicatorValues()
        now = self.clock()
        if v.last_contact is not None:
            self._set(
                "last_contact",
                timefmt.ago(v.last_contact, now),
                self._moment_detail(v.last_contact, v.last_type, None, day_said=True),
            )
        else:
            self._set("last_contact", DASH if values is None else self.tr("None yet"), "")
        if v.next_planned is not None:
            self._set(
                "next_planned",
                timefmt.when(v.next_planned, display_zone, now),
                self._moment_detail(None, v.next_type, v.next_title),
                overdue=v.next_planned < now,
            )
        else:
            self._set("next_planned", DASH if values is None else self.tr("Nothing planned"), "")
        if v.open_deals is not None:
            sums = " + ".join(timefmt.money(a, c) for c, a in v.open_amounts if a)
            self._set("open_deals", str(v.open_deals), sums)
        else:
            self._set("open_deals", DASH, "")
        locale = QLocale()
        short, long = QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat
        bars = [
            (
                locale.standaloneMonthName(m.month, short).rstrip(".")[:3],
                f"{locale.standaloneMonthName(m.month, long)} {m.year}",
                count,
            )
            for m, count in v.per_month
        ]
        self.chart.set_data(bars)
        has_bars = bool(bars)
        self.chart.setVisible(has_bars)
        self.chart_empty.setVisible(not has_bars)

    def _moment_detail(
        self,
        when: dt.datetime | None,
        kind: str | None,
        title: str | None,
        *,
        day_said: bool = False,
    ) -> str:
        """ "Today, 13:40 · Call"; only "13:40 · Call" when the line above
        (``day_said``: "today", "yesterday") already names that day."""
        parts = []
        if when is not None:
            now = self.clock()
            own_day = (now.astimezone(when.tzinfo).date() - when.date()).days
            ago_day = (now.date() - when.astimezone(now.tzinfo).date()).days  # as ago() counts
            if day_said and own_day == ago_day and own_day in (0, 1):
                _day, city = timefmt.when_parts(when, self.display_zone, now)
                stamp = timefmt.hhmm(when)
                parts.append(
                    QCoreApplication.translate("Time", "%1 %2")
                    .replace("%1", stamp)
                    .replace("%2", city)
                    if city
                    else stamp
                )
            else:
                parts.append(timefmt.when(when, self.display_zone, now))
        if kind:
            parts.append(labels.type_label(kind))
        if title:
            parts.append(title)
        return " · ".join(parts)

    def _set(self, name: str, value: str, detail: str, *, overdue: bool = False) -> None:
        label = self.value_labels[name]
        label.setText(value)
        label.setStyleSheet("color: #c62828;" if overdue else "")
        self.detail_labels[name].setText(detail)
        self.detail_labels[name].setVisible(bool(detail))

    def text_of(self, name: str) -> str:
        if name == "per_month":
            return DASH if not self.chart.data else str(sum(c for _, _, c in self.chart.data))
        return self.value_labels[name].text()

    # --- hiding ---------------------------------------------------------------------

    def hidden(self) -> set[str]:
        value = self._settings.value(SETTINGS_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        items = value if isinstance(value, list | tuple) else []
        return {str(v) for v in items} & set(NAMES)

    def set_hidden(self, name: str, hidden: bool) -> None:
        current = self.hidden()
        if hidden:
            current.add(name)
        else:
            current.discard(name)
        self._settings.setValue(SETTINGS_KEY, sorted(current))
        self._settings.sync()
        self._apply_visibility()
        self.visibility_changed.emit()

    def is_shown(self, name: str) -> bool:
        return name not in self.hidden()

    def _apply_visibility(self) -> None:
        hidden = self.hidden()
        for name in NAMES:
            shown = name not in hidden
            self.rows[name].setVisible(shown)
            caption = self._captions.get(name)
            if caption is not None:
                caption.setVisible(shown)
        self.all_hidden.setVisible(hidden >= set(NAMES))

    def _fill_menu(self, menu: QMenu | None = None) -> QMenu:
        menu = menu or self.menu
        menu.clear()
        hidden = self.hidden()
        for name in NAMES:
            action = menu.addAction(self.caption(name))
            action.setCheckable(True)
            action.setChecked(name not in hidden)
            action.toggled.connect(lambda on, n=name: self.set_hidden(n, not on))
        return menu

    def _on_context_menu(self, pos: QPoint) -> None:
        menu = self._fill_menu(QMenu(self))
        menu.popup(self.mapToGlobal(pos))
