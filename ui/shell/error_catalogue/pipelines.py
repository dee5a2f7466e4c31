"""Russian-ready words for the errors of Settings → Pipelines."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# code -> (English source in the context "Errors", names of %1, %2 ... in order)
ENTRIES: dict[str, tuple[object, tuple[str, ...]]] = {
    "parties.pipelines.outcome_won_or_lost": (
        QT_TRANSLATE_NOOP("Errors", "A closing stage is won or lost, not %1"),
        ("value",),
    ),
    "parties.pipelines.stage_named_exists": (
        QT_TRANSLATE_NOOP("Errors", "Pipeline %1 has a stage named %2 already"),
        ("pipeline", "name"),
    ),
    "parties.pipelines.stages_same_name": (
        QT_TRANSLATE_NOOP("Errors", "Two stages of the pipeline have the same name"),
        (),
    ),
    "parties.pipelines.too_many_stages": (
        QT_TRANSLATE_NOOP("Errors", "A pipeline holds at most %1 stages"),
        ("max_stages",),
    ),
    "parties.pipelines.stage_holds_deals": (
        QT_TRANSLATE_NOOP(
            "Errors", "Stage %1 still holds %2 deal(s): move them to another stage first"
        ),
        ("name", "count"),
    ),
}
