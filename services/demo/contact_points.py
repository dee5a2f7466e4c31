"""Demo contact details: valid, unique phone numbers, emails and web domains,
and the ``contact_points`` rows that hold them."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat

from models import ContactPoint
from services.demo import names
from services.demo.rows import RowWriter, synced

_DIGITS = "0123456789"


def transliterate(text: str) -> str:
    """Latin letters for logins, emails and domains ("Щукин" -> "shchukin")."""
    return "".join(names.TRANSLIT.get(ch, ch) for ch in text.lower())


def slug(text: str) -> str:
    """Lower-case Latin letters, digits and single hyphens: "ООО Рога" -> "ooo-roga"."""
    latin = transliterate(text)
    kept = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else "-" for ch in latin)
    return "-".join(part for part in kept.split("-") if part)


class ContactPoints:
    """Hands out each phone number, email and domain once per ``generate`` call."""

    def __init__(self, rows: RowWriter, rng: random.Random) -> None:
        self.rows = rows
        self.rng = rng
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.domains: set[str] = set()

    def phone(self, country_code: int, prefix: str, digits: int) -> tuple[str, str]:
        """(as typed, E.164) of a fresh number that libphonenumber calls valid."""
        rng = self.rng
        for _ in range(200):
            national = prefix + "".join(rng.choices(_DIGITS, k=digits))
            number = PhoneNumber(country_code=country_code, national_number=int(national))
            if not phonenumbers.is_valid_number(number):
                continue
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            if e164 in self.phones:
                continue
            self.phones.add(e164)
            style = rng.random()
            if country_code == 7 and style < 0.35:
                raw = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            elif style < 0.85:
                raw = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
            else:
                raw = e164
            return raw, e164
        raise RuntimeError(f"No valid number found for +{country_code} {prefix}")

    def email(self, local: str, domain: str, *, capitalize: bool = False) -> tuple[str, str]:
        local = local.strip(".-") or "info"
        address = f"{local}@{domain}"
        n = 1
        while address.casefold() in self.emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.emails.add(address.casefold())
        raw = address
        if capitalize:
            head, _, tail = address.partition("@")
            raw = ".".join(p.capitalize() for p in head.split(".")) + "@" + tail
        return raw, address.casefold()

    def domain(self, company_word: str, region: str) -> str:
        base = slug(company_word) or "company"
        tld = self.rng.choice(names.TLDS[region])
        candidate = f"{base}.{tld}"
        n = 1
        while candidate in self.domains:
            n += 1
            candidate = f"{base}{n}.{tld}"
        self.domains.add(candidate)
        return candidate

    def add(
        self,
        kind: str,
        raw: str,
        normalized: str,
        label: str | None,
        created: dt.datetime,
        **owner: int | None,
    ) -> None:
        row: dict[str, Any] = {"kind": kind, "raw": raw, "normalized": normalized}
        row |= {"label": label, "client_id": None, "lead_id": None, "contact_id": None}
        self.rows.add(ContactPoint, row | owner | synced(created))
