"""Users, roles and the permissions a role grants; who stands in for whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Synced, SyncSeq, UTCDateTime


class Role(Synced, SyncSeq, Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Permission codes, see services.core.access.Permission.
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)


class User(Synced, SyncSeq, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A head of department sees the clients of everyone in the same one.
    department: Mapped[str | None] = mapped_column(String(100))

    role: Mapped[Role | None] = relationship(lazy="joined")


class Deputy(Base):
    """A colleague who stands in for an absent one until a moment: the
    deputy sees the absent colleague's clients until then (team databases
    enforce it with row-level security too)."""

    __tablename__ = "deputies"

    id: Mapped[int] = mapped_column(primary_key=True)
    absent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
