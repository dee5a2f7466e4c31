"""The demo database: believable, valid, deterministic, and a working feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import func, select

from models import (
    Client,
    Contact,
    ContactPoint,
    Deal,
    Interaction,
    Lead,
    Note,
    Role,
    Task,
    User,
    interaction_contacts,
)
from services.core import bootstrap, timezones
from services.core.errors import UserError
from services.core.storage import Database, open_database
from services.demo import generate as demo
from services.feed import pages as feed
from services.interactions.interaction_input import search_text

# A Wednesday morning; every generated time is relative to it.
NOW = dt.datetime(2025, 3, 12, 9, 30, tzinfo=dt.UTC)


def _open(folder: Path) -> Database:
    return open_database(f"sqlite:///{folder / 't.sqlite3'}")


@pytest.fixture(scope="module")
def demo_db(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Database, demo.DemoSummary]]:
    db = _open(tmp_path_factory.mktemp("demo"))
    summary = demo.generate(db, clients=30, seed=7, now=NOW)
    yield db, summary
    db.dispose()


def _count(db: Database, model: Any) -> int:
    with db.reader() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_summary_counts_what_is_in_the_database(
    demo_db: tuple[Database, demo.DemoSummary],
) -> None:
    db, summary = demo_db
    assert summary.clients == 30
    assert summary.leads == 6
    assert summary.big_client_id is None
    expected = {
        Client: summary.clients,
        Lead: summary.leads,
        Contact: summary.contacts,
        ContactPoint: summary.contact_points,
        Deal: summary.deals,
        Interaction: summary.interactions,
        Note: summary.notes,
        Task: summary.tasks,
    }
    for model, count in expected.items():
        assert _count(db, model) == count, model
    assert summary.contacts >= 30
    assert min(summary.deals, summary.notes, summary.tasks) > 0
    # The first user from bootstrap plus the demo's managers, all in the Manager role.
    assert _count(db, User) == 1 + summary.users
    with db.reader() as uow:
        roles = uow.session.scalars(
            select(Role.name).join(User, User.role_id == Role.id).order_by(User.id).offset(1)
        ).all()
    assert summary.users >= 2
    assert set(roles) == {"Manager"}


def test_phone_numbers_are_valid_and_stored_as_e164(
    demo_db: tuple[Database, demo.DemoSummary],
) -> None:
    db, _ = demo_db
    with db.reader() as uow:
        points = uow.session.execute(
            select(ContactPoint.kind, ContactPoint.raw, ContactPoint.normalized)
        ).all()
    phones = [(raw, norm) for kind, raw, norm in points if kind == "phone"]
    emails = [(raw, norm) for kind, raw, norm in points if kind == "email"]
    assert len(phones) >= 30
    assert emails
    regions = set()
    for raw, normalized in phones:
        number = phonenumbers.parse(normalized)
        assert phonenumbers.is_valid_number(number), normalized
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == normalized
        # What a user typed reads back as the same number (national ones are Russian).
        typed = phonenumbers.parse(raw, "RU")
        assert phonenumbers.format_number(typed, phonenumbers.PhoneNumberFormat.E164) == normalized
        regions.add(phonenumbers.region_code_for_number(number))
    assert "RU" in regions
    assert regions - {"RU", "KZ"}, "expected foreign clients too"
    assert len({n for _, n in phones}) == len(phones)
    for raw, normalized in emails:
        assert normalized == raw.casefold()
        assert "@" in normalized


def test_names_are_a_russian_and_english_mix(demo_db: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = demo_db
    with db.reader() as uow:
        clients = uow.session.execute(select(Client.name, Client.region)).all()
        contacts = uow.session.scalars(select(Contact.full_name)).all()
    cyrillic = [name for name, _ in clients if any("а" <= ch.lower() <= "я" for ch in name)]
    assert 0.3 <= len(cyrillic) / len(clients) <= 0.9
    # Russian contact persons carry a patronymic: "Фамилия Имя Отчество".
    russian = [n for n in contacts if n.split()[-1].endswith(("вич", "вна", "ична", "ич"))]
    assert russian
    assert all(len(n.split()) == 3 for n in russian)


def test_every_client_has_interactions_in_its_own_zone(
    demo_db: tuple[Database, demo.DemoSummary],
) -> None:
    db, _ = demo_db
    with db.reader() as uow:
        # The zone the app derives for a client: explicit, else its phones, else region.
        zones = {}
        for client in uow.session.scalars(select(Client)):
            phones = uow.session.scalars(
                select(ContactPoint.normalized)
                .where(ContactPoint.client_id == client.id, ContactPoint.kind == "phone")
                .order_by(ContactPoint.id)
            ).all()
            zones[client.id] = timezones.party_zone(client.timezone, client.region, phones)
        with_history = set(
            uow.session.scalars(select(Interaction.client_id).where(Interaction.state != "planned"))
        )
        linked = uow.session.scalar(select(func.count()).select_from(interaction_contacts))
        for row in uow.session.scalars(select(Interaction)):
            if row.client_id is not None:
                assert row.start_tz == zones[row.client_id]
            assert timezones.wall_to_utc(row.start_local, row.start_tz) == row.start_utc
            assert row.start_local.weekday() < 5
            assert 9 <= row.start_local.hour <= 18
            assert row.search_text == search_text(row.subject, row.body)
    assert set(zones) <= with_history
    assert len(set(zones.values())) >= 3
    assert linked


def test_planned_are_ahead_and_done_behind_now(demo_db: tuple[Database, demo.DemoSummary]) -> None:
    db, summary = demo_db
    with db.reader() as uow:
        rows = uow.session.execute(
            select(
                Interaction.state,
                Interaction.start_utc,
                Interaction.done_at,
                Interaction.cancelled_at,
            )
        ).all()
        planned_per_client = uow.session.execute(
            select(Interaction.client_id, func.count())
            .where(Interaction.state == "planned", Interaction.client_id.is_not(None))
            .group_by(Interaction.client_id)
        ).all()
    states = {state for state, *_ in rows}
    assert states == {"planned", "done", "cancelled"}
    for state, start, done_at, cancelled_at in rows:
        if state == "planned":
            assert NOW < start < NOW + dt.timedelta(weeks=4)
            assert done_at is None
            assert cancelled_at is None
        elif state == "done":
            assert NOW - dt.timedelta(days=366) < start < NOW
            assert done_at is not None
            assert start <= done_at <= NOW
        else:
            assert start < NOW
            assert cancelled_at is not None
            assert cancelled_at <= start
    assert all(1 <= n <= 3 for _, n in planned_per_client)
    assert sum(state == "done" for state, *_ in rows) > summary.interactions * 0.7


def test_the_same_seed_gives_the_same_data(tmp_path: Path) -> None:
    def names(folder: Path, seed: int) -> tuple[list[str], list[str], list[str | None]]:
        folder.mkdir()
        db = _open(folder)
        demo.generate(db, clients=10, seed=seed, now=NOW)
        with db.reader() as uow:
            clients = list(uow.session.scalars(select(Client.name).order_by(Client.id)))
            contacts = list(uow.session.scalars(select(Contact.full_name).order_by(Contact.id)))
            subjects = list(
                uow.session.scalars(select(Interaction.subject).order_by(Interaction.id))
            )
        db.dispose()
        return clients, contacts, subjects

    first = names(tmp_path / "a", seed=3)
    assert names(tmp_path / "b", seed=3) == first
    assert names(tmp_path / "c", seed=4)[0] != first[0]


def test_refuses_a_database_with_clients(tmp_path: Path) -> None:
    db = _open(tmp_path)
    demo.generate(db, clients=2, seed=1, now=NOW)
    with pytest.raises(UserError, match="already has clients"):
        demo.generate(db, clients=2, seed=1, now=NOW)
    assert _count(db, Client) == 2
    # Explicitly allowed, it adds to what is there (new logins, new numbers).
    added = demo.generate(db, clients=2, seed=1, now=NOW, allow_existing=True)
    assert added.clients == 2
    assert _count(db, Client) == 4
    db.dispose()


def test_big_client_gets_its_many_interactions(tmp_path: Path) -> None:
    db = _open(tmp_path)
    stages: list[str] = []
    summary = demo.generate(
        db,
        clients=3,
        seed=1,
        now=NOW,
        big_client_interactions=400,
        interactions_per_client=2,
        progress=lambda stage, done, total: stages.append(stage),
    )
    assert summary.big_client_id is not None
    with db.reader() as uow:
        count = uow.session.scalar(
            select(func.count()).where(Interaction.client_id == summary.big_client_id)
        )
        planned = uow.session.scalar(
            select(func.count()).where(
                Interaction.client_id == summary.big_client_id, Interaction.state == "planned"
            )
        )
    assert count == 400
    assert planned == 4
    assert "clients" in stages
    db.dispose()


def test_feed_shows_planned_items_first(demo_db: tuple[Database, demo.DemoSummary]) -> None:
    db, _ = demo_db
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        client_id = uow.session.scalar(
            select(Interaction.client_id)
            .where(Interaction.state == "planned", Interaction.client_id.is_not(None))
            .group_by(Interaction.client_id)
            .order_by(func.count().desc(), Interaction.client_id)
            .limit(1)
        )
        assert client_id is not None
        page = feed.page(uow, actor, feed.FeedScope(client_id=client_id), limit=100)
    states = [item.state for item in page.items]
    assert "planned" in states
    assert any(s != "planned" for s in states)
    first_history = next(i for i, s in enumerate(states) if s != "planned")
    assert all(s == "planned" for s in states[:first_history])
    assert "planned" not in states[first_history:]
    planned_times = [item.start for item in page.items[:first_history]]
    assert planned_times == sorted(planned_times)
    history_times = [item.start for item in page.items[first_history:]]
    assert history_times == sorted(history_times, reverse=True)


def test_runs_on_each_backend(db: Database) -> None:
    """The conftest ``db`` fixture: SQLite, and PostgreSQL when it runs."""
    summary = demo.generate(db, clients=5, seed=2, now=NOW, big_client_interactions=50)
    assert _count(db, Client) == 6
    assert _count(db, Interaction) == summary.interactions
    with db.reader() as uow:
        linked = uow.session.scalar(select(func.count()).select_from(interaction_contacts))
        deal_clients = uow.session.scalars(select(Deal.client_id)).all()
    assert linked
    assert all(c is not None for c in deal_clients)


def test_the_computers_user_gets_a_name_and_a_given_one_is_kept(tmp_path: Path) -> None:
    """The first administrator is made with its login as its name; the demo
    names it like its colleagues, but never renames someone named."""
    from sqlalchemy import update

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    db = _open(tmp_path / "a")
    demo.generate(db, clients=2, seed=1, now=NOW)
    with db.reader() as uow:
        admin = uow.session.scalars(select(User).order_by(User.id)).first()
        assert admin is not None
        assert admin.full_name != admin.login
        assert all(word[:1].isupper() for word in admin.full_name.split())
    db.dispose()

    db = _open(tmp_path / "b")
    bootstrap.ensure_initial_data(db)
    with db.uow() as uow:
        uow.session.execute(update(User).values(full_name="Кузнецова Мария"))
        uow.commit()
    demo.generate(db, clients=2, seed=1, now=NOW)
    with db.reader() as uow:
        names = list(uow.session.scalars(select(User.full_name).order_by(User.id)))
    assert names[0] == "Кузнецова Мария"
    db.dispose()
