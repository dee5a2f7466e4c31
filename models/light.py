"""Core views of the tables the quick read paths use, without the ORM.

A ``touchpoint clients list`` is one small read, but importing the ORM and
mapping every model costs more than the rest of the call (issue #16). The
reads that every start and the list commands make (who acts, is there
first-start work, a page of clients) are Core statements over these
lightweight table clauses instead, and the desktop runs the same functions
through its session. Only the columns those reads need are named here;
``tests/integration/test_cli_start.py`` checks each against the mapped table
(name and type), so a migration that renames one fails there, not at a
user's prompt.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Integer, String, Text, column, table

from models.types import UTCDateTime

roles = table(
    "roles",
    column("id", Integer),
    column("permissions", JSON),
)

users = table(
    "users",
    column("id", Integer),
    column("login", String),
    column("full_name", String),
    column("role_id", Integer),
    column("active", Boolean),
    column("department", String),
)

deputies = table(
    "deputies",
    column("absent_id", Integer),
    column("deputy_id", Integer),
    column("until", UTCDateTime),
)

clients = table(
    "clients",
    column("id", Integer),
    column("uid", String),
    column("name", String),
    column("name_folded", String),
    column("owner_id", Integer),
    column("region", String),
    column("timezone", String),
    column("address", Text),
    column("archived_at", UTCDateTime),
)

party_shares = table(
    "party_shares",
    column("client_id", Integer),
    column("user_id", Integer),
)

contacts = table(
    "contacts",
    column("id", Integer),
    column("client_id", Integer),
)

contact_points = table(
    "contact_points",
    column("id", Integer),
    column("kind", String),
    column("raw", String),
    column("normalized", String),
    column("label", String),
    column("client_id", Integer),
    column("contact_id", Integer),
)

import_runs = table(
    "import_runs",
    column("id", Integer),
    column("state", String),
    column("pid", Integer),
    column("host", String),
    column("started_at", UTCDateTime),
)

ALL = (roles, users, deputies, clients, party_shares, contacts, contact_points, import_runs)
