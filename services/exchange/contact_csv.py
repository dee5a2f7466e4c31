"""CSV contact exports: Google Contacts (old and new), Outlook (English and
Russian), Thunderbird, Apple and a plain ``name,email,phone,company,position``
layout.

Columns are recognised by header name, not by position, so the same rules
read every layout. A file without a header row is read by Thunderbird's
fixed column order when it has that shape, else by what the columns hold
(addresses, numbers, a name); ``--map FIELD=COLUMN`` names columns by hand
(by header, or by number from 1). A file where none of that finds a name or
an address is refused as a whole rather than importing rows of nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NoReturn

from services.core.errors import ValidationError
from services.exchange.contact_records import (
    ContactRecord,
    ParseResult,
    RejectedRecord,
    build_record,
    shown,
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
    # Thunderbird (English and Russian) and Apple
    "primary email": "email",
    "secondary email": "email",
    "отображаемое имя": "full_name",
    "first": "given",
    "last": "family",
    "middle": "middle",
    "department": "department",
    "отдел": "department",
    "nickname": "nickname",
}
_ROLE_BY_PATTERN = (
    (re.compile(r"e-?mail \d+ - value|e-?mail \d+ address|e-?mail \d+"), "email"),
    (re.compile(r"адрес \d+ эл\. почты"), "email"),
    (re.compile(r"phone \d+ - value"), "phone"),
    # Outlook: "Business Phone", "Mobile Phone", "Home Phone 2", "Pager" ... but no faxes
    (re.compile(r"(?!.*\bfax\b).*\b(?:phone|pager)(?: \d+)?"), "phone"),
    (re.compile(r"(?!.*факс).*(?:телефон|пейджер).*"), "phone"),
    # Thunderbird "Mobile Number", "Pager Number"; Apple "Work Email", "iPhone", "Phone (mobile)"
    (re.compile(r"(?!.*\b(?:type|label|display|kind)\b).*\be-?mail\b.*"), "email"),
    (re.compile(r"(?!.*(?:тип|имя|отображ)).*(?:эл\. почт|электронн\w* почт).*"), "email"),
    (
        re.compile(r"(?!.*\b(?:fax|type|label)\b).*\b(?:phone|mobile|pager|cell|iphone)\b.*"),
        "phone",
    ),
)
# Thunderbird's export without a header row: its fixed order (0-based).
_THUNDERBIRD_ORDER = {
    0: "given",
    1: "family",
    2: "full_name",
    4: "email",
    5: "email",
    7: "phone",
    8: "phone",
    10: "phone",
    11: "phone",
    24: "position",
    26: "org",
    36: "note",
}
_THUNDERBIRD_COLUMNS = 37
FIELDS = {
    "name": "full_name",
    "full_name": "full_name",
    "given": "given",
    "first": "given",
    "middle": "middle",
    "family": "family",
    "last": "family",
    "org": "org",
    "organization": "org",
    "company": "org",
    "position": "position",
    "title": "position",
    "email": "email",
    "phone": "phone",
    "note": "note",
}
_GUESS_ROWS = 50
_EMAIL_CELL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_CELL = re.compile(r"\+?[\d\s()./-]{7,}")
_MULTI_VALUE = ":::"  # Google joins several values of one field with " ::: "
_EXPECTED = (
    "expected a Google Contacts, Outlook, Thunderbird or Apple CSV export, or columns such "
    "as name (or first name / last name), email, phone, company, position; "
    "or name the columns with --map FIELD=COLUMN"
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


def parse_csv_text(text: str, source: str, mapping: Mapping[str, str] | None = None) -> ParseResult:
    """Parse a decoded CSV export; an unknown header raises ``ValidationError``."""
    text = text.lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    rows: list[tuple[int, list[str]]] = []
    previous_line = 0
    try:
        for row in reader:
            line = previous_line + 1
            previous_line = reader.line_num
            if any(cell.strip() for cell in row):
                rows.append((line, row))
    except csv.Error as exc:
        raise ValidationError(
            f"{source}: line {reader.line_num} is not valid CSV ({exc})",
            code="exchange.contact_csv.line_not_valid_csv",
            params={"source": str(source), "line_num": str(reader.line_num), "exc": str(exc)},
        ) from exc
    if not rows:
        raise ValidationError(
            f"{source} is empty: {_EXPECTED}",
            code="exchange.contact_csv.empty",
            params={"source": str(source), "expected": str(_EXPECTED)},
        )
    columns, has_header = _layout([r for _n, r in rows[: _GUESS_ROWS + 1]], source, mapping)
    records: list[ContactRecord] = []
    rejected: list[RejectedRecord] = []
    for line, row in rows[1:] if has_header else rows:
        result = _row(row, columns, f"{source}:line {line}")
        if isinstance(result, ContactRecord):
            records.append(result)
        else:
            rejected.append(result)
    return ParseResult(tuple(records), tuple(rejected))


def _layout(
    sample: list[list[str]], source: str, mapping: Mapping[str, str] | None
) -> tuple[_Columns, bool]:
    """The columns' roles and whether the first row is a header."""
    first = sample[0]
    header = _recognised(first)
    if mapping:
        by_number = all(c.strip().isdigit() for c in mapping.values())
        has_header = not by_number or bool(header.roles)
        columns = header if has_header else _Columns()
        _apply_mapping(columns, mapping, first if has_header else None, source)
        return columns, has_header
    if _useful(header):
        return header, True
    if not _looks_like_data(first):
        _refuse(first, source)
    guessed = _thunderbird(sample) or _guess(sample)
    if guessed is None or not _useful(guessed):
        _refuse(first, source, headerless=True)
    return guessed, False


def _useful(columns: _Columns) -> bool:
    return bool({"full_name", "given", "family", "org", "email"} & columns.roles.keys())


def _refuse(first: list[str], source: str, *, headerless: bool = False) -> NoReturn:
    found = ", ".join(f"{shown(h, 40)}" for h in first[:12] if h.strip())
    more = ", ..." if len(first) > 12 else ""
    what = "CSV without a header row" if headerless else "unrecognised CSV columns"
    raise ValidationError(
        f"{source}: {what} ({found}{more}); {_EXPECTED}",
        field="header",
        code="exchange.contact_csv.error",
        params={
            "source": str(source),
            "what": str(what),
            "found": str(found),
            "more": str(more),
            "expected": str(_EXPECTED),
        },
    )


def _apply_mapping(
    columns: _Columns, mapping: Mapping[str, str], header: list[str] | None, source: str
) -> None:
    names = [_normalize(h) for h in header] if header is not None else []
    for field_name, column in mapping.items():
        role = FIELDS.get(field_name.strip().casefold())
        if role is None:
            raise ValidationError(
                f"--map: unknown field {field_name!r}; use one of {', '.join(sorted(FIELDS))}",
                field="map",
                code="exchange.contact_csv.map_unknown_field_use",
                params={"field_name": repr(field_name), "fields": str(", ".join(sorted(FIELDS)))},
            )
        wanted = column.strip()
        if wanted.isdigit() and int(wanted) >= 1:
            index = int(wanted) - 1
        elif _normalize(wanted) in names:
            index = names.index(_normalize(wanted))
        else:
            raise ValidationError(
                f"--map {field_name}={column}: {source} has no column {wanted!r}",
                field="map",
                code="exchange.contact_csv.map_has_no_column",
                params={
                    "field_name": str(field_name),
                    "column": str(column),
                    "source": str(source),
                    "wanted": repr(wanted),
                },
            )
        columns.roles[role] = [index]
    if not _useful(columns):
        raise ValidationError(
            f"--map must name a column for name, given, family, org or email ({source})",
            field="map",
            code="exchange.contact_csv.map_must_name_column",
            params={"source": str(source)},
        )


def _looks_like_data(row: list[str]) -> bool:
    return any(_EMAIL_CELL.fullmatch(c.strip()) or _is_phone(c) for c in row)


def _is_phone(cell: str) -> bool:
    cell = cell.strip()
    return bool(_PHONE_CELL.fullmatch(cell)) and sum(ch.isdigit() for ch in cell) >= 7


def _thunderbird(sample: list[list[str]]) -> _Columns | None:
    """Thunderbird's header-less export: 37 columns (38 with its trailing comma),
    addresses in the fifth and sixth."""
    if not all(len(r) in (_THUNDERBIRD_COLUMNS, _THUNDERBIRD_COLUMNS + 1) for r in sample):
        return None
    mails = [r[i].strip() for r in sample for i in (4, 5) if r[i].strip()]
    if not mails or not all("@" in m for m in mails):
        return None
    columns = _Columns()
    for index, role in _THUNDERBIRD_ORDER.items():
        columns.add(role, index)
    return columns


def _guess(sample: list[list[str]]) -> _Columns | None:
    """Roles by content: a column of addresses, of numbers, and the first of words."""
    width = max(len(r) for r in sample)
    columns = _Columns()
    name_taken = False
    for index in range(width):
        cells = [r[index].strip() for r in sample if index < len(r) and r[index].strip()]
        if not cells:
            continue
        share = 0.6 * len(cells)
        if sum(bool(_EMAIL_CELL.fullmatch(c)) for c in cells) >= share:
            columns.add("email", index)
        elif sum(_is_phone(c) for c in cells) >= share:
            columns.add("phone", index)
        elif not name_taken and sum(any(ch.isalpha() for ch in c) for c in cells) >= share:
            columns.add("full_name", index)
            name_taken = True
    return columns if columns.roles else None


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


def _recognised(header: list[str]) -> _Columns:
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
