"""How global search ranks (issue #16): what names the query first (cards by
name or address, deals by title, interactions by subject), then notes and
interactions that mention it; by kind, then newest first. Each kind's index
is walked newest first and cut at the hits asked for, so a small limit
must give the top of the full ranking; a long prefix spelt out as its
words must find what the prefix finds. On SQLite and PostgreSQL alike,
with several users: a colleague's match is never seen, a deputy's and a
shared card's are."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select, update

from models import Interaction, Role, User
from services.core import bootstrap
from services.core.storage import Database
from services.feed import search
from services.interactions import actions as ix
from services.interactions import notes
from services.parties import deals, lists, shares, transfers
from services.parties import records as parties
from tests.conftest import Team
from tests.integration.helpers import NOW, client

SUBJECTS = (
    "Звонок по поставке металлопроката",
    "Повторный звонок: поставка, сроки и цены",
    "Встреча в офисе",
    "Письмо о поставке труб",
    "Поставка, поставка, поставка: срочно",
    "Звонок бухгалтеру",
)


def _fill(db: Database) -> dict[str, list[int]]:
    made: dict[str, list[int]] = {"client": [], "interaction": [], "note": [], "deal": []}
    for k, name in enumerate(("ООО Поставка", "ЗАО Ромашка", "ИП Поставкин")):
        cid = client(db, name)
        made["client"].append(cid)
        with db.uow() as uow:
            actor = bootstrap.actor_for(uow)
            for i, subject in enumerate(SUBJECTS):
                made["interaction"].append(
                    ix.create(
                        uow,
                        actor,
                        ix.NewInteraction(
                            type="call",
                            client_id=cid,
                            start=dt.datetime(2026, 3, 1 + k, 9 + i, tzinfo=dt.UTC),
                            subject=subject,
                            body="Обсудили поставку и оплату" if i % 2 else None,
                        ),
                        now=NOW,
                    ).id
                )
            made["note"].append(
                notes.add_note(uow, actor, "client", cid, f"Поставка #{k}: ждём ответа")
            )
            made["deal"].append(deals.add_deal(uow, actor, f"Сделка {name}", client_id=cid).id)
            uow.commit()
    return made


def _search(db: Database, text: str, limit: int = 50) -> list[tuple[str, int]]:
    with db.reader() as uow:
        hits = search.search(uow, bootstrap.actor_for(uow), text, limit=limit)
    return [(h.kind, h.id) for h in hits]


def test_names_and_subjects_first_then_mentions_newest_first(db: Database) -> None:
    made = _fill(db)
    ixs = made["interaction"]
    # "поставк": two client names, two deal titles, subjects 0, 1, 3 and 4
    # of each client, every note, and the body of subject 5.
    by_subject = [ixs[c * 6 + i] for c in (2, 1, 0) for i in (4, 3, 1, 0)]
    by_body = [ixs[c * 6 + 5] for c in (2, 1, 0)]
    found = _search(db, "поставк")
    assert found == [
        ("client", made["client"][2]),  # ИП Поставкин: names first, newest first
        ("client", made["client"][0]),  # ООО Поставка
        ("deal", made["deal"][2]),  # "Сделка ИП Поставкин"
        ("deal", made["deal"][0]),
        *[("interaction", i) for i in by_subject],
        *[("note", n) for n in reversed(made["note"])],
        *[("interaction", i) for i in by_body],
    ]
    # A word in subjects and bodies: the subjects' hits before the bodies'.
    assert _search(db, "обсудили") == [
        ("interaction", ixs[c * 6 + i]) for c in (2, 1, 0) for i in (5, 3, 1)
    ]


@pytest.mark.parametrize("text", ["поставк", "пост", "по", "звонок", "ПОСТАВКА СРОЧНО", "ромашка"])
def test_a_small_limit_gives_the_top_of_the_full_ranking(db: Database, text: str) -> None:
    _fill(db)
    full = _search(db, text, limit=200)
    assert full, text
    for limit in (1, 2, 3, 5, 8, 13):
        assert _search(db, text, limit=limit) == full[:limit], (text, limit)


def test_a_long_prefix_spelt_out_finds_what_the_prefix_finds(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db)
    queries = ("поставк", "поставка", "звонок", "бухгалт", "обсудили пост", "ромашка", "поставщ")
    spelt = {q: _search(db, q) for q in queries}
    listed = {q: _listed(db, q) for q in queries}
    assert spelt["поставщ"] == []
    assert len(listed["поставк"]) == 2  # the big list's text filter spells it out too
    if db.is_sqlite:
        with db.reader() as uow:
            q = search.query_for(uow, "поставк")
            assert q is not None
            assert (
                search.fts_for(uow, q) == '("поставка" OR "поставке" OR "поставкин" OR "поставку")'
            )
    monkeypatch.setattr(search, "MAX_COMPLETIONS", 0)  # the prefix as FTS5 syntax
    for q in queries:
        assert _search(db, q) == spelt[q], q
        assert _listed(db, q) == listed[q], q


def _listed(db: Database, text: str) -> list[int]:
    with db.reader() as uow:
        page = lists.client_page(uow, bootstrap.actor_for(uow), text=text, limit=50)
    return [row.id for row in page.rows]


def _manager(db: Database, login: str) -> int:
    with db.uow() as uow:
        role = uow.session.scalar(select(Role.id).where(Role.name == "Manager"))
        user = User(login=login, full_name="Пётр Петров", role_id=role)
        uow.session.add(user)
        uow.commit()
        return user.id


def _found(db: Database, login: str, text: str) -> set[tuple[str, int]]:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow, login)
        return {(h.kind, h.id) for h in search.search(uow, actor, text, limit=200)}


def test_a_colleagues_match_is_never_seen_a_shared_card_and_a_deputys_are(
    db: Database, team: Team
) -> None:
    anna, boris = team.anna, team.boris
    with db.uow(anna.id) as uow:
        card = parties.add_client(uow, anna, "ООО Ёлочка", emails=["elochka@firm.ru"]).id
        deal = deals.add_deal(uow, anna, "Ёлочные игрушки", client_id=card).id
        note = notes.add_note(uow, anna, "client", card, "Ёлочка просила скидку")
        call = ix.create(
            uow,
            anna,
            ix.NewInteraction(type="call", client_id=card, subject="Ёлочный базар", start=NOW),
            now=NOW,
        ).id
        contact = parties.add_contact(uow, anna, "Ёлкин Иван", client_id=card).id
        uow.commit()
    annas = {
        ("client", card),
        ("deal", deal),
        ("note", note),
        ("interaction", call),
        ("contact", contact),
    }
    with db.uow(boris.id) as uow:
        own = parties.add_client(uow, boris, "Елочка Бориса").id
        uow.commit()
    for text in ("елоч", "ЁЛОЧ", "ел", "elochka@firm", "ёлкин"):
        assert not _found(db, "boris", text) & annas, text
        assert _found(db, "anna", text) <= annas, text
    assert _found(db, "boris", "елочк") == {("client", own)}
    assert _found(db, "anna", "ёлочка") == {("client", card), ("note", note)}

    # Boris's own call on Anna's card is his too (``access.check``).
    with db.uow() as uow:
        uow.session.execute(
            update(Interaction).where(Interaction.id == call).values(owner_id=boris.id)
        )
        uow.commit()
    assert _found(db, "boris", "базар") == {("interaction", call)}
    with db.uow() as uow:
        uow.session.execute(
            update(Interaction).where(Interaction.id == call).values(owner_id=anna.id)
        )
        uow.commit()
    assert _found(db, "boris", "базар") == set()

    shares.set_shared(db, anna, "client", card, "boris", shared=True)
    assert _found(db, "boris", "ёлоч") == annas - {("contact", contact)} | {("client", own)}
    assert ("contact", contact) in _found(db, "boris", "ёлкин")
    assert ("client", card) in _found(db, "boris", "elochka@firm.ru")
    shares.set_shared(db, anna, "client", card, "boris", shared=False)
    assert _found(db, "boris", "ёлоч") == {("client", own)}

    # A deputy while the colleague is away; a third manager sees neither.
    _manager(db, "vera")
    transfers.set_deputy(db, anna, "boris", dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    assert _found(db, "boris", "ёлоч") == annas - {("contact", contact)} | {("client", own)}
    assert _found(db, "vera", "ёлоч") == set()
    assert _found(db, team.admin.login, "ёлоч") == annas - {("contact", contact)} | {
        ("client", own)
    }


@pytest.mark.parametrize(
    "text",
    ["ром\x00ашка", "\x00", "ром" + "\x00" * 5000, "ромашка " + "x" * 10_000, "я" * 10_000],
)
def test_nul_and_huge_input_give_words_or_nothing(db: Database, text: str) -> None:
    romashka = client(db, "Ромашка")
    found = _search(db, text)
    assert found in ([], [("client", romashka)]), text
    assert _search(db, "ромашка\x00") == [("client", romashka)]


def test_a_short_text_is_shown_whole_and_a_hit_is_a_plain_value(db: Database) -> None:
    cid = client(db, "ООО Ромашка")
    body = "Звонил Петров из снабжения, просил скидку на поставку труб к маю"
    with db.uow() as uow:
        note = notes.add_note(uow, bootstrap.actor_for(uow), "client", cid, body)
        uow.commit()
    with db.reader() as uow:
        [hit] = search.search(uow, bootstrap.actor_for(uow), "скидк", zone_name="UTC")
    assert hit.snippet == body  # the match is in the middle, the text fits: all of it
    assert hit == search.SearchHit(
        kind="note",
        id=note,
        title=body,
        snippet=body,
        client_id=cid,
        lead_id=None,
        deal_id=None,
        contact_id=None,
        party_name="ООО Ромашка",
        type=None,
        at=hit.at,
    )
    assert hash(hit) == hash(dataclasses.replace(hit))
