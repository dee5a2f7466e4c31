"""Global search: Cyrillic by prefix in any case, emails, phone digits,
visibility, hostile input, and rows the demo generator bulk-inserts."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import delete, select, text, update

from models import Client, ContactPoint, Interaction, Note, Role, User
from services.core import bootstrap, migrations
from services.core.access import Actor
from services.core.errors import ValidationError
from services.core.storage import Database
from services.demo import generate as demo
from services.feed import search
from services.interactions import actions as ix
from services.interactions import notes
from services.parties import deals
from services.parties import records as parties
from tests.integration.helpers import NOW, client

START = dt.datetime(2026, 11, 20, 10, 0)


def _manager(db: Database, login: str = "petrov") -> Actor:
    with db.uow() as uow:
        role = uow.session.scalar(select(Role.id).where(Role.name == "Manager"))
        uow.session.add(User(login=login, full_name="Пётр Петров", role_id=role))
        uow.commit()
    with db.reader() as uow:
        return bootstrap.actor_for(uow, login)


def _find(db: Database, query: str, actor: Actor | None = None, **kw: int) -> list[tuple[str, int]]:
    with db.reader() as uow:
        who = actor or bootstrap.actor_for(uow)
        return [(h.kind, h.id) for h in search.search(uow, who, query, **kw)]


def _hits(db: Database, query: str) -> list[search.SearchHit]:
    with db.reader() as uow:
        return search.search(uow, bootstrap.actor_for(uow), query, zone_name="Europe/Moscow")


def test_cyrillic_prefix_in_any_case(db: Database) -> None:
    romashka = client(db, "ООО «Ромашка»")
    client(db, "ЗАО Лютик")
    for query in ("ром", "РОМ", "Ром", "рОмАшКа", "ооо ром", "«Ромашка»"):
        assert _find(db, query) == [("client", romashka)], query
    assert _find(db, "машка") == []  # words match from their start
    assert _find(db, "ооо лютик") == []  # every word must match


def test_yo_and_ye_are_one_letter(db: Database) -> None:
    cid = client(db, "Ёлкин и партнёры")
    assert _find(db, "елкин") == [("client", cid)]
    assert _find(db, "ПАРТНЕРЫ") == [("client", cid)]
    assert _find(db, "Ёлк") == [("client", cid)]


def test_finds_by_email_and_by_phone_digits(db: Database) -> None:
    cid = client(db, "Вектор")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        anna = parties.add_contact(
            uow,
            actor,
            "Анна Смирнова",
            client_id=cid,
            emails=["Anna.Smirnova@Vektor-Group.ru"],
            phones=["+7 916 123-45-67"],
        ).id
        uow.commit()
    for query in (
        "anna.smirnova@vektor-group.ru",
        "anna.smirnova@vek",
        "vektor-group",
        "Anna.Smirnova",
        "+7 916 123-45-67",
        "8 (916) 123-45-67",
        "79161234567",
        "9161234567",
        "916123",
        "123-45-67",
        "4567",
    ):
        assert _find(db, query) == [("contact", anna)], query
    [hit] = _hits(db, "9161234567")
    assert (hit.title, hit.snippet, hit.client_id, hit.party_name) == (
        "Анна Смирнова",
        "+7 916 123-45-67",
        cid,
        "Вектор",
    )
    assert _find(db, "916 124") == []


def test_deals_notes_and_interactions_with_snippets(db: Database) -> None:
    cid = client(db, "Горизонт")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deal = deals.add_deal(uow, actor, "Поставка турбин", client_id=cid).id
        note = notes.add_note(
            uow, actor, "client", cid, "Директор просил перезвонить после отпуска"
        )
        call = ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type="call",
                client_id=cid,
                deal_id=deal,
                start=START,
                tz="Europe/Moscow",
                subject="Обсуждение графика",
                body="Долгое вступление. " * 20 + "Турбины отгружаем в марте, монтаж в апреле.",
            ),
            now=NOW,
        ).id
        uow.commit()
    assert _find(db, "турбин") == [("deal", deal), ("interaction", call)]
    hits = {(h.kind, h.id): h for h in _hits(db, "турбин")}
    assert hits["deal", deal].party_name == "Горизонт"
    found = hits["interaction", call]
    assert found.title == "Обсуждение графика"
    assert found.snippet.startswith("…")
    assert "Турбины отгружаем в марте" in found.snippet
    assert (found.type, found.deal_id, found.client_id) == ("call", deal, cid)
    assert found.at == dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC) - dt.timedelta(hours=3)
    [by_note] = _hits(db, "перезвонить отпуск")
    assert (by_note.kind, by_note.id, by_note.client_id) == ("note", note, cid)
    assert by_note.title.startswith("Директор просил")
    assert _find(db, "график") == [("interaction", call)]


def test_names_rank_above_bodies_and_one_hit_per_card(db: Database) -> None:
    other = client(db, "Бета")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        notes.add_note(uow, actor, "client", other, "Бета давно работает с компанией Alfa Trade")
        uow.commit()
    cid = client(db, "Alfa Trade", emails=["info@alfa.ru"])
    found = _find(db, "alfa")
    assert found[0] == ("client", cid)
    assert found.count(("client", cid)) == 1  # name and email match: one hit
    assert len(found) == 2


def test_visibility_follows_owners(db: Database) -> None:
    manager = _manager(db)
    mine = client(db, "Ромашка Петрова", owner_id=manager.id)
    theirs = client(db, "Ромашка Админа")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        notes.add_note(uow, actor, "client", theirs, "Ромашка: секретная заметка")
        deals.add_deal(uow, actor, "Ромашка, крупный заказ", client_id=theirs)
        ix.create(
            uow,
            actor,
            ix.NewInteraction(type="call", client_id=theirs, subject="Ромашка звонок", start=START),
            now=NOW,
        )
        parties.add_contact(uow, actor, "Иван Ромашкин", client_id=theirs, emails=["r@x.ru"])
        uow.commit()
    assert _find(db, "ромашк", manager) == [("client", mine)]
    assert len(_find(db, "ромашк")) == 6
    assert _find(db, "r@x.ru", manager) == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"ром',
        "*",
        "ром*",
        "ром:*",
        "-ром",
        "NOT ром",
        "ром OR лютик",
        "NEAR(ром лютик)",
        "NEAR",
        "AND",
        "title:ром",
        "body : ром",
        "(ром",
        "ром)",
        "^ром",
        "ром & !лютик",
        "ром | лютик <-> x",
        "'ром'",
        "\\",
        "ром\\",
        "{title body}: ром",
        "ром + лютик",
        "   ",
        "",
        "%_",
        "½ ⅓",
        "İstanbul",
        "😀",
        "e\u0301te",
        "٣٤٥",
        "a" * 300,
        "ром " * 40,
    ],
)
def test_user_text_is_never_query_syntax(db: Database, query: str) -> None:
    client(db, "Ромашка")
    client(db, "Near Лютик")
    assert {kind for kind, _ in _find(db, query)} <= {"client"}


def test_hostile_input_that_still_means_words(db: Database) -> None:
    romashka = client(db, "Ромашка")
    lutik = client(db, "Near Лютик")
    assert _find(db, '"ром') == [("client", romashka)]
    assert _find(db, "-ром") == [("client", romashka)]
    assert _find(db, "ром:*") == [("client", romashka)]
    assert _find(db, "NEAR(лют") == [("client", lutik)]
    assert _find(db, "ром OR лютик") == []  # OR is a word here, and no card has it


def test_a_one_letter_word_is_not_a_prefix(db: Database) -> None:
    cid = client(db, "Я и Ко")
    client(db, "Ябеда")
    assert _find(db, "я") == [("client", cid)]
    assert len(_find(db, "яб")) == 1


def test_edits_and_deletes_reach_the_index(db: Database) -> None:
    cid = client(db, "Старое Имя", emails=["old@firm.ru"])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        note = notes.add_note(uow, actor, "client", cid, "Заметка про бегемота")
        call = ix.create(
            uow,
            actor,
            ix.NewInteraction(type="call", client_id=cid, subject="Первый", start=START),
            now=NOW,
        ).id
        uow.commit()
    with db.uow() as uow:
        row = uow.session.get(Client, cid)
        assert row is not None
        row.name = "Новое Имя"
        uow.session.execute(delete(ContactPoint).where(ContactPoint.client_id == cid))
        uow.session.execute(update(Note).where(Note.id == note).values(body="Про жирафа"))
        uow.session.execute(
            update(Interaction).where(Interaction.id == call).values(subject="Второй")
        )
        uow.commit()
    assert _find(db, "старое") == []
    assert _find(db, "новое имя") == [("client", cid)]
    assert _find(db, "old@firm") == []
    assert _find(db, "бегемот") == []
    assert _find(db, "жираф") == [("note", note)]
    assert _find(db, "первый") == []
    assert _find(db, "второй") == [("interaction", call)]
    with db.uow() as uow:
        ix.cancel(uow, bootstrap.actor_for(uow), call, now=NOW)  # state only: still found
        uow.session.execute(delete(Note).where(Note.id == note))
        uow.commit()
    assert _find(db, "жираф") == []
    assert _find(db, "второй") == [("interaction", call)]


def test_finds_rows_the_demo_generator_bulk_inserted(db: Database) -> None:
    demo.generate(db, clients=12, seed=3, interactions_per_client=2, now=NOW)
    with db.reader() as uow:
        conn = uow.session.connection()
        name, cid = conn.execute(select(Client.name, Client.id).order_by(Client.id)).first() or ()
        email, owner = conn.execute(
            select(ContactPoint.normalized, ContactPoint.client_id).where(
                ContactPoint.kind == "email", ContactPoint.client_id.is_not(None)
            )
        ).first() or ("", 0)
        phone, phone_owner = conn.execute(
            select(ContactPoint.normalized, ContactPoint.client_id).where(
                ContactPoint.kind == "phone", ContactPoint.client_id.is_not(None)
            )
        ).first() or ("", 0)
        subject, iid = conn.execute(
            select(Interaction.subject, Interaction.id).where(Interaction.subject.is_not(None))
        ).first() or ("", 0)
    assert ("client", cid) in _find(db, name, limit=200)
    assert ("client", owner) in _find(db, email, limit=200)
    assert ("client", phone_owner) in _find(db, phone[-7:], limit=200)
    assert ("interaction", iid) in _find(db, subject, limit=200)


def test_the_index_is_used(db: Database) -> None:
    client(db, "Ромашка")
    with db.reader() as uow:
        conn = uow.session.connection()
        q = search.parse("ром")
        assert q is not None
        stmt = search.statement(conn.dialect.name, bootstrap.actor_for(uow), q, 30)
        sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        if db.is_sqlite:
            plan = " ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "search_index VIRTUAL TABLE" in plan
            assert "SCAN interactions" not in plan
            assert "SCAN clients" not in plan
        else:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql.replace("%%", "%")))
            tables = ("clients", "leads", "contacts", "contact_points", "deals", "notes")
            for table in (*tables, "interactions"):
                assert f"Bitmap Index Scan on ix_search_{table}" in plan, table


def test_limits_and_empty_queries(db: Database) -> None:
    for k in range(5):
        client(db, f"Ромашка {k}")
    assert len(_find(db, "ромашка", limit=3)) == 3
    assert _find(db, "  ,;  ") == []
    with db.reader() as uow, pytest.raises(ValidationError):
        search.search(uow, bootstrap.actor_for(uow), "ром", limit=0)


def test_downgrade_drops_the_index_and_upgrade_rebuilds_it(db: Database) -> None:
    cid = client(db, "Ромашка")
    cfg = migrations.alembic_config(db.engine)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with db.engine.connect() as conn:
        if db.is_sqlite:
            left = conn.execute(
                text("SELECT name FROM sqlite_master WHERE name LIKE 'search%'")
            ).all()
        else:
            left = conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE column_name = 'search_vector' UNION ALL "
                    "SELECT proname FROM pg_proc WHERE proname LIKE 'tp_search%' UNION ALL "
                    "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_search%'"
                )
            ).all()
        assert left == []
    # While there is no index, and no column of a later revision: plain SQL.
    with db.engine.begin() as conn:
        later = conn.execute(
            text(
                "INSERT INTO clients (uid, name, owner_id, row_version, created_at, updated_at) "
                "SELECT 'later-client', 'Ромашка Два', owner_id, 1, created_at, updated_at "
                "FROM clients WHERE id = :id RETURNING id"
            ),
            {"id": cid},
        ).scalar_one()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert sorted(_find(db, "ромашка")) == [("client", cid), ("client", later)]
