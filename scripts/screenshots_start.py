"""The first minutes, at 1366×768 in English and Russian: the welcome on an
empty database (demo data, a contacts file or a mailbox), and Settings as a
manager sees them (the shared ones read-only, saying why). The window, X
server and demo database: scripts/screenshot_rig.py.

    .venv/bin/python scripts/screenshots_start.py     # into screenshots/
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig

MANAGER = "m.komarov"  # a manager of the demo database


def take(url: str, empty_url: str, out: Path, language: str) -> None:
    end = rig.suffix(language)
    with rig.window(empty_url, language):
        rig.shoot(out / f"welcome{end}.png")
    with rig.window(url, language, section="settings", user=MANAGER):
        rig.shoot(out / f"settings-manager{end}.png")


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    empty = Path(os.environ["TOUCHPOINT_DATA_DIR"]).parent / "empty.sqlite3"
    for language in rig.LANGUAGES:
        take(url, f"sqlite:///{empty}", out, language)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
