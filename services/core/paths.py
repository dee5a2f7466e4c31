"""Where Touchpoint keeps its files: the user data folder (platformdirs).

``TOUCHPOINT_DATA_DIR`` moves it (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    override = os.environ.get("TOUCHPOINT_DATA_DIR")
    if override:
        folder = Path(override)
    else:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("Touchpoint", "Touchpoint"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


EMBEDDED_FILE = "touchpoint.sqlite3"  # the embedded database (services/core/storage.py)
REPLICA_FILE = "replica.sqlite3"  # a laptop's replica of the team database (services/sync)


def data_folder_databases() -> list[Path]:
    """The database files the data folder holds, whichever one is open:
    attached files in it may be named by any of them."""
    folder = data_dir()
    return [folder / EMBEDDED_FILE, folder / REPLICA_FILE]


def attachments_dir() -> Path:
    folder = data_dir() / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
