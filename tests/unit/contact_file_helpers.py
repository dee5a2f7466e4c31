"""Helpers shared by the contact file tests (test_contact_files.py: vCards,
test_contact_csv.py: CSV and files that are neither)."""

from __future__ import annotations

from pathlib import Path

from services.exchange.contact_files import ContactRecord, ParseResult


def only(result: ParseResult) -> ContactRecord:
    assert not result.rejected
    assert len(result.records) == 1
    return result.records[0]


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path
