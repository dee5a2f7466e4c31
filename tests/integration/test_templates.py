"""Email templates (SPEC E1, E2) on SQLite and PostgreSQL: variables, the
sandbox, saving, and applying to a client, contact and deal."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import insert, select

from models import Role, User
from models.templates import EmailTemplate
from services.core import settings
from services.core.access import Actor, PermissionDenied
from services.core.errors import ConflictError, NotFoundError, ValidationError
from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import custom_fields, deals
from services.parties import records as parties
from services.templates import store as templates
from tests.integration.helpers import row_counts

# Friday 27 November 2026, 12:00 in Moscow.
FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@dataclasses.dataclass(frozen=True)
class Card:
    client_id: int
    contact_id: int
    deal_id: int


def make_card(
    db: Database, actor: Actor, name: str = "ООО «Ромашка»", contact: str = "Иванов Иван Петрович"
) -> Card:
    with db.uow(actor.id) as uow:
        client = parties.add_client(
            uow,
            actor,
            name,
            region="RU",
            address="Москва, ул. Лесная, 5",
            emails=["info@romashka.ru"],
        )
        person = parties.add_contact(
            uow,
            actor,
            contact,
            client_id=client.id,
            position="Директор",
            emails=["ivanov@romashka.ru"],
            phones=["+7 495 123-45-67"],
        )
        deal = deals.add_deal(
            uow, actor, "Поставка оборудования", client_id=client.id, amount="1500000.50"
        )
        uow.commit()
    return Card(client.id, person.id, deal.id)


def add_template(
    db: Database, actor: Actor, name: str, subject: str, body: str, *, ai: bool = False
) -> int:
    with db.uow(actor.id) as uow:
        template_id = templates.create(uow, actor, name, subject, body, ai=ai).id
        uow.commit()
    return template_id


def apply(
    db: Database, actor: Actor, template_id: int, card: Card, now: dt.datetime = FRIDAY
) -> templates.Draft:
    with db.reader(actor.id) as uow:
        return templates.apply(
            uow, actor, template_id, card.client_id, card.contact_id, card.deal_id, now
        )


def test_a_template_without_ai_is_filled_with_cyrillic_data(db: Database, actor: Actor) -> None:
    with db.uow(actor.id) as uow:
        custom_fields.define(uow, actor, "client", "inn", "ИНН")
        settings.put(uow, "default_timezone", "Europe/Moscow")
        uow.commit()
    card = make_card(db, actor)
    with db.uow(actor.id) as uow:
        custom_fields.set_values(uow, "client", card.client_id, {"inn": "7701234567"})
        uow.commit()
    template_id = add_template(
        db,
        actor,
        "Коммерческое предложение",
        "Предложение для {{ client.name }}: {{ deal.title | lower }}",
        "Уважаемый {{ contact.name_patronymic }}!\n"
        "Сумма: {{ deal.amount }} {{ deal.currency }} (этап «{{ deal.stage }}»).\n"
        "ИНН {{ client.custom.inn }}, {{ client.address }}.\n"
        "Позвоню {{ date.next_working_day_ru }} ({{ date.next_working_day }}).\n"
        "{% if contact.position %}Должность: {{ contact.position }}{% endif %}\n"
        "{{ contact.email }} {{ contact.phone }} {{ contact.first_name }}\n"
        "Today is {{ date.today_en }}; {{ owner.full_name }}, {{ me.full_name }}",
    )

    draft = apply(db, actor, template_id, card)

    assert draft.ai is False
    assert draft.prompt is None
    assert draft.template_id == template_id
    assert draft.subject == "Предложение для ООО «Ромашка»: поставка оборудования"
    assert draft.body.splitlines() == [
        "Уважаемый Иван Петрович!",
        "Сумма: 1\u00a0500\u00a0000.50 RUB (этап «Qualification»).",
        "ИНН 7701234567, Москва, ул. Лесная, 5.",
        "Позвоню понедельник, 30 ноября 2026 (30.11.2026).",
        "Должность: Директор",
        "ivanov@romashka.ru +7 495 123-45-67 Иван",
        f"Today is Friday, 27 November 2026; {actor.full_name}, {actor.full_name}",
    ]


def test_dates_follow_the_display_zone(db: Database, actor: Actor) -> None:
    with db.uow(actor.id) as uow:
        settings.put(uow, "default_timezone", "Asia/Vladivostok")
        uow.commit()
    card = make_card(db, actor)
    template_id = add_template(
        db,
        actor,
        "Даты",
        "{{ date.today }}",
        "{{ date.tomorrow_ru }} / {{ date.next_working_day_en }}",
    )
    # Friday 23:30 UTC is already Saturday morning in Vladivostok.
    draft = apply(db, actor, template_id, card, dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC))
    assert draft.subject == "28.11.2026"
    assert draft.body == "воскресенье, 29 ноября 2026 / Monday, 30 November 2026"


def test_names_with_and_without_patronymic() -> None:
    assert templates.first_name_of("Иванов Иван Петрович") == ("Иван", "Иван Петрович")
    assert templates.first_name_of("Анна Сергеевна Смирнова") == ("Анна", "Анна Сергеевна")
    assert templates.first_name_of("Anna Smith") == ("Anna", "Anna")


def test_unknown_variables_are_refused_on_save_and_nothing_is_saved(
    db: Database, actor: Actor
) -> None:
    before = row_counts(db)
    with db.uow(actor.id) as uow, pytest.raises(ValidationError) as caught:
        templates.create(uow, actor, "Опечатка", "Привет", "{{ client.nam }} и {{ deal.titel }}")
    assert "unknown variable client.nam (did you mean client.name?)" in str(caught.value)
    assert "deal.titel" in str(caught.value)
    assert caught.value.field == "body"
    with db.uow(actor.id) as uow, pytest.raises(ValidationError, match="custom field 'inn'"):
        templates.create(uow, actor, "Без поля", "{{ client.custom.inn }}", "x")
    assert row_counts(db) == before

    template_id = add_template(db, actor, "Верный", "Привет", "{{ client.name }}")
    with db.uow(actor.id) as uow, pytest.raises(ValidationError, match="unknown variable x"):
        templates.update(uow, actor, template_id, body="{{ x }}")
    with db.reader() as uow:
        assert templates.get(uow, actor, template_id).body == "{{ client.name }}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ ''.__class__ }}", "attributes of literal values"),
        ("{{ client.__init__ }}", "internal attributes such as __init__"),
        ("{{ client['__class__'] }}", "internal attributes such as __class__"),
        (
            "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
            "loops",
        ),
        ("{{ '{0.__class__}'.format(client) }}", "function or method calls such as format()"),
        ("{{ client.name.upper() }}", "function or method calls"),
        ("{{ client | attr('__class__') }}", "the filter 'attr' is not allowed"),
        ("{{ client.name | replace('a', 'aa') }}", "the filter 'replace' is not allowed"),
        ("{{ 'x' * 100000000 }}", "arithmetic"),
        ("{% set a = client %}{{ a }}", "{% set %}"),
        ("{{ range(10) }}", "function or method calls"),
        ("{% include 'secret.txt' %}", "{% include %}"),
        ("{{ client.name", "template error on line 1"),
        ("{{ client.custom.items }}", "custom['items']"),
    ],
)
def test_sandbox_escapes_are_refused(body: str, message: str) -> None:
    with pytest.raises(ValidationError, match=r"^The body: |^The body has") as caught:
        templates.validate("Тема", body)
    assert message in str(caught.value)


def test_the_sandbox_still_holds_for_a_template_that_skipped_validation(
    db: Database, actor: Actor
) -> None:
    """A row written by something else (an older version, a manual edit)."""
    card = make_card(db, actor)
    with db.uow(actor.id) as uow:
        template_id = uow.session.execute(
            insert(EmailTemplate)
            .values(
                name="Злой",
                subject="x",
                body="{{ client.__class__.__mro__ }}",
                ai=False,
                author_id=actor.id,
                active=True,
                uid="0192-evil",
                row_version=1,
                created_at=FRIDAY,
                updated_at=FRIDAY,
            )
            .returning(EmailTemplate.id)
        ).scalar_one()
        uow.commit()
    with pytest.raises(ValidationError, match=r"'Злой' needs fixing: .*__class__"):
        apply(db, actor, template_id, card)
    # Below validation, Jinja2's sandbox refuses on plain dicts too.
    with pytest.raises(ValidationError, match="could not be filled in"):
        templates.render("{{ client.__class__ }}", {"client": {"name": "x"}})
    with pytest.raises(ValidationError, match="could not be filled in"):
        templates.render("{{ client.nam }}", {"client": {"name": "x"}})


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("client_id", "missing: client"),
        ("contact_id", "missing: contact"),
        ("deal_id", "missing: deal"),
    ],
)
def test_applying_requires_client_contact_and_deal(
    db: Database, actor: Actor, missing: str, message: str
) -> None:
    card = make_card(db, actor)
    template_id = add_template(db, actor, "Письмо", "Тема", "{{ client.name }}")
    ids = dataclasses.asdict(card) | {missing: None}
    with db.reader(actor.id) as uow, pytest.raises(ValidationError, match=message) as caught:
        templates.apply(uow, actor, template_id, **ids, now=FRIDAY)
    assert caught.value.field == missing.removesuffix("_id")
    with db.reader(actor.id) as uow, pytest.raises(ValidationError, match="contact, deal"):
        templates.apply(uow, actor, template_id, card.client_id, None, None, FRIDAY)


def test_the_contact_and_the_deal_must_be_the_clients(db: Database, actor: Actor) -> None:
    ours = make_card(db, actor)
    theirs = make_card(db, actor, "АО «Василёк»", "Петрова Мария Ивановна")
    template_id = add_template(db, actor, "Письмо", "Тема", "{{ client.name }}")
    with db.reader(actor.id) as uow:
        with pytest.raises(ValidationError, match="Петрова Мария Ивановна is not a contact"):
            templates.apply(
                uow, actor, template_id, ours.client_id, theirs.contact_id, ours.deal_id, FRIDAY
            )
        with pytest.raises(ValidationError, match="not a deal of ООО «Ромашка»"):
            templates.apply(
                uow, actor, template_id, ours.client_id, ours.contact_id, theirs.deal_id, FRIDAY
            )
        with pytest.raises(NotFoundError):
            templates.apply(uow, actor, template_id, ours.client_id, 999_999, ours.deal_id, FRIDAY)


def test_an_ai_template_gives_an_editable_prompt(db: Database, actor: Actor) -> None:
    card = make_card(db, actor)
    template_id = add_template(
        db,
        actor,
        "Ответ с ИИ",
        "Re: {{ deal.title }}",
        "Напиши вежливый ответ {{ contact.name_patronymic }} ({{ client.name }}) "
        "о сделке «{{ deal.title }}» на сумму {{ deal.amount }} {{ deal.currency }}.\n"
        "Письмо клиента: {{ inbound.last_email }}",
        ai=True,
    )
    draft = apply(db, actor, template_id, card)
    assert draft.ai is True
    assert draft.subject == "Re: Поставка оборудования"
    assert draft.body == ""
    assert draft.data_names == ("last_email",)
    assert draft.prompt == (
        "Напиши вежливый ответ Иван Петрович (ООО «Ромашка») о сделке «Поставка оборудования» "
        "на сумму 1\u00a0500\u00a0000.50 RUB.\n"
        'Письмо клиента: [see <data name="last_email"> below]'
    )


def test_untrusted_items_only_in_the_prompt_of_ai_templates() -> None:
    with pytest.raises(ValidationError, match="only be used in the prompt of AI templates"):
        templates.validate("Тема", "{{ inbound.last_email }}")
    with pytest.raises(ValidationError, match=r"^The subject: inbound\.last_subject"):
        templates.validate("{{ inbound.last_subject }}", "x", ai=True)
    templates.validate("Тема", "{{ inbound.last_email }}", ai=True)


def test_inbound_for_finds_the_contacts_last_letter(db: Database, actor: Actor) -> None:
    card = make_card(db, actor)
    with db.uow(actor.id) as uow:
        silent = parties.add_client(uow, actor, "Без писем").id
        for day, text in ((20, "Старое письмо"), (24, "Новое письмо")):
            ix.create(
                uow,
                actor,
                ix.NewInteraction(
                    type="email",
                    direction="in",
                    start=dt.datetime(2026, 11, day, 10, 0),
                    tz="Europe/Moscow",
                    client_id=card.client_id,
                    contact_ids=(card.contact_id,),
                    subject=f"Тема {day}",
                    body=text,
                ),
                now=FRIDAY,
            )
        uow.commit()
    with db.reader(actor.id) as uow:
        found = templates.inbound_for(uow, actor, card.client_id, card.contact_id)
        assert found == {"last_email": "Новое письмо", "last_subject": "Тема 24"}
        assert templates.inbound_for(uow, actor, silent, None) == {}


def test_names_are_unique_and_deactivated_templates_leave_the_list(
    db: Database, actor: Actor
) -> None:
    first = add_template(db, actor, "Приветствие", "Здравствуйте", "{{ contact.first_name }}")
    with db.uow(actor.id) as uow, pytest.raises(ValidationError, match="exists already"):
        templates.create(uow, actor, "  приветствие ", "x", "y")
    with db.uow(actor.id) as uow:
        view = templates.deactivate(uow, actor, first)
        uow.commit()
    assert view.active is False
    with db.reader(actor.id) as uow:
        assert templates.list_templates(uow, actor) == []
        assert [t.name for t in templates.list_templates(uow, actor, include_inactive=True)] == [
            "Приветствие"
        ]
    card = make_card(db, actor)
    with pytest.raises(ValidationError, match="deactivated"):
        apply(db, actor, first, card)


def test_a_stale_edit_is_refused(db: Database, actor: Actor) -> None:
    template_id = add_template(db, actor, "Шаблон", "Тема", "Текст")
    with db.reader(actor.id) as uow:
        seen = templates.get(uow, actor, template_id)
    with db.uow(actor.id) as uow:
        templates.update(uow, actor, template_id, body="Другой текст", row_version=seen.row_version)
        uow.commit()
    with db.uow(actor.id) as uow, pytest.raises(ConflictError):
        templates.update(uow, actor, template_id, body="Мой текст", row_version=seen.row_version)


def test_only_the_author_or_an_administrator_edits(db: Database, actor: Actor) -> None:
    template_id = add_template(db, actor, "Чужой", "Тема", "Текст")
    with db.uow(actor.id) as uow:
        role = uow.session.scalars(select(Role).where(Role.name == "Manager")).one()
        user = User(login="manager1", full_name="Мария Менеджер", role_id=role.id)
        uow.session.add(user)
        uow.commit()
        manager = Actor(user.id, user.login, user.full_name, frozenset(role.permissions))
    with db.uow(manager.id) as uow, pytest.raises(PermissionDenied, match="someone else's"):
        templates.update(uow, manager, template_id, body="Мой текст")
    with db.uow(manager.id) as uow:
        own = templates.create(uow, manager, "Свой", "Тема", "{{ me.full_name }}")
        templates.update(uow, manager, own.id, subject="Новая тема")
        uow.commit()


def test_the_picker_lists_custom_fields(db: Database, actor: Actor) -> None:
    with db.uow(actor.id) as uow:
        custom_fields.define(uow, actor, "contact", "birthday", "День рождения", "date")
        custom_fields.define(uow, actor, "client", "values", "Ценности")
        uow.commit()
    with db.reader(actor.id) as uow:
        plain = {v.name: v for v in templates.available_variables(uow)}
        with_ai = {v.name for v in templates.available_variables(uow, ai=True)}
    assert plain["contact.custom.birthday"].description_ru == "Контакт: День рождения"
    assert plain["client.custom['values']"].description_en == "Client: Ценности"
    assert "client.name" in plain
    assert "inbound.last_email" not in plain
    assert "inbound.last_email" in with_ai
    # Every listed variable passes validation.
    templates.validate(
        " ".join(f"{{{{ {n} }}}}" for n in plain),
        " ".join(f"{{{{ {n} }}}}" for n in with_ai),
        ai=True,
        custom_codes={"contact": ["birthday"], "client": ["values"]},
    )
