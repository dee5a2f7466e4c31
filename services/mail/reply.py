"""What a reply starts with: the address to answer, "Re: subject" and the
letter quoted below. Pure functions over a ``LetterView``; the compose
window fills its fields with them."""

from __future__ import annotations

import dataclasses
import re
from email.utils import getaddresses

from services.mail.messages import LetterView

# "Re:", "RE :", "Fwd: Re:" ... already there: do not stack another one.
_ALREADY = re.compile(r"^\s*re\s*:", re.IGNORECASE)
MAX_QUOTE = 20_000  # characters of the letter quoted; a reply is not an archive


@dataclasses.dataclass(frozen=True)
class ReplyDraft:
    to: str
    subject: str
    body: str


def reply_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    return subject if _ALREADY.match(subject) else f"Re: {subject}".rstrip()


def answer_address(letter: LetterView) -> str:
    """The sender of a letter received; the first recipient of one sent."""
    source = [letter.sender] if letter.direction == "in" else list(letter.recipients)
    for _name, address in getaddresses(source):
        if "@" in address:
            return address
    return ""


def quote(text: str, heading: str) -> str:
    """``heading`` then every line of ``text`` behind "> "."""
    text = text[:MAX_QUOTE]
    lines = [f"> {line}" if line else ">" for line in text.splitlines()]
    return "\n\n" + heading + "\n" + "\n".join(lines) + "\n"


def draft(letter: LetterView, heading: str) -> ReplyDraft:
    """``heading`` is the translated "On …, … wrote:" line (the UI's words)."""
    text = letter.text
    if letter.quoted:
        text = f"{text}\n{letter.quoted}" if text else letter.quoted
    return ReplyDraft(
        to=answer_address(letter),
        subject=reply_subject(letter.subject),
        body=quote(text.strip("\n"), heading) if text.strip() else "",
    )
