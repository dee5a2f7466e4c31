"""CSV contact exports: Google Contacts (old and new), Outlook (English and
Russian) and a plain ``name,email,phone,company,position`` layout.

Columns are recognised by header name, not by position, so the same rules
read every layout; a header with nothing recognisable is refused as a whole
rather than importing rows of nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from services.core.errors import ValidationError
from services.exchange.contact_records import (
    ContactRecord,
    ParseResult,
    RejectedRecord,
    build_record,
)

_ROLE_BY_HEADER = {
    # full name
    "name": "full_name",
    "full name": "full_name",
    "display name": "full_name",
    "фио": "full_name",
    "полное имя": "full_name",
    # name parts (Google, Outlook, Russian Outlook)
    "given name": "given",
    "first name": "given",
    "имя": "given",
    "additional name": "middle",
    "middle name": "middle",
    "отчество": "middle",
    "family name": "family",
    "last name": "family",
    "surname": "family",
    "фамилия": "family",
    # organisation and position
    "organization 1 - name": "org",
    "organization name": "org",
    "organization": "org",
    "organisation": "org",
    "company": "org",
    "организация": "org",
    "компания": "org",
    "organization 1 - title": "position",
    "organization title": "position",
    "job title": "position",
    "position": "position",
    "должность": "position",
    # notes, emails, phones
    "notes": "note",
    "note": "note",
    "заметки": "note",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "адрес эл. почты": "email",
    "эл. почта": "email",
    "электронная почта": "email",
    "phone": "phone",
    "telephone": "phone",
    "mobile": "phone",
    "телефон": "phone",
}
_ROLE_BY_PATTERN = (
    (re.compile(r"e-?mail \d+ - value|e-?mail \d+ address|e-?mail \d+"), "email"),
    (re.compile(r"адрес \d+ эл\. почты"), "email"),
    (re.compile(r"phone \d+ - value"), "phone"),
    # Outlook: "Business Phone", "Mobile Phone", "Home Phone 2", "Pager" ... but no faxes
    (re.compile(r"(?!.*\bfax\b).*\b(?:phone|pager)(?: \d+)?"), "phone"),
    (re.compile(r"(?!.*факс).*(?:телефон|пейджер).*"), "phone"),
)
_MULTI_VALUE = ":::"  # Google joins several values of one field with " ::: "
_EXPECTED = (
    "expected a Google Contacts or Outlook CSV export, or columns such as "
    "name (or first name / last name), email, phone, company, position"
)


@dataclass
class _Columns:
    roles: dict[str, list[int]] = field(default_factory=dict)

    def add(self, role: str, index: int) -> None:
        self.roles.setdefault(role, []).append(index)

    def first(self, role: str, row: list[str]) -> str | None:
        return next((v for v in self.all(role, row) if v), None)

    def all(self, role: str, row: list[str]) -> list[str]:
        return [row[i].strip() for i in self.roles.get(role, ()) if i < len(row)]


def parse_csv_text(text: str, source: str) -> ParseResult:
    """Parse a decoded CSV export; an unknown header raises ``ValidationError``."""
    text = text.lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    records: list[ContactRecord] = []
    rejected: list[RejectedRecord] = []
    columns: _Columns | None = None
    previous_line = 0
    try:
        for row in reader:
            line = previous_line + 1
            previous_line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _columns(row, source)
                continue
            result = _row(row, columns, f"{source}:line {line}")
            if isinstance(result, ContactRecord):
                records.append(result)
            else:
                rejected.append(result)
    except csv.Error as exc:
        raise ValidationError(f"{source}: line {reader.line_num} is not valid CSV ({exc})") from exc
    if columns is None:
        raise ValidationError(f"{source} is empty: {_EXPECTED}")
    return ParseResult(tuple(records), tuple(rejected))


def _delimiter(header: str) -> str:
    """The separator the header line uses most, outside quotes (Excel in Russia uses ``;``)."""
    counts = dict.fromkeys((",", ";", "\t"), 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def _normalize(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().strip('"').casefold().split())


def _columns(header: list[str], source: str) -> _Columns:
    columns = _Columns()
    plain_titles: list[int] = []
    for index, raw in enumerate(header):
        name = _normalize(raw)
        role = _ROLE_BY_HEADER.get(name)
        if role is None:
            role = next((r for rx, r in _ROLE_BY_PATTERN if rx.fullmatch(name)), None)
        if role is not None:
            columns.add(role, index)
        elif name == "title":
            plain_titles.append(index)
    # Outlook's "Title" is the salutation (Mr., Dr.) next to "Job Title"; alone it is the position.
    if "position" not in columns.roles:
        for index in plain_titles:
            columns.add("position", index)
    if not {"full_name", "given", "family", "org", "email"} & columns.roles.keys():
        found = ", ".join(f'"{h.strip()}"' for h in header[:12] if h.strip())
        more = ", ..." if len(header) > 12 else ""
        raise ValidationError(
            f"{source}: unrecognised CSV columns ({found}{more}); {_EXPECTED}", field="header"
        )
    return columns


def _row(row: list[str], columns: _Columns, source: str) -> ContactRecord | RejectedRecord:
    full_name = columns.first("full_name", row)
    if full_name is None:
        parts = (columns.first(role, row) for role in ("given", "middle", "family"))
        full_name = " ".join(p for p in parts if p) or None
    return build_record(
        source,
        full_name=full_name,
        organization=columns.first("org", row),
        position=columns.first("position", row),
        emails=_split_values(columns.all("email", row)),
        phones=_split_values(columns.all("phone", row)),
        note="\n".join(n for n in columns.all("note", row) if n) or None,
        uid=None,
    )


def _split_values(cells: list[str]) -> list[str]:
    return [value.strip() for cell in cells for value in cell.split(_MULTI_VALUE)]
