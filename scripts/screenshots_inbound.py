"""Screenshots of inbound requests at 1366×768, in English and Russian: the
Inbound section (a new request offered to a role; a converted one with what
the rule did and why), support tickets, a client card's Inbound requests
tab, Settings → Sources & rules, a rule with its dry run, and declining
with a reason (the conventions, X server and database of scripts/screenshot_rig.py).

    .venv/bin/python scripts/screenshots_inbound.py     # into screenshots/
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig

# (subject, body, sender name, email, phone)
REQUESTS = [
    ("Прайс на бумагу А4", "Добрый день! Пришлите, пожалуйста, прайс на бумагу А4, 200 пачек.",
     "Ольга Кузнецова", "o.kuznetsova@tipografia-sever.ru", None),
    ("Сломался резак", "Резак, купленный в мае, не работает. Нужен мастер.",
     "Павел Орлов", "orlov@print-service.ru", None),
    ("Заявка с сайта: счёт на картон", "Нужен СЧЁТ на картон 300 листов, доставка в Тверь.",
     "Марина Белова", None, "+79161234567"),
    ("Предлагаем SEO-продвижение", "Выведем ваш сайт в топ за месяц.",
     "Агентство «Топ»", "sales@top-seo.example", None),
    ("Вопрос по доставке", "Можно ли доставить в субботу?",
     "Игорь Ёлкин", "i.elkin@mail.example", None),
]  # fmt: skip


def add_inbound(url: str) -> dict[str, Any]:
    """A Telegram bot and a web-form source with rules; requests as the
    channels deliver them, processed; a known client writes in too."""
    from sqlalchemy import select

    from models import Client, ContactPoint, Role, User
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.inbound import intake, setup
    from services.inbound import use_cases as inbound
    from services.inbound.setup import RuleInput

    db = open_database(url)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
        manager = uow.session.scalar(select(Role.id).where(Role.name == "Manager"))
        users = list(uow.session.scalars(select(User.id).where(User.active.is_(True))))
        known = uow.session.execute(
            select(Client.id, ContactPoint.normalized)
            .join(ContactPoint, ContactPoint.client_id == Client.id)
            .where(ContactPoint.kind == "email")
            .order_by(Client.id)
        ).first()
    bot = setup.add_source(db, admin, "telegram", "Бот «Северторг»").value.id
    form = setup.add_source(
        db,
        admin,
        "web_form",
        "Формы сайта",
        mail_account_id=1,
        folder="INBOX/Заявки",
        field_mapping={"name": "Имя", "phone": "Телефон", "message": "Комментарий"},
    ).value.id
    queue = tuple(users[:3])
    setup.add_rule(
        db,
        admin,
        bot,
        RuleInput(
            name="Поддержка",
            keywords="сломался; не работает",
            action="ticket",
            queue_user_ids=queue,
        ),
    )
    setup.add_rule(
        db,
        admin,
        bot,
        RuleInput(
            name="Реклама",
            keywords="SEO; продвижение",
            assign_mode="user",
            user_id=admin.id,
            action="reject",
            rejection_reason_id=_reason(db),
        ),
    )
    setup.add_rule(
        db,
        admin,
        bot,
        RuleInput(
            name="Продажи", keywords="прайс; счёт; цена", action="deal", queue_user_ids=queue
        ),
    )
    setup.add_rule(
        db,
        admin,
        bot,
        RuleInput(name="Остальное", is_default=True, assign_mode="role", role_id=manager),
    )
    setup.add_rule(
        db,
        admin,
        form,
        RuleInput(name="Заявки с сайта", is_default=True, action="deal", queue_user_ids=queue),
    )
    now = dt.datetime.now(dt.UTC)
    items = []
    for n, (subject, body, name, email, phone) in enumerate(REQUESTS):
        items.append(
            intake.Incoming(
                source_key=f"tg:{700 + n}:{n + 1}",
                channel="telegram",
                received_at=now - dt.timedelta(hours=5 - n),
                subject=subject,
                body=body,
                sender_name=name,
                sender_email=email,
                sender_phone=phone,
                sender_handle=None,
                original=f"{subject}\n\n{body}".encode(),
                original_type="text/plain",
            )
        )
    if known is not None:
        items.append(
            intake.Incoming(
                source_key="tg:900:1",
                channel="telegram",
                received_at=now - dt.timedelta(minutes=20),
                subject="Повторный заказ картона",
                body="Здравствуйте! Хотим повторить заказ картона, как в прошлом месяце.",
                sender_name="Постоянный клиент",
                sender_email=known.normalized,
                original=b"...",
                original_type="text/plain",
            )
        )
    with db.uow() as uow:
        intake.store(uow.session, bot, items)
        uow.commit()
    inbound.process(db, bot)
    db.dispose()
    return {"bot": bot, "client": known.id if known is not None else None}


def _reason(db: Any) -> int:
    from services.inbound import reasons

    return reasons.reasons(db)[0].id


def take(url: str, made: dict[str, Any], out: Path, language: str) -> None:
    suffix = rig.suffix(language)
    with rig.window(url, language) as (window, _parts):
        window.navigation.select("inbound")
        panel: Any = window.inbound
        rig.wait(800)
        panel.table.selectRow(0)
        rig.wait(600)
        rig.shoot(out / f"inbound-new{suffix}.png")
        panel.set_state("converted")
        rig.wait(800)
        panel.table.selectRow(0)
        rig.wait(600)
        rig.shoot(out / f"inbound-converted{suffix}.png")
        panel.set_state("assigned")
        rig.wait(800)
        panel.table.selectRow(0)
        rig.wait(400)
        panel.card.choose_reason()
        rig.wait(600)
        rig.shoot(out / f"inbound-decline{suffix}.png")
        panel.card.dialog.reject()
        panel.set_state("tickets")
        rig.wait(800)
        tree = panel.tickets.tree
        if tree.topLevelItemCount():
            tree.setCurrentItem(tree.topLevelItem(0))
        rig.wait(600)
        rig.shoot(out / f"inbound-tickets{suffix}.png")

        if made["client"] is not None:
            window.open_card("client", made["client"])
            rig.wait(1200)
            card: Any = window.workspace._cards[("client", made["client"])]
            card.tabs.setCurrentWidget(card.requests_tab)
            rig.wait(800)
            rig.shoot(out / f"card-inbound-tab{suffix}.png")
            window.workspace.close_current()

        window.navigation.select("settings")
        settings: Any = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.inbound_page)
        rig.wait(1000)
        page = settings.inbound_page
        rig.shoot(out / f"settings-inbound{suffix}.png")
        page.rule_tree.setCurrentItem(page.rule_tree.topLevelItem(2))
        page.edit_rule()
        rig.wait(600)
        dialog: Any = page.dialog
        dialog.keywords.setText("прайс; счёт; цена; картон")
        dialog.try_rule()
        rig.wait(1200)
        rig.shoot(out / f"inbound-dry-run{suffix}.png")
        dialog.dry_run.reject()
        rig.wait(300)
        rig.shoot(out / f"inbound-rule{suffix}.png")
        dialog.reject()
        settings.tabs.setCurrentIndex(0)


def shoot_all(url: str, _big_client: int, out: Path) -> None:
    made = add_inbound(url)
    for language in rig.LANGUAGES:
        take(url, made, out, language)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=60)


if __name__ == "__main__":
    sys.exit(main())
