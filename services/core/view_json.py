"""``to_json``: any view as the stable JSON of the CLI contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """A view class's fields once, not for each of a page's rows."""
    return tuple(f.name for f in dataclasses.fields(cls))


def to_json(value: Any) -> Any:
    """JSON-ready structure: datetimes ISO 8601 with offset, decimals as strings."""
    return _plain(value)
