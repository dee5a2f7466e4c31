"""What every screenshot script shares: a private Xvfb screen at a laptop's
1366x768, a throw-away data folder with the demo database of
scripts/screenshot_demo.py, the real window (container, lanes) opened on it
in a language, and a PNG of the screen.

A script seeds what its pictures need, then for each language::

    with rig.window(url, "ru") as (window, parts):
        window.navigation.select("agenda")
        rig.shoot(out / f"agenda{rig.suffix('ru')}.png")

Needs Xvfb and Qt's xcb libraries (scripts/system-packages.sh). The run
keeps its settings, data and keyring to itself (an in-memory keyring).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (1366, 768)  # the laptop screen every picture is judged at
LANGUAGES = ("en", "ru")
_settings_files = itertools.count(1)


@contextlib.contextmanager
def xvfb(size: tuple[int, int]) -> Iterator[str]:
    """A private X server on the first free display from :90."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is not installed (see scripts/system-packages.sh)")
    for number in range(90, 100):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            break
    else:
        raise SystemExit("no free X display between :90 and :99")
    display = f":{number}"
    screen = f"{size[0]}x{size[1]}x24"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", screen, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        yield display
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait(ms: int) -> None:
    """Run the event loop for ``ms`` (QTest.qWait would keep the lanes'
    Python threads waiting for the interpreter lock)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(ready: Callable[[], bool], what: str, timeout_ms: int = 30_000) -> None:
    """Run the event loop until ``ready()`` holds: a picture waits for the
    state it shows, not for a guessed time (a loaded machine is slower).
    Fails the script, naming ``what``, after ``timeout_ms``."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        wait(50)


def shoot(path: Path, settle_ms: int = 600) -> None:
    """The whole screen (the window and any dialog over it) as a PNG."""
    from PySide6.QtGui import QGuiApplication

    wait(settle_ms)
    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def suffix(language: str) -> str:
    """The file name's language part: none for English, "-ru" for Russian."""
    return "" if language == "en" else f"-{language}"


def search(window: Any, path: Path, text: str = "Сев") -> None:
    """The search popup over the client list with ``text`` typed, as a PNG."""
    window.navigation.select("clients")
    window.search.popup()
    window.search.edit.setText(text)
    wait(500)
    shoot(path)
    window.search.hide()


@contextlib.contextmanager
def window(
    url: str,
    language: str,
    *,
    section: str = "clients",
    size: tuple[int, int] | None = None,
    prefs: Callable[[Any], None] | None = None,
    settle_ms: int = 1200,
    user: str | None = None,
) -> Iterator[tuple[Any, Any]]:
    """The real main window on ``url`` in ``language`` at ``size`` (the
    screen's, ``SIZE``, by default; top-left: no window manager here to
    maximize it), shown and settled, as ``user`` (a login; None: the first
    administrator); yields ``(window, parts)`` (parts: desktop.container's,
    for the ticker, the mail driver, the replica) and closes it all
    afterwards. ``prefs`` adjusts the window's preferences before the
    container is built."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import container
    from ui.main_window import MainWindow
    from ui.shell import i18n, style
    from ui.shell.preferences import Preferences

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setApplicationName("Touchpoint")
    app.setOrganizationName("Touchpoint")
    folder = Path(os.environ["TOUCHPOINT_DATA_DIR"]).parent
    store = QSettings(
        str(folder / f"prefs-{next(_settings_files)}-{language}.ini"), QSettings.Format.IniFormat
    )
    preferences = Preferences(store)
    preferences.language = language
    preferences.section = section
    if prefs is not None:
        prefs(preferences)
    translators = i18n.install(app, language)
    style.apply(app)
    parts = container.build(url, store, user)
    # Errors go to the output, not into the pictures as dialogs.
    shown = MainWindow(parts.context(lambda exc: print(f"error: {exc!r}")), preferences)
    shown.setGeometry(0, 0, *(size or SIZE))
    shown.show()
    try:
        wait(settle_ms)
        yield shown, parts
    finally:
        shown.close()
        shown.deleteLater()
        wait(100)
        parts.shutdown()
        i18n.uninstall(app, translators)


def run_shots(
    doc: str | None,
    shoot_all: Callable[[str, int, Path], None],
    clients: int,
) -> int:
    """The frame of every screenshot script: its arguments, an Xvfb screen,
    a throw-away data folder and demo database, then
    ``shoot_all(url, big_client, out)``. ``--size 1920x1080`` photographs a
    larger screen (the pictures in screenshots/ are the laptop's)."""
    global SIZE
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--clients", type=int, default=clients)
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", help="the screen, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    SIZE = (width, height)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, xvfb(SIZE) as display:
        os.environ.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            TOUCHPOINT_DATA_DIR=str(Path(tmp) / "data"),
            # in this process only: the demo mailbox's password never leaves it
            PYTHON_KEYRING_BACKEND="tests.memory_keyring.MemoryKeyring",
            LANG="en_GB.UTF-8",
            TOUCHPOINT_USER="",
        )
        import screenshot_demo
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv)
        print("building the demo database…")
        url, big_client = screenshot_demo.make_database(Path(tmp), args.clients)
        shoot_all(url, big_client, out)
        app.processEvents()
    return 0
