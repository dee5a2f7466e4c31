"""Finding typed text literally with ``LIKE``, shared by the feed's and the
lists' filters; a module of its own so that ``clients list --text`` does not
load the feed's SQL (and with it the mapped models) to build one pattern."""

from __future__ import annotations

from services.core.errors import ValidationError

LIKE_ESCAPE = "\\"
#: Longer search text is refused: SQLite gives up on a LIKE pattern of 50,000
#: bytes, and no person types a search this long.
MAX_SEARCH = 1000


def like_pattern(text: str) -> str:
    """A ``LIKE … ESCAPE LIKE_ESCAPE`` pattern finding ``text`` literally (``%``, ``_`` too)."""
    if len(text) > MAX_SEARCH:
        raise ValidationError(
            f"The search text is too long ({len(text):,} characters; at most {MAX_SEARCH:,})",
            "text",
            code="feed.queries.search_text_too_long",
            params={"text": format(len(text), ","), "max_search": format(MAX_SEARCH, ",")},
        )
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"
