"""A web form's letter, as a site's form mailer writes it, read into sender fields.

Form mailers (Tilda, Bitrix, WordPress plugins, hand-written PHP) send one
field per line, ``Телефон: +7 916 …``, or an HTML table of label and value
cells. A source says which labels mean name, phone, email and message (its
field mapping); the Russian and English labels most mailers use are known
without one. Values that continue on the next lines (a long message) belong
to the field above them.

The letter is outside data: the body is capped before it is read, the HTML
is read flat with the standard parser (no tree, no recursion, so nesting
costs nothing), rows and cells are capped, and control characters are
dropped. A phone or email that does not normalize is kept as written and
named in ``problems``; it never stops the request from being stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from services.core.errors import ValidationError
from services.core.normalize import normalize_email, normalize_phone

FIELDS = ("name", "phone", "email", "message", "subject")
MAX_BODY = 256 * 1024  # characters of the letter read; a form letter is a few KB
MAX_ROWS = 200
MAX_VALUE = 20_000
MAX_LABEL = 60
MAX_EXTRAS = 50
DEFAULT_LABELS: Mapping[str, tuple[str, ...]] = {
    "name": (
        "name", "your name", "full name", "first name", "contact name", "client",
        "имя", "ваше имя", "фио", "ф.и.о.", "имя и фамилия", "контактное лицо", "клиент",
    ),
    "phone": (
        "phone", "phone number", "your phone", "tel", "tel.", "telephone", "mobile", "whatsapp",
        "телефон", "ваш телефон", "номер телефона", "тел", "тел.", "мобильный", "моб.", "моб",
    ),
    "email": (
        "email", "e-mail", "e mail", "mail", "your email", "email address",
        "почта", "эл. почта", "электронная почта", "ваш email", "ваш e-mail", "емейл", "имейл",
    ),
    "message": (
        "message", "your message", "comment", "comments", "question", "text", "request",
        "details", "сообщение", "ваше сообщение", "комментарий", "вопрос", "текст", "заявка",
        "текст сообщения", "описание", "примечание",
    ),
    "subject": ("subject", "topic", "form", "form name", "тема", "тема обращения", "форма"),
}  # fmt: skip
_LABEL_LINE = re.compile(rf"^\s*([^:\n]{{1,{MAX_LABEL}}}?)\s*[:：]\s?(.*)$")
_DROP = frozenset({"Cc", "Cf", "Co", "Cs"})
_KEEP = frozenset("\n\t")
_BLOCKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "table"})
_SKIP = frozenset({"script", "style", "head", "title"})


@dataclass(frozen=True)
class WebFormFields:
    """What a form letter says about its sender; "" for a field it does not have."""

    name: str
    phone: str  # E.164 when it normalized, else ""
    phone_as_written: str
    email: str  # normalized, else ""
    email_as_written: str
    message: str
    subject: str
    extras: tuple[tuple[str, str], ...]  # the other labelled fields, in order
    problems: tuple[str, ...]  # values that were there but not usable

    @property
    def empty(self) -> bool:
        return not (self.name or self.phone_as_written or self.email_as_written or self.message)


def check_mapping(mapping: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """A source's field mapping, cleaned: known fields only, labels folded and unique."""
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ValidationError(
            f"Unknown form fields: {', '.join(unknown)} "
            "(expected name, phone, email, message, subject)",
            field="mapping",
            code="inbound.web_form.unknown_fields",
            params={"fields": ", ".join(unknown)},
        )
    clean: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for field, labels in mapping.items():
        kept: list[str] = []
        for label in [labels] if isinstance(labels, str) else labels:
            key = _fold(str(label))
            if not key:
                continue
            if len(key) > MAX_LABEL:
                raise ValidationError(
                    f"A form label is longer than {MAX_LABEL} characters",
                    field="mapping",
                    code="inbound.web_form.label_too_long",
                    params={"max_label": str(MAX_LABEL)},
                )
            if seen.get(key, field) != field:
                raise ValidationError(
                    f"The label {label!r} is mapped to both {seen[key]} and {field}",
                    field="mapping",
                    code="inbound.web_form.label_twice",
                    params={"label": label, "first": seen[key], "second": field},
                )
            seen[key] = field
            kept.append(key)
        clean[field] = tuple(dict.fromkeys(kept))
    return clean


def parse(
    body: str,
    *,
    is_html: bool = False,
    mapping: Mapping[str, Iterable[str]] | None = None,
    default_region: str = "RU",
) -> WebFormFields:
    """The sender's fields in a form letter's body (plain text or HTML)."""
    labels = _label_index(check_mapping(mapping) if mapping else {})
    text = body[:MAX_BODY]
    pairs = _html_pairs(text) if is_html else _text_pairs(text)
    found: dict[str, str] = {}
    extras: list[tuple[str, str]] = []
    for label, value in pairs:
        field = labels.get(_fold(label))
        if field is None:
            if value and len(extras) < MAX_EXTRAS:
                extras.append((label, value))
        elif value and field not in found:
            found[field] = value
    problems: list[str] = []
    phone = _normalized(found.get("phone", ""), normalize_phone, default_region, problems)
    email = _normalized(found.get("email", ""), _email, default_region, problems)
    return WebFormFields(
        name=" ".join(found.get("name", "").split())[:256],
        phone=phone,
        phone_as_written=found.get("phone", "")[:100],
        email=email,
        email_as_written=found.get("email", "")[:320],
        message=found.get("message", ""),
        subject=" ".join(found.get("subject", "").split())[:500],
        extras=tuple(extras),
        problems=tuple(problems),
    )


def _label_index(custom: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Folded label → field; a source's own labels win over the built-in ones."""
    index = {_fold(label): field for field, known in DEFAULT_LABELS.items() for label in known}
    for field, labels in custom.items():
        index.update(dict.fromkeys(labels, field))
    return index


def _fold(label: str) -> str:
    cleaned = _clean(label).replace("ё", "е").replace("Ё", "Е")
    return " ".join(cleaned.strip(" *:：-–—\t").casefold().split())


def _email(raw: str, _region: str) -> str:
    match = re.search(r"<([^<>\s]{3,320})>", raw)
    return normalize_email(match.group(1) if match else raw)


def _normalized(raw: str, normalize: object, region: str, problems: list[str]) -> str:
    value = " ".join(raw.split())
    if not value:
        return ""
    try:
        return normalize(value, region)  # type: ignore[operator,no-any-return]
    except ValidationError as exc:
        problems.append(str(exc))
        return ""


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _DROP)


def _text_pairs(text: str) -> list[tuple[str, str]]:
    """``Label: value`` lines; a line without a label continues the field above it."""
    pairs: list[list[str]] = []
    for raw in _clean(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        line = raw.rstrip()
        match = _LABEL_LINE.match(line)
        if match and not _looks_like_prose(match.group(1)) and len(pairs) < MAX_ROWS:
            pairs.append([match.group(1).strip(), match.group(2).strip()])
        elif pairs and line.strip():
            label, value = pairs[-1]
            joined = f"{value}\n{line.strip()}" if value else line.strip()
            pairs[-1] = [label, joined[:MAX_VALUE]]
    return [(label, value.strip()[:MAX_VALUE]) for label, value in pairs]


def _looks_like_prose(label: str) -> bool:
    """ "Note that prices changed: …" or a URL is not a label."""
    return len(label.split()) > 5 or "//" in label or label.strip().lower() in {"http", "https"}


def _html_pairs(html: str) -> list[tuple[str, str]]:
    """Table rows of two cells (label, value); without any, the text with line breaks."""
    reader = _FormHtml()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):  # html.parser's own complaints on broken markup
        pass
    rows = [(cells[0], cells[1]) for cells in reader.rows if len(cells) >= 2 and cells[0]]
    if rows:
        return [(_clean(label).strip()[:MAX_LABEL], _clean(value).strip()) for label, value in rows]
    return _text_pairs("".join(reader.text))


class _FormHtml(HTMLParser):
    """Collects table rows as lists of cell texts, and the whole text with line breaks.

    Flat on purpose: a row inside a nested table is a row of its own (the
    empty outer rows fold into it), so depth costs nothing and is never a
    recursion; rows and cells per row are capped.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._skip = 0
        self._size = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "tr":
            self._close_cell(keep_empty=False)
            if len(self.rows) < MAX_ROWS and not (self.rows and not self.rows[-1]):
                self.rows.append([])
        elif tag in ("td", "th"):
            self._close_cell(keep_empty=False)
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        if tag in _BLOCKS:
            self.text.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th", "tr", "table"):
            self._close_cell()
        if tag in _BLOCKS or tag in ("td", "th"):
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip or self._size > MAX_BODY:
            return
        self._size += len(data)
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def close(self) -> None:
        super().close()
        self._close_cell()

    def _close_cell(self, *, keep_empty: bool = True) -> None:
        """An empty cell left open by a nested table or a missing end tag is no cell."""
        if self._cell is None:
            return
        text = "\n".join(" ".join(line.split()) for line in "".join(self._cell).split("\n"))
        if not text.strip() and not keep_empty:
            self._cell = None
            return
        if self.rows and len(self.rows[-1]) < 8:
            self.rows[-1].append(text.strip("\n")[:MAX_VALUE])
        self._cell = None
