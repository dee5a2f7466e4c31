"""The laptop's week away for ``bench/replica.py``: the records or the
mixed changes made offline on the replica, one user action (one unit of
work) each, which the sync then pushes.

Apart from the measurements so that what the laptop did, and what the
baseline must write again, is read in one place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from replica_server import START
from sqlalchemy import select

from models import Client, Contact, ContactPoint, CustomField, Interaction, Note, Task
from services.core import bootstrap
from services.core.storage import open_database
from services.parties import custom_fields

OFFLINE_KINDS = ("contact", "contact_point", "interaction", "note", "task")


def offline_week(path: Path, login: str, records: int) -> None:
    """A week on the laptop: per action (one unit of work) a new contact
    person with a number, a logged call, a note and a task on one of the
    manager's clients; five records an action."""
    replica = open_database(f"sqlite:///{path}")
    with replica.reader() as uow:
        me = bootstrap.actor_for(uow, login)
        clients = list(uow.session.scalars(select(Client.id).order_by(Client.id)))
    for n in range(records // len(OFFLINE_KINDS)):
        client_id = clients[n % len(clients)]
        when = START + dt.timedelta(days=7, minutes=n)
        with replica.uow(me.id) as uow:
            s = uow.session
            contact = Contact(full_name=f"Новый контакт {n}", client_id=client_id)
            s.add(contact)
            s.flush()
            s.add_all(
                [
                    ContactPoint(
                        kind="phone",
                        raw=f"+7 495 {n:07d}",
                        normalized=f"+7495{n:07d}",
                        contact_id=contact.id,
                    ),
                    Interaction(
                        type="meeting",
                        direction="none",
                        state="done",
                        start_local=when.replace(tzinfo=None),
                        start_tz="UTC",
                        start_utc=when,
                        owner_id=me.id,
                        client_id=client_id,
                        subject=f"Встреча {n}",
                    ),
                    Note(client_id=client_id, author_id=me.id, body=f"Итоги встречи {n}"),
                    Task(
                        client_id=client_id,
                        title=f"Отправить КП {n}",
                        assignee_id=me.id,
                        author_id=me.id,
                    ),
                ]
            )
            uow.commit()
    replica.dispose()


CHANGE_KINDS = (
    "client address",
    "new contact",
    "meeting",
    "note",
    "task",
    "call subject",
    "value set",
    "value cleared",
)


def offline_changes(path: Path, login: str, changes: int) -> dict[str, dict[str, list[Any]]]:
    """The issue's week: ``changes`` user actions of mixed kinds, one unit of
    work each (CHANGE_KINDS in rotation). Returns what it did for the
    baseline: per table, the uids made, the uids edited (with the columns)
    and the keys of the rows removed."""
    replica = open_database(f"sqlite:///{path}")
    with replica.reader() as uow:
        s = uow.session
        me = bootstrap.actor_for(uow, login)
        clients = list(s.scalars(select(Client.id).order_by(Client.id)))
        calls = list(s.scalars(select(Interaction.id).order_by(Interaction.id)))
        field_id = s.scalar(select(CustomField.id).where(CustomField.code == "visit"))
        assert field_id is not None
    done: dict[str, dict[str, list[Any]]] = {}

    def note(table: str, what: str, item: Any) -> None:
        done.setdefault(table, {}).setdefault(what, []).append(item)

    valued: list[int] = []
    for n in range(changes):
        what = CHANGE_KINDS[n % len(CHANGE_KINDS)]
        client_id = clients[(n // len(CHANGE_KINDS)) % len(clients)]
        when = START + dt.timedelta(days=7, minutes=n)
        with replica.uow(me.id) as uow:
            s = uow.session
            if what == "client address":
                client = s.get(Client, client_id)
                assert client is not None
                client.address = f"Новый адрес {n}"
                note("clients", "edited", (client.uid, ("address",)))
            elif what == "new contact":
                contact = Contact(full_name=f"Новый контакт {n}", client_id=client_id)
                s.add(contact)
                s.flush()
                point = ContactPoint(
                    kind="phone",
                    raw=f"+7 495 {n:07d}",
                    normalized=f"+7495{n:07d}",
                    contact_id=contact.id,
                )
                s.add(point)
                s.flush()
                note("contacts", "made", contact.uid)
                note("contact_points", "made", point.uid)
            elif what == "meeting":
                meeting = Interaction(
                    type="meeting",
                    direction="none",
                    state="done",
                    start_local=when.replace(tzinfo=None),
                    start_tz="UTC",
                    start_utc=when,
                    owner_id=me.id,
                    client_id=client_id,
                    subject=f"Встреча {n}",
                )
                s.add(meeting)
                s.flush()
                note("interactions", "made", meeting.uid)
            elif what == "note":
                made_note = Note(client_id=client_id, author_id=me.id, body=f"Итоги встречи {n}")
                s.add(made_note)
                s.flush()
                note("notes", "made", made_note.uid)
            elif what == "task":
                task = Task(
                    client_id=client_id,
                    title=f"Отправить КП {n}",
                    assignee_id=me.id,
                    author_id=me.id,
                )
                s.add(task)
                s.flush()
                note("tasks", "made", task.uid)
            elif what == "call subject":
                call = s.get(Interaction, calls[(n // len(CHANGE_KINDS)) % len(calls)])
                assert call is not None
                call.subject = f"Звонок, итог {n}"
                note("interactions", "edited", (call.uid, ("subject",)))
            elif what == "value set":
                custom_fields.set_values(uow, "client", client_id, {"visit": f"Визит {n}"})
                valued.append(client_id)
                note("custom_values", "made", (field_id, client_id))
            else:  # value cleared: the one set just before, a hard deletion
                cleared = valued.pop()
                custom_fields.set_values(uow, "client", cleared, {"visit": ""})
                note("custom_values", "removed", (field_id, cleared))
            uow.commit()
    replica.dispose()
    return done
