"""What autogenerate and the schema test must not compare with the models.

The full-text search index (revision 0004) is raw SQL, not a model: FTS5
tables ``search_index*`` on SQLite, generated ``search_vector`` columns with
``ix_search_*`` GIN indexes on PostgreSQL.
"""

from __future__ import annotations

from typing import Any


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    if name is None:
        return True
    if type_ == "table" and name.startswith("search_index"):
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return not (type_ == "index" and name.startswith("ix_search_"))
