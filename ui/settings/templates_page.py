"""Settings → Templates (SPEC E1): the email templates everyone in the
database shares, with a variable picker and the service's checks on save.

Templates are code from one person run on data of another, so the page
never decides what is allowed: ``templates.validate`` (through ``create``
and ``update``) does, and its message is shown next to the field it names.

This module holds the page's behaviour: loading, the editor's state,
switching templates with unsaved changes. Beside it, as mixins with their
own translation contexts: ``template_form`` (the widgets and the variable
picker) and ``template_saving`` (save, deactivate, reactivate).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QBrush, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import QLineEdit, QListWidgetItem, QMessageBox, QPlainTextEdit, QWidget

from services.core.access import Actor
from services.templates import store as templates
from services.templates.store import TemplateView, Variable
from ui.context import UiContext
from ui.settings.template_form import AI_ROLE, ID_ROLE, TemplateForm
from ui.settings.template_saving import TemplateSaving
from ui.widgets.plain import plain, tooltip
from ui.widgets.work import Uow, Work


@dataclasses.dataclass(frozen=True)
class Loaded:
    """One read: every template (deactivated ones too) and the picker's
    variables without and with AI."""

    views: list[TemplateView]
    variables: dict[bool, list[Variable]]


def _load(uow: Uow, actor: Actor) -> Loaded:
    return Loaded(
        templates.list_templates(uow, actor, include_inactive=True),
        {ai: templates.available_variables(uow, ai=ai) for ai in (False, True)},
    )


class TemplatesPage(TemplateForm, TemplateSaving, QWidget):
    """The list of templates on the left, the editor on the right."""

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._views: dict[int, TemplateView] = {}
        self._variables: dict[bool, list[Variable]] = {False: [], True: []}
        self._current: TemplateView | None = None  # None: a new template
        self._saved_state: tuple[str, str, str, bool] = ("", "", "", False)
        self._target: QLineEdit | QPlainTextEdit | None = None
        self._selecting = False
        self._busy = False
        self.loaded = False
        self.confirm_box: QMessageBox | None = None
        self._build()
        self._start_new()

    # --- keyboard -----------------------------------------------------------------

    def _own_key(self, event: QKeyEvent) -> bool:
        return event.matches(QKeySequence.StandardKey.Save) or event.matches(
            QKeySequence.StandardKey.New
        )

    def event(self, event: QEvent) -> bool:
        # Ctrl+N is the window's "new interaction" too: claimed here while the
        # focus is on this page, so the two shortcuts are never ambiguous.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._own_key(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Save):
            self.save()
        elif event.matches(QKeySequence.StandardKey.New):
            self.new_template()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and watched in (self.subject, self.body):
            assert isinstance(watched, QLineEdit | QPlainTextEdit)
            self._target = watched
        return super().eventFilter(watched, event)

    # --- loading ------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list; the editor follows unless it has unsaved changes."""
        self._reload(self._on_loaded)

    def _reload(self, then: Callable[[Loaded], None]) -> None:
        self._work.read(_load, then)

    def _on_loaded(self, result: Loaded) -> None:
        self.loaded = True
        self._views = {view.id: view for view in result.views}
        self._variables = result.variables
        self._fill_variables()
        current = self._current
        if current is not None and not self.is_dirty():
            fresh = self._views.get(current.id)
            if fresh is None:
                self._start_new()
            else:
                self._show(fresh)
        self._fill_list()
        if self._current is None and not self.is_dirty() and self.list.count():
            first = self.list.item(0)
            if first is not None:
                self._open(int(first.data(ID_ROLE)))
        self._update_empty()

    def _visible(self) -> list[TemplateView]:
        show_all = self.show_inactive.isChecked()
        return [view for view in self._views.values() if view.active or show_all]

    def _fill_list(self) -> None:
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self._selecting = True
        try:
            self.list.clear()
            for view in sorted(self._visible(), key=lambda v: (v.name.casefold(), v.id)):
                item = QListWidgetItem(view.name)
                item.setData(ID_ROLE, view.id)
                item.setData(AI_ROLE, view.ai)
                tips = [self.tr("Written by %1").replace("%1", view.author_name)]
                if view.ai:
                    tips.append(self.tr("AI template: the body is the prompt"))
                if not view.active:
                    item.setForeground(QBrush(muted))
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                    tips.append(self.tr("Deactivated"))
                item.setToolTip(tooltip("\n".join(tips)))
                self.list.addItem(item)
                if self._current is not None and view.id == self._current.id:
                    self.list.setCurrentItem(item)
        finally:
            self._selecting = False

    def _update_empty(self) -> None:
        nothing = not self._views and self._current is None and not self.is_dirty()
        self.stack.setCurrentWidget(self.empty if nothing else self.splitter)

    # --- the editor ---------------------------------------------------------------

    def state(self) -> tuple[str, str, str, bool]:
        return (
            self.name.text(),
            self.subject.text(),
            self.body.toPlainText(),
            self.ai.isChecked(),
        )

    def is_dirty(self) -> bool:
        return self.state() != self._saved_state

    def current_id(self) -> int | None:
        return self._current.id if self._current is not None else None

    def _fill_editor(self, name: str, subject: str, body: str, ai: bool) -> None:
        self.name.setText(name)
        self.subject.setText(subject)
        self.body.setPlainText(body)
        self.ai.setChecked(ai)
        self._saved_state = self.state()
        self._clear_hints()
        self.status.setText("")

    def _show(self, view: TemplateView) -> None:
        self._current = view
        self._fill_editor(view.name, view.subject, view.body, view.ai)
        self.heading.setText(view.name)
        author = self.tr("by %1").replace("%1", view.author_name)
        if not view.active:
            author += " · " + self.tr("deactivated")
        self.author.setText(author)
        self._update_buttons()

    def _start_new(self) -> None:
        self._current = None
        self._fill_editor("", "", "", False)
        self.heading.setText(self.tr("New template"))
        self.author.setText("")
        self._select(None)
        self._update_buttons()

    def _open(self, template_id: int | None) -> None:
        view = self._views.get(template_id) if template_id is not None else None
        if view is None:
            self._start_new()
        else:
            self._show(view)
            self._select(view.id)
        self._update_empty()

    def _select(self, template_id: int | None) -> None:
        self._selecting = True
        try:
            self.list.setCurrentRow(-1)
            for row in range(self.list.count()):
                item = self.list.item(row)
                if item is not None and item.data(ID_ROLE) == template_id:
                    self.list.setCurrentItem(item)
                    break
        finally:
            self._selecting = False

    def _update_buttons(self) -> None:
        view = self._current
        self.deactivate_button.setVisible(view is not None and view.active)
        self.reactivate_button.setVisible(view is not None and not view.active)
        for button in (self.save_button, self.deactivate_button, self.reactivate_button):
            button.setEnabled(not self._busy)

    def _clear_hints(self) -> None:
        self.general_hint.clear_hint()
        for hint in self.hints.values():
            hint.clear_hint()

    def _on_show_inactive_toggled(self, _on: bool) -> None:
        self._fill_list()

    # --- switching, with unsaved changes ----------------------------------------------

    def _on_list_current_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if self._selecting or current is None:
            return
        target = int(current.data(ID_ROLE))
        if target == self.current_id():
            return
        if self.is_dirty():
            self._select(self.current_id())
            self._ask_unsaved(lambda: self._open(target))
        else:
            self._open(target)

    def new_template(self) -> None:
        if self.is_dirty():
            self._ask_unsaved(self._begin_new)
        else:
            self._begin_new()

    def _begin_new(self) -> None:
        self._start_new()
        self.stack.setCurrentWidget(self.splitter)
        self.name.setFocus()

    def _ask_unsaved(self, go_on: Callable[[], None]) -> None:
        name = self.name.text().strip() or self.tr("the new template")
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unsaved changes"),
            self.tr("Save the changes to %1 first?").replace("%1", name),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        plain(box)  # the template's name
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        self.confirm_box = box

        def answered(_result: int) -> None:
            clicked = box.standardButton(box.clickedButton())
            if clicked == QMessageBox.StandardButton.Save:
                self.save(then=go_on)
            elif clicked == QMessageBox.StandardButton.Discard:
                go_on()

        box.finished.connect(answered)
        box.open()

    def visible_names(self) -> Sequence[str]:
        """The names the list shows, top to bottom."""
        return [item.text() for row in range(self.list.count()) if (item := self.list.item(row))]
