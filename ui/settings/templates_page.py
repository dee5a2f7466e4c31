"""Settings → Templates (SPEC E1): the email templates everyone in the
database shares, with a variable picker and the service's checks on save.

Templates are code from one person run on data of another, so the page
never decides what is allowed: ``templates.validate`` (through ``create``
and ``update``) does, and its message is shown next to the field it names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QAction, QBrush, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.access import Actor
from services.core.changes import Outcome
from services.core.errors import ConflictError, UserError, ValidationError
from services.templates import store as templates
from services.templates import use_cases as template_cases
from services.templates.store import TemplateView, Variable
from ui.context import UiContext
from ui.settings.form_parts import muted, stacked
from ui.shell import error_text
from ui.shell.icons import icon
from ui.widgets.badge_delegate import BadgeDelegate
from ui.widgets.empty_state import EmptyHint
from ui.widgets.hints import FieldHint
from ui.widgets.plain import plain, plain_label, tooltip
from ui.widgets.work import Uow, Work

ID_ROLE = Qt.ItemDataRole.UserRole
AI_ROLE = Qt.ItemDataRole.UserRole + 1
FIELDS = ("name", "subject", "body")
# The picker's groups, in the order a letter usually needs them.
GROUPS = ("client", "contact", "deal", "owner", "me", "date", "inbound")


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


def _russian() -> bool:
    return QLocale().language() == QLocale.Language.Russian


class TemplatesPage(QWidget):
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

    # --- layout ---------------------------------------------------------------------

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setItemDelegate(BadgeDelegate(self.tr("AI"), AI_ROLE, self.list))
        self.list.setUniformItemSizes(True)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.show_inactive = QCheckBox(self.tr("Show deactivated"))
        self.show_inactive.toggled.connect(self._on_show_inactive_toggled)
        self.new_button = QPushButton(icon("new"), self.tr("New template"))
        self.new_button.setToolTip(self.tr("New template (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_template)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.list, 1)
        column.addWidget(self.show_inactive)

        self.heading = plain_label()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.heading.setFont(font)
        self.author = plain_label()
        self.author.setProperty("role", "muted")
        self.general_hint = FieldHint()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Reply to a price request"))
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(self.tr("e.g. Offer for {{ client.name }}"))
        self.ai = QCheckBox(self.tr("AI generation"))
        self.ai.toggled.connect(self._on_ai_toggled)
        self.ai_note = muted()
        self.body = QPlainTextEdit()
        self.body.setMinimumHeight(180)
        self.body.setTabChangesFocus(True)
        self.hints = {name: FieldHint() for name in FIELDS}
        self.subject.installEventFilter(self)
        self.body.installEventFilter(self)
        self.variables_button = QPushButton(self.tr("Insert variable"))
        self.variables_menu = QMenu(self.variables_button)
        self.variables_button.setMenu(self.variables_menu)
        variables_note = muted(self.tr("goes in at the cursor of the subject or the body"))

        picker = QHBoxLayout()
        picker.addWidget(self.variables_button)
        picker.addWidget(variables_note, 1)
        self.body_label = QLabel()
        self.form = QGridLayout()
        self.form.setColumnStretch(1, 1)
        self.form.setVerticalSpacing(8)
        rows: list[tuple[QLabel | None, QVBoxLayout]] = [
            (QLabel(self.tr("Name")), stacked(self.name, self.hints["name"])),
            (QLabel(self.tr("Subject")), stacked(self.subject, self.hints["subject"])),
            (None, stacked(self.ai, self.ai_note)),
            (self.body_label, stacked(self.body, self.hints["body"], picker)),
        ]
        for row, (label, field) in enumerate(rows):
            if label is not None:
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                label.setContentsMargins(0, 4, 0, 0)
                self.form.addWidget(label, row, 0)
            self.form.addLayout(field, row, 1)
        self.form.setRowStretch(len(rows) - 1, 1)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setToolTip(self.tr("Save the template (Ctrl+S)"))
        self.save_button.clicked.connect(lambda: self.save())
        self.deactivate_button = QPushButton(self.tr("Deactivate…"))
        self.deactivate_button.setToolTip(
            self.tr("Hide it from the templates to apply; it stays for the record")
        )
        self.deactivate_button.clicked.connect(self._on_deactivate_button_clicked)
        self.reactivate_button = QPushButton(self.tr("Reactivate"))
        self.reactivate_button.clicked.connect(self._on_reactivate_button_clicked)
        self.status = plain_label()
        self.status.setProperty("role", "muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.deactivate_button)
        buttons.addWidget(self.reactivate_button)

        editor = QWidget()
        right = QVBoxLayout(editor)
        right.setContentsMargins(12, 0, 0, 0)
        title = QHBoxLayout()
        title.addWidget(self.heading)
        title.addWidget(self.author, 1, Qt.AlignmentFlag.AlignBottom)
        right.addLayout(title)
        right.addWidget(self.general_hint)
        right.addLayout(self.form, 1)
        right.addLayout(buttons)

        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(editor)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 640])

        self.empty = EmptyHint(
            self.tr("No templates yet"),
            self.tr(
                "Create one: a template fills in the client's name, the contact, the deal "
                "and dates, or tells the AI what letter to write."
            ),
            self.tr("New template"),
        )
        self.empty.action_clicked.connect(self.new_template)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.splitter)
        self.stack.setCurrentWidget(self.splitter)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(self.stack)
        self._on_ai_toggled(False)

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
        self._work.read(_load, self._on_loaded)

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

    def _fill_variables(self) -> None:
        self.variables_menu.clear()
        titles = {
            "client": self.tr("Client"),
            "contact": self.tr("Contact person"),
            "deal": self.tr("Deal"),
            "owner": self.tr("Responsible manager"),
            "me": self.tr("You"),
            "date": self.tr("Dates"),
            "inbound": self.tr("From the client (sent to the AI as data)"),
        }
        russian = _russian()
        groups: dict[str, list[Variable]] = {}
        for var in self._variables[self.ai.isChecked()]:
            groups.setdefault(var.name.split(".")[0], []).append(var)
        for key in sorted(groups, key=lambda g: GROUPS.index(g) if g in GROUPS else len(GROUPS)):
            menu = self.variables_menu.addMenu(titles.get(key, key))
            for var in groups[key]:
                label = var.description_ru if russian else var.description_en
                action = QAction(f"{label}\t{{{{ {var.name} }}}}".replace("&", "&&"), menu)
                action.setData(var.name)
                action.triggered.connect(lambda _c=False, code=var.name: self.insert_variable(code))
                menu.addAction(action)
        self.variables_button.setEnabled(bool(groups))

    def variable_codes(self) -> list[str]:
        """Every code the picker offers now, in menu order."""
        return [
            str(action.data())
            for sub in self.variables_menu.actions()
            if isinstance(menu := sub.menu(), QMenu)
            for action in menu.actions()
        ]

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

    def _on_ai_toggled(self, ai: bool) -> None:
        if ai:
            self.body_label.setText(self.tr("Prompt"))
            self.ai_note.setText(
                self.tr(
                    "With AI the body is the prompt the AI receives: say what letter to "
                    "write. The subject is filled in as usual; the client's letter goes "
                    "to the AI as data, never as instructions."
                )
            )
            self.body.setPlaceholderText(
                self.tr(
                    "e.g. Answer {{ contact.name_patronymic }} politely, confirm the "
                    "delivery date and offer a call: {{ inbound.last_email }}"
                )
            )
        else:
            self.body_label.setText(self.tr("Body"))
            self.ai_note.setText(
                self.tr("The subject and the body are the letter, with the variables filled in.")
            )
            self.body.setPlaceholderText(
                self.tr("e.g. Good afternoon, {{ contact.name_patronymic }}!")
            )
        self._fill_variables()

    def _on_show_inactive_toggled(self, _on: bool) -> None:
        self._fill_list()

    def insert_variable(self, code: str) -> None:
        """``{{ code }}`` at the cursor of the subject or body, whichever had
        the focus last (the body at first)."""
        target = self._target or self.body
        text = f"{{{{ {code} }}}}"
        if isinstance(target, QLineEdit):
            target.insert(text)
        else:
            target.insertPlainText(text)
        target.setFocus()

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

    # --- saving -------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None) -> None:
        if self._busy:
            return
        name, subject, body, ai = self.state()
        current = self._current
        self._clear_hints()
        self.status.setText(self.tr("Saving…"))
        self._set_busy(True)

        def store(db: Any, actor: Actor) -> Outcome[TemplateView]:
            if current is None:
                return template_cases.add_template(db, actor, name, subject, body, ai=ai)
            return template_cases.edit_template(
                db,
                actor,
                current.id,
                name=name,
                subject=subject,
                body=body,
                ai=ai,
                row_version=current.row_version,
            )

        self._work.run(
            store,
            lambda view: self._on_saved(view, then),
            self._on_save_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _on_saved(self, view: TemplateView, then: Callable[[], None] | None) -> None:
        self._set_busy(False)
        self._views[view.id] = view
        self._show(view)
        self.status.setText(self.tr("Saved."))
        self._fill_list()
        self._update_empty()
        if then is not None:
            then()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.status.setText("")
        if isinstance(exc, ValidationError) and exc.field in self.hints:
            self.hints[exc.field].show_error(error_text.message(exc))
            {"name": self.name, "subject": self.subject, "body": self.body}[exc.field].setFocus()
        elif isinstance(exc, ConflictError):
            self.general_hint.show_error(
                error_text.message(exc)
                + "\n"
                + self.tr("Your changes were not saved; the editor now shows the saved version.")
            )
            self._saved_state = self.state()  # let the reload replace the editor
            self._work.read(_load, self._on_reloaded_after_conflict)
        elif isinstance(exc, UserError):
            self.general_hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    def _on_reloaded_after_conflict(self, result: Loaded) -> None:
        message = self.general_hint.text()
        self._on_loaded(result)
        self.general_hint.show_error(message)

    # --- deactivating -------------------------------------------------------------

    def _on_deactivate_button_clicked(self) -> None:
        view = self._current
        if view is None:
            return
        text = self.tr(
            "Deactivate the template %1? It is no longer offered when writing a letter; "
            "it stays for the record and can be reactivated under Show deactivated."
        ).replace("%1", view.name)
        if self.is_dirty():
            text += "\n\n" + self.tr("Your unsaved changes to it are discarded.")
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Deactivate the template"), text, parent=self
        )
        plain(box)  # the template's name
        yes = box.addButton(self.tr("Deactivate"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        self.confirm_box = box
        box.finished.connect(
            lambda _r: self.deactivate(view.id) if box.clickedButton() is yes else None
        )
        box.open()

    def deactivate(self, template_id: int) -> None:
        self._set_busy(True)
        self._work.run(
            lambda db, actor: template_cases.deactivate_template(db, actor, template_id),
            self._on_deactivated,
            self._on_save_failed,
        )

    def _on_deactivated(self, view: TemplateView) -> None:
        self._set_busy(False)
        self._views[view.id] = view
        if self.show_inactive.isChecked():
            self._show(view)
            self._fill_list()
        else:
            self._current = None
            self._saved_state = self.state()
            self._fill_list()
            first = self.list.item(0)
            self._open(int(first.data(ID_ROLE)) if first is not None else None)
        self.status.setText(self.tr("Deactivated %1.").replace("%1", view.name))

    def _on_reactivate_button_clicked(self) -> None:
        view = self._current
        if view is None:
            return
        self._set_busy(True)
        self._work.run(
            lambda db, actor: template_cases.edit_template(
                db, actor, view.id, active=True, row_version=view.row_version
            ),
            self._on_reactivated,
            self._on_save_failed,
        )

    def _on_reactivated(self, view: TemplateView) -> None:
        self._set_busy(False)
        self._views[view.id] = view
        edits = self.state() if self.is_dirty() else None
        self._show(view)
        if edits is not None:  # reactivating does not throw away what is being typed
            name, subject, body, ai = edits
            self.name.setText(name)
            self.subject.setText(subject)
            self.body.setPlainText(body)
            self.ai.setChecked(ai)
        self._fill_list()
        self.status.setText(self.tr("Reactivated."))

    def visible_names(self) -> Sequence[str]:
        """The names the list shows, top to bottom."""
        return [item.text() for row in range(self.list.count()) if (item := self.list.item(row))]
