"""What each list shows (columns, search hint, count) and the service call
that fetches one keyset page of it (``services.parties.lists``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from services.core.access import Actor
from services.core.views import ListRow
from services.parties import lists
from ui.clients.list_model import Column, Page, Query
from ui.widgets import country_names, phone_text
from ui.widgets.country_names import country_name
from ui.widgets.work import Uow

PageFn = Callable[..., Any]
CountFn = Callable[..., int]


def _text(value: str | None) -> str:
    return value or ""


def _columns(kind: str) -> list[Column]:
    name = QCoreApplication.translate("Lists", "Name")
    phone = Column(
        "",
        QCoreApplication.translate("Lists", "Phone"),
        lambda r: phone_text.shown(r.phone_number, r.phone),
    )
    email = Column("", QCoreApplication.translate("Lists", "Email"), lambda r: _text(r.email))
    owner = Column("", QCoreApplication.translate("Lists", "Owner"), lambda r: r.owner_name)
    # The country in the window's language ("DE": Германия), its code in the
    # tooltip. Not sortable: SQL sorts by the code, which is not the order
    # of the names shown, so the header keeps the list's own order.
    region = Column(
        "",
        QCoreApplication.translate("Lists", "Region"),
        lambda r: country_name(r.region) if r.region else "",
        tooltip=lambda r: f"{country_name(r.region)} ({r.region})" if r.region else "",
    )
    if kind == "client":
        address = Column(
            "",
            QCoreApplication.translate("Lists", "Address"),
            lambda r: _text(r.address),
            tooltip=lambda r: _text(r.address),
        )
        return [Column("name", name, lambda r: r.name), phone, email, owner, region, address]
    if kind == "lead":
        company = Column(
            "", QCoreApplication.translate("Lists", "Company"), lambda r: _text(r.company)
        )
        return [Column("name", name, lambda r: r.name), company, phone, email, owner, region]
    position = Column(
        "", QCoreApplication.translate("Lists", "Position"), lambda r: _text(r.position)
    )
    works_at = Column(
        "", QCoreApplication.translate("Lists", "Client or lead"), lambda r: _text(r.company)
    )
    full_name = QCoreApplication.translate("Lists", "Full name")
    return [Column("name", full_name, lambda r: r.name), position, works_at, phone, email, owner]


# Widths in average characters; 0 stretches.
WIDTHS = {
    "client": [36, 18, 30, 32, 18, 0],
    "lead": [32, 30, 18, 30, 32, 0],
    "contact": [32, 26, 36, 18, 30, 0],
}


class ListSource:
    """Clients, leads or contact persons for ``LazyListModel``."""

    def __init__(self, kind: str, page: PageFn, count: CountFn) -> None:
        self.kind = kind
        self._page = page
        self._count = count

    def columns(self) -> list[Column]:
        return _columns(self.kind)

    def widths(self) -> list[int]:
        return WIDTHS[self.kind]

    def placeholder(self) -> str:
        return {
            "client": QCoreApplication.translate("Lists", "Search clients by name, phone or email"),
            "lead": QCoreApplication.translate("Lists", "Search leads by name, phone or email"),
            "contact": QCoreApplication.translate(
                "Lists", "Search contact persons by name, phone or email"
            ),
        }[self.kind]

    def count_text(self, total: int) -> str:
        return Lists().count(self.kind, total)

    def title(self, row: ListRow) -> str:
        return row.name

    def page(self, uow: Uow, actor: Actor, query: Query, cursor: Any, limit: int) -> Page:
        if self.kind != "contact":  # its region column names countries
            country_names.preload()
        result = self._page(
            uow,
            actor,
            text=query.text or None,
            after=cursor,
            limit=limit,
            sort=query.sort or "name",
            descending=query.descending,
            archived=query.archived,
        )
        return Page(list(result.rows), result.next)

    def count(self, uow: Uow, actor: Actor, query: Query) -> int:
        return self._count(uow, actor, query.text or None, query.archived)


def source_for(kind: str) -> ListSource:
    if kind == "client":
        return ListSource(kind, lists.client_page, lists.count_clients)
    if kind == "lead":
        return ListSource(kind, lists.lead_page, lists.count_leads)
    if kind == "contact":
        return ListSource(kind, lists.contact_page, lists.count_contacts)
    raise ValueError(f"no list of {kind!r}")


class Lists(QObject):
    """Plural strings of the "Lists" translation context (the class name):
    pyside6-lupdate (6.11) marks plurals only in ``self.tr(text, "", n)``."""

    def count(self, kind: str, total: int) -> str:
        if kind == "client":
            return self.tr("%n client(s)", "", total)
        if kind == "lead":
            return self.tr("%n lead(s)", "", total)
        return self.tr("%n contact person(s)", "", total)
