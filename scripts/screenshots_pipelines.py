"""Screenshots of Settings → Pipelines at 1366×768 in English and Russian,
on the demo database of scripts/screenshot_demo.py: the stages of a
pipeline with an inline duplicate-name warning.

    .venv/bin/python scripts/screenshots_pipelines.py     # into screenshots/
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig


def take(url: str, out: Path, language: str) -> None:
    with rig.window(url, language, settle_ms=1000) as (window, _parts):
        window.navigation.select("settings")
        settings = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.pipelines_page)
        page = settings.pipelines_page
        # the stages come from a read on a lane: shoot them, not an empty list
        rig.until(lambda: page.loaded and page.stages.count() > 1, "the pipeline's stages")
        page.stages.setCurrentRow(1)
        page.stage_name.setText(page.stages.item(0).text().split(" · ")[0].upper())
        rig.until(page.problem.isVisible, "the duplicate-name warning")
        rig.shoot(out / f"settings-pipelines{rig.suffix(language)}.png")


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    for language in rig.LANGUAGES:
        take(url, out, language)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
