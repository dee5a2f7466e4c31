"""Global search (Ctrl+K) and the text filter of the big lists.

The index is Alembic revision 0004: an FTS5 table kept by triggers on
SQLite, generated tsvector columns with GIN indexes on PostgreSQL (that
revision says what is indexed and how words are folded). User text never
reaches either engine as syntax: it is cut into words here, each word quoted, the last one matched
as a prefix ("ром" finds "Ромашка"); a number that looks like a phone is
also matched against the digits of stored phones ("8 916 123-45-67",
"9161234567" and "123-45-67" all find +7 916 123-45-67).

One statement per search: the newest ``RECENT`` matches of every kind, cut
to what the actor may see, best first, then the details of the first
``limit`` of them. Ranking only recent matches is a choice (README, "Global
search ranks recent records"): scoring all 100,000 matches of a common word
cost a quarter of a second at 1M records, and in a CRM the record looked for
is nearly always a current one. The statement is built and compiled once per
dialect and role (``services.core.prepared``); the query, the actor and the
limit are its parameters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    table,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from models import Client, Contact, ContactPoint, Deal, Interaction, Lead, Note
from models.base import UTCDateTime
from services.core import normalize, prepared, settings, timezones
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.core.views import SearchHit

# The rowid of the SQLite index is ``code * KIND_SPAN + id`` (revision 0004).
KIND_SPAN = 1 << 40
CODES = {
    "client": 1,
    "lead": 2,
    "contact": 3,
    "deal": 4,
    "note": 5,
    "interaction": 6,
    "point": 7,
}
MAX_LIMIT = 200
MAX_TEXT = 200  # characters of user text looked at
MAX_CHUNKS = 12  # words (space-separated) looked at
MIN_PREFIX = 2  # shortest last word matched as a prefix
PHONE_MIN_DIGITS = 4  # the revision indexes phone tails of at least 4 digits
TITLE_WEIGHT = 10.0  # SQLite bm25: a name or subject counts ten times a body
SNIPPET = 160
TITLE = 80
#: Only the newest matches of each kind are ranked (see ``_Matcher.rows``).
RECENT = 1000

WORD = re.compile(r"[^\W_]+")
PHONE_LIKE = re.compile(r"[\d\s()+\-.]+")
PG_CONFIG = "'pg_catalog.simple'::regconfig"


@dataclasses.dataclass(frozen=True)
class Query:
    """User text made safe: an FTS5 MATCH expression, a PostgreSQL tsquery,
    and the folded words (to find the snippet)."""

    fts: str
    tsquery: str
    words: tuple[str, ...]


def fold(text: str) -> str:
    """Lower case with "ё" as "е", character for character (same length)."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out).replace("ё", "е")


def _fts_phrase(words: list[str], prefix: bool) -> str:
    # Words hold letters and digits only; the doubling is belt and braces.
    quoted = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
    return quoted + " *" if prefix else quoted


def _ts_phrase(words: list[str], prefix: bool) -> str:
    quoted = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words]
    if prefix:
        quoted[-1] += ":*"
    return " <-> ".join(quoted)


def _phone_digits(text: str, default_region: str) -> list[str]:
    """The digit strings a phone-like query stands for: as typed, and as E.164."""
    if not PHONE_LIKE.fullmatch(text):
        return []
    digits = re.sub(r"\D", "", text)
    if len(digits) < PHONE_MIN_DIGITS:
        return []
    found = [digits]
    try:
        e164 = normalize.normalize_phone(text, default_region)
    except ValidationError:
        pass
    else:
        found.append(e164.split(";", 1)[0].lstrip("+"))
    return list(dict.fromkeys(found))


def parse(text: str, default_region: str = "RU") -> Query | None:
    """The query for ``text``, or None when it holds no word to look for.

    Space-separated words must all match (AND); a word written with
    punctuation inside ("ivan.petrov@rom") is a phrase of its parts; the
    last word matches as a prefix when it has two letters or more.
    """
    text = unicodedata.normalize("NFC", text)[:MAX_TEXT].strip()
    chunks = [words for words in (WORD.findall(fold(c)) for c in text.split()) if words]
    chunks = chunks[:MAX_CHUNKS]
    if not chunks:
        return None
    # A one-letter last word matches whole words only: as a prefix it would
    # match a third of the database and say nothing.
    last = len(chunks) - 1 if len(chunks[-1][-1]) >= MIN_PREFIX else -1
    fts = " AND ".join(_fts_phrase(w, i == last) for i, w in enumerate(chunks))
    ts = " & ".join(_ts_phrase(w, i == last) for i, w in enumerate(chunks))
    phones = _phone_digits(text, default_region)
    if phones:
        fts = f"({fts}) OR " + " OR ".join(_fts_phrase([d], True) for d in phones)
        ts = f"({ts}) | " + " | ".join(_ts_phrase([d], True) for d in phones)
    return Query(fts, ts, tuple(w for words in chunks for w in words))


def query_for(uow: UnitOfWork, text: str | None) -> Query | None:
    """``parse`` with the database's default phone region."""
    if not text or not text.strip():
        return None
    return parse(text, settings.get(uow, "default_region"))


# --- SQL ---------------------------------------------------------------------


def dialect_of(uow: UnitOfWork) -> str:
    return uow.session.get_bind().dialect.name


def _vector(model: Any) -> ColumnElement[Any]:
    """The stored tsvector revision 0004 adds to ``model``'s table (PostgreSQL)."""
    return literal_column(f"{model.__tablename__}.search_vector")


def _tsquery(text: Any) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column(PG_CONFIG), text)


_MODELS: dict[str, Any] = {
    "client": Client,
    "lead": Lead,
    "contact": Contact,
    "deal": Deal,
    "note": Note,
    "interaction": Interaction,
    "point": ContactPoint,
}


class _Matcher:
    """Where the rows of one kind that match come from, per dialect."""

    def __init__(self, dialect: str, q: Query | None) -> None:
        """``q`` None: the query is given at execution (``search_fts``/``search_tsq``)."""
        if dialect not in ("sqlite", "postgresql"):
            raise ValidationError(
                f"Search is not available on {dialect}",
                code="feed.search.search_not_available",
                params={"dialect": str(dialect)},
            )
        self.sqlite = dialect == "sqlite"
        self.q = q

    def _text(self, name: str, value: str | None) -> Any:
        if self.q is None:
            return bindparam(name, type_=String)
        return bindparam(name, value, String)

    def newest(self, kind: str) -> ColumnElement[Any]:
        """The order of ``kind``'s matches, newest first: the index walks it."""
        if self.sqlite:
            return literal_column("search_index.rowid", Integer).desc()
        return _MODELS[kind].id.desc()  # type: ignore[no-any-return]

    def rows(
        self, kind: str, *, join: bool = True
    ) -> tuple[Any, list[Any], ColumnElement[Any], ColumnElement[Any]]:
        """(FROM clause, conditions, id, score: lower is better) of ``kind``.

        ``join=False``: the caller needs no column of the kind's table, and
        SQLite answers from the index alone.
        """
        model = _MODELS[kind]
        if self.sqlite:
            # MATCH within the kind's rowid range: FTS5 seeks to it.
            index = table("search_index", column("rowid", Integer))
            base = CODES[kind] * KIND_SPAN
            match = literal_column("search_index").op("MATCH")(
                self._text("search_fts", self.q.fts if self.q else None)
            )
            conds = [match, index.c.rowid > base, index.c.rowid < base + KIND_SPAN]
            score = literal_column(f"bm25(search_index, {TITLE_WEIGHT}, 1.0)", Float)
            if not join:
                return index, conds, (index.c.rowid - base), score
            source = index.join(model, model.id == index.c.rowid - base)
            return source, conds, model.id, score
        vector = _vector(model)
        tsq = _tsquery(self._text("search_tsq", self.q.tsquery if self.q else None))
        return model, [vector.op("@@")(tsq)], model.id, -func.ts_rank(vector, tsq)


def _owned(column: Any, me: Any) -> ColumnElement[bool]:
    """``column`` names the actor (``me`` a bind) or one of the owners they
    see (``me`` an expanding bind)."""
    return column.in_(me) if getattr(me, "expanding", False) else column == me  # type: ignore[no-any-return]


def _visible_clients(me: Any) -> Select[Any]:
    return select(Client.id).where(_owned(Client.owner_id, me))


def _visible_leads(me: Any) -> Select[Any]:
    return select(Lead.id).where(_owned(Lead.owner_id, me))


def _party_visible(model: Any, me: Any) -> ColumnElement[bool]:
    return or_(
        model.client_id.in_(_visible_clients(me)),
        model.lead_id.in_(_visible_leads(me)),
    )


def _visibility(
    kind: str, actor_id: int | None, sees_all: bool, owners: list[int] | None = None
) -> list[ColumnElement[bool]]:
    """``actor_id`` None: given at execution (``search_actor``). ``owners``:
    the actor sees colleagues' records too (``Actor.also_sees``): one
    expanding ``search_owners`` instead of ``search_actor``."""
    if sees_all:
        return []
    me: Any
    if owners is not None:
        me = bindparam("search_owners", owners or None, expanding=True)
    elif actor_id is None:
        me = bindparam("search_actor", type_=Integer)
    else:
        me = bindparam("search_actor", actor_id, Integer)
    if kind in ("client", "lead", "deal"):
        return [_owned(_MODELS[kind].owner_id, me)]
    if kind == "point":
        contacts = select(Contact.id).where(_party_visible(Contact, me))
        return [or_(_party_visible(ContactPoint, me), ContactPoint.contact_id.in_(contacts))]
    return [_party_visible(_MODELS[kind], me)]


def ids_matching(dialect: str, kind: str, q: Query) -> CompoundSelect[Any]:
    """Ids of clients, leads or contacts whose name or own address/number
    matches: the text filter of ``services.parties.lists``."""
    if kind not in ("client", "lead", "contact"):
        raise ValueError(kind)
    matcher = _Matcher(dialect, q)
    source, conds, ident, _score = matcher.rows(kind, join=False)
    # correlate(None): the caller filters the same table with ``IN (this)``.
    own = select(ident).select_from(source).where(*conds).correlate(None)
    owner_col = getattr(ContactPoint, f"{kind}_id")
    source, conds, _ident, _score = matcher.rows("point")
    points = (
        select(owner_col).select_from(source).where(*conds, owner_col.is_not(None)).correlate(None)
    )
    return union(own, points)


def _candidates(
    matcher: _Matcher, actor_id: int | None, sees_all: bool, owners: list[int] | None = None
) -> Any:
    """(kind, id, score, point_id) of every visible match.

    A client, lead or contact can match by its name and by its addresses:
    those count once, with their best score and one matching address.
    """

    def recent(kind: str, found: Select[Any]) -> Select[Any]:
        newest = found.order_by(matcher.newest(kind)).limit(RECENT).subquery(f"recent_{kind}")
        return select(*newest.c)

    def branch(kind: str) -> Select[Any]:
        visible = _visibility(kind, actor_id, sees_all, owners)
        source, conds, ident, score = matcher.rows(kind, join=bool(visible))
        return recent(
            kind,
            select(
                literal(kind, String).label("kind"),
                ident.label("id"),
                cast(score, Float).label("score"),
                cast(null(), Integer).label("point_id"),
            )
            .select_from(source)
            .where(*conds, *visible),
        )

    source, conds, _ident, score = matcher.rows("point")
    p = ContactPoint
    points = recent(
        "point",
        select(
            case(
                (p.contact_id.is_not(None), literal("contact", String)),
                (p.client_id.is_not(None), literal("client", String)),
                else_=literal("lead", String),
            ).label("kind"),
            func.coalesce(p.contact_id, p.client_id, p.lead_id).label("id"),
            cast(score, Float).label("score"),
            p.id.label("point_id"),
        )
        .select_from(source)
        .where(*conds, *_visibility("point", actor_id, sees_all, owners)),
    )
    cards = union_all(branch("client"), branch("lead"), branch("contact"), points).subquery(
        "search_cards"
    )
    once = select(
        cards.c.kind,
        cards.c.id,
        func.min(cards.c.score).label("score"),
        func.max(cards.c.point_id).label("point_id"),
    ).group_by(cards.c.kind, cards.c.id)
    return union_all(once, branch("deal"), branch("note"), branch("interaction")).subquery(
        "search_candidates"
    )


def _details(top: Any) -> Select[Any]:
    """The top hits with what a result row shows, best first."""
    point = aliased(ContactPoint, name="hit_point")
    pc = aliased(Client, name="hit_client")
    pl = aliased(Lead, name="hit_lead")
    text_null = cast(null(), String)
    int_null = cast(null(), Integer)

    def cols(kind: str, **given: Any) -> list[Any]:
        return [
            top.c.kind,
            top.c.id,
            top.c.score,
            given["title"].label("title"),
            given.get("text", text_null).label("text"),
            given.get("type", text_null).label("type"),
            given.get("at", cast(null(), UTCDateTime())).label("at"),
            given.get("client_id", int_null).label("client_id"),
            given.get("lead_id", int_null).label("lead_id"),
            given.get("deal_id", int_null).label("deal_id"),
            given.get("contact_id", int_null).label("contact_id"),
            given.get("party", text_null).label("party_name"),
            (point.raw if kind in ("client", "lead", "contact") else text_null).label("point"),
        ]

    def on(kind: str, model: Any) -> ColumnElement[bool]:
        return and_(top.c.kind == literal(kind, String), model.id == top.c.id)

    party = func.coalesce(pc.name, pl.name)
    branches = [
        select(*cols("client", title=Client.name, client_id=Client.id, party=Client.name))
        .select_from(top.join(Client, on("client", Client)))
        .outerjoin(point, point.id == top.c.point_id),
        select(*cols("lead", title=Lead.name, text=Lead.company, lead_id=Lead.id, party=Lead.name))
        .select_from(top.join(Lead, on("lead", Lead)))
        .outerjoin(point, point.id == top.c.point_id),
        select(
            *cols(
                "contact",
                title=Contact.full_name,
                text=Contact.position,
                client_id=Contact.client_id,
                lead_id=Contact.lead_id,
                contact_id=Contact.id,
                party=party,
            )
        )
        .select_from(top.join(Contact, on("contact", Contact)))
        .outerjoin(point, point.id == top.c.point_id)
        .outerjoin(pc, pc.id == Contact.client_id)
        .outerjoin(pl, pl.id == Contact.lead_id),
        select(
            *cols(
                "deal",
                title=Deal.title,
                client_id=Deal.client_id,
                lead_id=Deal.lead_id,
                deal_id=Deal.id,
                party=party,
            )
        )
        .select_from(top.join(Deal, on("deal", Deal)))
        .outerjoin(pc, pc.id == Deal.client_id)
        .outerjoin(pl, pl.id == Deal.lead_id),
        select(
            *cols(
                "note",
                title=text_null,
                text=Note.body,
                at=Note.created_at,
                client_id=Note.client_id,
                lead_id=Note.lead_id,
                deal_id=Note.deal_id,
                contact_id=Note.contact_id,
                party=party,
            )
        )
        .select_from(top.join(Note, on("note", Note)))
        .outerjoin(pc, pc.id == Note.client_id)
        .outerjoin(pl, pl.id == Note.lead_id),
        select(
            *cols(
                "interaction",
                title=Interaction.subject,
                text=Interaction.body,
                type=Interaction.type,
                at=Interaction.start_utc,
                client_id=Interaction.client_id,
                lead_id=Interaction.lead_id,
                deal_id=Interaction.deal_id,
                party=party,
            )
        )
        .select_from(top.join(Interaction, on("interaction", Interaction)))
        .outerjoin(pc, pc.id == Interaction.client_id)
        .outerjoin(pl, pl.id == Interaction.lead_id),
    ]
    merged = union_all(*branches).subquery("search_hits")
    return select(merged).order_by(merged.c.score, merged.c.kind, merged.c.id)


def statement(dialect: str, actor: Actor, q: Query, limit: int) -> Select[Any]:
    """The search of ``q`` for ``actor`` with its values written in (to show
    or explain it); ``search`` runs the same statement, prepared once."""
    owners = list(actor.owner_ids) if actor.also_sees else None
    return _statement(dialect, q, actor.id, actor.can(Permission.CLIENTS_VIEW_ALL), limit, owners)


def _statement(
    dialect: str,
    q: Query | None,
    actor_id: int | None,
    sees_all: bool,
    limit: int | None,
    owners: list[int] | None = None,
) -> Select[Any]:
    found = _candidates(_Matcher(dialect, q), actor_id, sees_all, owners)
    top = (
        select(found)
        .order_by(found.c.score, found.c.kind, found.c.id)
        .limit(
            bindparam("search_limit", limit, Integer)
            if limit
            else bindparam("search_limit", type_=Integer)
        )
        .cte("search_top")
    )
    return _details(top)


class _HitRow(NamedTuple):
    """A row of ``_details``, read off the cursor."""

    kind: str
    id: int
    score: float
    title: str | None
    text: str | None
    type: str | None
    at: dt.datetime | None
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None
    party_name: str | None
    point: str | None


# --- results -----------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def snippet(text: str | None, words: tuple[str, ...], width: int = SNIPPET) -> str:
    """About ``width`` characters of ``text`` around the first word that
    starts with one of ``words`` (folded), on one line."""
    if not text:
        return ""
    flat = _one_line(text)
    folded = fold(flat)
    first = len(flat)
    for word in words:
        found = re.search(r"(?<![^\W_])" + re.escape(word), folded)
        if found and found.start() < first:
            first = found.start()
    if first == len(flat):
        first = 0
    start = max(0, first - width // 4)
    if start:
        space = flat.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", first, end)
        end = space if space > first else end
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def _title(row: Any) -> str:
    if row.title:
        return str(row.title)
    if row.kind == "note" and row.text:
        line = _one_line(str(row.text).strip().splitlines()[0] if row.text.strip() else "")
        return line if len(line) <= TITLE else line[: TITLE - 1] + "…"
    return ""


def _hit(row: Any, words: tuple[str, ...], zone: dt.tzinfo) -> SearchHit:
    title = _title(row)
    if row.point:
        text = str(row.point)
    elif row.kind in ("note", "interaction"):
        text = snippet(row.text, words)
    else:  # a lead's company, a contact's position
        text = _one_line(row.text or "")
        text = "" if text == title else text
    return SearchHit(
        kind=row.kind,
        id=int(row.id),
        title=title,
        snippet=text,
        client_id=row.client_id,
        lead_id=row.lead_id,
        deal_id=row.deal_id,
        contact_id=row.contact_id,
        party_name=row.party_name,
        type=row.type,
        at=row.at.astimezone(zone) if row.at is not None else None,
    )


@functools.lru_cache(maxsize=16)
def _zone(name: str) -> dt.tzinfo:
    return timezones.zone(name)


@functools.lru_cache(maxsize=4)
def _several_owners(dialect: str) -> Select[Any]:
    """The search of a user who sees colleagues' records, built once."""
    return _statement(dialect, None, None, False, None, owners=[])


def search(
    uow: UnitOfWork,
    actor: Actor,
    text: str,
    *,
    limit: int = 30,
    zone_name: str | None = None,
) -> list[SearchHit]:
    """Clients, leads, contacts, deals, notes and interactions matching
    ``text``, best first, only those the actor may see.

    A client, lead or contact found by its name and by its email counts once.
    ``zone_name``: the zone of ``SearchHit.at`` (default: the display zone).
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            f"Ask for 1 to {MAX_LIMIT} search results",
            code="feed.search.ask_search_results",
            params={"max_limit": str(MAX_LIMIT)},
        )
    q = query_for(uow, text)
    if q is None:
        return []
    zone = _zone(zone_name or settings.display_zone(uow))
    # One statement per dialect and role, compiled once: building it cost
    # 6-7 ms a search (issue #16); the query and the actor are parameters.
    dialect = prepared.dialect_of(uow)
    sees_all = actor.can(Permission.CLIENTS_VIEW_ALL)
    compiled = prepared.prepared(
        dialect,
        ("search", sees_all),
        lambda: _statement(dialect.name, None, None, sees_all, None),
    )
    values: dict[str, Any] = {"search_limit": limit}
    if dialect.name == "sqlite":
        values["search_fts"] = q.fts
    else:
        values["search_tsq"] = q.tsquery
    if not sees_all and actor.also_sees:
        # A deputy or a head: the owners they see are one expanding
        # parameter, which ``prepared`` cannot hold; SQLAlchemy caches the
        # compiled statement instead.
        values["search_owners"] = list(actor.owner_ids)
        found = uow.session.execute(_several_owners(dialect.name), values)
        rows = [tuple(row) for row in found]
    else:
        if not sees_all:
            values["search_actor"] = actor.id
        rows = compiled.rows(uow, values)
    return [_hit(_HitRow._make(row), q.words, zone) for row in rows]


__all__ = [
    "CODES",
    "KIND_SPAN",
    "Query",
    "SearchHit",
    "fold",
    "ids_matching",
    "parse",
    "query_for",
    "search",
    "snippet",
]
