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


def attachments_dir() -> Path:
    folder = data_dir() / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
