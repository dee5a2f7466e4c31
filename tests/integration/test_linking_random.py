"""Random cards, addresses, numbers, letters and calls: wherever the linking
job puts a letter or a call is what the owner rule (``rule``) decides for it
alone, on SQLite and PostgreSQL (set-based statements on both); and on
SQLite the set-based pass leaves exactly the rows of the row-by-row one
(on PostgreSQL: ``test_linking_postgres``).

Each world has Cyrillic names and IDN addresses, addresses and numbers on
two cards, contact persons of clients and of leads, outgoing letters and
the mailboxes' own addresses in To and Cc, archived cards, points deleted
after a first run (letters stay where they were) and moved between cards
(letters follow), and one Message-ID in two mailboxes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update

from models import (
    CallRecord,
    Client,
    ContactPoint,
    Interaction,
    Lead,
    MailAccount,
    MailAddress,
    MailMessage,
    interaction_contacts,
)
from models.ids import new_uid
from services.core import bootstrap, settings
from services.core.storage import Database, open_database
from services.linking import call_links, letter_links, placement, rule, staging
from services.linking import job as linking
from services.parties import contact_points
from services.parties import records as parties
from tests.integration.test_linking_staged import _rows

NOW = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # Berlin skips 02:00 that night
TWINS = ["k38", "k78", "k118", "k158"]  # the second letter of each shares the first's interaction
OWN = [("я@почта.рф", "Я.Второй@почта.рф"), ("me@team.example", None)]


@dataclasses.dataclass
class World:
    emails: list[str]
    phones: list[str]


def _world(rng: random.Random) -> World:
    emails = [f"клиент{n}@пример.рф" for n in range(12)] + [f"P{n}@Big.Example" for n in range(12)]
    phones = [f"+7495{1000000 + n:07d}" for n in range(14)]
    return World(emails, phones)


def _normalized(value: str) -> str:
    return rule.letter_address(value)


def _fill(db: Database, rng: random.Random, world: World, zone: str, *, twins: bool = True) -> None:
    """Cards with points, two mailboxes, letters and calls (none linked yet).
    TWINS: one Message-ID in both mailboxes now and then (one interaction
    for two letters whose counted addresses differ: whichever of them is
    re-ranked last decides its card, so a resumed run may differ there)."""
    with db.uow() as uow:
        settings.put(uow, "default_timezone", zone)
        actor = bootstrap.actor_for(uow)
        clients = [parties.add_client(uow, actor, f"ООО «Ёлка {n}»").id for n in range(5)]
        leads = [parties.add_lead(uow, actor, f"Лид Пётр {n}").id for n in range(4)]
        contacts = [
            parties.add_contact(uow, actor, f"Иван {n}", client_id=clients[n % 5]).id
            for n in range(4)
        ] + [parties.add_contact(uow, actor, "Анна", lead_id=leads[0]).id]
        owners = (
            [{"client_id": c} for c in clients]
            + [{"lead_id": x} for x in leads]
            + [{"contact_id": c} for c in contacts]
        )
        for kind, values in (("email", world.emails), ("phone", world.phones)):
            for value in values:
                if rng.random() < 0.25:
                    continue  # nobody has it
                shown = value + (";ext=12" if kind == "phone" and rng.random() < 0.15 else "")
                for owner in rng.sample(owners, 1 if rng.random() < 0.7 else 2):
                    contact_points.add(uow, actor, kind, shown, **owner)
        uow.session.execute(update(Client).where(Client.id == clients[4]).values(archived_at=NOW))
        uow.session.execute(update(Lead).where(Lead.id == leads[3]).values(archived_at=NOW))
        accounts = []
        for email, aliases in OWN:
            row = MailAccount(
                user_id=1,
                email=email,
                aliases=aliases,
                imap_host="h",
                imap_port=993,
                imap_security="tls",
                imap_user=email,
                smtp_host="h",
                smtp_port=587,
                smtp_security="starttls",
                smtp_user=email,
            )
            uow.session.add(row)
            uow.session.flush()
            accounts.append(row.id)
        own = [e for pair in OWN for e in pair if e]
        account = 0
        for n in range(160):
            twin = twins and n % 40 == 39
            account = 1 - account if twin else rng.randrange(2)
            outgoing = rng.random() < 0.3
            sender = rng.choice(own if outgoing else [*world.emails, "чужой@нигде.рф"])
            people = {
                "from": [sender],
                "to": rng.sample(world.emails + own, rng.randrange(0, 3)),
                "cc": rng.sample(world.emails + own, rng.randrange(0, 2)),
            }
            key = f"k{n - 1}" if twin else f"k{n}"
            mid = uow.session.scalar(
                insert(MailMessage)
                .values(
                    account_id=accounts[account],
                    message_key=key,
                    direction="in",
                    subject=rng.choice(["Счёт №5", "  ", "", "Straße Ёж " * 200, "Re: договор"]),
                    sent_at=NOW + dt.timedelta(minutes=37 * (n - 80), microseconds=n),
                    from_addr=_normalized(sender),
                    body_state=rng.choice(["none", "skipped", "full"]),
                    auto_reply=False,
                    link_tie=False,
                )
                .returning(MailMessage.id)
            )
            pairs = {(r, _normalized(v)) for r, vs in people.items() for v in vs}
            if pairs:
                uow.session.execute(
                    insert(MailAddress),
                    [{"message_id": mid, "role": r, "address": v} for r, v in sorted(pairs)],
                )
        uow.session.execute(
            insert(CallRecord),
            [
                {
                    "uid": new_uid(),
                    "row_version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "source": "pbx",
                    "call_key": f"c{n}",
                    "started_at": NOW + dt.timedelta(minutes=41 * (n - 40)),
                    "direction": rng.choice(["in", "out"]),
                    "number": rng.choice([*world.phones, "+74950000000"]),
                    "raw_number": "x",
                    "duration_s": rng.choice([None, 0, 1, 59, 60, 61, 3600]),
                    "result": rng.choice(["answered", "", None, "занято"]),
                    "user_id": rng.choice([None, 1]),
                    "link_tie": False,
                }
                for n in range(80)
            ],
        )
        uow.commit()


def _change(db: Database, rng: random.Random, world: World) -> str:
    """After a first run: some points deleted, one moved to a contact
    person, one new address; returns the new one (for a narrowed run)."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        points = list(uow.session.scalars(select(ContactPoint.id).order_by(ContactPoint.id)))
        gone = rng.sample(points, max(1, len(points) // 6))
        uow.session.execute(delete(ContactPoint).where(ContactPoint.id.in_(gone)))
        person = parties.add_contact(uow, actor, "Ёжик Новый", client_id=1)
        contact_points.add(uow, actor, "email", world.emails[0], contact_id=person.id)
        contact_points.add(uow, actor, "phone", world.phones[0], contact_id=person.id)
        fresh = world.emails[-1]
        contact_points.add(uow, actor, "email", fresh, lead_id=1)
        uow.commit()
    return _normalized(fresh)


def _run_all(db: Database, rng: random.Random, world: World) -> list[linking.LinkReport]:
    reports = [linking.run(db, now=NOW)]
    fresh = _change(db, rng, world)
    reports.append(linking.run(db, values=[fresh], now=NOW))
    reports.append(linking.run(db, now=NOW + dt.timedelta(hours=1)))
    return reports


def _expected(uow: Any) -> tuple[dict[int, rule.Decision], dict[int, rule.Decision]]:
    """What the rule decides for every letter and call, each on its own."""
    s = uow.session
    own = {
        r.id: rule.own_addresses(r.email, r.aliases)
        for r in s.execute(select(MailAccount.id, MailAccount.email, MailAccount.aliases))
    }
    addresses: dict[int, list[tuple[str, str]]] = {}
    for mid, role, address in s.execute(
        select(MailAddress.message_id, MailAddress.role, MailAddress.address)
    ):
        addresses.setdefault(mid, []).append((role, address))
    emails = rule.candidates_of(uow, "email", {a for v in addresses.values() for _r, a in v})
    letters = {}
    for m in s.execute(select(MailMessage.id, MailMessage.account_id, MailMessage.from_addr)):
        mine = own[m.account_id]
        counted = rule.counted(rule.direction(m.from_addr, mine), addresses.get(m.id, ()), mine)
        decision = rule.decide(counted, emails)
        if decision is not None:
            letters[m.id] = decision
    numbers = {n for (n,) in s.execute(select(CallRecord.number))}
    phones = rule.candidates_of(uow, "phone", numbers)
    calls = {}
    for c in s.execute(select(CallRecord.id, CallRecord.number)):
        decision = rule.decide([c.number], phones)
        if decision is not None:
            calls[c.id] = decision
    return letters, calls


def _placed(uow: Any, kind: Any, item: int) -> tuple[Any, ...]:
    row = uow.session.execute(
        select(kind.interaction_id, kind.link_reason, kind.link_tie).where(kind.id == item)
    ).one()
    i = uow.session.get(Interaction, row.interaction_id)
    people = tuple(
        uow.session.scalars(
            select(interaction_contacts.c.contact_id)
            .where(interaction_contacts.c.interaction_id == row.interaction_id)
            .order_by(interaction_contacts.c.contact_id)
        )
    )
    return (i.client_id, i.lead_id, people, row.link_reason, row.link_tie)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_letter_and_call_is_where_the_owner_rule_puts_it(db: Database, seed: int) -> None:
    rng = random.Random(seed)
    world = _world(rng)
    _fill(db, rng, world, "Europe/Berlin")
    reports = _run_all(db, rng, world)
    assert reports[0].emails > 40
    assert reports[0].calls > 20
    assert reports[0].ties > 0
    assert reports[2].moved > 0
    _assert_placed_by_the_rule(db)


class _Cut(Exception):
    """The process dies between two chunks."""


def _cut_after(monkeypatch: pytest.MonkeyPatch, chunks: int) -> None:
    """Letters in chunks of 7; the run stops when the next chunk would start."""
    monkeypatch.setattr(placement, "BATCH", 7)
    done = []
    place = letter_links.run_chunk

    def run_chunk(*args: Any) -> None:
        if len(done) == chunks:
            raise _Cut
        done.append(1)
        place(*args)

    monkeypatch.setattr(letter_links, "run_chunk", run_chunk)


def test_a_run_cut_off_between_chunks_is_finished_by_the_next(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(8)
    world = _world(rng)
    _fill(db, rng, world, "Europe/Moscow", twins=False)
    with monkeypatch.context() as patch:
        _cut_after(patch, 3)
        with pytest.raises(_Cut):
            linking.run(db, now=NOW)
    with db.reader() as uow:
        linked = uow.session.scalar(
            select(func.count()).where(MailMessage.interaction_id.is_not(None))
        )
        calls = uow.session.scalar(
            select(func.count()).where(CallRecord.interaction_id.is_not(None))
        )
    assert 0 < linked <= 21  # three whole chunks, no more
    assert calls == 0
    first = linking.run(db, now=NOW)
    assert first.emails > 20
    assert first.moved == 0
    _assert_placed_by_the_rule(db)
    again = linking.run(db, now=NOW)
    assert (again.emails, again.calls, again.moved) == (0, 0, 0)


def test_a_cut_off_run_resumed_leaves_the_rows_of_an_uncut_one(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "base.sqlite3"
    shutil.copy(sqlite_template, base)
    db = open_database(f"sqlite:///{base}")
    _fill(db, random.Random(9), _world(random.Random(9)), "Europe/Berlin", twins=False)
    db.dispose()
    cut, whole = tmp_path / "cut.sqlite3", tmp_path / "whole.sqlite3"
    shutil.copy(base, cut)
    shutil.copy(base, whole)
    monkeypatch.setattr(placement, "BATCH", 7)
    for path, chunks in ((cut, 5), (whole, None)):
        database = open_database(f"sqlite:///{path}")
        try:
            if chunks is not None:
                with monkeypatch.context() as patch:
                    _cut_after(patch, chunks)
                    with pytest.raises(_Cut):
                        linking.run(database, now=NOW)
            linking.run(database, now=NOW)
        finally:
            database.dispose()
    assert _rows(cut) == _rows(whole)


@pytest.mark.parametrize(
    ("seed", "zone"), [(4, "Europe/Berlin"), (5, "UTC"), (6, "Asia/Kathmandu")]
)
def test_set_based_and_row_by_row_leave_the_same_rows(
    sqlite_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    zone: str,
) -> None:
    base = tmp_path / "base.sqlite3"
    shutil.copy(sqlite_template, base)
    db = open_database(f"sqlite:///{base}")
    _fill(db, random.Random(seed), _world(random.Random(seed)), zone)
    db.dispose()
    bulk, plain = tmp_path / "bulk.sqlite3", tmp_path / "plain.sqlite3"
    shutil.copy(base, bulk)
    shutil.copy(base, plain)

    def run(path: Path) -> list[linking.LinkReport]:
        database = open_database(f"sqlite:///{path}")
        try:
            rng = random.Random(seed * 7)
            return _run_all(database, rng, _world(rng))
        finally:
            database.dispose()

    reports = run(bulk)
    with monkeypatch.context() as patch:
        patch.setattr(staging, "on_sqlite", lambda _session: False)
        assert run(plain) == reports
    assert reports[0].emails > 40
    assert _rows(bulk) == _rows(plain)


def _assert_placed_by_the_rule(db: Database) -> None:
    with db.reader() as uow:
        letters, calls = _expected(uow)
        twins = {
            m
            for (m,) in uow.session.execute(
                select(MailMessage.id).where(MailMessage.message_key.in_(TWINS))
            )
        }
        for mid, d in letters.items():
            if mid in twins:
                continue
            assert _placed(uow, MailMessage, mid) == (
                d.client_id,
                d.lead_id,
                d.contact_ids,
                d.reason(),
                d.tie,
            ), mid
        for cid, d in calls.items():
            assert _placed(uow, CallRecord, cid) == (
                d.client_id,
                d.lead_id,
                d.contact_ids,
                d.reason(),
                d.tie,
            ), cid


def test_one_query_over_a_json_list_finds_the_cards_of_the_chunked_queries(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """On SQLite the cards of a chunk's addresses and numbers come from one
    statement over a JSON list; it finds what the 500-value IN queries find
    (Cyrillic and IDN addresses, numbers with an extension on the card,
    values nobody has, more than 500 values)."""
    path = tmp_path / "world.sqlite3"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}")
    try:
        world = _world(random.Random(8))
        _fill(db, random.Random(8), world, "Europe/Berlin")
        extra = [f"никто{n}@пример.рф" for n in range(600)]
        with db.reader() as uow:
            emails = [_normalized(e) for e in world.emails] + extra + ["me@team.example"]
            for kind, values in (("email", emails), ("phone", [*world.phones, "+74950000000"])):
                wanted = sorted(set(values))
                listed = rule._rows_listed(uow, kind, wanted)
                assert sorted(map(repr, listed)) == sorted(
                    map(repr, rule._rows_chunked(uow, kind, wanted))
                )
                assert len(listed) >= 5
        with db.reader() as uow:
            found = rule.candidates_of(uow, "phone", world.phones)
            assert any(c.value.endswith(";ext=12") for cs in found.values() for c in cs)
    finally:
        db.dispose()


def test_calls_considered_by_one_statement_are_the_calls_of_the_queries(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """On SQLite the calls a run considers come from one statement compiled
    once (a card number with an extension matching on its main number);
    they are the calls of the per-dialect queries PostgreSQL runs: every
    run, narrowed to some numbers (with an extension too), newer than the
    last full run, with calls linked or unlinked by hand left out."""
    path = tmp_path / "world.sqlite3"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}")
    try:
        rng = random.Random(11)
        world = _world(rng)
        _fill(db, rng, world, "Europe/Berlin")
        linking.run(db, now=NOW)
        with db.uow() as uow:
            uow.session.execute(
                update(CallRecord).where(CallRecord.id.in_([3, 4])).values(link_rule="manual")
            )
            uow.session.execute(
                update(CallRecord).where(CallRecord.id == 5).values(link_rule="never")
            )
            uow.commit()
        with db.reader() as uow:
            extended = uow.session.scalars(
                select(ContactPoint.normalized).where(ContactPoint.normalized.like("%;ext=%"))
            ).all()
            assert extended  # the world has a card number with an extension
            # ... and calls from its main number, found through the extension
            assert call_links.considered(uow, [extended[0]], None)
            narrowed = [world.phones[1], extended[0], "+74950000000", "+70000000000"]
            for values in (None, narrowed, [extended[0]], []):
                for placed_after in (None, 0, 40, 10_000):
                    listed = call_links.considered(uow, values, placed_after)
                    assert listed == call_links._considered_queries(uow, values, placed_after)
                    assert not {3, 4, 5} & set(listed)
                    if values is None and placed_after is None:
                        assert len(listed) > 30
    finally:
        db.dispose()
