"""Every service use case that takes a record id, called by a manager on
another manager's records, is refused (#15 item 5): the desktop calls these
directly, so the CLI walk alone would miss a window-only path.

The use cases are found by introspection (public functions of ``services``
taking ``actor`` and an id); one without a case here fails
``test_every_use_case_has_an_access_case``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest

import services
from services.ai import drafts as ai_drafts
from services.ai import queue_round
from services.ai.settings import Message
from services.core import bootstrap
from services.core.access import PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import UnitOfWork, open_database
from services.feed import card, indicators, sources
from services.interactions import actions as ix
from services.interactions import agenda, attachment_removal, attachments, notes, tasks
from services.linking import explain, listing
from services.mail import messages
from services.parties import board, contact_points, deals, deputies, shares
from services.parties import records as parties
from services.scenarios import content as scenario_content
from services.sync import card_conflicts
from services.templates import store as templates
from services.templates import variables
from services.templates.store import Draft
from tests.integration import test_inbound_access as inbound_access
from tests.integration.access_world import Boris, World
from tests.integration.access_world import world as world  # the same seeded database
from tests.integration.test_access_walk import LISTS, NO_RECORD, REFUSED

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
Z = "Europe/Moscow"

Call = Callable[[UnitOfWork, Any, Boris, int], object]


def _boris_period(uow: UnitOfWork, boris: int) -> int:
    """A period of Boris's with the administrator as his deputy (rolled back)."""
    from sqlalchemy import select

    from models import Deputy, User

    admin = uow.session.scalar(
        select(User.id).where(User.login.not_in(["anna", "boris"])).order_by(User.id)
    )
    assert admin is not None
    row = Deputy(absent_id=boris, deputy_id=admin, until=NOW + dt.timedelta(days=3650))
    uow.session.add(row)
    uow.session.flush()
    return row.id


def _boris_attachment(uow: UnitOfWork, b: Boris) -> int:
    """A file on Boris's client (rolled back with the unit of work)."""
    from models import Attachment

    row = Attachment(
        client_id=b.client,
        filename="паспорт.pdf",
        mime_type="application/pdf",
        size=0,
        sha256="0" * 64,
        path="attachments/00/" + "0" * 64,
    )
    uow.session.add(row)
    uow.session.flush()
    return row.id


# Use cases the desktop reaches without a CLI command: each called by Anna
# on Boris's record (the last argument is Boris's user id).
CASES: dict[str, Call] = {
    "ai.drafts.enqueue": lambda u, a, b, _: ai_drafts.enqueue(
        u,
        a,
        client_id=b.client,
        contact_id=b.contact,
        deal_id=b.deal,
        template_id=None,
        subject="Тема",
        to_address="x@example.test",
        messages=[Message("user", "Напиши")],
        now=NOW,
    ),
    "ai.drafts.prepare": lambda u, a, b, _: ai_drafts.prepare(
        u, a, Draft("Тема", "", True, "Напиши"), "Напиши", b.client, b.contact
    ),
    "ai.drafts.record_failure": lambda u, a, b, _: ai_drafts.record_failure(
        u, a, b.draft, "сбой", NOW, retry=True
    ),
    "ai.drafts.record_ready": lambda u, a, b, _: ai_drafts.record_ready(u, a, b.draft, "Текст"),
    "ai.drafts.use": lambda u, a, b, _: ai_drafts.use(u, a, b.draft),
    "parties.shares.shared_with": lambda u, a, b, _: shares.shared_with(u, a, "client", b.client),
    "parties.deputies.end_in": lambda u, a, _b, boris: deputies.end_in(
        u, a, _boris_period(u, boris)
    ),
    "ai.queue_round.save": lambda u, a, b, _: queue_round.save(
        u, a, b.draft, "Текст", "", NOW, retry=False
    ),
    "feed.card.party_of": lambda u, a, b, _: card.party_of(u, a, b.client, None),
    "sync.card_conflicts.card_uids": lambda u, a, b, _: card_conflicts.card_uids(
        u, a, "client", b.client
    ),
    "feed.indicators.indicators": lambda u, a, b, _: indicators.indicators(
        u, a, "client", b.client, NOW, zone_name=Z
    ),
    "feed.sources.source_of": lambda u, a, b, _: sources.source_of(u, a, b.letter_interaction),
    "feed.sources.unlink": lambda u, a, b, _: sources.unlink(u, a, b.letter_interaction),
    "interactions.actions.set_contacts": lambda u, a, b, _: ix.set_contacts(u, a, b.planned, []),
    "interactions.actions.update": lambda u, a, b, _: ix.update(u, a, b.planned, subject="Моё"),
    "interactions.agenda.agenda": lambda u, a, b, boris: agenda.agenda(
        u, a, NOW, zone_name=Z, owner_id=boris
    ),
    "interactions.attachments.list_for": lambda u, a, b, _: attachments.list_for(
        u, a, "client", b.client
    ),
    "interactions.attachments.add": lambda u, a, b, _: attachments.add(
        u, a, "deal", b.deal, "счёт.pdf", b"%PDF"
    ),
    "interactions.attachment_removal.remove": lambda u, a, b, _: attachment_removal.remove(
        u, a, _boris_attachment(u, b)
    ),
    "interactions.notes.party_columns": lambda u, a, b, _: notes.party_columns(
        u, a, "contact", b.contact
    ),
    "interactions.notes.get_memo": lambda u, a, b, _: notes.get_memo(u, a, "client", b.client),
    "linking.explain.why": lambda u, a, b, _: explain.why(u, a, b.letter_interaction),
    "linking.listing.letters": lambda u, a, b, _: listing.letters(u, a, account_id=b.account),
    "mail.messages.letter": lambda u, a, b, _: messages.letter(u, a, b.letter_interaction),
    "parties.board.deals_of": lambda u, a, b, _: board.deals_of(u, a, "client", b.client),
    "parties.contact_points.add": lambda u, a, b, _: contact_points.add(
        u, a, "email", "spy@anna.example", client_id=b.client
    ),
    "parties.records.visible_client": lambda u, a, b, _: parties.visible_client(u, a, b.client),
    "parties.records.visible_lead": lambda u, a, b, _: parties.visible_lead(u, a, b.lead),
    "parties.records.check_visible": lambda u, a, b, _: parties.check_visible(
        u, a, "client", b.client
    ),
    "parties.deals.visible_deal": lambda u, a, b, _: deals.visible_deal(u, a, b.deal),
    "templates.store.deactivate": lambda u, a, b, _: templates.deactivate(u, a, b.template),
    "templates.variables.context_for": lambda u, a, b, _: variables.context_for(
        u, a, b.client, b.contact, b.deal, NOW
    ),
    "templates.variables.inbound_for": lambda u, a, b, _: variables.inbound_for(
        u, a, b.client, None
    ),
    "scenarios.content.fill": lambda u, a, b, _: scenario_content.fill(
        u,
        a,
        subject="Тема",
        prompt="Напиши",
        template_id=None,
        ai=False,
        client_id=b.client,
        contact_id=b.contact,
        now=NOW,
    ),
}

# Use cases a CLI command runs: the CLI walk refuses them there.
THROUGH_CLI = {
    **{
        f"scenarios.{name}": command
        for command, names in {
            "scenarios show": (
                "store.get",
                "use_cases.get_scenario",
                "runs.preview",
                "use_cases.preview",
            ),
            "scenarios edit": (
                "store.update",
                "use_cases.edit_scenario",
                "use_cases.deactivate_scenario",
            ),
            "scenarios add-step": ("store.add_step", "use_cases.add_step"),
            "scenarios copy-step": ("store.duplicate_step", "use_cases.duplicate_step"),
            "scenarios move-step": ("store.move_step", "use_cases.move_scenario_step"),
            "scenarios remove-step": ("store.remove_step", "use_cases.remove_step"),
            "scenarios archive": ("archive.archive", "use_cases.archive_scenario"),
            "scenarios restore": ("archive.restore", "use_cases.restore_scenario"),
            "scenarios apply": ("runs.apply", "use_cases.apply_scenario"),
            "scenarios run": ("runs.get", "use_cases.get_run"),
            "scenarios runs": ("runs.list_runs", "use_cases.list_runs"),
            "scenarios move": ("runs.move_step", "use_cases.move_run_step"),
            "scenarios cancel": ("runs.cancel", "use_cases.cancel_run"),
            "scenarios resume": ("runs.resume", "use_cases.resume_run"),
        }.items()
        for name in names
    },
    "parties.transfers.transfer": "clients transfer",
    "inbound.setup.remove_source": "sources remove",
    "parties.shares.set_shared": "clients share",
    "core.history.history": "history",
    "parties.edit_cases.convert_lead": "leads convert",
    "parties.edit_cases.edit_client": "clients edit",
    "parties.edit_cases.edit_contact": "contacts edit",
    "parties.edit_cases.edit_deal": "deals edit",
    "parties.edit_cases.edit_lead": "leads edit",
    "parties.edits.convert_lead": "leads convert",
    "parties.edits.edit_client": "clients edit",
    "parties.edits.edit_contact": "contacts edit",
    "parties.edits.edit_deal": "deals edit",
    "parties.edits.edit_lead": "leads edit",
    "ai.drafts.drop": "drafts drop",
    "ai.drafts.open_requests": "drafts list",
    "feed.card.card": "card",
    "interactions.actions.cancel": "interactions cancel",
    "interactions.use_cases.add_memo": "memo add",
    "interactions.use_cases.add_note": "notes add",
    "interactions.use_cases.add_task": "tasks add",
    "interactions.use_cases.cancel": "interactions cancel",
    "interactions.use_cases.complete": "interactions done",
    "interactions.use_cases.complete_task": "tasks done",
    "interactions.use_cases.edit_task": "tasks edit",
    "interactions.use_cases.reschedule_task": "tasks edit",
    "interactions.use_cases.reopen_task": "tasks reopen",
    "interactions.use_cases.remove_task": "tasks remove",
    "interactions.use_cases.edit_memo": "memo edit",
    "interactions.use_cases.edit_note": "notes edit",
    "interactions.use_cases.remove_note": "notes remove",
    "interactions.use_cases.reschedule": "interactions reschedule",
    "interactions.use_cases.restore": "interactions restore",
    "linking.use_cases.link_call": "calls link",
    "linking.use_cases.link_letter": "mail link",
    "linking.use_cases.unlink_letter": "mail unlink",
    "parties.use_cases.add_client": "clients add",
    "parties.use_cases.add_contact": "contacts add",
    "parties.use_cases.add_lead": "leads add",
    "parties.use_cases.add_point": "points add",
    "parties.use_cases.move_deal": "deals move",
    "interactions.actions.complete": "interactions done",
    "interactions.actions.get": "interactions show",
    "interactions.actions.reschedule": "interactions reschedule",
    "interactions.actions.restore": "interactions restore",
    "interactions.notes.add_memo": "memo add",
    "interactions.notes.add_note": "notes add",
    "interactions.tasks.add_task": "tasks add",
    "interactions.tasks.complete_task": "tasks done",
    "interactions.tasks.edit_task": "tasks edit",
    "interactions.tasks.reopen_task": "tasks reopen",
    "interactions.tasks.remove_task": "tasks remove",
    "interactions.tasks.get": "tasks show",
    "interactions.tasks.visible_task": "tasks show",
    "interactions.notes.edit_memo": "memo edit",
    "interactions.note_edits.edit_note": "notes edit",
    "interactions.note_edits.remove_note": "notes remove",
    "interactions.note_edits.get": "notes show",
    "interactions.note_edits.visible_note": "notes show",
    "linking.listing.calls": "calls list",
    "linking.manual.link_call": "calls link",
    "linking.manual.link_message": "mail link",
    "linking.manual.unlink_call": "calls unlink",
    "linking.manual.unlink_message": "mail unlink",
    "linking.manual.unlinked": "mail unlinked",
    "linking.manual.why": "why",
    "mail.accounts.get_row": "mail sync",
    "mail.accounts.remove": "mail account remove",
    "mail.accounts.update": "mail account set",
    "mail.outbox.cancel": "outbox cancel",
    "mail.outbox.queue": "mail send",
    "mail.use_cases.cancel_letter": "outbox cancel",
    "mail.use_cases.remove_account": "mail account remove",
    "mail.use_cases.update_account": "mail account set",
    "templates.use_cases.edit_template": "templates edit",
    "parties.contact_points.add_to_card": "points add",
    "parties.deals.add_deal": "deals add",
    "parties.deals.get": "deals show",
    "parties.deals.move": "deals move",
    "parties.records.add_contact": "contacts add",
    "parties.records.get_client": "clients show",
    "parties.records.get_contact": "contacts show",
    "parties.records.get_lead": "leads show",
    "parties.records.list_clients": "clients list",
    "parties.client_list.page": "clients list",  # the CLI's quick path runs it directly
    "parties.records.add_client": "clients add",
    "parties.records.add_lead": "leads add",
    "templates.store.apply": "templates apply",
    "templates.store.update": "templates edit",
    "templates.store.get": "templates show",
}

EXEMPT = {
    "core.access.check": "the rule itself",
    "core.access.may_see": "the rule itself, as a question",
    "parties.records.owner_id_for": "picks the owner of a new record; reads nothing",
    "sync.card_conflicts.of_card": "card_uids checks the card first (a case above)",
    "parties.board.board": "a pipeline's board, filtered to the actor's deals (test below)",
    "parties.deputies.end_period": "deputies.end_in, covered above; test_deputies.py",
    "interactions.use_cases.undo_cancel": "actions.restore then actions.complete, both covered",
    "linking.use_cases.unlink_item": "sources.unlink: manual.unlink_message or unlink_call",
    "templates.use_cases.deactivate_template": "store.deactivate, covered above",
    "mail.use_cases.set_password": "opens its own unit of work: the test below",
    "interactions.use_cases.add_attachment": "attachments.add, covered above",
    "interactions.use_cases.remove_attachment": "attachment_removal.remove, covered above",
    "scenarios.content.messages": "ai.drafts.prepare for the client, covered above",
    "inbound.telegram_poll.set_token": "needs the settings permission: test_telegram_poll.py",
    "sync.conflicts.resolve_conflict": "a colleague's conflict: test_replica_log.py",
    "sync.use_cases.resolve_conflict": "sync.conflicts.resolve_conflict, covered above",
    "parties.pipeline_history.record": "written by the pipelines use cases (settings only)",
    "interactions.interaction_input.check_contacts": (
        "the contact-person rule itself (access.check each)"
    ),
    "interactions.interaction_input.resolve_party": (
        "the party rule of create (visible_deal, visible_client, visible_lead)"
    ),
    "interactions.interaction_input.check_deal_party": (
        "the deal rule of create and update (visible_deal)"
    ),
    "interactions.note_edits.may_change": "the author rule itself; reads nothing",
    "interactions.note_edits.check_author": (
        "the author rule after access.check: test_note_edits.py, test_replica_note_author.py"
    ),
}
EXEMPT |= {name: "test_inbound_access.py" for name in inbound_access.COVERED}


def test_a_manager_does_not_list_a_colleagues_deputy_period(world: World) -> None:
    db = open_database(world.url)
    try:
        with db.uow() as uow:
            _boris_period(uow, world.team.boris.id)
            anna = bootstrap.actor_for(uow, "anna")
            boris = bootstrap.actor_for(uow, "boris")
            assert deputies.periods(uow, anna, now=NOW) == []
            [his] = deputies.periods(uow, boris, now=NOW)
            assert his.absent_name == "Борис Петров"
    finally:
        db.dispose()


def test_a_manager_cannot_set_a_colleagues_mail_password(world: World) -> None:
    from services.mail import use_cases as mail_cases

    db = open_database(world.url)
    try:
        with db.reader() as uow:
            anna = bootstrap.actor_for(uow, "anna")
        with pytest.raises((PermissionDenied, NotFoundError)):
            mail_cases.set_password(db, anna, world.boris.account, "чужой-пароль")
    finally:
        db.dispose()


def _use_cases() -> set[str]:
    found: set[str] = set()
    for info in pkgutil.walk_packages(services.__path__, "services."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != info.name or name.startswith("_"):
                continue
            params = inspect.signature(fn).parameters
            if "actor" in params and any(p == "id" or p.endswith("_id") for p in params):
                found.add(f"{info.name.removeprefix('services.')}.{name}")
    return found


def test_every_use_case_has_an_access_case() -> None:
    cases = set(CASES) | set(THROUGH_CLI) | set(EXEMPT)
    missing = sorted(_use_cases() - cases)
    assert not missing, f"use cases without an access case: {missing}"
    cli = set(REFUSED) | set(LISTS) | set(NO_RECORD)
    assert not sorted(set(THROUGH_CLI.values()) - cli)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_manager_is_refused_by_the_use_case(world: World, name: str) -> None:
    db = open_database(world.url)
    try:
        with db.uow() as uow:
            anna = bootstrap.actor_for(uow, "anna")
            with pytest.raises((PermissionDenied, NotFoundError)):
                CASES[name](uow, anna, world.boris, world.team.boris.id)
    finally:
        db.dispose()


def test_the_board_shows_only_the_managers_deals(world: World) -> None:
    db = open_database(world.url)
    try:
        with db.reader() as uow:
            shown = {
                login: repr(board.board(uow, bootstrap.actor_for(uow, login), zone_name=Z))
                for login in ("anna", "boris")
            }
    finally:
        db.dispose()
    assert "Сделка Бориса" in shown["boris"]
    assert "Сделка Бориса" not in shown["anna"]


def test_a_task_is_completed_by_its_assignee_and_the_audit_says_who(world: World) -> None:
    """Boris gives Anna a task on his client: she may complete it, and the
    audit trail names her; completing his own task stays refused above."""
    from sqlalchemy import select

    from models import AuditEntry

    db = open_database(world.url)
    try:
        with db.uow() as uow:
            boris = bootstrap.actor_for(uow, "boris")
            task = tasks.add_task(
                uow, boris, "client", world.boris.client, "Для Анны", assignee_id=world.team.anna.id
            )
            uow.commit()
        with db.uow() as uow:
            anna = bootstrap.actor_for(uow, "anna")
            tasks.complete_task(uow, anna, task, NOW)
            uow.commit()
        with db.reader() as uow:
            done = uow.session.execute(
                select(AuditEntry.user_id, AuditEntry.new).where(
                    AuditEntry.entity_kind == "task",
                    AuditEntry.entity_id == task,
                    AuditEntry.field == "done",
                )
            ).one()
    finally:
        db.dispose()
    assert done.user_id == world.team.anna.id
    assert done.new == "True"
