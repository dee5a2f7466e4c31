"""Settings → Users: the colleagues, their role, and whether they may still
work here. An administrator adds one (who then appears in every person
picker), changes a role, deactivates one who left (their records stay)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
)

from services.core import users
from services.core.views import UserView
from ui.context import UiContext
from ui.settings.admin_page import AdminPage
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.questions import ask_destructive
from ui.widgets.two_line_delegate import SUBTITLE_ROLE, TwoLineDelegate


class NewUserDialog(QDialog):
    def __init__(self, roles: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a colleague"))
        self.login = QLineEdit()
        self.login.setMaxLength(100)
        self.login.setPlaceholderText(self.tr("as they sign in, e.g. anna"))
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(users.MAX_NAME)
        self.role = QComboBox()
        for role in roles:
            self.role.addItem(_role_label(self, role), role)
        self.role.setCurrentIndex(max(0, self.role.findData("Manager")))
        form = QFormLayout(self)
        form.addRow(self.tr("Login"), self.login)
        form.addRow(self.tr("Full name"), self.full_name)
        form.addRow(self.tr("Role"), self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def _role_label(widget: Any, role: str | None) -> str:
    names = {
        "Manager": QCoreApplication.translate("UsersPage", "Manager"),
        "Administrator": QCoreApplication.translate("UsersPage", "Administrator"),
    }
    return names.get(role or "", role or "")


class UsersPage(AdminPage):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.users: list[UserView] = []
        self.roles: list[str] = []
        self.confirm_box: QMessageBox | None = None
        self.list = QListWidget()
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.add_button = QPushButton(self.tr("Add a colleague…"))
        self.role = QComboBox()
        self.role.setToolTip(self.tr("The chosen colleague's role"))
        # with no one chosen the combo was an empty box beside the buttons
        self.role.setPlaceholderText(self.tr("Choose a colleague"))
        # the roles arrive after the first show: sized then, it read "Админис"
        self.role.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.role.activated.connect(self._on_role_activated)
        self.active_button = QPushButton(self.tr("Deactivate"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addSpacing(12)
        row.addWidget(plain_label(self.tr("Role")))
        row.addWidget(self.role)
        row.addWidget(self.active_button)
        row.addStretch(1)
        self.column.addWidget(self.list, 1)
        self.column.addLayout(row)
        self._update_buttons()

    def refresh(self) -> None:
        def load(uow: Any, _actor: Any) -> tuple[list[UserView], list[str]]:
            return users.all_users(uow), users.roles(uow)

        self._work.read(load, self._on_loaded)

    def _on_loaded(self, result: tuple[list[UserView], list[str]]) -> None:
        self.loaded = True
        chosen = self.current()
        self.users, self.roles = result
        self.role.clear()
        for role in self.roles:
            self.role.addItem(_role_label(self, role), role)
        self.list.clear()
        for u in self.users:
            about = f"{u.login} · {_role_label(self, u.role)}"
            if not u.active:
                about += " · " + self.tr("deactivated")
            item = QListWidgetItem(u.full_name or u.login)
            item.setData(SUBTITLE_ROLE, about)
            item.setToolTip(tooltip(f"{u.full_name}\n{about}"))
            item.setData(Qt.ItemDataRole.UserRole, u.login)
            if not u.active:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
            if chosen is not None and u.id == chosen.id:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def current(self) -> UserView | None:
        row = self.list.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def _update_buttons(self) -> None:
        chosen = self.current()
        self.add_button.setEnabled(self.editable)
        self.role.setEnabled(self.editable and chosen is not None)
        self.active_button.setEnabled(self.editable and chosen is not None)
        if chosen is None:
            self.role.setCurrentIndex(-1)  # no one's role, not the first in the list
        else:
            self.role.setCurrentIndex(max(0, self.role.findData(chosen.role)))
            self.active_button.setText(
                self.tr("Deactivate") if chosen.active else self.tr("Activate")
            )

    def _on_list_current_row_changed(self, _row: int) -> None:
        self._update_buttons()

    def add_user(self, login: str, full_name: str, role: str) -> None:
        self._work.run(
            lambda db, actor: users.add_user(db, actor, login, full_name, role), self._done
        )

    def _on_add_button_clicked(self) -> None:
        dialog = NewUserDialog(self.roles, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_user(
                dialog.login.text(), dialog.full_name.text(), dialog.role.currentData() or ""
            )

    def _on_role_activated(self, _index: int) -> None:
        chosen, role = self.current(), self.role.currentData()
        if chosen is None or role is None or role == chosen.role:
            return
        self._work.run(
            lambda db, actor: users.set_role(db, actor, chosen.login, role),
            self._done,
            self._on_failed,
        )

    def _on_active_button_clicked(self) -> None:
        """Activating at once; deactivating after a question (one click took
        a colleague out of every person picker)."""
        chosen = self.current()
        if chosen is None:
            return
        if not chosen.active:
            self._set_active(chosen, True)
            return
        self.confirm_box = ask_destructive(
            self,
            self.tr("Deactivate colleague"),
            self.tr(
                "Deactivate %1? They are no longer offered in pickers; their clients, deals "
                "and history stay. You can activate them again."
            ).replace("%1", chosen.full_name),
            self.tr("Deactivate"),
            lambda: self._set_active(chosen, False),
        )

    def _set_active(self, chosen: UserView, active: bool) -> None:
        self._work.run(
            lambda db, actor: users.set_active(db, actor, chosen.login, active),
            self._done,
            self._on_failed,
        )

    def _on_failed(self, exc: BaseException) -> None:
        self._ctx.report_error(exc)
        self.refresh()  # the combo shows the role that was kept
