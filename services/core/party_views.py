"""The views of a client, lead or contact person and of a user: the ones
``touchpoint clients list`` prints, apart from the other views
(``services.core.views``) so that the call does not build those (issue #16).
"""

from __future__ import annotations

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True)
class UserView:
    id: int
    login: str
    full_name: str
    role: str | None
    permissions: tuple[str, ...]
    active: bool = True  # False: deactivated (left the company), shown in Settings only


@dataclasses.dataclass(frozen=True)
class ContactPointView:
    id: int
    kind: str
    raw: str
    normalized: str
    label: str | None


@dataclasses.dataclass(frozen=True)
class ContactView:
    id: int
    uid: str
    full_name: str
    position: str | None
    client_id: int | None
    lead_id: int | None
    points: tuple[ContactPointView, ...] = ()
    archived: bool = False  # archived, not deleted: lists hide it
    row_version: int = 0  # what an edit saves against (0: not read for editing)


@dataclasses.dataclass(frozen=True)
class ClientView:
    """A client or a lead card header (``kind`` says which)."""

    id: int
    uid: str
    kind: str
    name: str
    owner_id: int
    owner_name: str
    region: str | None
    timezone: str | None
    address: str | None = None
    points: tuple[ContactPointView, ...] = ()
    contacts: tuple[ContactView, ...] = ()
    custom: dict[str, str] = dataclasses.field(default_factory=dict)
    local_time: dt.datetime | None = None
    company: str | None = None
    archived: bool = False  # archived, not deleted: lists hide it
    converted: bool = False  # a lead that became a client (and is archived)
    row_version: int = 0  # what an edit saves against (0: not read for editing)
