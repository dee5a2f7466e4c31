"""A team database on the real PostgreSQL with one login per role, and one
"world" of rows per manager: a row in every table that holds client data.

Logins are cluster-wide, so each team gets its own suffix.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from models import (
    AddressDecision,
    AiDraftRequest,
    Attachment,
    CallRecord,
    Client,
    Contact,
    ContactPoint,
    CustomField,
    CustomValue,
    Deal,
    Deputy,
    ImportRun,
    InboundOriginal,
    InboundRequest,
    InboundSource,
    Interaction,
    Lead,
    MailAccount,
    MailAddress,
    MailFolder,
    MailLocation,
    MailMessage,
    Memo,
    Note,
    OutboxItem,
    PartyShare,
    Pipeline,
    Scenario,
    ScenarioRun,
    ScenarioRunStep,
    Stage,
    SupportTicket,
    Task,
    User,
    interaction_contacts,
    note_mentions,
)
from services.core import team
from services.core.access import Actor
from services.core.bootstrap import actor_for
from services.core.storage import Database, open_database

_suffix = itertools.count(1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
Rows = dict[str, set[tuple[object, ...]]]


@dataclasses.dataclass
class TeamDb:
    """The owner's database plus a login per colleague (by short name)."""

    url: str
    db: Database  # as the owner: bypasses row-level security
    logins: dict[str, str]  # "anna" -> "anna_3"
    engines: dict[str, Engine] = dataclasses.field(default_factory=dict)

    def url_of(self, who: str) -> str:
        return make_url(self.url).set(username=self.logins[who]).render_as_string(False)

    def engine(self, who: str) -> Engine:
        if who not in self.engines:
            self.engines[who] = create_engine(self.url_of(who))
        return self.engines[who]

    def actor(self, who: str) -> Actor:
        with self.db.reader() as uow:
            return actor_for(uow, self.logins[who])

    def dispose(self) -> None:
        for engine in self.engines.values():
            engine.dispose()
        self.db.dispose()


# who -> (role, department, full name)
PEOPLE = {
    "admin": ("admin", None, "Алла Админова"),
    "head": ("head", "Север", "Глеб Начальников"),
    "anna": ("manager", "Север", "Анна Смирнова"),
    "boris": ("manager", "Юг", "Борис Петров"),
    "reader": ("readonly", None, "Роза Читаева"),
}


def make_team(url: str) -> TeamDb:
    """``admin init`` on ``url`` and the five colleagues of ``PEOPLE``."""
    db = open_database(url, upgrade=False)
    team.init(db)
    with db.reader() as uow:
        owner = actor_for(uow, uow.session.execute(text("SELECT session_user")).scalar_one())
    n = next(_suffix)
    logins = {}
    for who, (role, department, name) in PEOPLE.items():
        member = team.add_user(db, owner, f"{who}_{n}", role, department=department, full_name=name)
        logins[who] = member.login
    return TeamDb(url=url, db=db, logins=logins)


def snapshot(conn: Connection, tables: list[str]) -> Rows:
    """Every row's primary key, per table, as this connection sees them."""
    meta = MetaData()
    meta.reflect(conn, only=tables)
    out: Rows = {}
    for name in tables:
        table = meta.tables[name]
        pk = list(table.primary_key.columns)
        out[name] = {tuple(row) for row in conn.execute(select(*pk))}
    return out


def seed_world(tdb: TeamDb, who: str, tag: str) -> None:
    """A client of ``who`` with something in every client-data table."""
    actor = tdb.actor(who)
    with tdb.db.uow(actor.id) as uow:
        s = uow.session
        pipeline = s.scalar(select(Pipeline.id))
        stage = s.scalar(select(Stage.id).where(Stage.pipeline_id == pipeline))
        field = s.scalar(select(CustomField.id).where(CustomField.code == "inn"))
        if field is None:
            cf = CustomField(entity_kind="client", code="inn", label="INN", value_type="text")
            s.add(cf)
            s.flush()
            field = cf.id
        client = Client(name=f"ООО {tag}", owner_id=actor.id)
        lead = Lead(name=f"Лид {tag}", owner_id=actor.id)
        s.add_all([client, lead])
        s.flush()
        contact = Contact(full_name=f"Контакт {tag}", client_id=client.id)
        deal = Deal(
            title=f"Сделка {tag}",
            pipeline_id=pipeline,
            stage_id=stage,
            owner_id=actor.id,
            client_id=client.id,
        )
        s.add_all([contact, deal])
        s.flush()
        s.add(
            ContactPoint(
                kind="email",
                raw=f"{tag}@example.test",
                normalized=f"{tag}@example.test",
                client_id=client.id,
            )
        )
        interaction = Interaction(
            type="call",
            direction="out",
            state="done",
            start_local=NOW.replace(tzinfo=None),
            start_tz="UTC",
            start_utc=NOW,
            owner_id=actor.id,
            client_id=client.id,
            deal_id=deal.id,
            subject=f"Звонок {tag}",
            source_kind="email",
            source_key=tag,
        )
        note = Note(client_id=client.id, author_id=actor.id, body=f"Заметка {tag}")
        s.add_all([interaction, note])
        s.flush()
        s.execute(
            interaction_contacts.insert().values(
                interaction_id=interaction.id, contact_id=contact.id
            )
        )
        s.execute(note_mentions.insert().values(note_id=note.id, user_id=actor.id))
        s.add_all(
            [
                Task(
                    client_id=client.id,
                    title=f"Задача {tag}",
                    assignee_id=actor.id,
                    author_id=actor.id,
                ),
                Attachment(
                    client_id=client.id,
                    interaction_id=interaction.id,
                    filename="счёт.pdf",
                    mime_type="application/pdf",
                    size=1,
                    sha256="0" * 64,
                    path=f"a/{tag}",
                ),
                Memo(
                    object_kind="client",
                    object_id=client.id,
                    body=f"Памятка {tag}",
                    author_id=actor.id,
                ),
                CustomValue(field_id=field, entity_id=client.id, value=f"77{len(tag)}"),
                AiDraftRequest(requested_by=actor.id, client_id=client.id, messages="[]"),
                AddressDecision(
                    user_id=actor.id, kind="email", value=f"{tag}@x.test", decision="never"
                ),
                ImportRun(user_id=actor.id, source=f"{tag}.vcf", pid=1, host="h"),
                PartyShare(client_id=client.id, user_id=actor.id),
                Deputy(absent_id=actor.id, deputy_id=actor.id, until=NOW),
            ]
        )
        account = MailAccount(
            user_id=actor.id,
            email=f"{tag}@corp.test",
            imap_host="h",
            imap_port=993,
            imap_user=tag,
            smtp_host="h",
            smtp_port=587,
            smtp_user=tag,
        )
        s.add(account)
        s.flush()
        folder = MailFolder(account_id=account.id, role="inbox", name="INBOX")
        message = MailMessage(
            account_id=account.id,
            message_key=f"{tag}@m",
            direction="in",
            interaction_id=interaction.id,
        )
        s.add_all([folder, message])
        s.flush()
        s.add_all(
            [
                MailLocation(folder_id=folder.id, uidvalidity=1, uid=1, message_id=message.id),
                MailAddress(message_id=message.id, role="from", address=f"{tag}@example.test"),
                OutboxItem(
                    account_id=account.id,
                    interaction_id=interaction.id,
                    message_key=f"out-{tag}@m",
                    to_addrs=f"{tag}@example.test",
                    send_at=NOW,
                ),
                CallRecord(
                    source="pbx",
                    call_key=tag,
                    started_at=NOW,
                    direction="in",
                    number="+74951234567",
                    raw_number="84951234567",
                    user_id=actor.id,
                    interaction_id=interaction.id,
                ),
            ]
        )
        s.flush()
        source = InboundSource(kind="telegram", name=f"Бот {tag}")
        scenario = Scenario(name=f"Сценарий {tag}", author_id=actor.id)
        s.add_all([source, scenario])
        s.flush()
        request = InboundRequest(
            source_id=source.id,
            channel="telegram",
            source_key=f"tg:{tag}",
            received_at=NOW,
            owner_id=actor.id,
            client_id=client.id,
        )
        run = ScenarioRun(
            scenario_id=scenario.id,
            client_id=client.id,
            contact_id=contact.id,
            started_by=actor.id,
            tz="UTC",
            country="RU",
        )
        s.add_all([request, run])
        s.flush()
        s.add_all(
            [
                InboundOriginal(
                    request_id=request.id, content_type="application/json", data=b"{}", size=2
                ),
                SupportTicket(
                    number=len(tag) * 1000 + client.id,
                    subject=f"Обращение {tag}",
                    owner_id=actor.id,
                    client_id=client.id,
                ),
                ScenarioRunStep(
                    run_id=run.id, position=1, interaction_id=interaction.id, due_utc=NOW
                ),
            ]
        )
        uow.commit()


@contextmanager
def as_login(tdb: TeamDb, who: str) -> Iterator[Connection]:
    """A connection of ``who``'s own login; rolled back at the end."""
    with tdb.engine(who).connect() as conn:
        try:
            yield conn
        finally:
            conn.rollback()


def user_id(tdb: TeamDb, who: str) -> int:
    with tdb.db.reader() as uow:
        found = uow.session.scalar(select(User.id).where(User.login == tdb.logins[who]))
    assert found is not None
    return found
