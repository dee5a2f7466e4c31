"""Every Qt item model in ui/ passes qtmodeltester with rows in it; a model
added without a case here fails the first test."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex

import ui
from services.core import bootstrap
from services.core.storage import Database
from services.feed.pages import FeedScope
from services.interactions import actions as ix
from services.interactions import notes
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from tests.ui.linking_ui_helpers import add_letters

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _ui_models() -> set[str]:
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(info.name)
    found: set[str] = set()
    todo: list[type] = [QAbstractItemModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("ui."):
                found.add(f"{sub.__module__}.{sub.__qualname__}")
    return found


def _clients(db: Database) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        first = parties.add_client(uow, actor, "ООО «Ромашка»", emails=["info@romashka.ru"])
        for name in ("АО Василёк", "Kaspi Logistics", "ИП Петров"):
            parties.add_client(uow, actor, name)
        for days in (1, 9, 40):
            ix.create(
                uow,
                actor,
                ix.NewInteraction(
                    type="call", client_id=first.id, start=NOW - dt.timedelta(days=days)
                ),
                now=NOW,
            )
        ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type="meeting",
                planned=True,
                client_id=first.id,
                start=NOW + dt.timedelta(days=2),
                subject="Подписание договора",
            ),
            now=NOW,
        )
        notes.add_note(uow, actor, "client", first.id, "Звонить до обеда")
        uow.commit()
        return first.id


def _feed(db: Database) -> QAbstractItemModel:
    from ui.feed.feed_model import FeedModel

    client_id = _clients(db)
    model = FeedModel(make_ctx(db), page_size=2)
    model.set_query(FeedScope(client_id=client_id))
    return model


def _list(db: Database) -> QAbstractItemModel:
    from ui.clients.list_model import LazyListModel, Query
    from ui.clients.sources import source_for

    _clients(db)
    model = LazyListModel(make_ctx(db), source_for("client"))
    model.set_query(Query())
    return model


def _unlinked(db: Database) -> QAbstractItemModel:
    from ui.mail.unlinked_model import UnlinkedModel

    add_letters(db, ["ivan@romashka.ru", "spam@unknown.example", "пётр@почта.рф"])
    model = UnlinkedModel(make_ctx(db), page_size=2)
    model.refresh()
    return model


def _requests(db: Database) -> QAbstractItemModel:
    from tests.ui.test_inbound_panel import _processed, _team, h
    from ui.inbound.request_model import RequestModel

    source = h.source(db, _team(db).admin)
    for n in range(5):
        h.deliver(db, source, f"Запрос {n}", email=f"k{n}@x.ru")
    _processed(db, source)
    model = RequestModel(make_ctx(db), page_size=2)
    model.refresh()
    return model


CASES: dict[str, Callable[[Database], QAbstractItemModel]] = {
    "ui.feed.feed_model.FeedModel": _feed,
    "ui.clients.list_model.LazyListModel": _list,
    "ui.mail.unlinked_model.UnlinkedModel": _unlinked,
    "ui.inbound.request_model.RequestModel": _requests,
}


# Bases never shown on their own: the cases of their subclasses test them.
BASES = {
    "ui.widgets.keyset_model.KeysetTableModel": (
        "ui.mail.unlinked_model.UnlinkedModel",
        "ui.inbound.request_model.RequestModel",
    ),
}


def test_every_model_in_ui_has_a_case_here() -> None:
    assert _ui_models() == set(CASES) | set(BASES)
    for subclasses in BASES.values():
        assert set(subclasses) <= set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_model_passes_qtmodeltester(name: str, qtmodeltester: Any, sqlite_db: Database) -> None:
    model = CASES[name](sqlite_db)
    assert model.rowCount() > 0
    qtmodeltester.check(model)  # fetches more pages, too
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model)
