"""Run on its own (``python -m tests.ui.screen_rig LANG OUT_DIR``) under the
offscreen platform with a 1366x768 screen: opens the main window on demo
data, a deal card with a long Russian title and the agenda, saves a PNG of
each in OUT_DIR and prints one JSON line with the window's frame and the
screen's available area after each step. A separate process because the
screen size of a running QApplication cannot change."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

SCREEN = {"width": 1366, "height": 768}


def screen_config(folder: Path) -> str:
    """The QT_QPA_PLATFORM value for an offscreen 1366x768 screen."""
    config = folder / "screen-1366x768.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen | SCREEN]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def main(language: str, out: Path) -> dict[str, Any]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from services.core import bootstrap, settings, storage
    from services.demo import generate as demo
    from services.interactions import actions as ix
    from services.parties import deals
    from services.parties import records as parties
    from tests.ui.helpers import make_ctx
    from ui.main_window import MainWindow
    from ui.shell import i18n
    from ui.shell.preferences import Preferences

    app = QApplication([])
    keep = i18n.install(app, language)
    folder = Path(tempfile.mkdtemp(prefix="touchpoint-screen-"))
    db = storage.open_database(f"sqlite:///{folder / 'screen.sqlite3'}")
    demo.generate(db, clients=6, seed=3)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        settings.put(uow, "default_timezone", "Europe/Moscow")
        client = parties.add_client(
            uow, actor, "Общество с ограниченной ответственностью «Северо-Западная логистика»"
        )
        deal = deals.add_deal(
            uow,
            actor,
            "Поставка складского оборудования и программного обеспечения для "
            "распределительного центра в Санкт-Петербурге",
            client_id=client.id,
            amount="12500000",
        ).id
        almaty = parties.add_client(uow, actor, "ТОО «Алатау Трейд»", timezone="Asia/Almaty").id
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        for party, hour, zone, subject in (
            (almaty, 10, "Asia/Almaty", "Согласовать спецификацию и сроки поставки"),
            (client.id, 11, "Europe/Moscow", "Звонок по договору"),
        ):
            ix.create(
                uow,
                actor,
                ix.NewInteraction(
                    type="call",
                    planned=True,
                    start=dt.datetime.combine(tomorrow, dt.time(hour)),
                    tz=zone,
                    subject=subject,
                    client_id=party,
                ),
            )
        uow.commit()
    prefs = Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(make_ctx(db), prefs)
    window.show()
    app.processEvents()
    report: dict[str, Any] = {"language": language, "steps": {}, "keep": len(keep)}

    def shot(name: str) -> None:
        app.processEvents()
        frame = window.frameGeometry()
        area = window.screen().availableGeometry()
        report["steps"][name] = {
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "available": [area.x(), area.y(), area.width(), area.height()],
        }
        window.grab().save(str(out / f"{name}-{language}.png"))

    shot("main")
    window.open_card("deal", deal)
    shot("deal")
    window.show_section("agenda")
    shot("agenda")
    window.close()
    db.dispose()
    return report


if __name__ == "__main__":
    out_dir = Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    if "configfile" not in os.environ.get("QT_QPA_PLATFORM", ""):
        os.environ["QT_QPA_PLATFORM"] = screen_config(out_dir)
    print(json.dumps(main(sys.argv[1], out_dir)))
