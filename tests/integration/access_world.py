"""The seeded database of the access walks (#15 item 5): Boris's records of
every kind, one client of Anna's, and running the CLI as one of them.

Shared by tests/integration/test_access_walk.py (every command),
test_access_services.py (every use case) and test_access_addresses_admin.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from desktop.cli import main
from models import AiDraftRequest, CallRecord, MailAccount, MailMessage, OutboxItem
from services.core.storage import Database, open_database
from services.interactions import actions as ix
from services.interactions import attachments, notes, tasks
from services.parties import deals
from services.parties import records as parties
from services.scenarios import runs as scenario_runs
from services.scenarios import store as scenario_store
from services.scenarios.store import StepSpec
from services.templates import store as templates
from tests.conftest import Team, make_team
from tests.integration.helpers import row_counts

# What only Boris's records contain: none of it may reach Anna.
MARKERS = (
    "ООО Секрет Бориса",
    "Лид Бориса",
    "Контакт Бориса",
    "Сделка Бориса",
    "Звонок Бориса",
    "Письмо Бориса",
    "Неразобранное письмо Бориса",
    "secret@boris.example",
    "boris@mail.example",
    "+74951234567",  # the number of Boris's call
)


@dataclasses.dataclass(frozen=True)
class Boris:
    client: int
    lead: int
    contact: int
    lead_contact: int
    deal: int
    planned: int
    task: int
    note: int
    letter: int
    letter_interaction: int
    unlinked_letter: int
    call_interaction: int
    call: int
    outbox: int
    draft: int
    account: int
    template: int
    anna_client: int
    scenario: int = 0
    run: int = 0
    run_step: int = 0
    attachment: int = 0


@dataclasses.dataclass(frozen=True)
class World:
    url: str
    boris: Boris
    team: Team
    tmp: Path


def seed(db: Database, team: Team) -> Boris:
    boris = team.boris
    start = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    with db.uow(boris.id) as uow:
        client = parties.add_client(
            uow, boris, "ООО Секрет Бориса", emails=["secret@boris.example"]
        )
        lead = parties.add_lead(uow, boris, "Лид Бориса")
        contact = parties.add_contact(uow, boris, "Контакт Бориса", client_id=client.id)
        lead_contact = parties.add_contact(uow, boris, "Контакт Бориса (лид)", lead_id=lead.id)
        deal = deals.add_deal(uow, boris, "Сделка Бориса", client_id=client.id)
        planned = ix.create(
            uow,
            boris,
            ix.NewInteraction(
                type="call", planned=True, start=start, client_id=client.id, subject="Звонок Бориса"
            ),
        )
        done = [
            ix.create(
                uow,
                boris,
                ix.NewInteraction(
                    type=kind, start=start, client_id=client.id, subject=f"{label} Бориса"
                ),
            )
            for kind, label in (("email", "Письмо"), ("call", "Звонок"))
        ]
        task = tasks.add_task(uow, boris, "client", client.id, "Задача Бориса")
        note = notes.add_note(uow, boris, "client", client.id, "Заметка Бориса")
        attachment = attachments.add(uow, boris, "client", client.id, "Паспорт.pdf", b"%PDF").id
        notes.add_memo(uow, boris, "client", client.id, "Памятка Бориса")
        template = templates.create(
            uow, boris, "Шаблон Бориса", "Тема", "Напиши {{ client.name }}", ai=True
        )
        session = uow.session
        account = MailAccount(
            user_id=boris.id,
            email="boris@mail.example",
            imap_host="127.0.0.1",
            imap_port=993,
            imap_user="boris",
            smtp_host="127.0.0.1",
            smtp_port=587,
            smtp_user="boris",
        )
        session.add(account)
        session.flush()
        letter = MailMessage(
            account_id=account.id,
            message_key="letter-1@boris.example",
            direction="in",
            subject="Письмо Бориса",
            from_addr="secret@boris.example",
            interaction_id=done[0].id,
            link_rule="auto",
            link_reason="secret@boris.example is on client",
        )
        unlinked = MailMessage(
            account_id=account.id,
            message_key="letter-2@boris.example",
            direction="in",
            subject="Неразобранное письмо Бориса",
            from_addr="stranger@boris.example",
        )
        call = CallRecord(
            source="pbx",
            call_key="c-1",
            started_at=start,
            direction="in",
            number="+74951234567",
            raw_number="84951234567",
            user_id=boris.id,
            interaction_id=done[1].id,
        )
        outbox = OutboxItem(
            account_id=account.id,
            message_key="out-1@boris.example",
            to_addrs="secret@boris.example",
            subject="Письмо Бориса",
            send_at=start + dt.timedelta(days=30),
        )
        draft = AiDraftRequest(
            requested_by=boris.id, client_id=client.id, subject="Письмо Бориса", messages="[]"
        )
        session.add_all([letter, unlinked, call, outbox, draft])
        session.flush()
        ids = (letter.id, unlinked.id, outbox.id, draft.id, account.id, call.id)
        uow.commit()
    with db.uow(team.anna.id) as uow:
        anna_client = parties.add_client(uow, team.anna, "ООО Ромашка Анны").id
        uow.commit()
    with db.uow(boris.id) as uow:
        chain = scenario_store.create(
            uow, boris, "Цепочка", [StepSpec("call", 1), StepSpec("email", 2, subject="Тема")]
        )
        run = scenario_runs.apply(uow, boris, chain.id, client.id, contact.id, start)
        uow.commit()
    return Boris(
        scenario=chain.id,
        run=run.id,
        run_step=run.steps[0].id,
        client=client.id,
        lead=lead.id,
        contact=contact.id,
        lead_contact=lead_contact.id,
        deal=deal.id,
        planned=planned.id,
        task=task,
        note=note,
        attachment=attachment,
        letter=ids[0],
        letter_interaction=done[0].id,
        unlinked_letter=ids[1],
        call_interaction=done[1].id,
        call=ids[5],
        outbox=ids[2],
        draft=ids[3],
        account=ids[4],
        template=template.id,
        anna_client=anna_client,
    )


@pytest.fixture(scope="module")
def world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("access")
    path = tmp / "touchpoint.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    db = open_database(url)
    try:
        team = make_team(db)
        boris = seed(db, team)
    finally:
        db.dispose()
    return World(url=url, boris=boris, team=team, tmp=tmp)


def run_cli(
    capsys: pytest.CaptureFixture[str], world: World, login: str, argv: list[str]
) -> tuple[int, str, str]:
    """``touchpoint`` run as ``login`` on the world's database: (exit code, out, err)."""
    capsys.readouterr()
    code = main(["--db", world.url, "--user", login, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def counts(world: World) -> dict[str, int]:
    """Rows per table: a refused command must leave every count as it was."""
    db = open_database(world.url)
    try:
        return row_counts(db)
    finally:
        db.dispose()


def leaks(text: str) -> list[str]:
    """The markers of Boris's records that show in ``text``."""
    return [m for m in MARKERS if m in text]
