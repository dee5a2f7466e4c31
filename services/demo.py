"""A realistic demo database: managers, clients, leads, deals and a year of contacts.

For trying the app, for screenshots and for ``bench/``: about 60 % Russian-
and 40 % English-speaking clients, valid phone numbers, one feed per client
with done, cancelled and planned interactions, notes and tasks.

Rows go in by Core ``INSERT ... executemany`` in batches, one transaction in
all: a million interactions take minutes, not hours. That also means the
ORM's hooks do not run, so this module fills what they would: ``uid``,
``row_version``, the timestamps, ``search_text``; and no audit entries are
written (a demo record has no history of edits). The same seed gives the
same data except ``uid`` values and database ids.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat
from sqlalchemy import Connection, Table, func, insert, select

from models import (
    Client,
    Contact,
    ContactPoint,
    Deal,
    Interaction,
    Lead,
    Note,
    Pipeline,
    Role,
    Stage,
    Task,
    User,
    interaction_contacts,
)
from models.ids import new_uid
from services import bootstrap, timezones
from services import demo_names as names
from services.errors import UserError, ValidationError
from services.interactions import search_text
from services.storage import Database

Progress = Callable[[str, int, int], None]

BATCH = 5_000  # rows per executemany
CLIENT_CHUNK = 1_000  # clients built (and their ids fetched) at a time
BIG_CLIENT_NAME = "АО «Гиперион Ритейл»"
PIPELINE = "Sales"
MANAGER_ROLE = "Manager"

_DIGITS = "0123456789"
_SYMBOLS = {"RUB": "₽", "KZT": "₸", "GBP": "£", "USD": "$", "EUR": "€"}
# Interaction types of the history and their weights.
_HISTORY_TYPES = (("call", 44), ("email", 30), ("meeting", 14), ("sms", 8), ("messenger", 4))
_PLANNED_TYPES = (("call", 55), ("meeting", 30), ("email", 15))
_TEXTS: dict[str, dict[str, Sequence[str]]] = {
    "ru": {
        "planned": names.RU_PLANNED_SUBJECTS,
        "call_subject": names.RU_CALL_SUBJECTS,
        "call_body": names.RU_CALL_BODIES,
        "meeting_subject": names.RU_MEETING_SUBJECTS,
        "meeting_body": names.RU_MEETING_BODIES,
        "email_subject": names.RU_EMAIL_SUBJECTS,
        "email_body": names.RU_EMAIL_BODIES,
        "sms": names.RU_SMS_BODIES,
    },
    "en": {
        "planned": names.EN_PLANNED_SUBJECTS,
        "call_subject": names.EN_CALL_SUBJECTS,
        "call_body": names.EN_CALL_BODIES,
        "meeting_subject": names.EN_MEETING_SUBJECTS,
        "meeting_body": names.EN_MEETING_BODIES,
        "email_subject": names.EN_EMAIL_SUBJECTS,
        "email_body": names.EN_EMAIL_BODIES,
        "sms": names.EN_SMS_BODIES,
    },
}


@dataclasses.dataclass(frozen=True)
class DemoSummary:
    """What ``generate`` added (users are the extra managers only)."""

    users: int
    clients: int
    leads: int
    contacts: int
    contact_points: int
    deals: int
    interactions: int
    notes: int
    tasks: int
    big_client_id: int | None


@dataclasses.dataclass
class _Person:
    full_name: str  # as shown on the card: "Смирнов Иван Петрович", "Emma Clark"
    address_as: str  # how a letter greets them: "Иван Петрович", "Emma"
    latin_first: str
    latin_last: str


@dataclasses.dataclass
class _Party:
    """What later rows of one client or lead need to know about it."""

    id: int
    kind: str  # client | lead
    name: str
    region: str
    zone: str
    lang: str  # ru | en
    owner_id: int
    created: dt.datetime
    currency: str
    # (contact id, how to greet them); a private lead's own person has no id.
    contacts: list[tuple[int | None, str]] = dataclasses.field(default_factory=list)
    deals: list[tuple[int, str, str]] = dataclasses.field(default_factory=list)  # id, title, sum


@dataclasses.dataclass
class _City:
    region: str
    name: str
    zone: str
    country_code: int
    prefixes: tuple[str, ...]
    digits: int
    streets: tuple[str, ...]


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def transliterate(text: str) -> str:
    """Latin letters for logins, emails and domains ("Щукин" -> "shchukin")."""
    out = []
    for ch in text.lower():
        out.append(names.TRANSLIT.get(ch, ch))
    return "".join(out)


def _slug(text: str) -> str:
    latin = transliterate(text)
    kept = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else "-" for ch in latin)
    return "-".join(part for part in kept.split("-") if part)


def feminine_surname(surname: str) -> str:
    """The female form of a Russian-style surname (Иванов -> Иванова, Черных stays)."""
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    if surname.endswith("ой"):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Builder:
    """Makes the rows; one instance per ``generate`` call."""

    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        now: dt.datetime,
        progress: Progress | None,
    ) -> None:
        self.conn = conn
        self.rng = rng
        self.now = now
        self.progress = progress
        self.cities = [_City(*c) for c in names.CITIES]
        self.zones: dict[str, ZoneInfo] = {}
        self.today: dict[str, dt.date] = {}
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.domains: set[str] = set()
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "users",
                "clients",
                "leads",
                "contacts",
                "contact_points",
                "deals",
                "interactions",
                "notes",
                "tasks",
            ),
            0,
        )
        self.pending: dict[str, list[dict[str, Any]]] = {}
        # (interaction uid, contact id) pairs, linked once the ids are known.
        self.links: list[tuple[str, int]] = []
        self.last_interaction_id = conn.scalar(select(func.max(Interaction.id))) or 0
        self.managers: list[int] = []
        self.admin_id = 0
        self.stages: list[tuple[int, str | None]] = []
        self.pipeline_id = 0
        self.manager_role = 0

    # --- plumbing -----------------------------------------------------------

    def insert_ids(self, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert and return the new ids in the order of ``rows``."""
        table = _table(model)
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids: list[int] = []
        for start in range(0, len(rows), BATCH):
            ids.extend(self.conn.execute(stmt, rows[start : start + BATCH]).scalars())
        self.count(model, len(rows))
        return ids

    def add(self, model: Any, row: dict[str, Any]) -> None:
        """Queue a row whose id nobody needs; written in batches."""
        key = _table(model).name
        queue = self.pending.setdefault(key, [])
        queue.append(row)
        if len(queue) >= BATCH:
            self.flush(model)

    def flush(self, model: Any) -> None:
        table = _table(model)
        rows = self.pending.pop(table.name, [])
        if not rows:
            return
        self.conn.execute(insert(table), rows)
        self.count(model, len(rows))
        if model is Interaction:
            self.link_contacts()

    def flush_all(self) -> None:
        for model in (ContactPoint, Interaction, Note, Task):
            self.flush(model)

    def count(self, model: Any, n: int) -> None:
        key = {
            User: "users",
            Client: "clients",
            Lead: "leads",
            Contact: "contacts",
            ContactPoint: "contact_points",
            Deal: "deals",
            Interaction: "interactions",
            Note: "notes",
            Task: "tasks",
        }[model]
        self.counts[key] += n

    def link_contacts(self) -> None:
        """Fill ``interaction_contacts`` for the interactions just written.

        Core executemany returns no ids, so read back the new rows by ``uid``;
        ids only grow, so ``id > last`` bounds the read to this batch.
        """
        if not self.links:
            return
        wanted = dict(self.links)
        self.links.clear()
        rows = self.conn.execute(
            select(Interaction.id, Interaction.uid)
            .where(Interaction.id > self.last_interaction_id)
            .order_by(Interaction.id)
        ).all()
        if rows:
            self.last_interaction_id = rows[-1][0]
        pairs = [
            {"interaction_id": row_id, "contact_id": wanted[uid]}
            for row_id, uid in rows
            if uid in wanted
        ]
        for start in range(0, len(pairs), BATCH):
            self.conn.execute(insert(interaction_contacts), pairs[start : start + BATCH])

    @staticmethod
    def synced(created: dt.datetime, updated: dt.datetime | None = None) -> dict[str, Any]:
        return {
            "uid": new_uid(),
            "row_version": 1,
            "created_at": created,
            "updated_at": updated or created,
        }

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    # --- reference data -------------------------------------------------------

    def load_reference(self) -> None:
        role_id = self.conn.scalar(select(Role.id).where(Role.name == MANAGER_ROLE))
        if role_id is None:
            raise UserError(
                f"The role {MANAGER_ROLE!r} is missing; the demo assigns it to managers"
            )
        pipeline_id = self.conn.scalar(select(Pipeline.id).where(Pipeline.name == PIPELINE))
        if pipeline_id is None:
            raise UserError(f"The pipeline {PIPELINE!r} is missing; the demo puts deals in it")
        self.pipeline_id = pipeline_id
        self.stages = [
            (row.id, row.outcome)
            for row in self.conn.execute(
                select(Stage.id, Stage.outcome)
                .where(Stage.pipeline_id == pipeline_id)
                .order_by(Stage.position)
            )
        ]
        if not self.stages:
            raise UserError(f"The pipeline {PIPELINE!r} has no stages")
        admin = self.conn.scalar(select(User.id).order_by(User.id).limit(1))
        assert admin is not None  # ensure_initial_data made one
        self.admin_id = admin
        self.manager_role = role_id

    # --- zones, people, numbers --------------------------------------------------

    def zone(self, name: str) -> ZoneInfo:
        found = self.zones.get(name)
        if found is None:
            found = self.zones[name] = timezones.zone(name)
            self.today[name] = self.now.astimezone(found).date()
        return found

    def pick_city(self, region: str | None = None) -> _City:
        if region is None:
            regions = list(names.REGION_WEIGHTS)
            region = self.rng.choices(regions, weights=list(names.REGION_WEIGHTS.values()))[0]
        options = [c for c in self.cities if c.region == region]
        return self.rng.choices(options, weights=[names.CITY_WEIGHTS[c.name] for c in options])[0]

    def person(self, region: str) -> tuple[_Person, bool]:
        """A person from ``region`` and whether she is a woman."""
        rng = self.rng
        female = rng.random() < 0.45
        if region in ("RU", "KZ"):
            kz = region == "KZ" and rng.random() < 0.7
            firsts = (
                (names.KZ_FEMALE_FIRST if female else names.KZ_MALE_FIRST)
                if kz
                else (names.RU_FEMALE_FIRST if female else names.RU_MALE_FIRST)
            )
            first = rng.choice(firsts)
            surname = rng.choice(names.KZ_SURNAMES if kz else names.RU_SURNAMES)
            patronymic = rng.choice(names.KZ_PATRONYMICS if kz else names.RU_PATRONYMICS)
            middle = patronymic[1] if female else patronymic[0]
            last = feminine_surname(surname) if female else surname
            return _Person(
                full_name=f"{last} {first} {middle}",
                address_as=f"{first} {middle}",
                latin_first=transliterate(first),
                latin_last=transliterate(last),
            ), female
        if region == "DE":
            first = rng.choice(names.DE_FEMALE_FIRST if female else names.DE_MALE_FIRST)
            last = rng.choice(names.DE_SURNAMES)
        else:
            first = rng.choice(names.EN_FEMALE_FIRST if female else names.EN_MALE_FIRST)
            last = rng.choice(names.EN_SURNAMES)
        return _Person(
            full_name=f"{first} {last}",
            address_as=first,
            latin_first=transliterate(first),
            latin_last=_slug(last).replace("-", ""),
        ), female

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

    def landline(self, city: _City) -> tuple[str, str]:
        return self.phone(city.country_code, self.rng.choice(city.prefixes), city.digits)

    def mobile(self, city: _City) -> tuple[str, str]:
        prefix, digits = self.rng.choice(names.MOBILE_PREFIXES[city.region])
        return self.phone(city.country_code, prefix, digits)

    @staticmethod
    def explicit_zone(city: _City, phone: str) -> str | None:
        """The city's zone where the phone and region do not already give it.

        The app derives a party's zone from its phones and region; an explicit
        zone is stored only where that would be wrong (a Chicago lead with a
        San Francisco mobile, a Novosibirsk sole trader with a Russian mobile).
        """
        derived = timezones.party_zone(None, city.region, [phone])
        return None if derived == city.zone else city.zone

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
        base = _slug(company_word) or "company"
        tld = self.rng.choice(names.TLDS[region])
        candidate = f"{base}.{tld}"
        n = 1
        while candidate in self.domains:
            n += 1
            candidate = f"{base}{n}.{tld}"
        self.domains.add(candidate)
        return candidate

    def address(self, city: _City) -> str:
        rng = self.rng
        street = rng.choice(city.streets)
        house = rng.randint(1, 120)
        if city.region in ("RU", "KZ"):
            office = f", офис {rng.randint(1, 900)}" if rng.random() < 0.6 else ""
            return f"{city.name}, {street}, д. {house}{office}"
        if city.region == "DE":
            return f"{street} {house}, {city.name}"
        return f"{house} {street}, {city.name}"

    def point(
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
        self.add(ContactPoint, row | owner | self.synced(created))

    def past(self, days_back: int, days_span: int) -> dt.datetime:
        """An instant between ``days_back`` and ``days_back + days_span`` days ago."""
        seconds = self.rng.randint(0, days_span * 86_400)
        return (self.now - dt.timedelta(days=days_back, seconds=seconds)).replace(microsecond=0)

    def money(self, currency: str) -> Decimal:
        rng = self.rng
        if currency == "RUB":
            value = rng.randint(5, 500) * 10_000
        elif currency == "KZT":
            value = rng.randint(5, 500) * 50_000
        else:
            value = rng.randint(10, 1_000) * 100
        return Decimal(value)

    @staticmethod
    def money_text(amount: Decimal, currency: str, lang: str) -> str:
        if lang == "ru":
            return f"{amount:,.0f}".replace(",", "\u00a0") + f"\u00a0{_SYMBOLS[currency]}"
        return f"{_SYMBOLS[currency]}{amount:,.0f}"

    # --- users ------------------------------------------------------------------

    def make_managers(self, count: int) -> None:
        taken = set(self.conn.scalars(select(User.login)))
        rows = []
        for _ in range(count):
            region = "RU" if self.rng.random() < 0.8 else "GB"
            person, _female = self.person(region)
            base = f"{person.latin_first[:1]}.{person.latin_last}"
            login, n = base, 1
            while login in taken:
                n += 1
                login = f"{base}{n}"
            taken.add(login)
            created = self.past(400, 200)
            rows.append(
                {
                    "login": login,
                    "full_name": person.full_name,
                    "email": f"{login}@touchpoint.example",
                    "role_id": self.manager_role,
                    "active": True,
                }
                | self.synced(created)
            )
        self.managers = self.insert_ids(User, rows) or [self.admin_id]

    def owner(self) -> int:
        if self.rng.random() < 0.05:
            return self.admin_id
        return self.rng.choice(self.managers)

    # --- clients --------------------------------------------------------------------

    def company(self, city: _City) -> tuple[str, str, bool]:
        """(client name, word the domain is made of, is a sole trader)."""
        rng = self.rng
        region = city.region
        if region in ("RU", "KZ") and rng.random() < 0.1:
            person, _female = self.person(region)
            last, first, middle = person.full_name.split(" ", 2)
            return f"ИП {last} {first[0]}.{middle[0]}.", "", True
        if region == "RU":
            word = rng.choice(names.RU_COMPANY_WORDS)
            prefix = rng.choice(("", "", "", "", "", "ТД ", "ГК "))
            suffix = rng.choice(("", "", "", "", " Плюс", "-Сервис", " Групп", "-М", " Трейд"))
            form = rng.choice(names.RU_LEGAL_FORMS)
            return f"{form} «{prefix}{word}{suffix}»", word + suffix, False
        if region == "KZ":
            word = rng.choice(names.KZ_COMPANY_WORDS)
            return f"{rng.choice(names.KZ_LEGAL_FORMS)} «{word}»", word, False
        if region == "DE":
            first = rng.choice(names.DE_COMPANY_FIRST)
            second = rng.choice(names.DE_COMPANY_SECOND)
            return f"{first} {second} {rng.choice(names.DE_LEGAL_FORMS)}", first + second, False
        first = rng.choice(names.EN_COMPANY_FIRST)
        second = rng.choice(names.EN_COMPANY_SECOND)
        forms = names.GB_LEGAL_FORMS if region == "GB" else names.US_LEGAL_FORMS
        return f"{first} {second} {rng.choice(forms)}", first + second, False

    def make_clients(self, count: int, per_client: int | None, *, big: int = 0) -> list[_Party]:
        """``count`` ordinary clients, or one big client with ``big`` interactions."""
        rng = self.rng
        specs = []
        for _ in range(count):
            if big:
                city = next(c for c in self.cities if c.name == "Москва")
                name, word, sole = BIG_CLIENT_NAME, "Гиперион Ритейл", False
            else:
                city = self.pick_city()
                name, word, sole = self.company(city)
            phone = self.mobile(city) if sole else self.landline(city)
            specs.append((city, name, word, sole, phone, self.owner(), self.past(370, 700)))
        rows = [
            {
                "name": name,
                "address": self.address(city) if rng.random() < 0.85 else None,
                "region": city.region,
                "timezone": self.explicit_zone(city, phone[1]),
                "owner_id": owner,
            }
            | self.synced(created)
            for city, name, _word, _sole, phone, owner, created in specs
        ]
        ids = self.insert_ids(Client, rows)
        parties = []
        contact_rows: list[dict[str, Any]] = []
        contact_people: list[tuple[int, _Person, str, _City, dt.datetime]] = []
        for client_id, spec in zip(ids, specs, strict=True):
            city, name, word, sole, (raw, e164), owner, created = spec
            lang = "ru" if city.region in ("RU", "KZ") else "en"
            party = _Party(
                id=client_id,
                kind="client",
                name=name,
                region=city.region,
                zone=city.zone,
                lang=lang,
                owner_id=owner,
                created=created,
                currency=names.CURRENCIES[city.region],
            )
            self.zone(city.zone)
            parties.append(party)
            domain = "" if sole else self.domain(word, city.region)
            self.point("phone", raw, e164, "work", created, client_id=client_id)
            if not sole:
                if rng.random() < 0.25:
                    raw, e164 = self.landline(city)
                    self.point(
                        "phone",
                        raw,
                        e164,
                        "fax" if lang == "ru" else "work",
                        created,
                        client_id=client_id,
                    )
                local = rng.choice(("info", "office", "sales", "hello", "mail"))
                raw, email = self.email(local, domain)
                self.point("email", raw, email, "work", created, client_id=client_id)
            n_contacts = 10 if big else (1 if sole else rng.choices((1, 2, 3), (45, 35, 20))[0])
            for _ in range(n_contacts):
                person, _female = self.person(city.region)
                if sole:
                    position = "Индивидуальный предприниматель"
                elif lang == "ru":
                    position = rng.choice(names.RU_POSITIONS)
                elif city.region == "DE":
                    position = rng.choice(names.DE_POSITIONS)
                else:
                    position = rng.choice(names.EN_POSITIONS)
                contact_rows.append(
                    {
                        "full_name": person.full_name,
                        "position": position,
                        "client_id": client_id,
                        "lead_id": None,
                    }
                    | self.synced(created)
                )
                contact_people.append((client_id, person, domain, city, created))
        self.contacts_with_points(contact_rows, contact_people, {p.id: p for p in parties})
        self.make_deals(
            [(p, 5 if big else rng.choices((0, 1, 2), (35, 45, 20))[0]) for p in parties]
        )
        for party in parties:
            if big:
                self.make_big_history(party, big)
            else:
                n = per_client if per_client is not None else rng.randint(4, 14)
                self.make_history(party, n, span_days=365)
                self.make_planned(party, rng.randint(0, 3))
                self.make_notes(party, rng.choices((0, 1, 2, 3), (40, 30, 20, 10))[0])
                self.make_tasks(party, rng.choices((0, 1, 2), (40, 40, 20))[0])
        return parties

    def contacts_with_points(
        self,
        rows: list[dict[str, Any]],
        people: list[tuple[int, _Person, str, _City, dt.datetime]],
        parties: dict[int, _Party],
    ) -> None:
        rng = self.rng
        ids = self.insert_ids(Contact, rows)
        for contact_id, (party_id, person, domain, city, created) in zip(ids, people, strict=True):
            parties[party_id].contacts.append((contact_id, person.address_as))
            if rng.random() < 0.75:
                raw, e164 = self.mobile(city)
                self.point("phone", raw, e164, "mobile", created, contact_id=contact_id)
            if rng.random() < 0.85:
                if domain and rng.random() < 0.85:
                    style = rng.random()
                    if style < 0.5:
                        local = f"{person.latin_first}.{person.latin_last}"
                    elif style < 0.8:
                        local = f"{person.latin_first[:1]}.{person.latin_last}"
                    else:
                        local = person.latin_last
                    raw, email = self.email(local, domain, capitalize=rng.random() < 0.15)
                else:
                    free = rng.choice(names.FREE_MAIL[city.region])
                    local = f"{person.latin_last}{rng.randint(1, 99)}"
                    raw, email = self.email(local, free)
                self.point("email", raw, email, "work", created, contact_id=contact_id)
            if rng.random() < 0.1:
                handle = f"{person.latin_first}_{person.latin_last}"
                self.point(
                    "messenger",
                    "@" + handle,
                    handle.casefold(),
                    "telegram",
                    created,
                    contact_id=contact_id,
                )

    # --- deals ---------------------------------------------------------------------

    def make_deals(self, wanted: Sequence[tuple[_Party, int]]) -> None:
        """``count`` deals for each (party, count), in one insert."""
        rng = self.rng
        rows = []
        shown = []
        for party, count in wanted:
            titles = names.RU_DEAL_TITLES if party.lang == "ru" else names.EN_DEAL_TITLES
            weights = (30, 25, 15, 20, 10) if party.kind == "client" else (70, 20, 10, 0, 0)
            for _ in range(count):
                stage_id, outcome = rng.choices(self.stages, weights[: len(self.stages)])[0]
                amount = self.money(party.currency)
                title = rng.choice(titles)
                created = party.created + dt.timedelta(days=rng.randint(0, 5))
                rows.append(
                    {
                        "title": title,
                        "pipeline_id": self.pipeline_id,
                        "stage_id": stage_id,
                        "owner_id": party.owner_id,
                        "client_id": party.id if party.kind == "client" else None,
                        "lead_id": party.id if party.kind == "lead" else None,
                        "amount": amount,
                        "currency": party.currency,
                        "active": outcome is None,
                    }
                    | self.synced(created, self.past(0, 60) if outcome else created)
                )
                money = self.money_text(amount, party.currency, party.lang)
                shown.append((party, title, money))
        ids = self.insert_ids(Deal, rows)
        for deal_id, (party, title, money) in zip(ids, shown, strict=True):
            party.deals.append((deal_id, title, money))

    # --- interactions -------------------------------------------------------------------

    def wall_time(self, party: _Party, first: int, last: int, *, planned: bool) -> dt.datetime:
        """A working-hours wall time on a weekday ``first`` to ``last`` days from
        today in the party's zone (negative: in the past)."""
        rng = self.rng
        today = self.today[party.zone]
        for _ in range(10):
            day = today + dt.timedelta(days=rng.randint(first, last))
            if day.weekday() < 5:
                break
        if planned:
            hour, minute = rng.randint(9, 17), rng.choice((0, 15, 30, 45))
        else:
            hour, minute = rng.randint(9, 18), rng.randint(0, 59)
        return dt.datetime(day.year, day.month, day.day, hour, minute)

    def text(
        self,
        party: _Party,
        templates: Sequence[str],
        contact: str,
        deal: tuple[Any, ...] | None,
        when: dt.datetime,
    ) -> str:
        template = self.rng.choice(templates)
        if "{" not in template:
            return template
        later = when + dt.timedelta(days=self.rng.randint(2, 10))
        if party.lang == "ru":
            day = f"{later:%d.%m}"
            fallback_deal = "сотрудничество"
        else:
            day = f"{later.day} {names.MONTHS_EN[later.month - 1]}"
            fallback_deal = "our offer"
        return template.format(
            contact=contact,
            company=party.name,
            deal=deal[1] if deal else fallback_deal,
            amount=deal[2]
            if deal
            else self.money_text(self.money(party.currency), party.currency, party.lang),
            day=day,
        )

    def interaction(self, party: _Party, *, state: str, type_code: str, local: dt.datetime) -> None:
        rng = self.rng
        start_utc = timezones.wall_to_utc(local, party.zone)
        contact_id, contact = rng.choice(party.contacts) if party.contacts else (None, "")
        deal = rng.choice(party.deals) if party.deals and rng.random() < 0.5 else None
        texts = _TEXTS[party.lang]

        def say(kind: str) -> str:
            return self.text(party, texts[kind], contact, deal, local)

        direction = "none"
        duration: int | None = None
        subject: str | None = None
        body: str | None = None
        if state == "planned":
            subject = say("planned")
            duration = 30 if type_code == "meeting" else None
            direction = "out" if type_code != "meeting" else "none"
        elif type_code == "call":
            direction = "in" if rng.random() < 0.35 else "out"
            duration = rng.randint(1, 25)
            subject = say("call_subject")
            body = say("call_body") if rng.random() < 0.8 else None
        elif type_code == "meeting":
            duration = rng.choice((30, 45, 60, 90, 120))
            subject, body = say("meeting_subject"), say("meeting_body")
        elif type_code == "email":
            direction = "in" if rng.random() < 0.45 else "out"
            subject, body = say("email_subject"), say("email_body")
        else:  # sms, messenger
            direction = "out" if rng.random() < 0.7 else "in"
            body = say("sms")
        ends = start_utc + dt.timedelta(minutes=duration or 0)
        done_at: dt.datetime | None = None
        cancelled_at: dt.datetime | None = None
        if state == "planned":
            created = min(self.now, start_utc) - dt.timedelta(hours=rng.randint(1, 240))
            updated = created
        elif state == "cancelled":
            cancelled_at = start_utc - dt.timedelta(minutes=rng.randint(30, 4_000))
            created = cancelled_at - dt.timedelta(hours=rng.randint(1, 200))
            updated = cancelled_at
        else:
            done_at = ends
            created = (
                start_utc - dt.timedelta(days=rng.randint(1, 10))
                if type_code == "meeting"
                else ends
            )
            updated = done_at
        synced = self.synced(created, updated)
        email_key = type_code == "email" and state == "done"
        self.add(
            Interaction,
            {
                "type": type_code,
                "direction": direction,
                "state": state,
                "start_local": local,
                "start_tz": party.zone,
                "start_utc": start_utc,
                "duration_min": duration,
                "owner_id": party.owner_id if rng.random() < 0.9 else self.owner(),
                "client_id": party.id if party.kind == "client" else None,
                "lead_id": party.id if party.kind == "lead" else None,
                "deal_id": deal[0] if deal else None,
                "subject": subject,
                "body": body,
                "search_text": search_text(subject, body),
                "source_kind": "email" if email_key else None,
                "source_key": f"<{synced['uid']}@touchpoint.example>" if email_key else None,
                "done_at": done_at,
                "cancelled_at": cancelled_at,
                "created_by_id": party.owner_id,
            }
            | synced,
        )
        if contact_id is not None and type_code in ("call", "meeting", "email"):
            self.links.append((synced["uid"], contact_id))

    def make_history(self, party: _Party, count: int, span_days: int) -> None:
        rng = self.rng
        oldest = max(1, min(span_days, (self.now - party.created).days))
        for _ in range(count):
            type_code = _weighted(rng, _HISTORY_TYPES)
            state = (
                "cancelled" if type_code in ("call", "meeting") and rng.random() < 0.1 else "done"
            )
            local = self.wall_time(party, -oldest, -1, planned=False)
            self.interaction(party, state=state, type_code=type_code, local=local)

    def make_planned(self, party: _Party, count: int) -> None:
        for _ in range(count):
            type_code = _weighted(self.rng, _PLANNED_TYPES)
            local = self.wall_time(party, 1, 21, planned=True)
            self.interaction(party, state="planned", type_code=type_code, local=local)

    def make_big_history(self, party: _Party, count: int) -> None:
        """A key account: ``count`` interactions over several years, a few planned."""
        planned = min(20, count // 100)
        span = max(365, count // 40)
        party.created = self.now - dt.timedelta(days=span + 30)
        for done in range(0, count - planned, BATCH):
            n = min(BATCH, count - planned - done)
            self.make_history(party, n, span_days=span)
            self.report("big client", done + n, count)
        self.make_planned(party, planned)

    # --- notes and tasks -------------------------------------------------------------------

    def make_notes(self, party: _Party, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            contact_id, contact = rng.choice(party.contacts) if party.contacts else (None, "")
            template = rng.choice(names.RU_NOTES if party.lang == "ru" else names.EN_NOTES)
            body = template.format(contact=contact)
            created = self.past(1, 364)
            deal = rng.choice(party.deals) if party.deals and rng.random() < 0.3 else None
            self.add(
                Note,
                {
                    "author_id": party.owner_id,
                    "body": body,
                    "search_text": body.casefold(),
                    "client_id": party.id if party.kind == "client" else None,
                    "lead_id": party.id if party.kind == "lead" else None,
                    "deal_id": deal[0] if deal else None,
                    "contact_id": contact_id if rng.random() < 0.3 else None,
                }
                | self.synced(created),
            )

    def make_tasks(self, party: _Party, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            title = rng.choice(names.RU_TASKS if party.lang == "ru" else names.EN_TASKS)
            created = self.past(1, 120)
            done = rng.random() < 0.5
            deadline: dt.datetime | None
            done_at: dt.datetime | None = None
            if done:
                deadline = created + dt.timedelta(days=rng.randint(1, 14))
                finished = deadline + dt.timedelta(hours=rng.randint(-48, 24))
                done_at = max(created, min(self.now - dt.timedelta(minutes=5), finished))
            else:
                roll = rng.random()
                if roll < 0.15:
                    deadline = None
                elif roll < 0.35:  # overdue
                    deadline = self.now - dt.timedelta(days=rng.randint(1, 10))
                else:
                    deadline = self.now + dt.timedelta(days=rng.randint(1, 30))
                if deadline is not None:
                    deadline = deadline.replace(minute=0, second=0, microsecond=0)
            deal = rng.choice(party.deals) if party.deals and rng.random() < 0.4 else None
            self.add(
                Task,
                {
                    "title": title,
                    "deadline": deadline,
                    "assignee_id": party.owner_id,
                    "author_id": party.owner_id if rng.random() < 0.8 else self.admin_id,
                    "done": done,
                    "done_at": done_at,
                    "client_id": party.id if party.kind == "client" else None,
                    "lead_id": party.id if party.kind == "lead" else None,
                    "deal_id": deal[0] if deal else None,
                    "contact_id": None,
                }
                | self.synced(created, done_at or created),
            )

    # --- leads ------------------------------------------------------------------------------

    def make_leads(self, count: int) -> None:
        rng = self.rng
        specs = []
        for _ in range(count):
            city = self.pick_city()
            person, _female = self.person(city.region)
            if rng.random() < 0.6:
                company, word, _sole = self.company(city)
            else:
                company, word = "", ""
            phone = self.mobile(city)
            specs.append((city, person, company, word, phone, self.owner(), self.past(2, 90)))
        rows = [
            {
                "name": company or person.full_name,
                "company": company or None,
                "region": city.region,
                "timezone": self.explicit_zone(city, phone[1]),
                "owner_id": owner,
                "status": "open",
            }
            | self.synced(created)
            for city, person, company, _word, phone, owner, created in specs
        ]
        ids = self.insert_ids(Lead, rows)
        parties: dict[int, _Party] = {}
        contact_rows: list[dict[str, Any]] = []
        contact_people: list[tuple[int, _Person, str, _City, dt.datetime]] = []
        for lead_id, spec in zip(ids, specs, strict=True):
            city, person, company, word, (raw, e164), owner, created = spec
            lang = "ru" if city.region in ("RU", "KZ") else "en"
            party = _Party(
                id=lead_id,
                kind="lead",
                name=company or person.full_name,
                region=city.region,
                zone=city.zone,
                lang=lang,
                owner_id=owner,
                created=created,
                currency=names.CURRENCIES[city.region],
            )
            self.zone(city.zone)
            parties[lead_id] = party
            self.point("phone", raw, e164, "mobile", created, lead_id=lead_id)
            domain = self.domain(word, city.region) if company else ""
            if company:
                contact_rows.append(
                    {
                        "full_name": person.full_name,
                        "position": None,
                        "client_id": None,
                        "lead_id": lead_id,
                    }
                    | self.synced(created)
                )
                contact_people.append((lead_id, person, domain, city, created))
            else:
                party.contacts.append((None, person.address_as))
                free = rng.choice(names.FREE_MAIL[city.region])
                raw, email = self.email(f"{person.latin_first}.{person.latin_last}", free)
                self.point("email", raw, email, "personal", created, lead_id=lead_id)
        self.contacts_with_points(contact_rows, contact_people, parties)
        self.make_deals([(p, 1 if rng.random() < 0.3 else 0) for p in parties.values()])
        for party in parties.values():
            self.make_history(party, rng.randint(1, 4), span_days=90)
            self.make_planned(party, rng.choice((0, 1, 1)))
            self.make_notes(party, rng.choices((0, 1), (70, 30))[0])
        self.flush_all()


def _chunks(total: int, size: int) -> Iterable[int]:
    done = 0
    while done < total:
        n = min(size, total - done)
        yield n
        done += n


def generate(
    db: Database,
    *,
    clients: int = 200,
    seed: int = 1,
    big_client_interactions: int = 0,
    interactions_per_client: int | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    allow_existing: bool = False,
) -> DemoSummary:
    """Fill ``db`` with demo data; refuse a database that already has clients.

    ``interactions_per_client`` is the number of past interactions of each
    client (default 4 to 14); each also gets 0 to 3 planned ones in the next
    three weeks. ``big_client_interactions`` adds one key account with that
    many interactions (a few of them planned) and nothing else in its feed.
    """
    if clients < 0 or big_client_interactions < 0:
        raise ValidationError("Client and interaction counts cannot be negative")
    if interactions_per_client is not None and interactions_per_client < 0:
        raise ValidationError("Interactions per client cannot be negative")
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise ValueError("generate needs an aware 'now'")
    now = now.astimezone(dt.UTC)
    bootstrap.ensure_initial_data(db)
    rng = random.Random(seed)
    with db.uow() as uow:
        conn = uow.session.connection()
        if not allow_existing and conn.scalar(select(Client.id).limit(1)) is not None:
            raise UserError(
                "The database already has clients; demo data goes into an empty database "
                "only (create a new one, or allow adding to this one explicitly)"
            )
        builder = _Builder(conn, rng, now, progress)
        builder.load_reference()
        builder.make_managers(max(2, min(25, clients // 400 + 2)))
        done = 0
        for n in _chunks(clients, CLIENT_CHUNK):
            builder.make_clients(n, interactions_per_client)
            done += n
            builder.report("clients", done, clients)
        builder.flush_all()
        big_client_id = None
        if big_client_interactions:
            big = builder.make_clients(1, None, big=big_client_interactions)
            big_client_id = big[0].id
            builder.flush_all()
        leads = clients // 5
        for n in _chunks(leads, CLIENT_CHUNK):
            builder.make_leads(n)
        builder.report("leads", leads, leads)
        builder.flush_all()
        uow.commit()
    c = builder.counts
    return DemoSummary(
        users=c["users"],
        clients=c["clients"],
        leads=c["leads"],
        contacts=c["contacts"],
        contact_points=c["contact_points"],
        deals=c["deals"],
        interactions=c["interactions"],
        notes=c["notes"],
        tasks=c["tasks"],
        big_client_id=big_client_id,
    )
