"""Settings → AI: the example of what a draft sends (SPEC E3), built by
``ai_settings.preview``, the function a real generation uses.

What the model reads stays as it goes out, in every interface language:
the instructions and the pointer ``[see <data name="last_email"> below]``
that a template's ``{{ inbound.last_email }}`` becomes
(``templates.data_marker``, the same in every template and scenario).
Kept in English on purpose: the request must not depend on who runs the
template (a colleague in the other language, ``run-due`` with no window at
all), and the pointer must match the English system message that explains
the data blocks. Translating it here alone would show a request that is
never sent; the note above the preview says in the user's language what it
is and why. The page's
own words (the note, the roles' captions) are translated, in the page's
translation context ("AiPage")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGroupBox, QPlainTextEdit, QVBoxLayout

from services.ai.settings import Message
from services.templates import store as templates
from ui.settings.form_parts import muted


def role_caption(role: str) -> str:
    """The role as sent, and what it is in the user's words."""
    said = {
        "system": QCoreApplication.translate("AiPage", "instructions for the model"),
        "user": QCoreApplication.translate("AiPage", "the request"),
    }.get(role)
    return f"{role} · {said}" if said else role


def format_messages(messages: list[Message]) -> str:
    """The messages as the server gets them, one after the other, each
    under a caption line that is not sent."""
    return "\n\n".join(f"━━ {role_caption(m.role)} ━━\n{m.content}" for m in messages)


def sample() -> tuple[templates.Draft, dict[str, str]]:
    """A draft from an AI template answering the client's last letter."""
    prompt = QCoreApplication.translate(
        "AiPage",
        "Answer Ivan Petrovich from Romashka LLC on his letter %1. Confirm the delivery "
        "date and offer a call on Friday.",
    ).replace("%1", templates.data_marker("last_email"))
    letter = QCoreApplication.translate(
        "AiPage",
        "Good afternoon! Please send the invoice for the second batch and confirm "
        "that the delivery arrives by Friday.\nRegards, Ivan Petrov",
    )
    draft = templates.Draft(
        subject=QCoreApplication.translate("AiPage", "Re: Delivery"),
        body="",
        ai=True,
        prompt=prompt,
        data_names=("last_email",),
    )
    return draft, {"last_email": letter}


def sent_box() -> tuple[QGroupBox, QPlainTextEdit]:
    """The "What is sent" group and its read-only preview."""
    box = QGroupBox(QCoreApplication.translate("AiPage", "What is sent — an example"))
    note = muted(
        QCoreApplication.translate(
            "AiPage",
            "An example draft from an AI template that answers the client's last letter. "
            "The instructions and your house rules go out exactly like this; the "
            "client's letter goes in as data, which the AI is told never to obey.",
        )
        + " "
        + QCoreApplication.translate(
            "AiPage",
            "The model's instructions, and the mark [see <data …> below] where the "
            "letter goes, are sent in English in every language of the window: a "
            "template then sends the same request whoever uses it, scenario steps "
            "run by run-due too, and the mark matches the instructions word for word. "
            "The model writes in the language of the request.",
        )
    )
    preview = QPlainTextEdit()
    preview.setReadOnly(True)
    preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    preview.setMinimumHeight(300)
    column = QVBoxLayout(box)
    column.addWidget(note)
    column.addWidget(preview)
    return box, preview
