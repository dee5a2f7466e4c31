"""What a user does to put letters and calls on cards: one function per
action, shared by the desktop and ``touchpoint``.

Each opens its own units of work and returns its result with the
``Changes`` it made; an import or a saved address is followed by the
linking run it calls for, so the CLI and the desktop cannot differ on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import select

from models import CallRecord, MailMessage
from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.errors import ValidationError
from services.core.storage import Database, UnitOfWork
from services.feed import sources as feed_sources
from services.feed import touched
from services.feed.sources import ItemSource
from services.linking import call_log, manual
from services.linking import job as linking
from services.parties import contact_points


@dataclasses.dataclass(frozen=True)
class CallsImported:
    imported: call_log.CallImport
    linked: int  # calls the linking run put on cards
    ties: int  # addresses or numbers two cards share, as the linking run met them


@dataclasses.dataclass(frozen=True)
class LetterLinked:
    interaction_id: int
    offer_address: str | None  # the address to offer saving on the card
    saved: bool  # the address was saved on the card
    linked: int  # letters the address then pulled onto the card


def run_linking(db: Database) -> Outcome[linking.LinkReport]:
    """The linking job now: earlier letters and calls onto the cards that
    now have their address or number."""
    return _with_left(touched.tracked(db, lambda: linking.run(db)))


def left_changes(report: linking.LinkReport) -> Changes:
    """The cards the run moved letters or calls off: the history reads back
    only where they are now."""
    return Changes.of(cards=report.left_cards)


def _with_left(run: Outcome[linking.LinkReport]) -> Outcome[linking.LinkReport]:
    return touched.plus(run, left_changes(run.value))


def import_calls(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    preset: str = "generic",
    mapping: Mapping[str, str] | None = None,
    source: str | None = None,
) -> Outcome[CallsImported]:
    """A PBX call log in one transaction, then a linking run."""
    if not path.is_file():
        raise ValidationError(
            f"No such file: {path}",
            code="linking.use_cases.no_such_file",
            params={"path": str(path)},
        )
    made = touched.in_unit(
        db,
        actor,
        lambda uow: call_log.import_calls(
            uow, actor, path, preset=preset, mapping=mapping, source=source
        ),
    )
    linked = run_linking(db)
    report = linked.value
    return Outcome(
        CallsImported(made.value, report.calls, report.ties), made.changes | linked.changes
    )


def _letter_changes(uow: UnitOfWork, message_id: int) -> Changes:
    """The card a letter sits on now (or sat on, read before it moves)."""
    interaction_id = uow.session.scalar(
        select(MailMessage.interaction_id).where(MailMessage.id == message_id)
    )
    if interaction_id is None:
        return Changes.of(updated={"letter": [message_id]})
    return touched.interaction_changes(uow, updated=[interaction_id]) | Changes.of(
        updated={"letter": [message_id]}
    )


def _call_changes(uow: UnitOfWork, call_id: int) -> Changes:
    """The card a call sits on now (or sat on, read before it moves)."""
    interaction_id = uow.session.scalar(
        select(CallRecord.interaction_id).where(CallRecord.id == call_id)
    )
    mine = Changes.of(updated={"call": [call_id]})
    if interaction_id is None:
        return mine
    return touched.interaction_changes(uow, updated=[interaction_id]) | mine


def link_letter(
    db: Database,
    actor: Actor,
    message_id: int,
    kind: str,
    object_id: int,
    *,
    save_address: bool = False,
    never: bool = False,
) -> Outcome[LetterLinked]:
    """Put a letter on a card by hand (moving it off another); with
    ``save_address`` its unknown address goes on the card and pulls the
    other letters from it along, with ``never`` it is never offered again."""

    result, saved, linked, changes = _link_by_hand(
        db,
        actor,
        lambda uow: _letter_changes(uow, message_id),
        lambda uow: manual.link_message(uow, actor, message_id, kind, object_id),
        "email",
        (kind, object_id),
        save=save_address,
        never=never,
    )
    return Outcome(
        LetterLinked(
            result.interaction_id, result.offer_address, saved, linked.emails if linked else 0
        ),
        changes,
    )


@dataclasses.dataclass(frozen=True)
class CallLinked:
    interaction_id: int
    offer_number: str | None  # the number to offer saving on the card
    saved: bool  # the number was saved on the card
    linked: int  # calls the number then pulled onto the card


def link_call(
    db: Database,
    actor: Actor,
    call_id: int,
    kind: str,
    object_id: int,
    *,
    save_number: bool = False,
    never: bool = False,
) -> Outcome[CallLinked]:
    """Put a call on a card by hand (moving it off another); with
    ``save_number`` its unknown number goes on the card and pulls the other
    calls from it along, with ``never`` it is never offered again."""

    result, saved, linked, changes = _link_by_hand(
        db,
        actor,
        lambda uow: _call_changes(uow, call_id),
        lambda uow: manual.link_call(uow, actor, call_id, kind, object_id),
        "phone",
        (kind, object_id),
        save=save_number,
        never=never,
    )
    return Outcome(
        CallLinked(
            result.interaction_id, result.offer_address, saved, linked.calls if linked else 0
        ),
        changes,
    )


def _link_by_hand(
    db: Database,
    actor: Actor,
    where_before: Callable[[UnitOfWork], Changes],
    link: Callable[[UnitOfWork], manual.ManualLink],
    point_kind: str,
    card: tuple[str, int],
    *,
    save: bool,
    never: bool,
) -> tuple[manual.ManualLink, bool, linking.LinkReport | None, Changes]:
    """A letter or call put on ``card`` by hand; its unknown address or
    number saved there (then the job pulls the rest along) or never offered
    again. Returns the link, whether the value was saved, the job's report
    (None when nothing was saved) and every card touched, the one the item
    left included."""

    def work(uow: UnitOfWork) -> tuple[manual.ManualLink, str | None, Changes]:
        before = where_before(uow)
        result = link(uow)
        saved = None
        if result.offer_address and save:
            saved = contact_points.add_to_card(
                uow, actor, point_kind, result.offer_address, *card
            ).normalized
        elif result.offer_address and never:
            manual.never_offer(uow, actor, point_kind, result.offer_address)
        after = touched.interaction_changes(uow, created=[result.interaction_id])
        return result, saved, before | after

    made = touched.in_unit(db, actor, work)
    result, saved, moved = made.value
    changes = made.changes | moved | Changes.of(cards=[card])
    if saved is None:
        return result, False, None, changes
    value = saved
    run = _with_left(touched.tracked(db, lambda: linking.run(db, values=[value])))
    return result, True, run.value, changes | run.changes


def never_offer(db: Database, actor: Actor, kind: str, value: str) -> Outcome[None]:
    """Never again offer to save this address or number on a card."""
    return touched.in_unit(db, actor, lambda uow: manual.never_offer(uow, actor, kind, value))


def unlink_letter(db: Database, actor: Actor, message_id: int) -> Outcome[None]:
    """Take a letter off its card; the job will not put it back."""

    def work(uow: UnitOfWork) -> Changes:
        before = _letter_changes(uow, message_id)
        manual.unlink_message(uow, actor, message_id)
        return Changes.of(
            removed={"interaction": before.updated.get("interaction", ())},
            updated={"letter": [message_id]},
            cards=before.cards,
        )

    made = touched.in_unit(db, actor, work)
    return Outcome(None, made.changes | made.value)


def unlink_item(db: Database, actor: Actor, interaction_id: int) -> Outcome[ItemSource]:
    """Take an imported letter or call off the card whose feed shows it."""

    def work(uow: UnitOfWork) -> tuple[ItemSource, Changes]:
        before = touched.interaction_changes(uow, removed=[interaction_id])
        return feed_sources.unlink(uow, actor, interaction_id), before

    made = touched.in_unit(db, actor, work)
    source, before = made.value
    return Outcome(source, made.changes | before)
