"""Refresh the interface translations: pyside6-lupdate over ui/ into
resources/i18n/*.ts, then pyside6-lrelease into the shipped .qm files.

    .venv/bin/python scripts/translations.py          # after changing UI strings
    .venv/bin/python scripts/translations.py --check  # exit 1 when a .ts or .qm is stale

Russian gets every string; English only the plural forms ("%n letter(s)"
→ "1 letter", "2 letters"), the source strings being English already.
Translate new entries in Qt Linguist (pyside6-linguist) or by hand in the
.ts, then run this again to compile. tests/ui/test_translations.py fails
while anything is untranslated or stale.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
TARGETS = {"ru": ("ru_RU", []), "en": ("en_US", ["-pluralonly"])}


def tool(name: str) -> str:
    """The Linguist tool that PySide6 installs next to this Python."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (PySide6-Essentials) in this venv")
    return found


def lupdate(ts: Path, language: str, extra: list[str]) -> None:
    subprocess.run(
        [
            tool("pyside6-lupdate"),
            # lupdate's directory scan skips Python: name the files
            *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")),
            "-locations",
            "none",
            "-no-obsolete",
            "-sort-messages",
            "-silent",
            "-target-language",
            language,
            *extra,
            "-ts",
            str(ts),
        ],
        check=True,
        cwd=ROOT,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", "-removeidentical", str(ts), "-qm", str(qm)],
        check=True,
    )


def refresh(folder: Path) -> None:
    for code, (language, extra) in TARGETS.items():
        ts = folder / f"touchpoint_{code}.ts"
        lupdate(ts, language, extra)
        lrelease(ts, folder / f"touchpoint_{code}.qm")


def stale() -> list[str]:
    """Names of the files that a refresh would change."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for code in TARGETS:
            shutil.copy(I18N / f"touchpoint_{code}.ts", copy)
        refresh(copy)
        return [
            name
            for code in TARGETS
            for name in (f"touchpoint_{code}.ts", f"touchpoint_{code}.qm")
            if not (I18N / name).exists() or not filecmp.cmp(copy / name, I18N / name, False)
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args()
    if args.check:
        names = stale()
        for name in names:
            print(f"stale: resources/i18n/{name}")
        return 1 if names else 0
    I18N.mkdir(parents=True, exist_ok=True)
    refresh(I18N)
    return 0


if __name__ == "__main__":
    sys.exit(main())
