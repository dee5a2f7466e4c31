"""``touchpoint selftest``: is this installation whole and its database usable?

Run by installers and CI on the packaged bundle; each check says what it
found, so a failure report is useful without a debugger.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _roundtrip() -> str:
    from services.core import bootstrap, storage
    from services.feed import pages as feed
    from services.interactions import actions as ix
    from services.parties import records as parties

    with tempfile.TemporaryDirectory(prefix="touchpoint-selftest-") as folder:
        db = storage.open_database(f"sqlite:///{Path(folder) / 'selftest.sqlite3'}")
        try:
            bootstrap.ensure_initial_data(db)
            with db.uow() as uow:
                actor = bootstrap.actor_for(uow)
                client = parties.add_client(uow, actor, "Selftest", phones=["+7 495 123-45-67"])
                ix.create(
                    uow,
                    actor,
                    ix.NewInteraction(
                        type="call",
                        planned=True,
                        client_id=client.id,
                        start=dt.datetime(2030, 1, 10, 10, 0),
                        tz="Europe/Moscow",
                    ),
                )
                uow.commit()
            with db.reader() as uow:
                actor = bootstrap.actor_for(uow)
                page = feed.page(uow, actor, feed.FeedScope(client_id=client.id))
            if not page.items or page.items[0].state != "planned":
                raise RuntimeError("the feed did not show the planned call first")
        finally:
            db.dispose()
    return "migrated a new SQLite database, saved a client and a call, read the feed"


def _phones() -> str:
    from services.core import normalize

    kz = normalize.normalize_phone("+7 701 123 4567", "RU")
    if normalize.region_for_phone(kz) != "KZ":
        raise RuntimeError(f"+7 701 read as {normalize.region_for_phone(kz)}, not KZ")
    return f"phone metadata present ({kz} is KZ)"


def _country_names() -> str:
    """The names are read from phonenumbers' own file, not imported: a
    bundle without that file would name every country in English."""
    from ui.widgets.country_names import country_name

    name = country_name("DE", "ru")
    if name != "Германия":
        raise RuntimeError(f"Germany in Russian reads {name!r}")
    return f"DE in Russian: {name}"


def _zones() -> str:
    from zoneinfo import ZoneInfo

    ZoneInfo("Asia/Almaty")
    ZoneInfo("Europe/Moscow")
    return "time zone data present"


def _working_days() -> str:
    from services.scenarios import calendar

    # 1 Nov 2025 was a working Saturday in Russia (the shipped table), the
    # Nauryz days 21-25 Mar 2026 days off in Kazakhstan (the package's module)
    ru = calendar.add_working_days(dt.date(2025, 10, 31), 2, "RU")
    kz = calendar.add_working_days(dt.date(2026, 3, 20), 1, "KZ")
    if (ru, kz) != (dt.date(2025, 11, 5), dt.date(2026, 3, 26)):
        raise RuntimeError(f"working days came out as {ru} (RU) and {kz} (KZ)")
    return "holiday calendars for RU and KZ and the moved days present"


_LETTER = (
    b"From: =?utf-8?b?0JDQvdC90LA=?= <anna@example.org>\r\nTo: me@example.org\r\n"
    b"Subject: selftest\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    + "Проверка разбора письма".encode()
    + b"\r\n"
)


def _parse_worker() -> str:
    """The mail import's parser process starts and answers: in the packaged
    app ``spawn`` runs the bundle's own executable again, which works only
    if its entry point hands the start to ``multiprocessing``."""
    from services.mail import parse_worker

    with parse_worker.Parser(cores=2) as parser:
        parser.start()
        if not parser.wait_ready(60.0):
            raise RuntimeError("the parser process did not start within 60 s")
        job = parser.submit([(_LETTER, 1 << 20)])
        if not job.remote:
            raise RuntimeError("the letter was parsed in this process, not the parser's")
        (outcome,) = parser.outcomes(job)
    if not isinstance(outcome, parse_worker.Body) or "Проверка" not in outcome.text:
        raise RuntimeError(f"the parser process answered {outcome!r}")
    return "the mail parser process started and parsed a letter"


def _database(url: str | None) -> Callable[[], str]:
    def check() -> str:
        from services.core import migrations, storage

        db = storage.open_database(url)
        try:
            rev = migrations.current_revision(db.engine)
            return f"{db.url} at schema revision {rev}"
        finally:
            db.dispose()

    return check


class _Inline:
    """Runs a task at once: the selftest has no event loop to wait on."""

    def submit(self, fn: Any, on_done: Any, on_error: Any) -> None:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - reported through on_error like a real lane
            on_error(exc)
            return
        on_done(result)


def _window() -> str:
    """The main window and a client card with its feed, painted offscreen
    on a few demo clients: Qt, its plugins, fonts and the UI all work."""
    import os

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    # Qt's own warnings would land on stderr between our lines; keep them for
    # the report instead, minus the offscreen platform's known harmless one.
    said: list[str] = []
    previous = qInstallMessageHandler(lambda _kind, _where, text: said.append(text))
    try:
        return _paint(QApplication, said)
    finally:
        qInstallMessageHandler(previous)


def _paint(application: Any, said: list[str]) -> str:
    from services.core import bootstrap, storage
    from services.demo import generate as demo
    from ui.cards.card_widget import CardWidget
    from ui.context import UiContext
    from ui.main_window import MainWindow

    app = application.instance() or application([])
    errors: list[BaseException] = []
    with tempfile.TemporaryDirectory(prefix="touchpoint-selftest-ui-") as folder:
        db = storage.open_database(f"sqlite:///{Path(folder) / 'ui.sqlite3'}")
        try:
            summary = demo.generate(db, clients=5, seed=7)
            with db.reader() as uow:
                actor = bootstrap.actor_for(uow)
            ctx = UiContext(
                db=db, actor=actor, writes=_Inline(), reads=_Inline(), report_error=errors.append
            )
            window = MainWindow(ctx)
            window.resize(1280, 800)
            window.show()
            card = CardWidget(ctx, "client", summary_client(db))
            card.resize(1200, 800)
            card.show()
            app.processEvents()
            picture = card.grab()
            rows = card.feed.model.rowCount()
            window.close()
            card.close()
            card.deleteLater()
            window.deleteLater()
            app.processEvents()
        finally:
            db.dispose()
    if errors:
        raise RuntimeError(f"the UI reported: {errors[0]!r}")
    if picture.isNull() or rows == 0:
        raise RuntimeError("the client card painted no feed")
    noise = [t for t in said if "propagateSizeHints" not in t]
    return (
        f"main window and a client card painted offscreen "
        f"({picture.width()}x{picture.height()}, {rows} feed rows, "
        f"{summary.interactions} demo interactions)" + _qt_said(noise)
    )


def _qt_said(noise: list[str]) -> str:
    if not noise:
        return ""
    more = f" (+{len(noise) - 1} more)" if len(noise) > 1 else ""
    return f"; Qt said: {noise[0]}{more}"


def summary_client(db: Any) -> int:
    from sqlalchemy import select

    from models import Client

    with db.reader() as uow:
        found = uow.session.scalar(select(Client.id).order_by(Client.id))
    if found is None:
        raise RuntimeError("the demo data made no client")
    return int(found)


class DegradedError(Exception):
    """Works, but not as it should: reported as WARN, the selftest still passes."""


def _keyring() -> str:
    from services.core import keyring_store

    # The backend that would store, not keyring's top one (often a chainer).
    name = keyring_store.storing_backend()
    problem = keyring_store.problem("passwords")
    if problem:
        raise DegradedError(
            f"{problem} (backend {name}): mail passwords and the AI key cannot be stored"
        )
    return f"keyring backend {name}"


def run(url: str | None) -> dict[str, Any]:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("python", lambda: sys.version.split()[0]),
        ("time zones", _zones),
        ("phone numbers", _phones),
        ("country names", _country_names),
        ("working days", _working_days),
        ("storage round trip", _roundtrip),
        ("mail parser process", _parse_worker),
        ("database", _database(url)),
        ("window", _window),
        ("keyring", _keyring),
    ]
    results = []
    for name, check in checks:
        try:
            results.append({"name": name, "ok": True, "warning": False, "detail": check()})
        except DegradedError as exc:
            results.append({"name": name, "ok": True, "warning": True, "detail": str(exc)})
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the rest
            results.append(
                {
                    "name": name,
                    "ok": False,
                    "warning": False,
                    "detail": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(),
                }
            )
    return {"ok": all(r["ok"] for r in results), "checks": results}


def describe(report: dict[str, Any]) -> str:
    lines = [
        f"{'FAIL' if not r['ok'] else 'WARN' if r.get('warning') else 'ok  '} "
        f"{r['name']}: {r['detail']}"
        for r in report["checks"]
    ]
    lines.append("selftest passed" if report["ok"] else "selftest FAILED")
    return "\n".join(lines)
