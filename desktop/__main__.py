"""``python -m desktop`` and the PyInstaller entry: the same as ``touchpoint``."""

import sys

from desktop.cli import main

sys.exit(main())
