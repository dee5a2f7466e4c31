"""New or edit a client, a lead or a contact person, checked as it is typed.

The phone is normalized on every key press against the region's numbering
plan (the placeholder is the region's example number), the email and the
name are checked by the same service rules that save them, and a name,
address or number another card already has is shown with a button that
opens that card instead. Saving is one use case on the write lane.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core import normalize, settings, users
from services.core.errors import EditConflict, UserError
from services.core.views import ClientView, ContactView
from services.parties import duplicates, edit_cases
from services.parties import records as parties
from services.parties import use_cases as creating
from ui.context import UiContext
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.shell import error_text
from ui.widgets.country_names import country_name
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

CHECK_DELAY_MS = 350
ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: palette(placeholder-text);"
OK_STYLE = "color: #2e7d32;"


def _hint_label() -> QLabel:
    label = plain_label()
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class PartyDialog(QDialog):
    """``kind`` is client, lead or contact; ``existing`` edits that card;
    a new contact person needs ``parent`` ((client|lead, id))."""

    saved = Signal(object)  # ClientView | ContactView
    open_requested = Signal(str, object, str)  # kind, id, name

    def __init__(
        self,
        ctx: UiContext,
        kind: str,
        *,
        existing: ClientView | ContactView | None = None,
        parent_card: tuple[str, int] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.kind = kind
        self.existing = existing
        self.parent_card = parent_card
        # the database's phone region once loaded; until then the settings' default
        self._region = settings.DEFAULTS["default_region"]
        self._name_ok = existing is not None
        self.setWindowTitle(self._title())
        self.setMinimumWidth(460)

        self.name = QLineEdit()
        self.name.setMaxLength(parties.MAX_NAME)
        self.name_hint = _hint_label()
        self.company = QLineEdit()
        self.position = QLineEdit()
        self.owner = QComboBox()
        self.region = QLineEdit()
        self.region.setMaxLength(2)
        self.region.setPlaceholderText(self.tr("RU, KZ, DE…"))
        self.region.setFixedWidth(120)
        self.region_name = plain_label()  # "Германия": the code's country, in words
        self.region_name.setProperty("role", "muted")
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.phone_hint = _hint_label()
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("name@example.com"))
        self.email_hint = _hint_label()

        form = QFormLayout()
        form.addRow(self._name_label(), self.name)
        form.addRow("", self.name_hint)
        if kind == "lead":
            form.addRow(self.tr("Company"), self.company)
        if kind == "contact":
            form.addRow(self.tr("Position"), self.position)
        else:
            form.addRow(self.tr("Owner"), self.owner)
            region_row = QHBoxLayout()
            region_row.addWidget(self.region)
            region_row.addWidget(self.region_name, 1)
            form.addRow(self.tr("Region"), region_row)
        if kind == "client":
            form.addRow(self.tr("Address"), self.address)
        if existing is None:  # numbers and addresses of a card: its header's "+"
            form.addRow(self.tr("Phone"), self.phone)
            form.addRow("", self.phone_hint)
            form.addRow(self.tr("Email"), self.email)
            form.addRow("", self.email_hint)

        self.duplicates_box = QWidget()
        self._duplicates_layout = QVBoxLayout(self.duplicates_box)
        self._duplicates_layout.setContentsMargins(0, 0, 0, 0)
        self.duplicates_box.hide()
        self.error = plain_label()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.duplicates_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self._find_duplicates)
        self.name.textChanged.connect(self._on_name_text_changed)
        self.phone.textChanged.connect(self._on_phone_text_changed)
        self.email.textChanged.connect(self._on_email_text_changed)
        self.region.textChanged.connect(self._on_region_text_changed)
        self._fill(existing)
        self._work.read(self._load_choices, self._on_choices_loaded)

    # --- set up -------------------------------------------------------------------

    def _title(self) -> str:
        new = self.existing is None
        if self.kind == "client":
            return self.tr("New client") if new else self.tr("Edit client")
        if self.kind == "lead":
            return self.tr("New lead") if new else self.tr("Edit lead")
        return self.tr("New contact person") if new else self.tr("Edit contact person")

    def _name_label(self) -> str:
        if self.kind == "client":
            return self.tr("Client name")
        if self.kind == "lead":
            return self.tr("Person or company")
        return self.tr("Full name")

    def _fill(self, existing: ClientView | ContactView | None) -> None:
        if isinstance(existing, ClientView):
            self.name.setText(existing.name)
            self.company.setText(existing.company or "")
            self.region.setText(existing.region or "")
            self.address.setText(existing.address or "")
        elif isinstance(existing, ContactView):
            self.name.setText(existing.full_name)
            self.position.setText(existing.position or "")
        self.name_hint.hide()

    @staticmethod
    def _load_choices(uow: Any, actor: Any) -> tuple[list[Any], str]:
        return users.users(uow, actor), settings.get(uow, "default_region")

    def _on_choices_loaded(self, loaded: tuple[list[Any], str]) -> None:
        people, default_region = loaded
        current = self.existing.owner_id if isinstance(self.existing, ClientView) else None
        for person in people:
            self.owner.addItem(person.full_name, person.id)
        wanted = current if current is not None else self._ctx.actor.id
        self.owner.setCurrentIndex(max(0, self.owner.findData(wanted)))
        self._region = (default_region or self._region).upper()
        self._on_region_text_changed(self.region.text())

    # --- checks as typed --------------------------------------------------------

    def _current_region(self) -> str:
        typed = self.region.text().strip().upper()
        return typed if len(typed) == 2 else self._region

    def _show(self, label: QLabel, text: str, style: str) -> None:
        label.setText(text)
        label.setStyleSheet(style)
        label.setVisible(bool(text))
        # A wrapped hint in a form row gets one line unless told its height.
        label.setMinimumHeight(label.heightForWidth(max(self.name.width(), 240)) if text else 0)
        self._fit()

    def _fit(self) -> None:
        """Grow to the wrapped hints and the duplicates (a hint cut in half
        says nothing), keeping the width the user gave the dialog."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        if layout.hasHeightForWidth():
            wanted = layout.totalHeightForWidth(self.width())
        else:
            wanted = layout.totalSizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def _on_name_text_changed(self, text: str) -> None:
        self.error.hide()
        try:
            parties.typed_name(text, self._name_label())
        except UserError as exc:
            self._name_ok = False
            self._show(self.name_hint, error_text.message(exc) if text else "", ERROR_STYLE)
        else:
            self._name_ok = True
            self.name_hint.hide()
        self._timer.start()

    def _on_region_text_changed(self, _text: str) -> None:
        typed = self.region.text().strip().upper()
        if not typed:
            default = country_name(self._region)
            self.region_name.setText(self.tr("by default: %1").replace("%1", default))
        else:
            name = country_name(typed) if len(typed) == 2 else ""
            self.region_name.setText(name if name != typed else "")
        example = normalize.example_phone(self._current_region())
        self.phone.setPlaceholderText(example or self.tr("+7 495 123-45-67"))
        self._on_phone_text_changed(self.phone.text())

    def phone_value(self) -> str | None:
        """The typed number as it will be stored (E.164), or None."""
        raw = self.phone.text().strip()
        if not raw:
            return None
        try:
            return normalize.normalize_phone(raw, self._current_region())
        except UserError:
            return None

    def _on_phone_text_changed(self, text: str) -> None:
        self.error.hide()
        if not text.strip():
            self._show(self.phone_hint, "", HINT_STYLE)
            return
        try:
            value = normalize.normalize_phone(text, self._current_region())
        except UserError as exc:
            self._show(self.phone_hint, error_text.message(exc), ERROR_STYLE)
        else:
            shown = normalize.display_phone(value)
            self._show(self.phone_hint, self.tr("Saved as %1").replace("%1", shown), OK_STYLE)
        self._timer.start()

    def _on_email_text_changed(self, text: str) -> None:
        self.error.hide()
        if not text.strip():
            self._show(self.email_hint, "", HINT_STYLE)
            return
        try:
            normalize.normalize_email(text)
        except UserError as exc:
            self._show(self.email_hint, error_text.message(exc), ERROR_STYLE)
        else:
            self.email_hint.hide()
        self._timer.start()

    def _find_duplicates(self) -> None:
        name = self.name.text()
        phones = [self.phone.text()] if self.phone_value() else []
        emails = [self.email.text()] if self.email.text().strip() else []
        kind = self.kind
        exclude = self.existing.id if self.existing is not None else None
        self._work.read(
            lambda uow, actor: duplicates.find(
                uow, actor, kind, name, emails=emails, phones=phones, exclude=exclude
            ),
            self._on_duplicates_found,
        )

    def _on_duplicates_found(self, found: tuple[duplicates.Duplicate, ...]) -> None:
        layout = self._duplicates_layout
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.duplicates_box.setVisible(bool(found))
        if not found:
            return
        title = plain_label(self.tr("Already in Touchpoint — open it instead?"))
        title.setStyleSheet("color: #b26a00; font-weight: 600;")
        layout.addWidget(title)
        for dup in found[:4]:
            row = QHBoxLayout()
            why = {
                "name": self.tr("same name"),
                "email": self.tr("same email"),
                "phone": self.tr("same phone"),
            }[dup.why]
            kind_name = {
                "client": self.tr("Client"),
                "lead": self.tr("Lead"),
                "contact": self.tr("Contact person"),
            }[dup.kind]
            archived = f" · {self.tr('archived')}" if dup.archived else ""
            text = plain_label(f"{kind_name}: {dup.name} ({why}{archived})")
            text.setWordWrap(True)
            button = QPushButton(self.tr("Open"))
            button.clicked.connect(
                lambda _checked=False, d=dup: self._open_existing(d.kind, d.id, d.name)
            )
            row.addWidget(text, 1)
            row.addWidget(button)
            holder = QWidget()
            holder.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(holder)
        self._fit()

    def _open_existing(self, kind: str, ident: int, name: str) -> None:
        self.open_requested.emit(kind, ident, name)
        self.reject()

    # --- save -------------------------------------------------------------------

    def save(self) -> None:
        self._on_name_text_changed(self.name.text())
        if not self._name_ok:
            self.name.setFocus()
            self._show(self.error, self.tr("Check the name first"), ERROR_STYLE)
            return
        if self.phone.text().strip() and self.phone_value() is None:
            self.phone.setFocus()
            self._show(self.error, self.tr("Check the phone number first"), ERROR_STYLE)
            return
        self.buttons.setEnabled(False)
        self._work.run(self._use_case(), self._on_saved, self._on_failed)

    def _use_case(self) -> Any:
        name = self.name.text()
        owner = self.owner.currentData()
        region = self.region.text().strip()
        phones = self._phones()
        emails = [self.email.text()] if self.email.text().strip() else []
        existing = self.existing
        if existing is not None:
            ident = existing.id
            # Saved against the version shown: a colleague's save meanwhile is
            # refused with both values (conflict_dialog), never overwritten.
            version = existing.row_version or None
            if self.kind == "client":
                address = self.address.text()
                return lambda db, actor: edit_cases.edit_client(
                    db,
                    actor,
                    ident,
                    name=name,
                    owner=owner,
                    region=region,
                    address=address,
                    expected_version=version,
                )
            if self.kind == "lead":
                company = self.company.text()
                return lambda db, actor: edit_cases.edit_lead(
                    db,
                    actor,
                    ident,
                    name=name,
                    company=company,
                    owner=owner,
                    region=region,
                    expected_version=version,
                )
            position = self.position.text()
            return lambda db, actor: edit_cases.edit_contact(
                db, actor, ident, name=name, position=position, expected_version=version
            )
        if self.kind == "client":
            address = self.address.text()
            return lambda db, actor: creating.add_client(
                db,
                actor,
                name,
                owner_id=owner,
                region=region or None,
                address=address,
                phones=phones,
                emails=emails,
            )
        if self.kind == "lead":
            company = self.company.text()
            return lambda db, actor: creating.add_lead(
                db,
                actor,
                name,
                company=company,
                owner_id=owner,
                region=region or None,
                phones=phones,
                emails=emails,
            )
        party_kind, party_id = self.parent_card or ("client", 0)
        position = self.position.text()
        return lambda db, actor: creating.add_contact(
            db,
            actor,
            name,
            client_id=party_id if party_kind == "client" else None,
            lead_id=party_id if party_kind == "lead" else None,
            position=position,
            phones=phones,
            emails=emails,
        )

    def _phones(self) -> list[str]:
        """What was typed; the number as shown when the card's region is not
        the database's default (the service reads a number without "+" in
        the default region)."""
        raw = self.phone.text().strip()
        if not raw:
            return []
        if self._current_region() == (self._region or "RU"):
            return [raw]
        return [self.phone_value() or raw]

    def _on_saved(self, view: ClientView | ContactView) -> None:
        self.saved.emit(view)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, EditConflict) and self.existing is not None:
            self.conflict_dialog = ConflictDialog(exc, self).ask(self._on_conflict_dialog_accepted)
            return
        if isinstance(exc, UserError):
            self._show(self.error, error_text.message(exc), ERROR_STYLE)
        else:
            self._ctx.report_error(exc)

    def _on_conflict_dialog_accepted(self) -> None:
        """The chosen values go into the form and are saved against the
        version saved meanwhile."""
        dialog = self.conflict_dialog
        edits = {
            "name": self.name,
            "address": self.address,
            "region": self.region,
            "company": self.company,
            "position": self.position,
        }
        for field, value in dialog.choices().items():
            if field in edits:
                edits[field].setText(value or "")
            elif field == "owner":
                self.owner.setCurrentIndex(max(0, self.owner.findText(value or "")))
        assert self.existing is not None
        self.existing = dataclasses.replace(
            self.existing, row_version=dialog.conflict.current_version
        )
        self.save()
