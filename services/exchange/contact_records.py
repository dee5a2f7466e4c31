"""What the contact-file parsers hand back: plain frozen values, no database.

A parser never drops a card or a row silently: each one ends up either as a
``ContactRecord`` or as a ``RejectedRecord`` saying where it was and why.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_IDENTITY = "no name, organization or email"


@dataclass(frozen=True)
class ContactRecord:
    source: str  # "file.vcf#3" or "file.csv:line 7"
    full_name: str  # never empty: FN, else N parts, else ORG, else the first email
    organization: str | None
    position: str | None
    emails: tuple[str, ...]  # as found (trimmed), file order, no duplicates
    phones: tuple[str, ...]  # as found (trimmed), file order, no duplicates
    note: str | None
    uid: str | None
    # Values the file holds that are not kept, each with why ("'pager' is
    # not an email address"); the card itself is imported.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RejectedRecord:
    source: str
    reason: str


@dataclass(frozen=True)
class ParseResult:
    records: tuple[ContactRecord, ...]
    rejected: tuple[RejectedRecord, ...]


def clean(value: str | None) -> str | None:
    """Trimmed text, or None when nothing is left."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def unique(values: list[str], *, casefold: bool = False) -> tuple[str, ...]:
    """Non-empty trimmed values in first-seen order, duplicates dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        value = value.strip()
        key = value.casefold() if casefold else value
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return tuple(out)


def email_address(value: str) -> str | None:
    """The address in ``value``: ``mailto:`` and ``"Name" <addr>`` unwrapped.

    A value without ``@`` (an Exchange X.500 path, a stray label) is not an
    address and gives None.
    """
    value = value.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :].strip()
    if value.endswith(">") and "<" in value:
        value = value[value.rindex("<") + 1 : -1].strip()
    return value if "@" in value else None


def build_record(
    source: str,
    *,
    full_name: str | None,
    organization: str | None,
    position: str | None,
    emails: list[str],
    phones: list[str],
    note: str | None,
    uid: str | None,
    warnings: list[str] | None = None,
) -> ContactRecord | RejectedRecord:
    """Apply the shared rules: a name is needed, falling back to org, then email."""
    skipped = list(warnings or ())
    found: list[str] = []
    for raw in emails:
        address = email_address(raw)
        if address:
            found.append(address)
        elif raw.strip():
            skipped.append(f"email {shown(raw)} skipped: not an email address")
    mails = unique(found, casefold=True)
    numbers = unique(phones)
    org = clean(organization)
    name = clean(full_name) or org or (mails[0] if mails else None)
    if name is None:
        return RejectedRecord(source, NO_IDENTITY + (" (only phone numbers)" if numbers else ""))
    return ContactRecord(
        source=source,
        full_name=" ".join(name.split()),
        organization=org,
        position=clean(position),
        emails=mails,
        phones=numbers,
        note=clean(note.replace("\r\n", "\n")) if note else None,
        uid=clean(uid),
        warnings=tuple(skipped),
    )


def shown(value: str, width: int = 60) -> str:
    """A value quoted for a message, cut to ``width`` and one line."""
    flat = " ".join(value.split())
    return repr(flat if len(flat) <= width else flat[: width - 3] + "...")
