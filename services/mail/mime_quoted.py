"""Quoted history of a plain-text reply, folded away from its new part (see
``fold_quoted``): the viewer shows the new part and the history on demand."""

from __future__ import annotations

import re

# --- quoted history ---------------------------------------------------------------

_SEPARATOR = re.compile(
    r"-{2,}\s*(original message|forwarded message|attached message|исходное сообщение"
    r"|пересылаемое сообщение|перенаправленное сообщение)\s*-{2,}",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"(wrote|writes|пишет|написал|написала|написал\(а\)|<[^<>\s]+@[^<>\s]+>)\s*:$", re.IGNORECASE
)
# How a wrapped attribution starts: "On ...", or a date ("15.01.2024, ...", "пн, 15 янв. ...").
_ATTRIBUTION_START = re.compile(r"(on|le|am|el)\s|\W*\w{0,12}[,.]?\s*\d", re.IGNORECASE)
_HEADER_FROM = re.compile(r"\*?(from|от|отправитель)\s*:", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"\*?(sent|date|отправлено|дата)\s*:", re.IGNORECASE)
_RULE = re.compile(r"_{8,}|-{8,}")


class _Lines:
    """Stripped lines of a reply, with what follows each line precomputed (O(n))."""

    def __init__(self, text: str) -> None:
        self.raw = text.replace("\r\n", "\n").split("\n")
        self.lines = [line.strip() for line in self.raw]
        count = len(self.lines)
        # From index i on: all non-blank lines quoted? the first non-blank line?
        self.quoted_tail = [True] * (count + 1)
        self.next_text = [""] * (count + 1)
        for index in range(count - 1, -1, -1):
            line = self.lines[index]
            self.quoted_tail[index] = self.quoted_tail[index + 1] and line[:1] in ("", ">")
            self.next_text[index] = line or self.next_text[index + 1]

    def attribution(self, index: int) -> bool:
        """Whether an attribution line (maybe wrapped over 3 lines) starts at index."""
        for width in (1, 2, 3):
            joined = " ".join(self.lines[index : index + width])
            if width > 1 and not _ATTRIBUTION_START.match(joined):
                return False
            if not _ATTRIBUTION.search(joined):
                continue
            rest = min(index + width, len(self.lines))
            following = self.next_text[rest]
            if following.startswith(">"):
                return self.quoted_tail[rest]  # not when answers are interleaved
            # Followed by unquoted history (text made from HTML): needs a date.
            return bool(following) and bool(re.search(r"\d", joined))
        return False

    def history_start(self) -> int | None:
        """Index of the first line of quoted history, or None."""
        lines = self.lines
        for index, line in enumerate(lines):
            if not line or line.startswith(">"):
                continue
            if _SEPARATOR.fullmatch(line):
                return index
            ahead = lines[index + 1 : index + 6]
            if _HEADER_FROM.match(line) and any(_HEADER_NEXT.match(other) for other in ahead):
                return index - 1 if index > 0 and _RULE.fullmatch(lines[index - 1]) else index
            if self.attribution(index):
                return index
        tail = len(lines)  # else the trailing run of quoted lines
        while tail > 0 and lines[tail - 1][:1] in ("", ">"):
            tail -= 1
        while tail < len(lines) and not lines[tail]:
            tail += 1
        return tail if tail < len(lines) else None


def fold_quoted(text: str) -> tuple[str, str | None]:
    """(new part, quoted history) of a plain-text reply; history None when there is none.

    History is everything from an attribution ("On ... wrote:", "... пишет:"),
    an "Original Message"/"Исходное сообщение" rule or an Outlook "From:/Sent:"
    block, or else the trailing run of "> " lines. Quotes interleaved with
    answers stay in the new part, and nothing is folded if no new text is left.
    """
    lines = _Lines(text)
    start = lines.history_start()
    if start is None:
        return text, None
    new = "\n".join(lines.raw[:start]).rstrip()
    history = "\n".join(lines.raw[start:]).strip("\n")
    if not new.strip() or not history.strip():
        return text, None
    return new, history
