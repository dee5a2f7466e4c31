"""A fixed small CRM and what the read commands print for it, to prove that
a faster path prints the same bytes (issue #16: the quick ``clients list``).

``tests/data/cli_golden.json`` was written by ``python
tests/integration/cli_golden.py OUT.json`` with the code from before the
quick path; ``test_cli_start.py`` compares today's output with it. Values
that depend on the clock or on randomness (uids, the local time now, when a
row was written) are masked, everything else is compared byte for byte.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

from desktop.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "cli_golden.json"

MASKED_KEYS = ("uid", "local_time", "created_at", "updated_at")
_MASKS = [
    (re.compile(r'("(?:' + "|".join(MASKED_KEYS) + r')": )"[^"]*"'), r'\1"<masked>"'),
    (re.compile(r"local time \d\d:\d\d \S+"), "local time <masked>"),
]


def _run(url: str, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", url, *args])
    return code, out.getvalue() + (f"\n[stderr] {err.getvalue()}" if err.getvalue() else "")


def _ok(url: str, *args: str) -> Any:
    code, out = _run(url, *args, "--json")
    assert code == 0, out
    return json.loads(out)


def build(url: str) -> None:
    """Two managers and an administrator; Cyrillic names; zones from an
    explicit zone, a landline, a contact person's phone and a region."""
    for login, name in (("anna", "Анна Смирнова"), ("boris", "Борис Петров")):
        _ok(url, "users", "add", login, name)
    users = {u["login"]: u["id"] for u in _ok(url, "users")}
    anna, boris = str(users["anna"]), str(users["boris"])
    add = ("clients", "add")
    _ok(url, *add, "ООО Ромашка", "--owner", anna, "--phone", "+7 495 123-45-67",
        "--email", "info@romashka.example")  # fmt: skip
    _ok(url, *add, "ИП Ёлкин Пётр", "--owner", anna, "--region", "KZ",
        "--address", "Алматы, ул. Абая, 1")  # fmt: skip
    severstal = _ok(url, *add, "АО «Северсталь-Снаб»", "--owner", boris,
                    "--timezone", "Asia/Yekaterinburg", "--phone", "+7 916 123-45-67")  # fmt: skip
    zeta = _ok(url, *add, "Zeta GmbH", "--owner", boris)
    _ok(url, "contacts", "add", "Hans Müller", "--client", str(zeta["id"]),
        "--phone", "+49 30 1234567")  # fmt: skip
    gone = _ok(url, *add, "ООО Архив_100%", "--owner", anna, "--phone", "+7 812 000-11-22")
    _ok(url, "clients", "archive", str(gone["id"]))
    _ok(url, "clients", "share", str(severstal["id"]), "--with", "anna")
    _ok(url, "leads", "add", "Лид Иванов", "--owner", anna, "--company", "ООО «Вектор»")
    _ok(url, "interactions", "add", "--type", "call", "--client", "1",
        "--at", "2026-10-01 10:00", "--tz", "Europe/Moscow", "--duration", "15",
        "--direction", "out", "--subject", "Звонок: «счёт»")  # fmt: skip


COMMANDS: tuple[tuple[str, ...], ...] = (
    ("clients", "list", "--json"),
    ("clients", "list"),
    ("clients", "list", "--text", "ёлкин", "--json"),
    ("clients", "list", "--text", "_100%", "--archived", "--json"),
    ("clients", "list", "--archived"),
    ("clients", "list", "--after", "1", "--limit", "2", "--json"),
    ("clients", "list", "--text", "нет такого"),
    ("--user", "anna", "clients", "list", "--json"),
    ("--user", "anna", "clients", "list"),
    ("--user", "boris", "clients", "list", "--json"),
    ("--user", "nobody", "clients", "list", "--json"),
    ("--user", "anna", "clients", "show", "1", "--json"),
    ("--user", "anna", "clients", "show", "4"),
    ("--user", "anna", "leads", "show", "1", "--json"),
    ("--user", "boris", "interactions", "show", "1", "--json"),
    ("--user", "anna", "interactions", "show", "1", "--json"),
)


def outputs(url: str) -> dict[str, str]:
    """Each command's exit status and output, masked."""
    found = {}
    for args in COMMANDS:
        code, out = _run(url, *args)
        for pattern, replacement in _MASKS:
            out = pattern.sub(replacement, out)
        found[" ".join(args)] = f"exit {code}\n{out}"
    return found


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/golden.sqlite3"
        build(db)
        Path(sys.argv[1]).write_text(
            json.dumps(outputs(db), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
