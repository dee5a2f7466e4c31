"""Keyset pages of the big lists: no gaps, no repeats, equal names in id
order, filters and visibility in SQL."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Role, User
from services.core import bootstrap
from services.core.access import Actor
from services.core.errors import ValidationError
from services.core.storage import Database
from services.core.views import ListKey, ListPage, ListRow
from services.parties import lists
from services.parties import records as parties

NAMES = ["ООО Альфа", "ООО Альфа", "альфа", "Бета", "Beta", "Бета", "Гамма", "Alfa", "ООО Альфа"]


def _manager(db: Database, login: str = "petrov") -> Actor:
    with db.uow() as uow:
        role = uow.session.scalar(select(Role.id).where(Role.name == "Manager"))
        uow.session.add(User(login=login, full_name="Пётр Петров", role_id=role))
        uow.commit()
    with db.reader() as uow:
        return bootstrap.actor_for(uow, login)


def _fill(db: Database, n: int = 40, owner_id: int | None = None, seed: int = 5) -> list[int]:
    rnd = random.Random(seed)
    ids = []
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        for k in range(n):
            name = NAMES[k % len(NAMES)] if k < 2 * len(NAMES) else f"Клиент {rnd.randrange(5)}"
            ids.append(parties.add_client(uow, actor, name, owner_id=owner_id).id)
        uow.commit()
    return ids


def _all(
    db: Database,
    actor: Actor | None = None,
    limit: int = 7,
    *,
    text: str | None = None,
    sort: str = "name",
    descending: bool = False,
) -> list[ListRow]:
    rows: list[ListRow] = []
    after: ListKey | None = None
    with db.reader() as uow:
        who = actor or bootstrap.actor_for(uow)
        while True:
            page: ListPage = lists.client_page(
                uow, who, text=text, after=after, limit=limit, sort=sort, descending=descending
            )
            rows.extend(page.rows)
            if page.next is None:
                return rows
            assert len(page.rows) == limit
            after = page.next


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("limit", [1, 3, 7, 500])
def test_name_pages_have_no_gaps_or_repeats(db: Database, limit: int, descending: bool) -> None:
    ids = _fill(db)
    rows = _all(db, limit=limit, descending=descending)
    assert sorted(r.id for r in rows) == sorted(ids)
    keys = [(r.name, r.id) for r in rows]
    assert keys == sorted(keys, reverse=descending)  # equal names: by id
    assert len({r.name for r in rows}) < len(rows)  # there were equal names to page through


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_id_pages_have_no_gaps_or_repeats(db: Database, descending: bool) -> None:
    ids = _fill(db, 23)
    rows = _all(db, limit=4, sort="id", descending=descending)
    assert [r.id for r in rows] == sorted(ids, reverse=descending)


def test_rows_carry_owner_first_phone_and_email(db: Database) -> None:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(
            uow,
            actor,
            "Ромашка",
            region="ru",
            address="Тверская, 1",
            emails=["a@romashka.ru", "b@romashka.ru"],
            phones=["+7 495 123-45-67", "+7 916 123-45-67"],
        ).id
        lead = parties.add_lead(uow, actor, "Лютик", company="ИП Лютиков", emails=["l@x.ru"]).id
        contact = parties.add_contact(
            uow, actor, "Анна", client_id=cid, position="Директор", phones=["+7 903 111-22-33"]
        ).id
        uow.commit()
        admin = actor
    with db.reader() as uow:
        [row] = lists.client_page(uow, admin).rows
        [lead_row] = lists.lead_page(uow, admin).rows
        [contact_row] = lists.contact_page(uow, admin).rows
    assert row == ListRow(
        kind="client",
        id=cid,
        name="Ромашка",
        owner_id=admin.id,
        owner_name=admin.full_name,
        phone="+7 495 123-45-67",
        email="a@romashka.ru",
        region="RU",
        company=None,
        address="Тверская, 1",
        position=None,
        client_id=cid,
        lead_id=None,
        phone_number="+74951234567",
    )
    assert (lead_row.id, lead_row.company, lead_row.email, lead_row.lead_id) == (
        lead,
        "ИП Лютиков",
        "l@x.ru",
        lead,
    )
    assert (contact_row.id, contact_row.company, contact_row.region, contact_row.phone) == (
        contact,
        "Ромашка",
        "RU",
        "+7 903 111-22-33",
    )
    assert contact_row.phone_number == "+79031112233"
    assert (contact_row.position, contact_row.client_id, contact_row.owner_id) == (
        "Директор",
        cid,
        admin.id,
    )


def test_text_filter_uses_names_emails_and_phones(db: Database) -> None:
    _fill(db, len(NAMES))
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        rom = parties.add_client(uow, actor, "ООО «Ромашка»", phones=["+7 916 555-44-33"]).id
        mail = parties.add_client(uow, actor, "Zeta", emails=["Sales@Romashka-Trade.ru"]).id
        uow.commit()
    for text, expected in (
        ("ром", [rom]),
        ("РОМАШКА", [rom]),
        ("Romashka", [mail]),
        ("sales@romashka", [mail]),
        ("5554433", [rom]),
        ("8 916 555 44 33", [rom]),
        ("ооо", None),
        ("!!!", []),
    ):
        rows = _all(db, text=text, limit=2)
        with db.reader() as uow:
            count = lists.count_clients(uow, bootstrap.actor_for(uow), text)
        assert count == len(rows), text
        if expected is not None:
            assert sorted(r.id for r in rows) == sorted(expected), text
        else:
            assert len(rows) == 1 + NAMES.count("ООО Альфа")
    with db.reader() as uow:
        assert lists.count_clients(uow, bootstrap.actor_for(uow)) == len(NAMES) + 2


def test_manager_sees_own_cards_only(db: Database) -> None:
    manager = _manager(db)
    mine = _fill(db, 9, owner_id=manager.id)
    theirs = _fill(db, 11, seed=6)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        parties.add_contact(uow, actor, "Чужой контакт", client_id=theirs[0])
        own_contact = parties.add_contact(uow, actor, "Свой контакт", client_id=mine[0]).id
        parties.add_lead(uow, actor, "Чужой лид")
        own_lead = parties.add_lead(uow, actor, "Свой лид", owner_id=manager.id).id
        uow.commit()
    rows = _all(db, manager, limit=4)
    assert sorted(r.id for r in rows) == sorted(mine)
    assert {r.owner_name for r in rows} == {"Пётр Петров"}
    with db.reader() as uow:
        assert lists.count_clients(uow, manager) == 9
        assert lists.count_clients(uow, manager, "альфа") == 4
        assert lists.count_leads(uow, manager) == 1
        assert lists.count_contacts(uow, manager) == 1
        assert [r.id for r in lists.lead_page(uow, manager).rows] == [own_lead]
        assert [r.id for r in lists.contact_page(uow, manager).rows] == [own_contact]
        assert lists.count_contacts(uow, bootstrap.actor_for(uow)) == 2


def test_contact_and_lead_pages_page_too(db: Database) -> None:
    cid = _fill(db, 1)[0]
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        for k in range(11):
            parties.add_contact(uow, actor, f"Контакт {k % 3}", client_id=cid)
            parties.add_lead(uow, actor, f"Лид {k % 4}")
        uow.commit()
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        for fetch in (lists.contact_page, lists.lead_page):
            seen: list[tuple[str, int]] = []
            page = fetch(uow, actor, limit=4)
            seen += [(r.name, r.id) for r in page.rows]
            while page.next is not None:
                page = fetch(uow, actor, limit=4, after=page.next)
                seen += [(r.name, r.id) for r in page.rows]
            assert len(seen) == 11
            assert seen == sorted(seen)


def test_a_key_from_another_sort_is_refused(db: Database) -> None:
    _fill(db, 5)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        key = lists.client_page(uow, actor, limit=2).next
        assert key is not None
        with pytest.raises(ValidationError):
            lists.client_page(uow, actor, after=key, sort="id")
        with pytest.raises(ValidationError):
            lists.client_page(uow, actor, after=key, descending=True)
        with pytest.raises(ValidationError):
            lists.client_page(uow, actor, sort="owner")
        with pytest.raises(ValidationError):
            lists.client_page(uow, actor, limit=0)


CONFIGURE_PROBE = """
import sys
import models
from sqlalchemy import inspect
from services.core import bootstrap
from services.core.access import Actor
from services.core.storage import open_database
from services.parties import lists

models.load_all()  # mapped, as at every start, but not yet configured
db = open_database(sys.argv[1])
with db.reader() as uow:
    admin = bootstrap.actor_for(uow)
    manager = Actor(id=admin.id + 1000, login="m", full_name="M", permissions=frozenset())
    for actor in (admin, manager):
        for kind in ("client", "lead", "contact"):
            rows = getattr(lists, kind + "_page")(uow, actor).rows
            print(kind, len(rows), getattr(lists, "count_" + kind + "s")(uow, actor))
db.dispose()
print("configured", inspect(models.Client).configured)
"""


def test_the_lists_pages_leave_the_mappers_unconfigured(sqlite_db: Database) -> None:
    """The client list's first page is on the way to the window's first paint:
    a statement over ORM attributes (or an aliased class) configures all the
    mappers first, ~50 ms of a ~1 s start (issue #16). The pages read the
    mapped tables instead."""
    _fill(sqlite_db, n=3)
    with sqlite_db.uow() as uow:
        client_id = lists.client_page(uow, bootstrap.actor_for(uow)).rows[0].id
        parties.add_contact(uow, bootstrap.actor_for(uow), "Анна Фёдорова", client_id=client_id)
        uow.commit()
    url = sqlite_db.url
    sqlite_db.dispose()
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", CONFIGURE_PROBE, url],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(root)),
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "client 3 3",
        "lead 0 0",
        "contact 1 1",
        "client 0 0",
        "lead 0 0",
        "contact 0 0",
        "configured False",
    ]
