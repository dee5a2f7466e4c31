"""What Settings → Templates shows: the list with its AI badge, the editor's
fields with a hint under each, the buttons, and the variable picker whose
menu follows the AI box (an AI template offers the client's letter too).

A mixin of :class:`~ui.settings.templates_page.TemplatesPage`, kept apart so
that the page's module reads as its behaviour (loading, editing, switching)
and this one as its layout; its strings are translated in this class's
context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.templates.store import Variable
from ui.settings.form_parts import muted, stacked
from ui.shell.icons import icon
from ui.widgets.badge_delegate import BadgeDelegate
from ui.widgets.empty_state import EmptyHint
from ui.widgets.hints import FieldHint
from ui.widgets.plain import plain_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QListWidgetItem

    _Base = QWidget
else:
    _Base = object  # at run time a plain mixin: the page brings QWidget

ID_ROLE = Qt.ItemDataRole.UserRole
AI_ROLE = Qt.ItemDataRole.UserRole + 1
FIELDS = ("name", "subject", "body")
# The picker's groups, in the order a letter usually needs them.
GROUPS = ("client", "contact", "deal", "owner", "me", "date", "inbound")


def _russian() -> bool:
    return QLocale().language() == QLocale.Language.Russian


class TemplateForm(_Base):
    """The page's widgets and its variable picker; the slots they call are
    the page's."""

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

    if TYPE_CHECKING:
        # What the page and its other mixin define, for the type checker
        # only. Last in the class: pyside6-lupdate loses the translation
        # context of the code after a def inside an if.
        _variables: dict[bool, list[Variable]]
        _target: QLineEdit | QPlainTextEdit | None

        def new_template(self) -> None: ...
        def save(self, then: Callable[[], None] | None = None) -> None: ...
        def _on_list_current_changed(
            self, current: QListWidgetItem | None, previous: QListWidgetItem | None
        ) -> None: ...
        def _on_show_inactive_toggled(self, _on: bool) -> None: ...
        def _on_deactivate_button_clicked(self) -> None: ...
        def _on_reactivate_button_clicked(self) -> None: ...
