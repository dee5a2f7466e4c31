"""A client with a contact person and a five-step chain, for the scenario tests."""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.core.access import Actor
from services.core.storage import Database
from services.parties import records as parties
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec

# Friday 27 November 2026, 12:00 in Moscow.
FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)

CHAIN = (
    StepSpec(
        "email",
        0,
        14 * 60,
        "Знакомство: {{ client.name }}",
        prompt="Здравствуйте, {{ contact.first_name }}! Пишу по поводу поставки.",
        auto_send=True,
    ),
    StepSpec("call", 2, 11 * 60, "Звонок {{ contact.full_name }}"),
    StepSpec(
        "email",
        1,
        10 * 60,
        "Напоминание",
        prompt="Напиши короткое напоминание для {{ contact.first_name }} о нашем предложении.",
        ai=True,
        auto_send=True,
    ),
    StepSpec("meeting", 3, 15 * 60 + 30, "Встреча"),
    StepSpec(
        "email",
        2,
        9 * 60,
        "Итоги",
        prompt="Спасибо за встречу, {{ contact.first_name }}!",
        auto_send=True,
    ),
)


@dataclasses.dataclass(frozen=True)
class Card:
    client_id: int
    contact_id: int


def make_card(
    db: Database,
    actor: Actor,
    name: str = "ООО «Ромашка»",
    contact: str = "Иванов Иван Петрович",
    email: str = "ivanov@romashka.ru",
) -> Card:
    with db.uow(actor.id) as uow:
        client = parties.add_client(uow, actor, name, region="RU", emails=["info@romashka.ru"])
        person = parties.add_contact(
            uow, actor, contact, client_id=client.id, emails=[email], phones=["+7 495 123-45-67"]
        )
        uow.commit()
    return Card(client.id, person.id)


def make_chain(db: Database, actor: Actor, name: str = "Новый клиент", **kw: object) -> int:
    return scenarios.add_scenario(db, actor, name, CHAIN, **kw).value.id  # type: ignore[arg-type]
