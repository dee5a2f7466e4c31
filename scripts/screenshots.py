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
from collections.abc import Callable, Iterator
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


LINKED_SUBJECT = "Счёт №1184 от 12 ноября"


def add_linking_history(db: Any, account_id: int, client_id: int) -> None:
    """Header-only letters as mail sync keeps them: some from addresses on
    no card (the Unlinked letters tab), two from an address then added to
    the key account and linked by the job (its feed can say why)."""
    from sqlalchemy import insert

    from models import MailAddress, MailMessage
    from services.core import bootstrap
    from services.linking import job as linking
    from services.parties import contact_points

    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    letters = [
        ("in", "support@bank.example", "Выписка по счёту за октябрь", 12),
        ("in", "ivan.petrov@romashka-trade.ru", "Re: Поставка бумаги на декабрь", 9),
        ("out", "m.sidorova@gorizont.ru", "Встреча в четверг", 7),
        ("in", "o.kim@vostok-log.kz", "Договор на хранение — правки юриста", 5),
        ("in", "noreply@conference.example", "Your ticket for RetailTech 2026", 3),
        ("in", "zakupki@farmatsiya.ru", "Запрос цен на картриджи", 2),
        ("in", "buh@key-account.example", "Акт сверки за III квартал", 30),
        ("in", "buh@key-account.example", LINKED_SUBJECT, 0),
    ]
    with db.uow() as uow:
        for n, (direction, address, subject, days) in enumerate(letters):
            message_id = uow.session.scalar(
                insert(MailMessage)
                .values(
                    account_id=account_id,
                    message_key=f"<history-{n}@touchpoint.example>",
                    direction=direction,
                    subject=subject,
                    sent_at=now - dt.timedelta(days=days, hours=n),
                    from_addr=address if direction == "in" else "anna.sokolova@severtrade.ru",
                    body_state="none",
                    auto_reply=False,
                )
                .returning(MailMessage.id)
            )
            role = "from" if direction == "in" else "to"
            uow.session.execute(
                insert(MailAddress).values(message_id=message_id, role=role, address=address)
            )
        actor = bootstrap.actor_for(uow)
        contact_points.add(uow, actor, "email", "buh@key-account.example", client_id=client_id)
        uow.commit()
    linking.run(db)


def make_database(folder: Path, clients: int) -> tuple[str, int]:
    """A demo database with a mailbox whose server is unreachable, a
    letter in the outbox, two email templates and a local AI server."""
    from services.ai import settings as ai_settings
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.demo import generate as demo
    from services.mail import accounts, outbox
    from services.templates import store as templates

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
        templates.create(
            uow,
            actor,
            "Коммерческое предложение",
            "Предложение для {{ client.name }}",
            "Добрый день, {{ contact.name_patronymic }}!\n\n"
            "Направляем коммерческое предложение по сделке «{{ deal.title }}» на сумму "
            "{{ deal.amount }} {{ deal.currency }}. Готовы обсудить детали "
            "{{ date.next_working_day_ru }}.\n\nС уважением,\n{{ me.full_name }}",
        )
        templates.create(
            uow,
            actor,
            "Ответ на письмо клиента",
            "Re: {{ deal.title }}",
            "Ответь {{ contact.name_patronymic }} из {{ client.name }} на письмо "
            "{{ inbound.last_email }}. Подтверди сроки поставки и предложи созвониться.",
            ai=True,
        )
        ai_settings.save(
            uow,
            actor,
            base_url="http://localhost:11434/v1",
            model="llama3.1",
            instructions="Обращайтесь к клиенту на «вы». Подписывайте письмо именем менеджера.",
        )
        uow.commit()
    assert summary.big_client_id is not None
    add_linking_history(db, account.id, summary.big_client_id)
    db.dispose()
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
    parts.ticker.start()  # the mail jobs are due at once: the closed port, offline
    suffix = "" if language == "en" else f"-{language}"
    wait(1200)
    shoot(window, out / f"clients{suffix}.png")
    if language == "en":
        window.open_card("client", big_client)  # the key account: a long feed
        wait(800)
        shoot(window, out / "client-card.png")
        card = window.workspace.currentWidget()
        for item in card.feed.model.items():
            if item.title == LINKED_SUBJECT:
                card.feed.select(item.kind, item.id)
                card.feed.explain(item)
        wait(300)  # the list lays out its rows before it can scroll to one
        card.feed.list.scrollTo(
            card.feed.list.currentIndex(), card.feed.list.ScrollHint.PositionAtCenter
        )
        shoot(window, out / "feed-why.png")
        card.write_to(card.data.points[-1].normalized)  # a letter with an AI template
        wait(500)
        panel = card.dialog.templates
        panel.contact.setCurrentIndex(1)
        panel.deal.setCurrentIndex(1)
        panel.template.setCurrentIndex(panel.template.findText("Ответ на письмо клиента · AI"))
        panel.template.activated.emit(panel.template.currentIndex())
        wait(500)
        shoot(window, out / "compose-template.png")
        card.dialog.reject()
        window.workspace.close_current()
    # the administrator's pages of #12, in both languages
    window.navigation.select("settings")
    settings = window.panels["settings"]
    for page in ("types", "fields", "users"):
        settings.tabs.setCurrentWidget(getattr(settings, f"{page}_page"))
        shoot(window, out / f"settings-{page}{suffix}.png")
    settings.tabs.setCurrentIndex(0)
    window.navigation.select("agenda")
    shoot(window, out / f"agenda{suffix}.png")
    window.navigation.select("deals")
    shoot(window, out / f"deals{suffix}.png")
    if language == "en":
        window.navigation.select("mail")
        wait(1500)  # the driver tries the closed port and goes offline
        shoot(window, out / "mail.png")
        window.mail.show_unlinked()
        shoot(window, out / "unlinked-mail.png")
        window.navigation.select("settings")
        shoot(window, out / "settings.png")
        settings = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.templates_page)
        shoot(window, out / "settings-templates.png")
        settings.tabs.setCurrentWidget(settings.ai_page)
        shoot(window, out / "settings-ai.png")
        settings.tabs.setCurrentIndex(0)
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


def run_shots(
    doc: str | None, prefs: str, shoot_all: Callable[[str, int, Path], None], clients: int
) -> int:
    """The frame every screenshot script shares: its arguments, an Xvfb
    display, a throw-away data folder and demo database, then
    ``shoot_all(url, big_client, out)``; the per-language settings files
    matching ``prefs`` are removed afterwards."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--clients", type=int, default=clients)
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
        shoot_all(url, big_client, out)
        for leftover in out.glob(prefs):
            leftover.unlink()
        app.processEvents()
    return 0


def main() -> int:
    def shoot_all(url: str, big_client: int, out: Path) -> None:
        for language in ("en", "ru"):
            take(url, big_client, out, language)

    return run_shots(__doc__, ".prefs-*.ini", shoot_all, clients=1500)


if __name__ == "__main__":
    sys.exit(main())
