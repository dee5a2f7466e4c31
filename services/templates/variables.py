"""Template variables (SPEC E1): the catalogue the picker shows and the values.

``context_for`` turns a client, contact and deal into plain dicts of strings
for the sandboxed renderer (``services.templates.sandbox``): never ORM objects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from models import (
    Contact,
    ContactPoint,
    CustomField,
    Interaction,
    Stage,
    User,
    interaction_contacts,
)
from services.core import settings, timezones
from services.core.access import Actor
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.parties import custom_fields, deals
from services.parties import records as parties

# The client's last letter goes to the AI as data; a long thread is cut here.
MAX_INBOUND = 8_000

# (name, description in English, description in Russian): the picker's list.
VARIABLES: list[tuple[str, str, str]] = [
    ("client.name", "Client name", "Название клиента"),
    ("client.region", "Client region (country code)", "Регион клиента (код страны)"),
    ("client.address", "Client address", "Адрес клиента"),
    ("contact.full_name", "Contact person's full name", "ФИО контактного лица"),
    ("contact.first_name", "Contact person's first name", "Имя контактного лица"),
    (
        "contact.name_patronymic",
        "First name and patronymic (Иван Петрович); the first name when there is none",
        "Имя и отчество (Иван Петрович); без отчества — имя",
    ),
    ("contact.position", "Contact person's position", "Должность контактного лица"),
    ("contact.email", "Contact person's email", "Email контактного лица"),
    ("contact.phone", "Contact person's phone", "Телефон контактного лица"),
    ("deal.title", "Deal title", "Название сделки"),
    ("deal.amount", "Deal amount (1 500 000.50)", "Сумма сделки (1 500 000.50)"),
    ("deal.currency", "Deal currency (RUB)", "Валюта сделки (RUB)"),
    ("deal.stage", "Deal stage", "Этап сделки"),
    ("owner.full_name", "Client's responsible manager", "Ответственный менеджер клиента"),
    ("owner.email", "Responsible manager's email", "Email ответственного менеджера"),
    ("me.full_name", "You: the user writing the letter", "Вы: автор письма"),
    ("me.email", "Your email", "Ваш email"),
    ("date.today", "Today (24.11.2026)", "Сегодня (24.11.2026)"),
    ("date.today_ru", "Today in Russian (вторник, 24 ноября 2026)", "Сегодня по-русски"),
    ("date.today_en", "Today in English (Tuesday, 24 November 2026)", "Сегодня по-английски"),
    ("date.tomorrow", "Tomorrow (25.11.2026)", "Завтра (25.11.2026)"),
    ("date.tomorrow_ru", "Tomorrow in Russian", "Завтра по-русски"),
    ("date.tomorrow_en", "Tomorrow in English", "Завтра по-английски"),
    ("date.next_working_day", "Next working day, Mon–Fri (27.11.2026)", "Следующий рабочий день"),
    ("date.next_working_day_ru", "Next working day in Russian", "Следующий рабочий день по-русски"),
    (
        "date.next_working_day_en",
        "Next working day in English",
        "Следующий рабочий день по-английски",
    ),
]
# Text from outside the company, for AI templates only: it is sent to the AI
# server as delimited data after the prompt, never mixed into it.
UNTRUSTED_VARIABLES: list[tuple[str, str, str]] = [
    (
        "inbound.last_email",
        "Text of the client's last letter (AI templates only; sent as data)",
        "Текст последнего письма клиента (только для ИИ-шаблонов; передаётся как данные)",
    ),
    (
        "inbound.last_subject",
        "Subject of the client's last letter (AI templates only; sent as data)",
        "Тема последнего письма клиента (только для ИИ-шаблонов; передаётся как данные)",
    ),
]
CUSTOM_GROUPS = ("client", "contact")
DICT_NAMES = frozenset(name for name in dir(dict) if not name.startswith("_"))
_PATRONYMIC = re.compile(r"(вич|вна|чна|ична|кызы|оглы|улы)$", re.IGNORECASE)

MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclasses.dataclass(frozen=True)
class Variable:
    """One entry of the variable picker; insert ``{{ name }}``."""

    name: str
    description_en: str
    description_ru: str


def first_name_of(full_name: str) -> tuple[str, str]:
    """(first name, first name + patronymic) from "Иванов Иван Петрович" or
    "Иван Петрович Иванов" or "Anna Smith"."""
    words = full_name.split()
    if not words:
        return "", ""
    for i, word in enumerate(words[1:], start=1):
        if _PATRONYMIC.search(word):
            return words[i - 1], f"{words[i - 1]} {word}"
    return words[0], words[0]


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}".replace(",", "\u00a0")
    return text.removesuffix(".00")


def _dates(day: dt.date) -> dict[str, str]:
    tomorrow = day + dt.timedelta(days=1)
    working = tomorrow
    while working.weekday() >= 5:
        working += dt.timedelta(days=1)
    out: dict[str, str] = {}
    for key, value in (("today", day), ("tomorrow", tomorrow), ("next_working_day", working)):
        out[key] = f"{value:%d.%m.%Y}"
        out[f"{key}_ru"] = (
            f"{WEEKDAYS_RU[value.weekday()]}, {value.day} {MONTHS_RU[value.month - 1]} {value.year}"
        )
        out[f"{key}_en"] = (
            f"{WEEKDAYS_EN[value.weekday()]}, {value.day} {MONTHS_EN[value.month - 1]} {value.year}"
        )
    return out


def _first_point(uow: UnitOfWork, contact_id: int, kind: str) -> str:
    raw = uow.session.scalar(
        select(ContactPoint.raw)
        .where(ContactPoint.contact_id == contact_id, ContactPoint.kind == kind)
        .order_by(ContactPoint.id)
        .limit(1)
    )
    return raw or ""


def _user(uow: UnitOfWork, user_id: int) -> dict[str, str]:
    user = uow.session.get(User, user_id)
    if user is None:
        return {"full_name": "", "email": ""}
    return {"full_name": user.full_name, "email": user.email or ""}


def _custom(uow: UnitOfWork, kind: str, entity_id: int) -> dict[str, str]:
    """Every defined code, empty where this record has no value."""
    values = dict.fromkeys(custom_field_codes(uow)[kind], "")
    values.update(custom_fields.values_of(uow, kind, entity_id))
    return values


def custom_field_codes(uow: UnitOfWork) -> dict[str, list[str]]:
    """Every custom field's code by record kind, in the order they were made."""
    codes: dict[str, list[str]] = {kind: [] for kind in CUSTOM_GROUPS}
    rows = uow.session.execute(
        select(CustomField.entity_kind, CustomField.code).order_by(CustomField.id)
    ).all()
    for row in rows:
        codes.setdefault(row.entity_kind, []).append(row.code)
    return codes


def available_variables(uow: UnitOfWork, *, ai: bool = False) -> list[Variable]:
    """The picker's list: ``VARIABLES``, the custom fields defined now, and for
    AI templates the untrusted items."""
    out = [Variable(*v) for v in VARIABLES]
    fields = uow.session.execute(
        select(CustomField.entity_kind, CustomField.code, CustomField.label).order_by(
            CustomField.entity_kind, CustomField.id
        )
    ).all()
    for f in fields:
        who = ("Client", "Клиент") if f.entity_kind == "client" else ("Contact", "Контакт")
        code = f"['{f.code}']" if f.code in DICT_NAMES else f".{f.code}"
        out.append(
            Variable(
                f"{f.entity_kind}.custom{code}", f"{who[0]}: {f.label}", f"{who[1]}: {f.label}"
            )
        )
    if ai:
        out += [Variable(*v) for v in UNTRUSTED_VARIABLES]
    return out


def context_for(
    uow: UnitOfWork,
    actor: Actor,
    client_id: int | None,
    contact_id: int | None,
    deal_id: int | None,
    now: dt.datetime,
    *,
    need_deal: bool = True,
) -> dict[str, Any]:
    """The variables' values as plain strings and dicts: never ORM objects.

    Applying a template needs the client, the contact and the deal (SPEC E1);
    the contact and the deal must be the client's. A scenario needs only the
    client and the contact (``need_deal`` False): deal fields are then empty.
    """
    if client_id is None or contact_id is None or (deal_id is None and need_deal):
        missing = [
            what
            for what, value in (("client", client_id), ("contact", contact_id), ("deal", deal_id))
            if value is None
        ]
        raise ValidationError(
            "Choose the client, contact and deal before applying a template; missing: "
            + ", ".join(missing),
            missing[0],
            code="templates.variables.choose_before_applying",
            params={"missing": ", ".join(missing)},
        )
    client = parties.visible_client(uow, actor, client_id)
    contact = uow.session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("Contact", contact_id)
    if contact.client_id != client.id:
        raise ValidationError(
            f"{contact.full_name} is not a contact person of {client.name}",
            "contact",
            code="templates.variables.not_contact_person",
            params={"full_name": str(contact.full_name), "name": str(client.name)},
        )
    deal_fields = {"title": "", "amount": "", "currency": "", "stage": ""}
    if deal_id is not None:
        deal = deals.visible_deal(uow, actor, deal_id)
        if deal.client_id != client.id:
            raise ValidationError(
                f"The deal {deal.title!r} is not a deal of {client.name}",
                "deal",
                code="templates.variables.deal_not_deal",
                params={"title": repr(deal.title), "name": str(client.name)},
            )
        stage = uow.session.scalar(select(Stage.name).where(Stage.id == deal.stage_id)) or ""
        deal_fields = {
            "title": deal.title,
            "amount": _amount(deal.amount),
            "currency": deal.currency,
            "stage": stage,
        }
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    today = now.astimezone(timezones.zone(settings.display_zone(uow))).date()
    first, name_patronymic = first_name_of(contact.full_name)
    return {
        "client": {
            "name": client.name,
            "region": client.region or "",
            "address": client.address or "",
            "custom": _custom(uow, "client", client.id),
        },
        "contact": {
            "full_name": contact.full_name,
            "first_name": first,
            "name_patronymic": name_patronymic,
            "position": contact.position or "",
            "email": _first_point(uow, contact.id, "email"),
            "phone": _first_point(uow, contact.id, "phone"),
            "custom": _custom(uow, "contact", contact.id),
        },
        "deal": deal_fields,
        "owner": _user(uow, client.owner_id),
        "me": _user(uow, actor.id),
        "date": _dates(today),
    }


def inbound_for(
    uow: UnitOfWork, actor: Actor, client_id: int, contact_id: int | None
) -> dict[str, str]:
    """The client's last received letter (the contact's when there is one) as
    the untrusted items of ``UNTRUSTED_VARIABLES``; empty when none."""
    parties.check_visible(uow, actor, "client", client_id)
    base = (
        select(Interaction.subject, Interaction.body)
        .where(
            Interaction.client_id == client_id,
            Interaction.type == "email",
            Interaction.direction == "in",
            Interaction.state == "done",
        )
        .order_by(Interaction.start_utc.desc(), Interaction.id.desc())
        .limit(1)
    )
    row = None
    if contact_id is not None:
        row = uow.session.execute(
            base.join(
                interaction_contacts, interaction_contacts.c.interaction_id == Interaction.id
            ).where(interaction_contacts.c.contact_id == contact_id)
        ).one_or_none()
    if row is None:
        row = uow.session.execute(base).one_or_none()
    if row is None:
        return {}
    return {"last_email": (row.body or "")[:MAX_INBOUND], "last_subject": row.subject or ""}
