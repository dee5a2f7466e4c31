"""Search ranks only the newest matches of each kind (issue #16): where a
word matches fewer than ``search.RECENT`` records the results are those of
a full ranking; where it matches more, the newest ones are ranked."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from services.core import bootstrap, prepared
from services.core.storage import Database
from services.feed import search
from services.interactions import actions as ix
from services.interactions import notes
from tests.integration.helpers import NOW, client

SUBJECTS = (
    "Звонок по поставке металлопроката",
    "Повторный звонок: поставка, сроки и цены",
    "Встреча в офисе, обсудили поставку",
    "Письмо о поставке труб",
    "Поставка, поставка, поставка: срочно",
    "Звонок бухгалтеру",
)


def _fill(db: Database) -> list[int]:
    made = []
    for k, name in enumerate(("ООО Поставка", "ЗАО Ромашка", "ИП Поставкин")):
        cid = client(db, name)
        with db.uow() as uow:
            actor = bootstrap.actor_for(uow)
            for i, subject in enumerate(SUBJECTS):
                made.append(
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
            notes.add_note(uow, actor, "client", cid, f"Поставка #{k}: ждём ответа")
            uow.commit()
    return made


def _search(db: Database, text: str) -> list[tuple[str, int, str]]:
    with db.reader() as uow:
        hits = search.search(uow, bootstrap.actor_for(uow), text, limit=50)
    return [(h.kind, h.id, h.title) for h in hits]


QUERIES = ("поставка", "пост", "звонок", "ПОСТАВКА СРОЧНО", "ромашка", "обсудили пост")


def test_below_the_cut_results_equal_a_full_ranking(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db)
    recent = {q: _search(db, q) for q in QUERIES}
    assert len(recent["пост"]) > 15
    monkeypatch.setattr(search, "RECENT", 10**9)
    monkeypatch.setattr(prepared, "_cache", {})  # rebuilt without the cut
    for q in QUERIES:
        assert _search(db, q) == recent[q], q
    monkeypatch.setattr(prepared, "ENABLED", False)  # and through SQLAlchemy
    for q in QUERIES:
        assert _search(db, q) == recent[q], q


def test_above_the_cut_the_newest_matches_are_ranked(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _fill(db)
    monkeypatch.setattr(search, "RECENT", 4)
    monkeypatch.setattr(prepared, "_cache", {})
    found = [i for kind, i, _ in _search(db, "поставка") if kind == "interaction"]
    # "поставка" as the last word is a prefix: "поставка", not "поставке".
    matching = [
        iid
        for iid, subject in zip(made, SUBJECTS * 3, strict=True)
        if re.search(r"(?<!\w)поставка", subject.lower())
    ]
    assert len(matching) == 6
    assert sorted(found) == sorted(matching)[-4:]  # the four added last
