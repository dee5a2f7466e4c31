"""Demo people: managers, clients, leads and their contacts.

Names, companies and addresses drawn from ``demo_names`` in the order a seed
fixes, with phones and emails from ``demo_contact_points``; the clients and
leads come back as ``Party`` values for ``demo_activity`` to give a history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

from sqlalchemy import select, update

from models import Client, Contact, Lead, User
from services.core import timezones
from services.demo import names
from services.demo.contact_points import ContactPoints, slug, transliterate
from services.demo.rows import DemoRun, synced

BIG_CLIENT_NAME = "АО «Гиперион Ритейл»"


@dataclasses.dataclass
class City:
    region: str
    name: str
    zone: str
    country_code: int
    prefixes: tuple[str, ...]
    digits: int
    streets: tuple[str, ...]


@dataclasses.dataclass
class Person:
    full_name: str  # as shown on the card: "Смирнов Иван Петрович", "Emma Clark"
    address_as: str  # how a letter greets them: "Иван Петрович", "Emma"
    latin_first: str
    latin_last: str


@dataclasses.dataclass
class Party:
    """What later rows of one client or lead need to know about it."""

    id: int
    kind: str  # client | lead
    name: str
    zone: str
    lang: str  # ru | en
    owner_id: int
    created: dt.datetime
    currency: str
    # (contact id, how to greet them); a private lead's own person has no id.
    contacts: list[tuple[int | None, str]] = dataclasses.field(default_factory=list)
    deals: list[tuple[int, str, str]] = dataclasses.field(default_factory=list)  # id, title, sum

    @classmethod
    def of(
        cls, kind: str, party_id: int, name: str, city: City, owner_id: int, created: dt.datetime
    ) -> Party:
        return cls(
            id=party_id,
            kind=kind,
            name=name,
            zone=city.zone,
            lang="ru" if city.region in ("RU", "KZ") else "en",
            owner_id=owner_id,
            created=created,
            currency=names.CURRENCIES[city.region],
        )

    def columns(self) -> dict[str, int | None]:
        """The ``client_id`` and ``lead_id`` of a row that belongs to this party."""
        return {
            "client_id": self.id if self.kind == "client" else None,
            "lead_id": self.id if self.kind == "lead" else None,
        }


# A contact to insert: its party, person, position, the party's mail domain, city.
_NewContact = tuple[Party, Person, str | None, str, City]


def feminine_surname(surname: str) -> str:
    """The female form of a Russian-style surname (Иванов -> Иванова, Черных stays)."""
    if surname.endswith(("ский", "цкий", "ой")):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


class People:
    """Makes the people rows of one ``generate`` call."""

    def __init__(self, run: DemoRun, manager_role: int) -> None:
        self.run = run
        self.rng = run.rng
        self.rows = run.rows
        self.manager_role = manager_role
        self.cities = [City(*c) for c in names.CITIES]
        self.points = ContactPoints(run.rows, run.rng)

    # --- places and people ------------------------------------------------

    def pick_city(self) -> City:
        region = self.rng.choices(
            list(names.REGION_WEIGHTS), weights=list(names.REGION_WEIGHTS.values())
        )[0]
        options = [c for c in self.cities if c.region == region]
        return self.rng.choices(options, weights=[names.CITY_WEIGHTS[c.name] for c in options])[0]

    def person(self, region: str) -> Person:
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
            return Person(
                full_name=f"{last} {first} {middle}",
                address_as=f"{first} {middle}",
                latin_first=transliterate(first),
                latin_last=transliterate(last),
            )
        if region == "DE":
            first = rng.choice(names.DE_FEMALE_FIRST if female else names.DE_MALE_FIRST)
            last = rng.choice(names.DE_SURNAMES)
        else:
            first = rng.choice(names.EN_FEMALE_FIRST if female else names.EN_MALE_FIRST)
            last = rng.choice(names.EN_SURNAMES)
        return Person(
            full_name=f"{first} {last}",
            address_as=first,
            latin_first=transliterate(first),
            latin_last=slug(last).replace("-", ""),
        )

    def landline(self, city: City) -> tuple[str, str]:
        return self.points.phone(city.country_code, self.rng.choice(city.prefixes), city.digits)

    def mobile(self, city: City) -> tuple[str, str]:
        prefix, digits = self.rng.choice(names.MOBILE_PREFIXES[city.region])
        return self.points.phone(city.country_code, prefix, digits)

    @staticmethod
    def party_row(
        name: str, city: City, phone: str, owner_id: int, created: dt.datetime
    ) -> dict[str, Any]:
        """The columns a client and a lead share."""
        return {
            "name": name,
            "region": city.region,
            "timezone": People.explicit_zone(city, phone),
            "owner_id": owner_id,
        } | synced(created)

    @staticmethod
    def explicit_zone(city: City, phone: str) -> str | None:
        """The city's zone where the phone and region do not already give it.

        The app derives a party's zone from its phones and region; an explicit
        zone is stored only where that would be wrong (a Chicago lead with a
        San Francisco mobile, a Novosibirsk sole trader with a Russian mobile).
        """
        derived = timezones.party_zone(None, city.region, [phone])
        return None if derived == city.zone else city.zone

    def address(self, city: City) -> str:
        rng = self.rng
        street = rng.choice(city.streets)
        house = rng.randint(1, 120)
        if city.region in ("RU", "KZ"):
            office = f", офис {rng.randint(1, 900)}" if rng.random() < 0.6 else ""
            return f"{city.name}, {street}, д. {house}{office}"
        if city.region == "DE":
            return f"{street} {house}, {city.name}"
        return f"{house} {street}, {city.name}"

    # --- users, clients, leads, contacts ------------------------------------------

    def make_managers(self, count: int) -> None:
        taken = set(self.rows.conn.scalars(select(User.login)))
        rows = []
        for _ in range(count):
            person = self.person("RU" if self.rng.random() < 0.8 else "GB")
            base = f"{person.latin_first[:1]}.{person.latin_last}"
            login, n = base, 1
            while login in taken:
                n += 1
                login = f"{base}{n}"
            taken.add(login)
            created = self.run.past(400, 200)
            rows.append(
                {
                    "login": login,
                    "full_name": person.full_name,
                    "email": f"{login}@touchpoint.example",
                    "role_id": self.manager_role,
                    "active": True,
                }
                | synced(created)
            )
        self.run.managers = self.rows.insert_ids(User, rows) or [self.run.admin_id]

    def name_the_admin(self) -> None:
        """Give the computer's own user a full name when nobody gave it one.

        The first administrator is made with its login as its name ("root"),
        so in a demo full of named colleagues the feed and the conflict list
        said "root" for the one person the user is. A name of the demo's
        kind reads like the others, and everyone sees the same name (a "You"
        would be true only for the viewer). A name set in Settings -> Users
        is kept. Its own generator, so the seed's other data stay the same.
        """
        conn = self.rows.conn
        login, full_name = conn.execute(
            select(User.login, User.full_name).where(User.id == self.run.admin_id)
        ).one()
        if full_name != login:
            return
        seeded, self.rng = self.rng, random.Random(f"admin:{login}")
        try:
            person = self.person("RU")
        finally:
            self.rng = seeded
        conn.execute(
            update(User).where(User.id == self.run.admin_id).values(full_name=person.full_name)
        )

    def company(self, city: City) -> tuple[str, str, bool]:
        """(client name, word the domain is made of, is a sole trader)."""
        rng = self.rng
        region = city.region
        if region in ("RU", "KZ") and rng.random() < 0.1:
            last, first, middle = self.person(region).full_name.split(" ", 2)
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

    def make_clients(self, count: int, *, big: bool = False) -> list[Party]:
        """``count`` ordinary clients, or (``big``) the key account."""
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
            specs.append((city, name, word, sole, phone, self.run.owner(), self.run.past(370, 700)))
        rows = [
            {"address": self.address(city) if rng.random() < 0.85 else None}
            | self.party_row(name, city, phone[1], owner, created)
            for city, name, _word, _sole, phone, owner, created in specs
        ]
        ids = self.rows.insert_ids(Client, rows)
        parties = []
        contacts: list[_NewContact] = []
        for client_id, spec in zip(ids, specs, strict=True):
            city, name, word, sole, (raw, e164), owner, created = spec
            party = Party.of("client", client_id, name, city, owner, created)
            parties.append(party)
            domain = "" if sole else self.points.domain(word, city.region)
            self.points.add("phone", raw, e164, "work", created, client_id=client_id)
            if not sole:
                if rng.random() < 0.25:
                    raw, e164 = self.landline(city)
                    label = "fax" if party.lang == "ru" else "work"
                    self.points.add("phone", raw, e164, label, created, client_id=client_id)
                local = rng.choice(("info", "office", "sales", "hello", "mail"))
                raw, email = self.points.email(local, domain)
                self.points.add("email", raw, email, "work", created, client_id=client_id)
            n_contacts = 10 if big else (1 if sole else rng.choices((1, 2, 3), (45, 35, 20))[0])
            for _ in range(n_contacts):
                person = self.person(city.region)
                if sole:
                    position = "Индивидуальный предприниматель"
                elif party.lang == "ru":
                    position = rng.choice(names.RU_POSITIONS)
                elif city.region == "DE":
                    position = rng.choice(names.DE_POSITIONS)
                else:
                    position = rng.choice(names.EN_POSITIONS)
                contacts.append((party, person, position, domain, city))
        self.add_contacts(contacts)
        return parties

    def make_leads(self, count: int) -> list[Party]:
        rng = self.rng
        specs = []
        for _ in range(count):
            city = self.pick_city()
            person = self.person(city.region)
            if rng.random() < 0.6:
                company, word, _sole = self.company(city)
            else:
                company, word = "", ""
            phone = self.mobile(city)
            specs.append(
                (city, person, company, word, phone, self.run.owner(), self.run.past(2, 90))
            )
        rows = [
            {"company": company or None, "status": "open"}
            | self.party_row(company or person.full_name, city, phone[1], owner, created)
            for city, person, company, _word, phone, owner, created in specs
        ]
        ids = self.rows.insert_ids(Lead, rows)
        parties = []
        contacts: list[_NewContact] = []
        for lead_id, spec in zip(ids, specs, strict=True):
            city, person, company, word, (raw, e164), owner, created = spec
            party = Party.of("lead", lead_id, company or person.full_name, city, owner, created)
            parties.append(party)
            self.points.add("phone", raw, e164, "mobile", created, lead_id=lead_id)
            if company:
                contacts.append((party, person, None, self.points.domain(word, city.region), city))
            else:
                party.contacts.append((None, person.address_as))
                free = rng.choice(names.FREE_MAIL[city.region])
                raw, email = self.points.email(f"{person.latin_first}.{person.latin_last}", free)
                self.points.add("email", raw, email, "personal", created, lead_id=lead_id)
        self.add_contacts(contacts)
        return parties

    def add_contacts(self, contacts: list[_NewContact]) -> None:
        """Insert the contacts, then their phones, emails and messengers."""
        rng = self.rng
        rows = [
            {"full_name": person.full_name, "position": position}
            | party.columns()
            | synced(party.created)
            for party, person, position, _domain, _city in contacts
        ]
        ids = self.rows.insert_ids(Contact, rows)
        for contact_id, (party, person, _position, domain, city) in zip(ids, contacts, strict=True):
            party.contacts.append((contact_id, person.address_as))
            created = party.created
            if rng.random() < 0.75:
                raw, e164 = self.mobile(city)
                self.points.add("phone", raw, e164, "mobile", created, contact_id=contact_id)
            if rng.random() < 0.85:
                if domain and rng.random() < 0.85:
                    style = rng.random()
                    if style < 0.5:
                        local = f"{person.latin_first}.{person.latin_last}"
                    elif style < 0.8:
                        local = f"{person.latin_first[:1]}.{person.latin_last}"
                    else:
                        local = person.latin_last
                    raw, email = self.points.email(local, domain, capitalize=rng.random() < 0.15)
                else:
                    free = rng.choice(names.FREE_MAIL[city.region])
                    local = f"{person.latin_last}{rng.randint(1, 99)}"
                    raw, email = self.points.email(local, free)
                self.points.add("email", raw, email, "work", created, contact_id=contact_id)
            if rng.random() < 0.1:
                handle = f"{person.latin_first}_{person.latin_last}"
                self.points.add(
                    "messenger",
                    "@" + handle,
                    handle.casefold(),
                    "telegram",
                    created,
                    contact_id=contact_id,
                )
