"""The demo database every screenshot script opens the window on: the
demo generator's clients, a mailbox whose server is unreachable (the Mail
view shows the offline notice and a letter waiting in the outbox), two
email templates, a local AI server's settings, and letters the linking job
placed on the key account or left unlinked.
"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from typing import Any


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


LINKED_SUBJECT = "Счёт №1184 от 12 ноября"

# (name, subject, body, ai). A contact's name stands only where Russian needs
# no case ending ("Добрый день, Андрей Алексеевич!", "Клиент: …"): "Ответь
# {{ contact.name_patronymic }}" came out as "Ответь Андрей Алексеевич".
TEMPLATES = (
    (
        "Коммерческое предложение",
        "Предложение для {{ client.name }}",
        "Добрый день, {{ contact.name_patronymic }}!\n\n"
        "Направляем коммерческое предложение по сделке «{{ deal.title }}» на сумму "
        "{{ deal.amount }} {{ deal.currency }}. Готовы обсудить детали "
        "{{ date.next_working_day_ru }}.\n\nС уважением,\n{{ me.full_name }}",
        False,
    ),
    (
        "Ответ на письмо клиента",
        "Re: {{ deal.title }}",
        "Ответьте на письмо клиента.\n"
        "Клиент: {{ contact.name_patronymic }}, {{ client.name }}.\n"
        "Письмо: {{ inbound.last_email }}\n"
        "Подтвердите сроки поставки и предложите созвониться.",
        True,
    ),
)


def add_linking_history(db: Any, account_id: int, client_id: int) -> None:
    """Header-only letters as mail sync keeps them: some from addresses on
    no card (the Unlinked letters tab), two from an address then added to
    the key account and linked by the job (its feed can say why)."""
    from sqlalchemy import insert

    from models import MailAddress, MailMessage
    from services.core import bootstrap
    from services.linking import job as linking
    from services.parties import contact_points

    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    letters = [
        ("in", "support@bank.example", "Выписка по счёту за октябрь", 12),
        ("in", "ivan.petrov@romashka-trade.ru", "Re: Поставка бумаги на декабрь", 9),
        ("out", "m.sidorova@gorizont.ru", "Встреча в четверг", 7),
        ("in", "o.kim@vostok-log.kz", "Договор на хранение — правки юриста", 5),
        ("in", "noreply@conference.example", "Your ticket for RetailTech 2026", 3),
        ("in", "zakupki@farmatsiya.ru", "Запрос цен на картриджи", 2),
        ("in", "buh@key-account.example", "Акт сверки за III квартал", 30),
        ("in", "buh@key-account.example", LINKED_SUBJECT, 0),
    ]
    with db.uow() as uow:
        for n, (direction, address, subject, days) in enumerate(letters):
            message_id = uow.session.scalar(
                insert(MailMessage)
                .values(
                    account_id=account_id,
                    message_key=f"<history-{n}@touchpoint.example>",
                    direction=direction,
                    subject=subject,
                    sent_at=now - dt.timedelta(days=days, hours=n),
                    from_addr=address if direction == "in" else "anna.sokolova@severtrade.ru",
                    body_state="none",
                    auto_reply=False,
                )
                .returning(MailMessage.id)
            )
            role = "from" if direction == "in" else "to"
            uow.session.execute(
                insert(MailAddress).values(message_id=message_id, role=role, address=address)
            )
        actor = bootstrap.actor_for(uow)
        contact_points.add(uow, actor, "email", "buh@key-account.example", client_id=client_id)
        contact_points.add(uow, actor, "phone", "+7 495 700-12-34", client_id=client_id)
        uow.commit()
    add_calls(db, now)
    linking.run(db)


def add_calls(db: Any, now: dt.datetime) -> None:
    """A PBX call log with two calls of the key account's number, imported
    as the Mail section's "Import call log…" does: the linking job puts them
    on the card with its summary ("answered, 75 s"), worded by the window."""
    import tempfile

    from services.core import bootstrap
    from services.linking import call_log

    rows = [("in", "answered", 75, 2), ("out", "no answer", 0, 4)]
    lines = ["started_at,direction,number,duration_s,result,call_id"]
    for n, (direction, result, seconds, hours) in enumerate(rows):
        at = (now - dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{at},{direction},+74957001234,{seconds},{result},demo-{n}")
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "calls.csv"
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with db.uow() as uow:
            call_log.import_calls(uow, bootstrap.actor_for(uow), log, source="office")
            uow.commit()


def make_database(folder: Path, clients: int) -> tuple[str, int]:
    """A demo database with a mailbox whose server is unreachable, a
    letter in the outbox, two email templates and a local AI server."""
    from services.ai import settings as ai_settings
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.demo import generate as demo
    from services.mail import accounts, outbox
    from services.templates import store as templates

    url = f"sqlite:///{folder / 'touchpoint.sqlite3'}"
    db = open_database(url)
    bootstrap.ensure_initial_data(db)
    summary = demo.generate(db, clients=clients, big_client_interactions=3000)
    port = closed_port()
    spec = accounts.AccountSpec(
        email="anna.sokolova@severtrade.ru",
        display_name="Анна Соколова",
        imap_host="127.0.0.1",
        imap_port=port,
        smtp_host="127.0.0.1",
        smtp_port=port,
        sync_minutes=5,
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        account = accounts.add(uow, actor, spec, "demo-password", None)
        outbox.queue(
            uow,
            actor,
            account.id,
            to=["zakupki@farmatsiya.ru"],
            subject="Коммерческое предложение на поставку",
            body="Добрый день! Направляем предложение.",
            send_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20),
            client_id=summary.big_client_id,
        )
        for name, subject, body, ai in TEMPLATES:
            templates.create(uow, actor, name, subject, body, ai=ai)
        ai_settings.save(
            uow,
            actor,
            base_url="http://localhost:11434/v1",
            model="llama3.1",
            instructions="Обращайтесь к клиенту на «вы». Подписывайте письмо именем менеджера.",
        )
        uow.commit()
    assert summary.big_client_id is not None
    add_linking_history(db, account.id, summary.big_client_id)
    db.dispose()
    return url, summary.big_client_id
