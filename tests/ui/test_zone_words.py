"""A scenario's planned dates name the zone by its city in the window's
language: the Russian preview and apply dialog said "(Europe/London)" beside
a card whose header says "Лондон" (the 1366x768 scenario screenshots)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale

from services.scenarios.runs import PlannedStep
from ui.scenarios.chain_preview import step_line


def test_the_russian_preview_names_the_clients_city(russian: None) -> None:
    local = dt.datetime(2026, 12, 11, 10, 0)
    step = PlannedStep(3, "email", "Напоминание о предложении", local, "Europe/London",
                       local.replace(tzinfo=dt.UTC), True, True)  # fmt: skip
    line = step_line(step, QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    assert line.startswith("3. Письмо «Напоминание о предложении» — ")
    assert line.endswith("10:00 (Лондон)")
    assert "Europe" not in line
