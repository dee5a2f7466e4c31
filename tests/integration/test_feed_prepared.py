"""The feed's prepared statements (run on the DBAPI cursor, issue #16) give
the same pages as the same statements run through SQLAlchemy, over whole
feeds, with filters, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import bindparam, literal_column, select

from models import Client, Contact, Interaction, Lead
from services.core import bootstrap, prepared
from services.core.access import Actor
from services.core.storage import Database
from services.core.views import FeedItem, FeedPage
from services.demo import generate as demo
from services.feed import item_details
from services.feed import pages as feed
from services.interactions import notes, tasks
from tests.conftest import Team
from tests.integration.helpers import NOW, client


def _walk(
    db: Database,
    actor: Actor,
    scope: feed.FeedScope,
    flt: feed.FeedFilter,
    detail: bool = True,
) -> list[FeedPage]:
    pages: list[FeedPage] = []
    cursor: str | None = None
    with db.reader() as uow:
        while True:
            page = feed.page(
                uow, actor, scope, flt, cursor, limit=17, zone_name="Europe/Moscow", detail=detail
            )
            pages.append(page)
            cursor = page.next_cursor
            if cursor is None or len(pages) > 200:
                return pages


def _both(
    db: Database, actor: Actor, scope: feed.FeedScope, flt: feed.FeedFilter, mp: pytest.MonkeyPatch
) -> list[FeedPage]:
    fast = _walk(db, actor, scope, flt)
    mp.setattr(prepared, "ENABLED", False)
    slow = _walk(db, actor, scope, flt)
    mp.setattr(prepared, "ENABLED", True)
    assert fast == slow, (scope, flt)
    return fast


@pytest.fixture
def demo_db(db: Database) -> Database:
    demo.generate(db, clients=12, seed=5, big_client_interactions=260, interactions_per_client=9)
    # A card of our own: its creation is a change in its feed, with a note and tasks.
    cid = client(db, "ООО Ёлочка", region="RU")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        notes.add_note(uow, actor, "client", cid, "Встреча в офисе: обсудили цены")
        tasks.add_task(uow, actor, "client", cid, "Позвонить", deadline=NOW)
        done = tasks.add_task(uow, actor, "client", cid, "Отправить КП")
        tasks.complete_task(uow, actor, done, now=NOW)
        uow.commit()
    return db


def test_prepared_pages_equal_sqlalchemy_pages(
    demo_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_db
    with db.reader() as uow:
        big = uow.session.scalar(select(Client.id).where(Client.name == demo.BIG_CLIENT_NAME))
        small = list(
            uow.session.scalars(
                select(Client.id).where(Client.id != big).order_by(Client.id.desc()).limit(4)
            )
        )
        lead = uow.session.scalar(select(Lead.id).limit(1))
        contact = uow.session.scalar(
            select(Contact.id).where(Contact.client_id.is_not(None)).limit(1)
        )
        owner = uow.session.scalar(select(Client.owner_id).where(Client.id == big))
    assert big is not None
    assert owner is not None
    pages = _both(db, actor, feed.FeedScope(client_id=big), feed.FeedFilter(), monkeypatch)
    assert len(pages) > 10  # the whole big feed, page after page
    items = [i for p in pages for i in p.items]
    assert len({(i.kind, i.id) for i in items}) == len(items) > 250
    kinds: set[str] = set()
    for cid in small:
        for flt in (feed.FeedFilter(), feed.FeedFilter(oldest_first=True)):
            kinds |= {
                i.kind
                for p in _both(db, actor, feed.FeedScope(client_id=cid), flt, monkeypatch)
                for i in p.items
            }
    assert kinds >= {"interaction", "note", "task", "change"}
    for scope in (feed.FeedScope(lead_id=lead), feed.FeedScope(contact_id=contact)):
        _both(db, actor, scope, feed.FeedFilter(), monkeypatch)
    word = next(i.title for i in items if i.title and len(i.title) > 3)[:4]
    for flt in (
        feed.FeedFilter(text=word),
        feed.FeedFilter(text="Встреча"),
        feed.FeedFilter(owner_id=owner, oldest_first=True),
        feed.FeedFilter(since=items[40].start, until=items[10].start),
        feed.FeedFilter(types=("note", "change")),
        feed.FeedFilter(upcoming_only=True),
    ):
        _both(db, actor, feed.FeedScope(client_id=small[0]), flt, monkeypatch)
        _both(db, actor, feed.FeedScope(client_id=big), flt, monkeypatch)


def test_interactions_carry_whose_which_way_how_long_and_who(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_db
    with db.reader() as uow:
        manager = bootstrap.actor_for(uow)
        cids = list(uow.session.scalars(select(Client.id).limit(6)))
    seen = 0
    for cid in cids:
        for page in _walk(db, manager, feed.FeedScope(client_id=cid), feed.FeedFilter()):
            with db.reader() as uow:
                ids = [i.id for i in page.items if i.kind == "interaction"]
                rows = {
                    r.id: (r.client_id, r.lead_id, r.direction, r.duration_min)
                    for r in uow.session.scalars(select(Interaction).where(Interaction.id.in_(ids)))
                }
                contacts = item_details.contacts_of(uow, ids)
            for item in page.items:
                if item.kind != "interaction":
                    assert (item.client_id, item.direction, item.contact_ids) == (None, None, ())
                    continue
                whose = (item.client_id, item.lead_id, item.direction, item.duration_min)
                assert whose == rows[item.id]
                assert item.contact_ids == contacts.get(item.id, ())
                seen += 1
    assert seen > 30


def _as_the_card_reads(page: FeedPage, scope: feed.FeedScope) -> FeedPage:
    """A full page as ``detail=False`` gives it: no direction, duration or
    contact persons; in a contact's or deal's feed no client or lead."""
    party = scope.client_id is not None or scope.lead_id is not None
    return FeedPage(
        tuple(
            dataclasses.replace(
                i,
                direction=None,
                duration_min=None,
                contact_ids=(),
                client_id=i.client_id if party else None,
                lead_id=i.lead_id if party else None,
            )
            for i in page.items
        ),
        page.next_cursor,
    )


def test_the_cards_pages_are_the_full_pages_without_the_detail(
    demo_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the card's feed reads (``detail=False``: its row, issue #16) is
    the full page but for what the row never shows, on every scope, filter
    and path (prepared, SQLAlchemy, the expanding ``IN`` of a type filter)."""
    db = demo_db
    with db.reader() as uow:
        big = uow.session.scalar(select(Client.id).where(Client.name == demo.BIG_CLIENT_NAME))
        small = uow.session.scalar(select(Client.id).order_by(Client.id.desc()).limit(1))
        lead = uow.session.scalar(select(Lead.id).limit(1))
        contact = uow.session.scalar(
            select(Contact.id).where(Contact.client_id.is_not(None)).limit(1)
        )
    scopes = [
        feed.FeedScope(client_id=big),
        feed.FeedScope(client_id=small),
        feed.FeedScope(lead_id=lead),
        feed.FeedScope(contact_id=contact),
    ]
    filters = [
        feed.FeedFilter(),
        feed.FeedFilter(oldest_first=True),
        feed.FeedFilter(types=("call", "note")),
        feed.FeedFilter(text="Встреча"),
        feed.FeedFilter(upcoming_only=True),
    ]
    seen = took_part = 0
    for scope in scopes:
        for flt in filters:
            full = _walk(db, actor, scope, flt)
            for enabled in (True, False):
                monkeypatch.setattr(prepared, "ENABLED", enabled)
                card = _walk(db, actor, scope, flt, detail=False)
                assert card == [_as_the_card_reads(p, scope) for p in full], (scope, flt)
            monkeypatch.setattr(prepared, "ENABLED", True)
            seen += sum(len(p.items) for p in full)
            took_part += sum(1 for p in full for i in p.items if i.contact_ids)
    assert seen > 500
    assert took_part > 20  # the detail left out was there to leave out


def test_a_fast_made_item_is_a_plain_item() -> None:
    values = ("interaction", 7, "call", "done", NOW, 3, "Звонок", "Текст", None, "email")
    values += (11, None, "in", 5, (2, 9))
    fast, plain = FeedItem.of(*values), FeedItem(*values)
    assert fast == plain
    assert hash(fast) == hash(plain)
    assert repr(fast) == repr(plain)
    assert fast.key == "interaction:7"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.id = 8  # type: ignore[misc]


def test_an_item_made_from_a_dict_is_a_plain_item() -> None:
    values = ("interaction", 7, "call", "done", NOW, 3, "Звонок", "Текст", None, "email")
    values += (11, None, "in", 5, (2, 9))
    plain = FeedItem(*values)
    made = FeedItem.made({f.name: getattr(plain, f.name) for f in dataclasses.fields(FeedItem)})
    assert made == plain
    assert hash(made) == hash(plain)
    assert repr(made) == repr(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.id = 8  # type: ignore[misc]
    with pytest.raises(TypeError):
        FeedItem.made({"kind": "note", "id": 1})


def test_an_item_made_without_its_defaults_is_a_plain_item() -> None:
    """The feed writes an item's ``__dict__`` without the fields still at
    their default (issue #16): the item reads, compares, hashes, prints and
    is copied as the plain one, and a wrong name is refused."""
    values = ("note", 7, "note", "done", NOW, 3, "Заметка", "Текст", None)
    plain = FeedItem(*values)
    names = [f.name for f in dataclasses.fields(FeedItem)][: len(values)]
    made = FeedItem.made(dict(zip(names, values, strict=True)))
    assert made == plain
    assert hash(made) == hash(plain)
    assert repr(made) == repr(plain)
    assert (made.contact_ids, made.scenario_step) == ((), None)
    assert dataclasses.replace(made, text="Другой") == dataclasses.replace(plain, text="Другой")
    both = FeedItem.made_all([{**vars(made)}, {**vars(made), "id": 8}])
    assert both == [plain, dataclasses.replace(plain, id=8)]
    with pytest.raises(TypeError):
        FeedItem.made({**vars(made), "sorce": "email"})


def test_a_pages_items_hold_their_fields_only(demo_db: Database, actor: Actor, team: Team) -> None:
    """What each page item's ``__dict__`` holds (``page_items``' dict
    displays, which ``made_all`` checks by count only): FeedItem's fields,
    and the item equals one made field by field, with and without the
    detail, in every scope; a card change on a page names the users it
    moved the card between."""
    db = demo_db
    cid = client(db, "ООО «Смена»", owner_id=team.anna.id)
    with db.uow(team.admin.id) as uow:
        row = uow.session.get(Client, cid)
        assert row is not None
        row.owner_id = team.boris.id
        uow.commit()
    with db.reader() as uow:
        big = uow.session.scalar(select(Client.id).where(Client.name == demo.BIG_CLIENT_NAME))
        ours = uow.session.scalar(select(Client.id).where(Client.name == "ООО Ёлочка"))
        lead = uow.session.scalar(select(Lead.id).limit(1))
        contact = uow.session.scalar(
            select(Contact.id).where(Contact.client_id.is_not(None)).limit(1)
        )
    names = {f.name for f in dataclasses.fields(FeedItem)}
    scopes = [
        feed.FeedScope(client_id=big),
        feed.FeedScope(client_id=ours),
        feed.FeedScope(client_id=cid),
        feed.FeedScope(lead_id=lead),
        feed.FeedScope(contact_id=contact),
    ]
    kinds: set[str] = set()
    for scope in scopes:
        for detail in (True, False):
            for page in _walk(db, actor, scope, feed.FeedFilter(), detail=detail):
                for item in page.items:
                    assert vars(item).keys() <= names, vars(item)
                    plain = FeedItem(**{n: getattr(item, n) for n in names})
                    assert (item, repr(item), hash(item)) == (plain, repr(plain), hash(plain))
                    kinds.add(item.kind)
    assert kinds == {"interaction", "note", "task", "change"}
    for detail in (True, False):
        (moved,) = [
            i
            for p in _walk(db, actor, feed.FeedScope(client_id=cid), feed.FeedFilter(), detail)
            for i in p.items
            if i.kind == "change" and i.title == "client.owner_id"
        ]
        assert moved.text == "Анна Смирнова → Борис Петров"


def test_items_made_for_a_page_are_plain_items() -> None:
    values = ("interaction", 7, "call", "done", NOW, 3, "Звонок", "Текст", None, "email")
    plain = [FeedItem(*values), FeedItem(*values[:1], 8, *values[2:])]
    made = FeedItem.made_all(
        {f.name: getattr(p, f.name) for f in dataclasses.fields(FeedItem)} for p in plain
    )
    assert made == plain
    assert [repr(m) for m in made] == [repr(p) for p in plain]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[1].id = 9  # type: ignore[misc]
    with pytest.raises(TypeError):
        FeedItem.made_all([{"kind": "note", "id": 1}])


@pytest.mark.parametrize(
    "stored",
    [
        "2026-02-17 12:03:00.000000",
        "2026-02-17 12:03:00.250000",
        "2026-02-17 12:03:00",
        "2026-02-17T12:03:00",
        "2026-02-17",
        dt.datetime(2026, 2, 17, 12, 3),
        dt.datetime(2026, 2, 17, 12, 3, tzinfo=dt.UTC),
    ],
)
def test_a_stored_time_reads_as_sqlalchemy_reads_it(stored: object) -> None:
    """``prepared.utc`` (the feed's one parse of a row's time) against the
    slower conversion SQLAlchemy's rows went through."""
    if isinstance(stored, str):
        expected = dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC)
    else:
        assert isinstance(stored, dt.datetime)
        expected = stored.replace(tzinfo=dt.UTC)
    found = prepared.utc(stored)
    assert found == expected
    assert found.utcoffset() == dt.timedelta(0)


def test_a_prepared_statement_takes_its_values_over_its_own(db: Database) -> None:
    """Written values are converted once; a value passed under a written
    value's name replaces it; a required value missing is refused."""
    written = bindparam("subject", value="Звонок")
    statement = select(Interaction.id).where(
        Interaction.subject == written,
        Interaction.client_id == bindparam("cid"),
        literal_column("1") == bindparam("one", value=1),
    )
    with db.reader() as uow:
        found = prepared.Prepared(statement, uow.dialect)
        assert found.required == ("cid",)
        params = found.params({"cid": 7})
        expected = {"subject": "Звонок", "cid": 7, "one": 1}
        if found.positional:
            assert list(params) == [expected[n] for n in found.names]
        else:
            assert dict(params) == expected
        replaced = found.params({"cid": 7, "subject": "Письмо"})
        values = list(replaced) if found.positional else list(dict(replaced).values())
        assert "Письмо" in values
        assert "Звонок" not in values
        with pytest.raises(KeyError):
            found.params({"subject": "Письмо"})


def test_a_prepared_statement_fills_every_place_of_a_value(db: Database) -> None:
    """A value used twice fills both places, converted by its type as
    SQLAlchemy would (a time as the stored text on SQLite), and the
    statement finds what SQLAlchemy finds."""
    ours = client(db, "ООО «Дважды»")
    t = bindparam("t", type_=Interaction.start_utc.type)
    statement = select(Client.id, literal_column("1")).where(
        Client.id == bindparam("cid"),
        Client.id >= bindparam("cid"),
        Client.created_at < t,
        Client.created_at < t,
    )
    later = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    with db.reader() as uow:
        found = prepared.Prepared(statement, uow.dialect)
        params = found.params({"cid": ours, "t": later})
        stored = Interaction.start_utc.type.dialect_impl(uow.dialect).bind_processor(uow.dialect)
        as_stored = stored(later) if stored is not None else later
        if found.positional:
            assert list(params) == [ours, ours, as_stored, as_stored]
        else:
            assert dict(params) == {"cid": ours, "t": as_stored}
        assert found.rows(uow, {"cid": ours, "t": later}) == [(ours, 1)]
        assert found.rows(uow, {"cid": ours, "t": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)}) == []
