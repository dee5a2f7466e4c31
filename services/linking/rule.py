"""The one owner rule for letters and calls (SPEC D2), used by mail import
and by the linking job alike, so a letter lands on the same card whichever
of them sees it first (README "Who owns a letter or a call").

1. Direction comes from who sent it: a letter whose From is one of the
   account's own addresses (its email and aliases) is outgoing, whatever
   folder it sits in; any other letter is incoming.
2. The addresses that count: From, To and Cc of an incoming letter; To and
   Cc of an outgoing one. The account's own addresses never count.
   A call counts its one number; a card number with an extension matches
   on the main number.
3. Among every card that has one of those addresses: contact person >
   client > lead; among cards of one kind the oldest (lowest id). Two
   cards of the best kind that belong to different parties are a tie: the
   oldest wins and the link is flagged for review. Two addresses of one
   client are no tie.
4. The letter's contact persons are exactly those whose addresses are on
   it (among the counted ones) and who belong to the chosen party.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import String, bindparam, func, select

from models import Contact, ContactPoint
from services.core import normalize, prepared
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork

KIND_NAMES = ("contact", "client", "lead")
# Letters and calls the rule may (re)place: never those linked or unlinked by hand.
AUTO_RULES = (None, "auto")


@dataclasses.dataclass(frozen=True, order=True)
class Candidate:
    """One card that has an address or number, and the party it belongs to."""

    rank: int  # 0 contact, 1 client, 2 lead
    id: int
    value: str  # the value as stored on the card (a phone keeps its extension)
    client_id: int | None
    lead_id: int | None

    @property
    def kind(self) -> str:
        return KIND_NAMES[self.rank]

    @property
    def party(self) -> tuple[int | None, int | None]:
        """Where the interaction goes: the client, else the lead."""
        return (self.client_id, None) if self.client_id is not None else (None, self.lead_id)


@dataclasses.dataclass(frozen=True)
class Decision:
    owner: Candidate
    tie: bool
    others: tuple[Candidate, ...]  # every other card the letter or call names
    contact_ids: tuple[int, ...]

    @property
    def client_id(self) -> int | None:
        return self.owner.party[0]

    @property
    def lead_id(self) -> int | None:
        return self.owner.party[1]

    def reason(self) -> str:
        owner = self.owner
        text = f"{owner.value} is on {owner.kind} {owner.id} (contact > client > lead)"
        if self.tie:
            rivals = 1 + sum(1 for c in self.others if c.rank == owner.rank)
            text += f"; {rivals} {owner.kind}s have it, the oldest was chosen: review"
        return text


@functools.lru_cache(maxsize=8192)  # mail import asks for the same few addresses all day
def letter_address(raw: str) -> str:
    """An address from a letter in the form cards keep (IDN domains as
    Unicode, case folded); what cannot be normalized is only case folded,
    so it is kept but never matches a card by accident."""
    try:
        return normalize.normalize_email(raw)
    except ValidationError:
        return raw.strip().casefold()


def own_addresses(email: str, aliases: str | None) -> frozenset[str]:
    """An account's own addresses: its email and its aliases (one a line)."""
    values = [email, *(aliases or "").replace(",", "\n").splitlines()]
    return frozenset(letter_address(v) for v in values if v.strip())


def direction(from_addr: str | None, own: frozenset[str]) -> str:
    return "out" if from_addr is not None and letter_address(from_addr) in own else "in"


def counted(
    letter_direction: str, addresses: Iterable[tuple[str, str]], own: frozenset[str]
) -> list[str]:
    """The addresses that decide whose letter this is, in header order:
    ``addresses`` are (role, normalized address) with role from, to or cc."""
    roles = ("from", "to", "cc") if letter_direction == "in" else ("to", "cc")
    pairs = list(addresses)
    out: list[str] = []
    for role in roles:
        for r, value in pairs:
            if r == role and value not in own and value not in out:
                out.append(value)
    return out


def decide(values: Sequence[str], candidates: Mapping[str, Sequence[Candidate]]) -> Decision | None:
    found = sorted({c for v in values for c in candidates.get(v, ())})
    if not found:
        return None
    owner = found[0]
    rivals = {c.party for c in found if c.rank == owner.rank}
    seen = {(owner.rank, owner.id)}
    others = []
    for c in found[1:]:
        if (c.rank, c.id) not in seen:
            seen.add((c.rank, c.id))
            others.append(c)
    contacts = sorted({c.id for c in found if c.rank == 0 and c.party == owner.party})
    return Decision(owner, len(rivals) > 1, tuple(others), tuple(contacts))


def main_number(value: str) -> str:
    return value.split(";", 1)[0]


def _base() -> Any:
    return select(
        ContactPoint.normalized,
        ContactPoint.client_id,
        ContactPoint.lead_id,
        ContactPoint.contact_id,
        Contact.client_id.label("contact_client_id"),
        Contact.lead_id.label("contact_lead_id"),
    ).outerjoin(Contact, Contact.id == ContactPoint.contact_id)


def json_list(name: str) -> Any:
    """SQLite: the values of the JSON list bound as NAME, as a subquery for
    ``IN``: one statement compiled once for any number of values."""
    return select(func.json_each(bindparam(name, type_=String)).table_valued("value").c.value)


def _listed() -> Any:
    """SQLite: the cards having any value of one JSON list, one statement
    compiled once (an expanding IN of 500 values is compiled and its rows
    built by the ORM on every call: ~8 ms for the thousand addresses of a
    link job's chunk, ~3 ms this way)."""
    return _base().where(
        ContactPoint.kind == bindparam("kind", type_=String),
        ContactPoint.normalized.in_(json_list("values")),
    )


def _with_extension() -> Any:
    return _base().where(
        ContactPoint.kind == bindparam("kind", type_=String),
        ContactPoint.normalized.like("%;ext=%"),
    )


def candidates_of(uow: UnitOfWork, kind: str, values: Iterable[str]) -> dict[str, list[Candidate]]:
    """Every card having each value (SQLite: one query; elsewhere one per
    500 values); phones are keyed by their main number (a card's extension
    still matches)."""
    wanted = sorted(set(values))
    found: dict[str, list[Candidate]] = {}
    if not wanted:
        return found
    dialect = prepared.dialect_of(uow)
    rows = (_rows_listed if dialect.name == "sqlite" else _rows_chunked)(uow, kind, wanted)
    if kind == "phone":
        wanted_set = set(wanted)
        rows += [
            r
            for r in prepared.prepared(dialect, "rule.extensions", _with_extension).rows(
                uow, {"kind": kind}, autoflush=True
            )
            if main_number(r[0]) in wanted_set
        ]
    for normalized, client_id, lead_id, contact_id, contact_client_id, contact_lead_id in rows:
        if contact_id is not None:
            candidate = Candidate(0, contact_id, normalized, contact_client_id, contact_lead_id)
        elif client_id is not None:
            candidate = Candidate(1, client_id, normalized, client_id, None)
        else:
            candidate = Candidate(2, lead_id, normalized, None, lead_id)
        key = main_number(normalized) if kind == "phone" else normalized
        found.setdefault(key, []).append(candidate)
    return found


def _rows_listed(uow: UnitOfWork, kind: str, wanted: list[str]) -> list[tuple[Any, ...]]:
    statement = prepared.prepared(prepared.dialect_of(uow), "rule.candidates", _listed)
    return statement.rows(uow, {"values": json.dumps(wanted), "kind": kind}, autoflush=True)


def _rows_chunked(uow: UnitOfWork, kind: str, wanted: list[str]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    base = _base()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows += [
            tuple(r)
            for r in uow.session.execute(
                base.where(ContactPoint.kind == kind, ContactPoint.normalized.in_(chunk))
            )
        ]
    return rows
