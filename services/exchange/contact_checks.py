"""Each value of an imported card checked on its own, before anything is written.

One bad value never drops the person: a phone that is not a number, an
address with no valid domain, a name or position too long are left out (or
cut) and listed as the card's warnings; only a card without a usable name
is refused. Pure: no database, the phone region is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models import folding
from services.core import normalize
from services.core.errors import ValidationError
from services.exchange.contact_records import ContactRecord, shown
from services.parties import records as parties

MAX_POSITION = 200  # contacts.position
MAX_RAW = 320  # contact_points.raw


@dataclass(frozen=True)
class Point:
    kind: str  # email | phone
    raw: str
    normalized: str


@dataclass
class CheckedCard:
    source: str
    name: str
    organization: str | None
    position: str | None
    points: list[Point]
    warnings: list[str] = field(default_factory=list)

    @property
    def person_is_company(self) -> bool:
        """A card whose name is its organization's: the company itself."""
        return self.organization is not None and folding.fold(self.name) == folding.fold(
            self.organization
        )


def _cut(value: str, limit: int, what: str, warnings: list[str]) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        warnings.append(f"{what} cut to {limit} characters")
        value = value[:limit].rstrip()
    return value


def check(record: ContactRecord, region: str) -> CheckedCard | str:
    """The card with what is valid in it, or the reason it cannot be imported."""
    warnings = list(record.warnings)
    try:
        name = parties.clean_name(_cut(record.full_name, parties.MAX_NAME, "name", warnings))
    except ValidationError as exc:
        return str(exc)
    organization = None
    if record.organization:
        try:
            organization = parties.clean_name(
                _cut(record.organization, parties.MAX_NAME, "organization", warnings),
                "Organization",
            )
        except ValidationError as exc:
            warnings.append(f"organization {shown(record.organization)} skipped: {exc}")
    position = None
    if record.position:
        position = _cut(record.position, MAX_POSITION, "position", warnings) or None
    points: list[Point] = []
    seen: set[tuple[str, str]] = set()
    for kind, values in (("email", record.emails), ("phone", record.phones)):
        for raw in values:
            try:
                if kind == "email":
                    value = normalize.normalize_email(raw)
                else:
                    value = normalize.normalize_phone(raw, region)
            except ValidationError as exc:
                warnings.append(f"{kind} skipped: {exc}")
                continue
            if (kind, value) not in seen:
                seen.add((kind, value))
                points.append(Point(kind, raw.strip()[:MAX_RAW], value))
    return CheckedCard(record.source, name, organization, position, points, warnings)
