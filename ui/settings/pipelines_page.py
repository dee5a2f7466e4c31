"""Settings → Pipelines (#12): the administrator adds pipelines, names their
stages, orders them (Alt+Up / Alt+Down) and says whether a deal in the
pipeline must always have a planned next step. Names are checked as typed
(empty, or the same as another in any case, "Счёт" = "счет"), so the Add
button is off before the service would refuse. The change bus carries each
change to the deals board and the deal dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
)

from services.parties import pipeline_history
from services.parties import pipelines as pipes
from ui.context import UiContext
from ui.deals.board_panel import stage_name as shown_name
from ui.dialogs.party_dialog import ERROR_STYLE
from ui.settings.admin_page import AdminPage
from ui.settings.pipeline_history_view import PipelineHistoryView
from ui.widgets.plain import quoted
from ui.widgets.questions import ask_destructive


class PipelinesPage(AdminPage):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.pipelines: list[pipes.PipelineView] = []
        self._chosen_id: int | None = None
        self.confirm_box: QMessageBox | None = None

        self.pipeline = QComboBox()
        self.pipeline.setMinimumContentsLength(20)
        self.pipeline.activated.connect(self._on_pipeline_activated)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Name of a new pipeline"))
        self.new_name.setMaxLength(200)
        self.new_button = QPushButton(self.tr("Add pipeline"))
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.new_name.returnPressed.connect(self.new_button.click)
        top = QHBoxLayout()
        top.addWidget(self.pipeline, 1)
        top.addWidget(self.new_name, 1)
        top.addWidget(self.new_button)
        self.column.addLayout(top)

        self.empty_note = QLabel(
            self.tr(
                "No pipelines yet. A pipeline is the path of a deal, stage by stage: "
                "type its name above and add it."
            )
        )
        self.empty_note.setProperty("role", "muted")
        self.empty_note.setWordWrap(True)
        self.empty_note.hide()
        self.column.addWidget(self.empty_note)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.rename_button = QPushButton(self.tr("Rename"))
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.name_edit.returnPressed.connect(self.rename_button.click)
        naming = QHBoxLayout()
        naming.addWidget(self.name_edit, 1)
        naming.addWidget(self.rename_button)
        self.requires_check = QCheckBox(self.tr("A deal must always have a planned next step"))
        self.requires_check.clicked.connect(self._on_requires_check_clicked)
        form = QFormLayout()
        form.addRow(self.tr("Pipeline name"), naming)
        form.addRow("", self.requires_check)
        self.column.addLayout(form)

        self.stages = QListWidget()
        self.stages.setAccessibleName(self.tr("Stages"))
        self.stages.currentRowChanged.connect(self._on_stages_current_row_changed)
        self.column.addWidget(self.stages, 1)

        self.stage_name = QLineEdit()
        self.stage_name.setPlaceholderText(self.tr("Stage name"))
        self.stage_name.setMaxLength(200)
        self.add_stage_button = QPushButton(self.tr("Add stage"))
        self.rename_stage_button = QPushButton(self.tr("Rename stage"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.up_button.setToolTip(
            QKeySequence("Alt+Up").toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.down_button.setToolTip(
            QKeySequence("Alt+Down").toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.remove_button = QPushButton(self.tr("Remove stage"))
        self.add_stage_button.clicked.connect(self._on_add_stage_button_clicked)
        self.rename_stage_button.clicked.connect(self._on_rename_stage_button_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.stage_name.returnPressed.connect(self.add_stage_button.click)
        row = QHBoxLayout()
        row.addWidget(self.stage_name, 1)
        for button in (
            self.add_stage_button,
            self.rename_stage_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ):
            row.addWidget(button)
        self.column.addLayout(row)

        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        self.column.addWidget(self.problem)

        self.history = PipelineHistoryView()  # administrators: who changed what
        history_label = QLabel(self.tr("Changes to this pipeline"))
        history_label.setBuddy(self.history)
        for widget in (history_label, self.history):
            widget.setVisible(self.editable)
        self.column.addWidget(history_label)
        self.column.addWidget(self.history, 1)

        self.stages.installEventFilter(self)  # Alt+Up / Alt+Down move the stage

        for edit in (self.new_name, self.name_edit, self.stage_name):
            edit.textChanged.connect(self._check)
        self._check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            watched is self.stages
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self._move(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    # -- loading ------------------------------------------------------------

    def refresh(self) -> None:
        self._work.read(pipes.pipelines, self._on_loaded)

    def _on_loaded(self, found: list[pipes.PipelineView]) -> None:
        self.loaded = True
        self.pipelines = found
        if self._chosen_id not in {p.id for p in found}:
            self._chosen_id = found[0].id if found else None
        self.pipeline.clear()
        for p in found:
            self.pipeline.addItem(shown_name(p.name), p.id)
        self.pipeline.setCurrentIndex(max(0, self.pipeline.findData(self._chosen_id)))
        self.empty_note.setVisible(not found)
        self._show_chosen()
        self._load_history()

    def _load_history(self) -> None:
        """The chosen pipeline's settings history; read after each change."""
        chosen = self._chosen_id
        if not self.editable:
            return
        if chosen is None:
            self.history.show_changes(())
            return
        self._work.read(
            lambda uow, actor: pipeline_history.history(uow, actor, chosen),
            self.history.show_changes,
        )

    def chosen(self) -> pipes.PipelineView | None:
        return next((p for p in self.pipelines if p.id == self._chosen_id), None)

    def current_stage(self) -> pipes.StageView | None:
        chosen = self.chosen()
        row = self.stages.currentRow()
        return chosen.stages[row] if chosen is not None and 0 <= row < len(chosen.stages) else None

    def _show_chosen(self, stage_id: int | None = None) -> None:
        chosen = self.chosen()
        keep = stage_id if stage_id is not None else getattr(self.current_stage(), "id", None)
        self.name_edit.setText(shown_name(chosen.name) if chosen else "")
        self.requires_check.setChecked(bool(chosen and chosen.requires_planned))
        self.stages.clear()
        for stage in chosen.stages if chosen else ():
            text = shown_name(stage.name)
            if stage.outcome == "won":
                text = self.tr("%1 · closes the deal as won").replace("%1", text)
            elif stage.outcome == "lost":
                text = self.tr("%1 · closes the deal as lost").replace("%1", text)
            if stage.deals:
                text += " · " + self.tr("%n deal(s)", "", stage.deals)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, stage.id)
            self.stages.addItem(item)
            if stage.id == keep:
                self.stages.setCurrentItem(item)
        self._check()

    # -- inline checks ------------------------------------------------------

    def _problem_of(self, text: str, taken: list[str], what: str) -> str | None:
        if not text.strip():
            return None
        # a built-in name shows translated: "Квалификация" is taken by "Qualification" too
        same = pipes.clash(text, [*taken, *(shown_name(n) for n in taken)])
        if same is None:
            return None
        return what.replace("%1", quoted(same))

    def _check(self) -> None:
        """Buttons on only for what the services would accept; the reason shown."""
        chosen = self.chosen()
        stage = self.current_stage()
        names = [p.name for p in self.pipelines]
        stage_names = [s.name for s in chosen.stages] if chosen else []
        others = (
            [s.name for s in chosen.stages if stage is None or s.id != stage.id] if chosen else []
        )
        new_problem = self._problem_of(
            self.new_name.text(), names, self.tr("A pipeline named %1 exists already")
        )
        own = [n for n in names if chosen is None or n != chosen.name]
        rename_problem = self._problem_of(
            self.name_edit.text(), own, self.tr("A pipeline named %1 exists already")
        )
        stage_problem = self._problem_of(
            self.stage_name.text(), stage_names, self.tr("This pipeline has a stage %1 already")
        )
        rename_stage_problem = self._problem_of(
            self.stage_name.text(), others, self.tr("This pipeline has a stage %1 already")
        )
        can = self.editable
        has_stage_text = bool(self.stage_name.text().strip())
        self.new_button.setEnabled(can and bool(self.new_name.text().strip()) and not new_problem)
        self.rename_button.setEnabled(
            can
            and chosen is not None
            and bool(self.name_edit.text().strip())
            # as the drop-down shows it ("Продажи" for "Sales") is unchanged, not a rename
            and self.name_edit.text().strip() not in (chosen.name, shown_name(chosen.name))
            and not rename_problem
        )
        self.requires_check.setEnabled(can and chosen is not None)
        self.add_stage_button.setEnabled(
            can and chosen is not None and has_stage_text and not stage_problem
        )
        self.rename_stage_button.setEnabled(
            can and stage is not None and has_stage_text and not rename_stage_problem
        )
        row = self.stages.currentRow()
        count = self.stages.count()
        self.up_button.setEnabled(can and stage is not None and row > 0)
        self.down_button.setEnabled(can and stage is not None and row < count - 1)
        # the count is the service's (pipes.pipelines); it refuses a stage with deals too
        held = stage.deals if stage is not None else 0
        self.remove_button.setEnabled(can and stage is not None and count > 1 and not held)
        self.remove_button.setToolTip(
            self.tr("%n deal(s) are in this stage; move them first", "", held) if held else ""
        )
        empty = self.tr("The name must not be empty")
        problem = new_problem or rename_problem or stage_problem
        if chosen is not None and not self.name_edit.text().strip():
            problem = problem or empty
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))

    def _on_stages_current_row_changed(self, _row: int) -> None:
        self._check()

    def _on_pipeline_activated(self, _index: int) -> None:
        self._chosen_id = self.pipeline.currentData()
        self._show_chosen()
        self._load_history()

    # -- changes ------------------------------------------------------------

    def _changed(self, view: pipes.PipelineView, stage_id: int | None = None) -> None:
        self._chosen_id = view.id
        self.pipelines = [view if p.id == view.id else p for p in self.pipelines]
        if view.id not in {p.id for p in self.pipelines}:
            self.pipelines.append(view)
        self._on_loaded(self.pipelines)
        self._show_chosen(stage_id)

    def add_pipeline(self, name: str) -> None:
        first = self.tr("New")
        self._work.run(
            lambda db, actor: pipes.add_pipeline(db, actor, name, [first], requires_planned=False),
            self._on_added,
        )

    def _on_added(self, view: pipes.PipelineView) -> None:
        self.new_name.clear()
        self._changed(view)

    def _on_new_button_clicked(self) -> None:
        if self.new_button.isEnabled():
            self.add_pipeline(self.new_name.text())

    def _on_rename_button_clicked(self) -> None:
        chosen, name = self.chosen(), self.name_edit.text()
        if chosen is None or not self.rename_button.isEnabled():
            return
        self._work.run(
            lambda db, actor: pipes.rename_pipeline(db, actor, chosen.id, name), self._changed
        )

    def _on_requires_check_clicked(self, checked: bool) -> None:
        chosen = self.chosen()
        if chosen is None:
            return
        self._work.run(
            lambda db, actor: pipes.set_requires_planned(db, actor, chosen.id, checked),
            self._changed,
            self._failed,
        )

    def _on_add_stage_button_clicked(self) -> None:
        chosen, name = self.chosen(), self.stage_name.text()
        if chosen is None or not self.add_stage_button.isEnabled():
            return
        self._work.run(
            lambda db, actor: pipes.add_stage(db, actor, chosen.id, name), self._on_stage_added
        )

    def _on_stage_added(self, view: pipes.PipelineView) -> None:
        self.stage_name.clear()
        self._changed(view, view.stages[-1].id if view.stages else None)

    def _on_rename_stage_button_clicked(self) -> None:
        chosen, stage, name = self.chosen(), self.current_stage(), self.stage_name.text()
        if chosen is None or stage is None or not self.rename_stage_button.isEnabled():
            return
        self._work.run(
            lambda db, actor: pipes.rename_stage(db, actor, chosen.id, stage.id, name),
            lambda view: self._on_stage_renamed(view, stage.id),
        )

    def _on_stage_renamed(self, view: pipes.PipelineView, stage_id: int) -> None:
        self.stage_name.clear()
        self._changed(view, stage_id)

    def _move(self, step: int) -> None:
        chosen, stage = self.chosen(), self.current_stage()
        button = self.up_button if step < 0 else self.down_button
        if chosen is None or stage is None or not button.isEnabled():
            return
        place = self.stages.currentRow() + step
        self._work.run(
            lambda db, actor: pipes.move_stage(db, actor, chosen.id, stage.id, place),
            lambda view: self._changed(view, stage.id),
        )

    def _on_remove_button_clicked(self) -> None:
        """An empty stage after a question (the button is off for one holding
        deals; deals moved in since the page loaded: the service refuses)."""
        chosen, stage = self.chosen(), self.current_stage()
        if chosen is None or stage is None or not self.remove_button.isEnabled():
            return
        text = self.tr("Remove the stage «%1» from «%2»? No deal is in it.")
        text = text.replace("%1", shown_name(stage.name)).replace("%2", shown_name(chosen.name))
        self.confirm_box = ask_destructive(
            self,
            self.tr("Remove stage"),
            text,
            self.tr("Remove stage"),
            lambda: self._remove_stage(chosen.id, stage.id),
        )

    def _remove_stage(self, pipeline_id: int, stage_id: int) -> None:
        self._work.run(
            lambda db, actor: pipes.remove_stage(db, actor, pipeline_id, stage_id),
            self._changed,
            self._on_remove_refused,
        )

    def _on_remove_refused(self, exc: BaseException) -> None:
        self.refresh()  # the stage's deals as they are now: the button follows
        self._ctx.report_error(exc)

    def _failed(self, exc: BaseException) -> None:
        self._show_chosen()  # the check box back as it was
        self._ctx.report_error(exc)
