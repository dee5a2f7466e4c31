"""A partial index whose PostgreSQL ``WHERE`` costs a SQLite process nothing.

SQLAlchemy checks a ``postgresql_where=`` keyword at the ``Index``'s
construction by importing the whole PostgreSQL dialect (~55 ms of CPU under
load): every start that maps the models paid it, also on SQLite, where no
PostgreSQL DDL or statement is ever made (issue #16). ``PartialIndex`` hands
SQLite its ``sqlite_where`` as before and attaches the PostgreSQL one the
first time anything asks for the index's PostgreSQL options (the DDL
compiler, Alembic) or lists all its dialect options (``index.kwargs``,
``Table.to_metadata``): then the index reads exactly as one declared with
both keywords (``tests/unit/test_partial_index.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Index, text
from sqlalchemy.util import PopulateDict, memoized_property

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

__all__ = ["PartialIndex"]

_LATE = "postgresql"  # the dialect whose options are attached on first use


class _Options(PopulateDict[str, Any]):
    """``Index.dialect_options`` that fills in PostgreSQL's before any
    listing, so that a reader of all the options sees the same as before."""

    def _all(self) -> None:
        if _LATE not in dict.keys(self):
            self[_LATE]  # PopulateDict: __missing__ makes the entry

    def __iter__(self) -> Iterator[str]:
        self._all()
        return super().__iter__()

    def __len__(self) -> int:
        self._all()
        return super().__len__()

    def __contains__(self, key: object) -> bool:
        return key == _LATE or super().__contains__(key)

    def keys(self) -> dict_keys[str, Any]:
        self._all()
        return super().keys()

    def items(self) -> dict_items[str, Any]:
        self._all()
        return super().items()

    def values(self) -> dict_values[str, Any]:
        self._all()
        return super().values()


class PartialIndex(Index):
    """``Index(name, *columns, unique=unique, sqlite_where=text(where),
    postgresql_where=text(where))`` without loading the PostgreSQL dialect
    until PostgreSQL is in play."""

    def __init__(self, name: str, *columns: str, where: str, unique: bool = False) -> None:
        self._partial_where = where
        super().__init__(name, *columns, unique=unique, sqlite_where=text(where))

    @memoized_property
    def dialect_options(self) -> Any:  # the base's PopulateDict, lazier
        return _Options(self._options_of)

    def _options_of(self, dialect_name: str) -> Any:
        options = self._kw_reg_for_dialect_cls(dialect_name)
        if dialect_name == _LATE:
            options["where"] = text(self._partial_where)
        return options
