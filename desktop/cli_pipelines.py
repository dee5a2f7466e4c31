"""``pipelines list|edit|stage-add|stage-rename|stage-move|stage-remove``:
the use cases Settings → Pipelines calls (``pipelines add`` stays in
cli_handlers, its output unchanged)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desktop.cli_args import ArgumentRefused, whole_number

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.core.access import Actor
    from services.core.storage import Database, UnitOfWork
    from services.parties import pipelines as pipes

ACTIONS = ("edit", "stage-add", "stage-rename", "stage-move", "stage-remove")


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "1", "on"):
        return True
    if value in ("no", "false", "0", "off"):
        return False
    raise argparse.ArgumentTypeError(f"yes or no, not {text[:20]!r}")


def add_parsers(pipelines: Any, json_flag: Any) -> None:
    p = pipelines.add_parser("list", help="every pipeline with its stages and their deal counts")
    json_flag(p)
    p = pipelines.add_parser("edit", help="rename a pipeline or set its next-step rule (admin)")
    p.add_argument("pipeline", metavar="PIPELINE_ID_OR_NAME")
    p.add_argument("--name", help="the new name")
    p.add_argument(
        "--requires-planned",
        type=_yes_no,
        metavar="yes|no",
        help="whether a deal must always have a planned interaction",
    )
    json_flag(p)
    p = pipelines.add_parser("stage-add", help="add a stage, last unless --place (admin)")
    p.add_argument("pipeline", metavar="PIPELINE_ID_OR_NAME")
    p.add_argument("name")
    p.add_argument("--outcome", choices=("won", "lost"), help="a closing stage")
    p.add_argument("--place", type=whole_number, help="its place, 1 first")
    json_flag(p)
    p = pipelines.add_parser("stage-rename", help="rename a stage (admin)")
    p.add_argument("pipeline", metavar="PIPELINE_ID_OR_NAME")
    p.add_argument("stage", metavar="STAGE_ID_OR_NAME")
    p.add_argument("name")
    json_flag(p)
    p = pipelines.add_parser("stage-move", help="put a stage at a place, 1 first (admin)")
    p.add_argument("pipeline", metavar="PIPELINE_ID_OR_NAME")
    p.add_argument("stage", metavar="STAGE_ID_OR_NAME")
    p.add_argument("place", type=whole_number)
    json_flag(p)
    p = pipelines.add_parser("stage-remove", help="remove a stage that holds no deals (admin)")
    p.add_argument("pipeline", metavar="PIPELINE_ID_OR_NAME")
    p.add_argument("stage", metavar="STAGE_ID_OR_NAME")
    json_flag(p)


def _line(view: pipes.PipelineView) -> str:
    rule = " [requires a planned next step]" if view.requires_planned else ""
    stages = "\n".join(
        f"  {s.position + 1}. {s.name}"
        + (f" [{s.outcome}]" if s.outcome else "")
        + f"\t{s.deals} deal(s)\t(stage {s.id})"
        for s in view.stages
    )
    return f"pipeline {view.id}: {view.name}{rule}\n{stages}"


def handle_list(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Any) -> None:
    from services.parties import pipelines as pipes

    rows = pipes.pipelines(uow, actor)
    emit(args, rows, "\n".join(_line(v) for v in rows) or "No pipelines yet.")


def handle(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    from services.parties import pipelines as pipes

    ref = args.pipeline
    if args.action == "edit":
        view = None
        if args.name is not None:
            view = pipes.rename_pipeline(db, actor, ref, args.name).value
            ref = view.id
        if args.requires_planned is not None:
            view = pipes.set_requires_planned(db, actor, ref, args.requires_planned).value
        if view is None:
            raise ArgumentRefused("pipelines edit: give --name or --requires-planned")
    elif args.action == "stage-add":
        place = None if args.place is None else args.place - 1
        view = pipes.add_stage(db, actor, ref, args.name, outcome=args.outcome, index=place).value
    elif args.action == "stage-rename":
        view = pipes.rename_stage(db, actor, ref, args.stage, args.name).value
    elif args.action == "stage-move":
        view = pipes.move_stage(db, actor, ref, args.stage, args.place - 1).value
    else:
        view = pipes.remove_stage(db, actor, ref, args.stage).value
    emit(args, view, _line(view))


HANDLERS: dict[tuple[str, str | None], Any] = {("pipelines", a): handle for a in ACTIONS}
