"""Contact import files: tell vCard from CSV, decode, hand over to the parser.

Pure functions over bytes and text: the caller shows ``ValidationError``
messages as they are and the ``ParseResult`` rejections next to the import.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from pathlib import Path

from services.core.errors import ValidationError
from services.exchange.contact_csv import parse_csv_text
from services.exchange.contact_records import ContactRecord, ParseResult, RejectedRecord
from services.exchange.vcard import parse_vcard_bytes, parse_vcard_text

__all__ = [
    "ContactRecord",
    "ParseResult",
    "RejectedRecord",
    "decode_text",
    "parse_contact_file",
    "parse_csv_text",
    "parse_vcard_text",
]

_VCARD_SUFFIXES = {".vcf", ".vcard"}
_BEGIN_ANYWHERE = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*\r?$", re.I | re.M)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def parse_contact_file(path: Path, mapping: Mapping[str, str] | None = None) -> ParseResult:
    """Read a .vcf or .csv export; unreadable or unrecognised files raise ``ValidationError``.

    ``mapping`` (FIELD -> COLUMN, from ``--map``) names the CSV columns by hand.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"Cannot read {name}: {exc.strerror or exc}",
            field="path",
            code="exchange.contact_files.cannot_read",
            params={"name": str(name), "exc": str(exc.strerror or exc)},
        ) from exc
    data = _without_utf16_guess(data, name)
    if not data.strip(b" \t\r\n\x1a"):
        raise ValidationError(
            f"{name} is empty",
            field="path",
            code="exchange.contact_files.empty",
            params={"name": str(name)},
        )
    if data.startswith(_UTF16_BOMS):
        view = data.decode("utf-16", errors="replace")
    else:
        view = data.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    if not mapping and _is_vcard(view, path.suffix.lower(), name):
        result = parse_vcard_bytes(data, name)
    else:
        result = parse_csv_text(decode_text(data, name), name, mapping)
    if not result.records and not result.rejected:
        raise ValidationError(
            f"{name} contains no contacts",
            field="path",
            code="exchange.contact_files.contains_no_contacts",
            params={"name": str(name)},
        )
    return result


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else cp1251 as Russian Outlook writes it."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                f"{name} is not valid UTF-16 text",
                field="path",
                code="exchange.contact_files.not_valid_utf_text",
                params={"name": str(name)},
            ) from exc
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        f"{name} is neither UTF-8 nor Windows-1251 text; save it again as UTF-8",
        field="path",
        code="exchange.contact_files.neither_utf_nor_windows",
        params={"name": str(name)},
    )


def _without_utf16_guess(data: bytes, name: str) -> bytes:
    """Bytes with a BOM added to BOM-less UTF-16; binary files are refused here."""
    if data.startswith(_UTF16_BOMS) or b"\x00" not in data:
        return data
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    if sample[1::2].count(0) > 0.9 * half:
        return codecs.BOM_UTF16_LE + data
    if sample[0::2].count(0) > 0.9 * half:
        return codecs.BOM_UTF16_BE + data
    raise ValidationError(
        f"{name} is not a text file; export the contacts as vCard (.vcf) or CSV",
        field="path",
        code="exchange.contact_files.not_text_file_export",
        params={"name": str(name)},
    )


def _is_vcard(view: str, suffix: str, name: str) -> bool:
    first = next((line.strip() for line in view.lstrip("\ufeff").splitlines() if line.strip()), "")
    if first.upper().replace(" ", "") == "BEGIN:VCARD" or suffix in _VCARD_SUFFIXES:
        return True
    if suffix != ".csv" and _BEGIN_ANYWHERE.search(view):
        return True
    if first.startswith(("[", "{", "<")):
        raise ValidationError(
            f"{name} looks like JSON or XML (jCard/xCard?); "
            "only vCard (.vcf) and CSV contact files can be imported",
            field="path",
            code="exchange.contact_files.looks_like_json_xml",
            params={"name": str(name)},
        )
    return False
