"""A realistic demo database: managers, clients, leads, deals and a year of contacts.

For trying the app, for screenshots and for ``bench/``: about 60 % Russian-
and 40 % English-speaking clients, valid phone numbers, one feed per client
with done, cancelled and planned interactions, notes and tasks.

Rows go in by Core ``INSERT ... executemany`` in batches, one transaction in
all: a million interactions take minutes, not hours. That also means the
ORM's hooks do not run, so the demo fills what they would: ``uid``,
``row_version``, the timestamps, ``search_text``; and no audit entries are
written (a demo record has no history of edits). The same seed gives the
same data except ``uid`` values and database ids.

The parts: ``demo_people`` (users, clients, leads, contacts),
``demo_contact_points`` (their phones, emails and domains), ``demo_activity``
(deals, interactions, notes, tasks), ``demo_rows`` (batched inserts and the
seeded draws all parts share), ``demo_names`` (the word lists).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from sqlalchemy import Connection, select

from models import Client, Pipeline, Role, Stage, User
from services.core import bootstrap
from services.core.errors import UserError, ValidationError
from services.core.storage import Database
from services.demo.activity import Activity
from services.demo.contact_points import transliterate
from services.demo.people import BIG_CLIENT_NAME, People, feminine_surname
from services.demo.rows import BATCH, DemoRun, Progress, RowWriter, chunks

__all__ = [
    "BATCH",
    "BIG_CLIENT_NAME",
    "CLIENT_CHUNK",
    "MANAGER_ROLE",
    "PIPELINE",
    "DemoSummary",
    "Progress",
    "feminine_surname",
    "generate",
    "transliterate",
]

CLIENT_CHUNK = 1_000  # clients built (and their ids fetched) at a time
PIPELINE = "Sales"
MANAGER_ROLE = "Manager"


#: A bigger demo would run for hours; benchmarks use at most 100,000 clients.
MAX_COUNT = 1_000_000


@dataclasses.dataclass(frozen=True)
class DemoSummary:
    """What ``generate`` added (users are the extra managers only)."""

    users: int
    clients: int
    leads: int
    contacts: int
    contact_points: int
    deals: int
    interactions: int
    notes: int
    tasks: int
    big_client_id: int | None


@dataclasses.dataclass(frozen=True)
class _Reference:
    """Rows the demo builds on, made by ``bootstrap.ensure_initial_data``."""

    manager_role: int
    pipeline_id: int
    stages: list[tuple[int, str | None]]  # (id, outcome) in pipeline order
    admin_id: int


def _load_reference(conn: Connection) -> _Reference:
    role_id = conn.scalar(select(Role.id).where(Role.name == MANAGER_ROLE))
    if role_id is None:
        raise UserError(
            f"The role {MANAGER_ROLE!r} is missing; the demo assigns it to managers",
            code="demo.generate.role_missing_demo_assigns",
            params={"manager_role": repr(MANAGER_ROLE)},
        )
    pipeline_id = conn.scalar(select(Pipeline.id).where(Pipeline.name == PIPELINE))
    if pipeline_id is None:
        raise UserError(
            f"The pipeline {PIPELINE!r} is missing; the demo puts deals in it",
            code="demo.generate.pipeline_missing_demo_puts",
            params={"pipeline": repr(PIPELINE)},
        )
    stages = [
        (row.id, row.outcome)
        for row in conn.execute(
            select(Stage.id, Stage.outcome)
            .where(Stage.pipeline_id == pipeline_id)
            .order_by(Stage.position)
        )
    ]
    if not stages:
        raise UserError(
            f"The pipeline {PIPELINE!r} has no stages",
            code="demo.generate.pipeline_has_no_stages",
            params={"pipeline": repr(PIPELINE)},
        )
    admin_id = conn.scalar(select(User.id).order_by(User.id).limit(1))
    assert admin_id is not None  # ensure_initial_data made one
    return _Reference(role_id, pipeline_id, stages, admin_id)


def generate(
    db: Database,
    *,
    clients: int = 200,
    seed: int = 1,
    big_client_interactions: int = 0,
    interactions_per_client: int | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    allow_existing: bool = False,
) -> DemoSummary:
    """Fill ``db`` with demo data; refuse a database that already has clients.

    ``interactions_per_client`` is the number of past interactions of each
    client (default 4 to 14); each also gets 0 to 3 planned ones in the next
    three weeks. ``big_client_interactions`` adds one key account with that
    many interactions (a few of them planned) and nothing else in its feed.
    """
    if clients < 0 or big_client_interactions < 0:
        raise ValidationError(
            "Client and interaction counts cannot be negative",
            code="demo.generate.client_interaction_counts_cannot",
        )
    if clients > MAX_COUNT or big_client_interactions > MAX_COUNT:
        raise ValidationError(
            f"Demo data is at most {MAX_COUNT:,} clients or interactions",
            code="demo.generate.demo_data_most_clients",
            params={"max_count": format(MAX_COUNT, ",")},
        )
    if interactions_per_client is not None and interactions_per_client < 0:
        raise ValidationError(
            "Interactions per client cannot be negative",
            code="demo.generate.interactions_per_client_cannot",
        )
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise ValueError("generate needs an aware 'now'")
    now = now.astimezone(dt.UTC)
    bootstrap.ensure_initial_data(db)
    with db.uow() as uow:
        conn = uow.session.connection()
        if not allow_existing and conn.scalar(select(Client.id).limit(1)) is not None:
            raise UserError(
                "The database already has clients; demo data goes into an empty database "
                "only (create a new one, or allow adding to this one explicitly)",
                code="demo.generate.database_already_has_clients",
            )
        rows = RowWriter(conn)
        ref = _load_reference(conn)
        run = DemoRun(rows, random.Random(seed), now, progress, ref.admin_id)
        people = People(run, ref.manager_role)
        activity = Activity(run, ref.pipeline_id, ref.stages)
        people.make_managers(max(2, min(25, clients // 400 + 2)))
        people.name_the_admin()
        done = 0
        for n in chunks(clients, CLIENT_CHUNK):
            activity.for_clients(people.make_clients(n), interactions_per_client)
            done += n
            run.report("clients", done, clients)
        rows.flush_all()
        big_client_id = None
        if big_client_interactions:
            [big] = people.make_clients(1, big=True)
            activity.for_big_client(big, big_client_interactions)
            big_client_id = big.id
            rows.flush_all()
        leads = clients // 5
        for n in chunks(leads, CLIENT_CHUNK):
            activity.for_leads(people.make_leads(n))
            rows.flush_all()
        run.report("leads", leads, leads)
        uow.commit()
    c = rows.counts
    return DemoSummary(
        users=c["users"],
        clients=c["clients"],
        leads=c["leads"],
        contacts=c["contacts"],
        contact_points=c["contact_points"],
        deals=c["deals"],
        interactions=c["interactions"],
        notes=c["notes"],
        tasks=c["tasks"],
        big_client_id=big_client_id,
    )
