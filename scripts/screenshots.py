"""Screenshots of the main views on a demo database, taken from a real X
screen (a private Xvfb), for the README and for reviewing the look.

    .venv/bin/python scripts/screenshots.py            # into screenshots/
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --clients 3000

Needs Xvfb and Qt's xcb libraries (scripts/system-packages.sh). The run
uses its own data folder, database, settings and an in-memory keyring; a
mail account points at a closed local port, so the Mail view shows the
offline notice and a letter waiting in the outbox.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCREEN = "1440x900x24"
WINDOW = (1440, 900)


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
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
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", SCREEN, "-nolisten", "tcp"],
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


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_database(folder: Path, clients: int) -> tuple[str, int]:
    """A demo database with a mailbox whose server is unreachable and a
    letter in the outbox."""
    from services import bootstrap, demo
    from services.mail import accounts, outbox
    from services.storage import open_database

    url = f"sqlite:///{folder / 'touchpoint.sqlite3'}"
    db = open_database(url)
    bootstrap.ensure_initial_data(db)
    summary = demo.generate(db, clients=clients, big_client_interactions=3000)
    port = closed_port()
    spec = accounts.AccountSpec(
        email="anna.sokolova@severtrade.ru",
        display_name="Анна Соколова",
        imap_host="127.0.0.1",
        imap_port=port,
        smtp_host="127.0.0.1",
        smtp_port=port,
        sync_minutes=5,
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        account = accounts.add(uow, actor, spec, "demo-password", None)
        outbox.queue(
            uow,
            actor,
            account.id,
            to=["zakupki@farmatsiya.ru"],
            subject="Коммерческое предложение на поставку",
            body="Добрый день! Направляем предложение.",
            send_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20),
            client_id=summary.big_client_id,
        )
        uow.commit()
    db.dispose()
    assert summary.big_client_id is not None
    return url, summary.big_client_id


def wait(ms: int) -> None:
    """Run the event loop for ``ms`` (QTest.qWait would keep the lanes'
    Python threads waiting for the interpreter lock)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(window: Any, path: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    wait(600)
    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(path))
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def take(url: str, big_client: int, out: Path, language: str) -> None:
    """Run the real window (container, lanes, mail driver) and photograph it."""
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
    store = QSettings(str(out / f".prefs-{language}.ini"), QSettings.Format.IniFormat)
    prefs = Preferences(store)
    prefs.language = language
    prefs.section = "clients"
    translators = i18n.install(app, language)
    style.apply(app)
    parts = container.build(url, store)
    # Errors go to the output, not into the pictures as dialogs.
    window = MainWindow(parts.context(lambda exc: print(f"error: {exc!r}")), prefs)
    window.setGeometry(0, 0, *WINDOW)
    window.show()
    parts.mail.start()
    suffix = "" if language == "en" else f"-{language}"
    wait(1200)
    shoot(window, out / f"clients{suffix}.png")
    if language == "en":
        window.open_card("client", big_client)  # the key account: a long feed
        wait(800)
        shoot(window, out / "client-card.png")
        window.workspace.close_current()
    window.navigation.select("agenda")
    shoot(window, out / f"agenda{suffix}.png")
    window.navigation.select("deals")
    shoot(window, out / f"deals{suffix}.png")
    if language == "en":
        window.navigation.select("mail")
        wait(1500)  # the driver tries the closed port and goes offline
        shoot(window, out / "mail.png")
        window.navigation.select("settings")
        shoot(window, out / "settings.png")
        window.navigation.select("clients")
        window.search.popup()
        window.search.edit.setText("Сев")
        wait(500)
        shoot(window, out / "search.png")
        window.search.hide()
    window.close()
    window.deleteLater()
    wait(100)
    parts.shutdown()
    i18n.uninstall(app, translators)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--clients", type=int, default=1500)
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, xvfb() as display:
        os.environ.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            TOUCHPOINT_DATA_DIR=str(Path(tmp) / "data"),
            # in this process only: the demo mailbox's password never leaves it
            PYTHON_KEYRING_BACKEND="tests.memory_keyring.MemoryKeyring",
            LANG="en_GB.UTF-8",
            TOUCHPOINT_USER="",
        )
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv)
        print("building the demo database…")
        url, big_client = make_database(Path(tmp), args.clients)
        for language in ("en", "ru"):
            take(url, big_client, out, language)
        for leftover in out.glob(".prefs-*.ini"):
            leftover.unlink()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
