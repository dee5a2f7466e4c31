"""Saving a template from Settings → Templates, and deactivating or
reactivating one: the service decides what is allowed (``templates.validate``
through the use cases), its refusal is shown under the field it names, and
a conflict with someone else's save reloads the saved version.

A mixin of :class:`~ui.settings.templates_page.TemplatesPage`, kept apart
from the layout and the editing; its strings are translated in this class's
context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from services.core.access import Actor
from services.core.changes import Outcome
from services.core.errors import ConflictError, UserError, ValidationError
from services.templates import use_cases as template_cases
from services.templates.store import TemplateView
from ui.settings.template_form import ID_ROLE
from ui.shell import error_text
from ui.widgets.questions import ask_destructive

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QWidget

    from ui.context import UiContext
    from ui.settings.templates_page import Loaded
    from ui.widgets.hints import FieldHint
    from ui.widgets.work import Work

    _Base = QWidget
else:
    _Base = object  # at run time a plain mixin: the page brings QWidget


class TemplateSaving(_Base):
    """Save, deactivate and reactivate, with their questions and outcomes."""

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
            self._reload(self._on_reloaded_after_conflict)
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
        self.confirm_box = ask_destructive(
            self,
            self.tr("Deactivate the template"),
            text,
            self.tr("Deactivate"),
            lambda: self.deactivate(view.id),
            keep=self.tr("Keep it"),
        )

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

    if TYPE_CHECKING:
        # What the page and its other mixin define, for the type checker
        # only. Last in the class: pyside6-lupdate loses the translation
        # context of the code after a def inside an if.
        _ctx: UiContext
        _work: Work
        _busy: bool
        _views: dict[int, TemplateView]
        _current: TemplateView | None
        _saved_state: tuple[str, str, str, bool]
        confirm_box: QMessageBox | None
        list: QListWidget
        show_inactive: QCheckBox
        name: QLineEdit
        subject: QLineEdit
        body: QPlainTextEdit
        ai: QCheckBox
        hints: dict[str, FieldHint]
        general_hint: FieldHint
        status: QLabel

        def state(self) -> tuple[str, str, str, bool]: ...
        def is_dirty(self) -> bool: ...
        def _reload(self, then: Callable[[Loaded], None]) -> None: ...
        def _on_loaded(self, result: Loaded) -> None: ...
        def _show(self, view: TemplateView) -> None: ...
        def _open(self, template_id: int | None) -> None: ...
        def _fill_list(self) -> None: ...
        def _update_empty(self) -> None: ...
        def _update_buttons(self) -> None: ...
        def _clear_hints(self) -> None: ...
