"""Email templates (SPEC E1, E2): variables, a sandboxed renderer, CRUD, apply.

Templates are written by users and filled with data of clients, so they are
code from one person run on data of another: ``str.format`` would expose
object attributes. Rendering uses Jinja2's ``ImmutableSandboxedEnvironment``
on plain dicts of strings, and ``validate`` refuses on save everything beyond
the listed variables, a few filters and ``if``: no calls, loops, arithmetic
or ``_private`` attributes. The sandbox is the second fence, not the first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

import jinja2
from jinja2 import StrictUndefined, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
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
from models.templates import EmailTemplate
from services import custom_fields, deals, parties, settings, timezones
from services.access import Actor, Permission, PermissionDenied
from services.errors import ConflictError, NotFoundError, ValidationError
from services.storage import UnitOfWork

MAX_NAME = 200
MAX_SUBJECT = 998
MAX_BODY = 20_000
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
# Filters that only reshape text; nothing that reaches objects or loops.
# (No ``replace``: chained, it multiplies a text's length, a memory bomb.)
SAFE_FILTERS = ("upper", "lower", "capitalize", "title", "trim", "default", "truncate")
SAFE_TESTS = ("defined", "undefined", "none", "string", "number", "eq", "ne")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_DICT_NAMES = frozenset(name for name in dir(dict) if not name.startswith("_"))
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
class TemplateView:
    id: int
    uid: str
    name: str
    subject: str
    body: str
    ai: bool
    author_id: int
    author_name: str
    active: bool
    row_version: int


@dataclasses.dataclass(frozen=True)
class Variable:
    """One entry of the variable picker; insert ``{{ name }}``."""

    name: str
    description_en: str
    description_ru: str


@dataclasses.dataclass(frozen=True)
class Draft:
    """A template applied to a client, contact and deal.

    Without AI ``subject`` and ``body`` are the letter. With AI ``prompt`` is
    the text the user may edit before generating the body; ``data_names``
    are the untrusted items (``last_email`` ...) the template asked for.
    """

    subject: str
    body: str
    ai: bool
    prompt: str | None
    data_names: tuple[str, ...] = ()
    template_id: int | None = None


# --- the sandbox ------------------------------------------------------------


def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS}
    env.tests = {name: env.tests[name] for name in SAFE_TESTS}
    env.globals = {}
    return env


_ENV = _environment()


def _static_paths(ai: bool) -> set[str]:
    paths = {name for name, _, _ in VARIABLES}
    if ai:
        paths |= {name for name, _, _ in UNTRUSTED_VARIABLES}
    return paths


# What each refused construct is called in the message "templates may not use …".
_CONSTRUCTS: dict[type[nodes.Node], str] = {
    nodes.Call: "function or method calls",
    nodes.For: "loops ({% for %})",
    nodes.Macro: "macros",
    nodes.CallBlock: "macros",
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.With: "{% with %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.Slice: "slicing",
    nodes.Tuple: "tuples",
    nodes.List: "lists",
    nodes.Dict: "dicts",
    nodes.Scope: "{% autoescape %} or scoped blocks",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.EvalContextModifier: "{% autoescape %}",
}
_ALLOWED = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Concat,
    nodes.Const,
    nodes.Name,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Filter,
    nodes.Test,
    nodes.Keyword,
)


def _path(node: nodes.Node) -> tuple[list[str], str | None]:
    """The dotted path of ``client.custom['inn']``, or why it is not one."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            if not (isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)):
                return [], "indexing with [] other than a quoted name"
            parts.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(node.name)
            break
        else:
            return [], "attributes of literal values"
    parts.reverse()
    private = [p for p in parts if p.startswith("_")]
    if private:
        return parts, f"internal attributes such as {private[0]}"
    return parts, None


class _Checker:
    def __init__(self, with_data: bool, custom_codes: Mapping[str, Collection[str]] | None) -> None:
        self.ai = with_data
        self.custom_codes = custom_codes
        self.known = _static_paths(with_data)
        self.problems: list[str] = []

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def check_path(self, parts: list[str]) -> None:
        name = ".".join(parts)
        if name in self.known:
            return
        if len(parts) == 3 and parts[0] in CUSTOM_GROUPS and parts[1] == "custom":
            codes = None if self.custom_codes is None else self.custom_codes.get(parts[0], ())
            if (codes is None and CODE.match(parts[2])) or (
                codes is not None and parts[2] in codes
            ):
                return
            self.add(f"there is no {parts[0]} custom field {parts[2]!r}")
            return
        if name in _static_paths(True):
            where = "the prompt (body)" if self.ai else "the prompt of AI templates"
            self.add(f"{name} can only be used in {where}: it is sent to the AI as data")
            return
        if any(k.startswith(name + ".") for k in self.known) or name in (
            f"{g}.custom" for g in CUSTOM_GROUPS
        ):
            self.add(f"{name} is a group of variables: use one of its fields, e.g. {name}.…")
            return
        hint = difflib.get_close_matches(name, sorted(self.known), n=1)
        more = f" (did you mean {hint[0]}?)" if hint else ""
        self.add(f"unknown variable {name}{more}")

    def walk(self, node: nodes.Node) -> None:
        kind = type(node)
        if isinstance(node, nodes.Call):
            callee = node.node
            name = f" such as {callee.attr}()" if isinstance(callee, nodes.Getattr) else ""
            self.add(f"templates may not use function or method calls{name}")
            return
        if kind in _CONSTRUCTS:
            self.add(f"templates may not use {_CONSTRUCTS[kind]}")
            return
        if isinstance(node, nodes.BinExpr | nodes.UnaryExpr) and kind not in _ALLOWED:
            self.add(f"templates may not use arithmetic ({node.operator})")
            return
        if kind not in _ALLOWED:
            self.add(f"templates may not use {kind.__name__} expressions")
            return
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr == "custom"
            and node.attr in _DICT_NAMES
        ):
            # Jinja2 tries attributes before items: .items would be dict.items.
            self.add(f"write custom.{node.attr} as custom['{node.attr}'] (a built-in name)")
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            parts, problem = _path(node)
            if problem:
                self.add(f"templates may not use {problem}")
            else:
                self.check_path(parts)
            return
        if isinstance(node, nodes.Const) and not isinstance(
            node.value, str | int | float | bool | type(None)
        ):
            self.add("templates may not use literal values other than text and numbers")
            return
        if isinstance(node, nodes.Filter) and node.name not in SAFE_FILTERS:
            self.add(
                f"the filter {node.name!r} is not allowed; use one of {', '.join(SAFE_FILTERS)}"
            )
        if isinstance(node, nodes.Test) and node.name not in SAFE_TESTS:
            self.add(f"the test {node.name!r} is not allowed; use one of {', '.join(SAFE_TESTS)}")
        if isinstance(node, nodes.Filter | nodes.Test) and (node.dyn_args or node.dyn_kwargs):
            self.add("templates may not use *args or **kwargs")
            return
        for child in node.iter_child_nodes():
            self.walk(child)


def _parse(text: str, what: str) -> nodes.Template:
    try:
        return _ENV.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationError(
            f"The {what} has a template error on line {exc.lineno}: {exc.message}", what
        ) from None


def _check(
    text: str, what: str, with_data: bool, custom_codes: Mapping[str, Collection[str]] | None
) -> nodes.Template:
    tree = _parse(text, what)
    checker = _Checker(with_data, custom_codes)
    checker.walk(tree)
    if not checker.problems:
        # A second opinion from Jinja2's own analysis: every name it would
        # look up must be one of ours (the walk above should have said so).
        roots = {n.split(".")[0] for n in checker.known} | set(CUSTOM_GROUPS)
        try:
            undeclared = meta.find_undeclared_variables(tree)
        except jinja2.TemplateError as exc:
            raise ValidationError(f"The {what}: {exc}", what) from None
        for name in sorted(undeclared - roots):
            checker.check_path([name])
    if checker.problems:
        raise ValidationError(f"The {what}: " + "; ".join(checker.problems), what)
    return tree


def validate(
    subject: str,
    body: str,
    *,
    ai: bool = False,
    custom_codes: Mapping[str, Collection[str]] | None = None,
) -> None:
    """Refuse unknown variables, sandbox escapes and syntax errors.

    ``custom_codes`` maps "client"/"contact" to the defined custom field
    codes; None accepts any well-formed code (no database at hand).
    """
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(f"The subject is longer than {MAX_SUBJECT} characters", "subject")
    if len(body) > MAX_BODY:
        raise ValidationError(f"The body is longer than {MAX_BODY} characters", "body")
    _check(subject, "subject", False, custom_codes)
    _check(body, "body", ai, custom_codes)


def data_names(text: str) -> tuple[str, ...]:
    """The untrusted items (``last_email`` ...) a template text names, in order."""
    found: list[str] = []
    for node in _parse(text, "body").find_all((nodes.Getattr,)):
        inbound = isinstance(node.node, nodes.Name) and node.node.name == "inbound"
        if inbound and node.attr not in found:
            found.append(node.attr)
    return tuple(found)


def data_marker(name: str) -> str:
    """What ``{{ inbound.NAME }}`` becomes in a prompt: a pointer to the data block."""
    return f'[see <data name="{name}"> below]'


def render(text: str, context: Mapping[str, Any]) -> str:
    """Fill a validated template from plain data (``context_for``)."""
    try:
        return _ENV.from_string(text).render(dict(context))
    except (jinja2.TemplateError, TypeError) as exc:
        # Validation refuses what could get here; a template saved by an older
        # version, or a field deleted since, still gets a clear message.
        raise ValidationError(f"The template could not be filled in: {exc}") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- the data ---------------------------------------------------------------


def _first_name(full_name: str) -> tuple[str, str]:
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
    values = dict.fromkeys(_custom_codes(uow)[kind], "")
    values.update(custom_fields.values_of(uow, kind, entity_id))
    return values


def _custom_codes(uow: UnitOfWork) -> dict[str, list[str]]:
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
        code = f"['{f.code}']" if f.code in _DICT_NAMES else f".{f.code}"
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
) -> dict[str, Any]:
    """The variables' values as plain strings and dicts: never ORM objects.

    Applying a template needs the client, the contact and the deal (SPEC E1);
    the contact and the deal must be the client's.
    """
    if client_id is None or contact_id is None or deal_id is None:
        missing = [
            what
            for what, value in (("client", client_id), ("contact", contact_id), ("deal", deal_id))
            if value is None
        ]
        raise ValidationError(
            "Choose the client, contact and deal before applying a template; missing: "
            + ", ".join(missing),
            missing[0],
        )
    client = parties.visible_client(uow, actor, client_id)
    contact = uow.session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("Contact", contact_id)
    if contact.client_id != client.id:
        raise ValidationError(
            f"{contact.full_name} is not a contact person of {client.name}", "contact"
        )
    deal = deals.visible_deal(uow, actor, deal_id)
    if deal.client_id != client.id:
        raise ValidationError(f"The deal {deal.title!r} is not a deal of {client.name}", "deal")
    stage = uow.session.scalar(select(Stage.name).where(Stage.id == deal.stage_id)) or ""
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    today = now.astimezone(timezones.zone(settings.display_zone(uow))).date()
    first, name_patronymic = _first_name(contact.full_name)
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
        "deal": {
            "title": deal.title,
            "amount": _amount(deal.amount),
            "currency": deal.currency,
            "stage": stage,
        },
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


# --- CRUD -------------------------------------------------------------------


def _view(uow: UnitOfWork, row: EmailTemplate) -> TemplateView:
    author = uow.session.scalar(select(User.full_name).where(User.id == row.author_id))
    return TemplateView(
        id=row.id,
        uid=row.uid,
        name=row.name,
        subject=row.subject,
        body=row.body,
        ai=row.ai,
        author_id=row.author_id,
        author_name=author or "?",
        active=row.active,
        row_version=row.row_version,
    )


def _clean_name(uow: UnitOfWork, name: str, template_id: int | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("A template needs a name", "name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"The name is longer than {MAX_NAME} characters", "name")
    # Compared in Python: SQLite's lower() folds ASCII only, not Cyrillic;
    # templates are a few hundred rows at most.
    folded = name.casefold()
    rows = uow.session.execute(select(EmailTemplate.id, EmailTemplate.name)).all()
    if any(r.name.casefold() == folded and r.id != template_id for r in rows):
        raise ValidationError(f"A template named {name!r} exists already", "name")
    return name


def _row(uow: UnitOfWork, template_id: int) -> EmailTemplate:
    row = uow.session.get(EmailTemplate, template_id)
    if row is None:
        raise NotFoundError("Template", template_id)
    return row


def _may_edit(actor: Actor, row: EmailTemplate) -> None:
    if row.author_id != actor.id and not actor.can_admin():
        raise PermissionDenied(
            f"The template {row.name!r} is someone else's; an administrator may change it"
        )


def create(
    uow: UnitOfWork, actor: Actor, name: str, subject: str, body: str, *, ai: bool = False
) -> TemplateView:
    actor.require(Permission.INTERACTIONS)
    clean = _clean_name(uow, name, None)
    validate(subject, body, ai=ai, custom_codes=_custom_codes(uow))
    row = EmailTemplate(name=clean, subject=subject, body=body, ai=ai, author_id=actor.id)
    uow.session.add(row)
    uow.session.flush()
    return _view(uow, row)


def update(
    uow: UnitOfWork,
    actor: Actor,
    template_id: int,
    *,
    name: str | None = None,
    subject: str | None = None,
    body: str | None = None,
    ai: bool | None = None,
    active: bool | None = None,
    row_version: int | None = None,
) -> TemplateView:
    """Change what is given; ``row_version`` (from the view the user edited)
    refuses the save when someone else saved in between."""
    actor.require(Permission.INTERACTIONS)
    row = _row(uow, template_id)
    _may_edit(actor, row)
    if row_version is not None and row_version != row.row_version:
        raise ConflictError(
            f"Someone else changed the template {row.name!r} meanwhile; reload it and try again"
        )
    new_subject = row.subject if subject is None else subject
    new_body = row.body if body is None else body
    new_ai = row.ai if ai is None else ai
    validate(new_subject, new_body, ai=new_ai, custom_codes=_custom_codes(uow))
    if name is not None:
        row.name = _clean_name(uow, name, row.id)
    row.subject, row.body, row.ai = new_subject, new_body, new_ai
    if active is not None:
        row.active = active
    uow.session.flush()
    return _view(uow, row)


def deactivate(uow: UnitOfWork, actor: Actor, template_id: int) -> TemplateView:
    """Hide a template from the picker; it stays for the record."""
    actor.require(Permission.INTERACTIONS)
    row = _row(uow, template_id)
    _may_edit(actor, row)
    row.active = False
    uow.session.flush()
    return _view(uow, row)


def get(uow: UnitOfWork, actor: Actor, template_id: int) -> TemplateView:
    return _view(uow, _row(uow, template_id))


def list_templates(
    uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False
) -> list[TemplateView]:
    """Templates by name; templates are shared by every user of the database."""
    query = select(EmailTemplate).order_by(EmailTemplate.name, EmailTemplate.id)
    if not include_inactive:
        query = query.where(EmailTemplate.active.is_(True))
    return [_view(uow, row) for row in uow.session.scalars(query)]


# --- applying ---------------------------------------------------------------


def _ai_context(context: Mapping[str, Any], names: Collection[str]) -> dict[str, Any]:
    return dict(context) | {"inbound": {name: data_marker(name) for name in names}}


def apply(
    uow: UnitOfWork,
    actor: Actor,
    template_id: int,
    client_id: int | None,
    contact_id: int | None,
    deal_id: int | None,
    now: dt.datetime,
) -> Draft:
    """Fill a template in (SPEC E2): the letter, or for an AI template the
    subject and the prompt the user may edit before generating."""
    actor.require(Permission.INTERACTIONS)
    row = _row(uow, template_id)
    if not row.active:
        raise ValidationError(f"The template {row.name!r} is deactivated", "template")
    context = context_for(uow, actor, client_id, contact_id, deal_id, now)
    try:
        validate(row.subject, row.body, ai=row.ai, custom_codes=_custom_codes(uow))
    except ValidationError as exc:
        raise ValidationError(
            f"The template {row.name!r} needs fixing: {exc}", "template"
        ) from None
    subject = _one_line(render(row.subject, context))
    if not row.ai:
        return Draft(subject, render(row.body, context), False, None, (), row.id)
    names = data_names(row.body)
    prompt = render(row.body, _ai_context(context, names)).strip()
    return Draft(subject, "", True, prompt, names, row.id)
