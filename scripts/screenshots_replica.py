"""Screenshots of working offline (issue #20) at 1366×768 in English and
Russian: the status bar's sync indicator online and offline, a card with
its conflict banner and feed, the conflict list (refusals worded from their
error codes, a record by its name), Settings → Database, and its copy under
way with progress, the "Stop working offline" question with pending changes
and a scenario run (replica-stop), the client list offline (replica-offline)
and the composer with mail offline (replica-compose).

The demo database of scripts/screenshot_demo.py is made to look like a replica
of a team server (its sync_state, two conflicts, pending and refused
changes written as a sync leaves them); a loopback listener plays the
server answering the knock, and is closed for the offline picture.

    .venv/bin/python scripts/screenshots_replica.py     # into screenshots/
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot_rig as rig

NODE = "laptop0anna"


def as_replica(url: str, client_id: int, port: int) -> None:
    """sync_state, conflicts and the change log as a real sync leaves them."""
    from models import Client, SyncConflict, SyncLog, SyncState, User
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.sync.clock import Hlc

    now = dt.datetime.now(dt.UTC)
    db = open_database(url)
    with db.uow() as uow:
        s = uow.session
        actor = bootstrap.actor_for(uow)
        client = s.get(Client, client_id)
        assert client is not None
        colleague = s.query(User).filter(User.id != actor.id).first()
        state = {
            "node": NODE,
            "server_url": f"postgresql+psycopg://anna@127.0.0.1:{port}/touchpoint",
            "login": "anna",
            "cursor": "18240",
            "last_pull_at": (now - dt.timedelta(minutes=5)).isoformat(),
            "last_push_at": (now - dt.timedelta(minutes=5)).isoformat(),
        }
        for key, value in state.items():
            s.merge(SyncState(key=key, value=value))

        def clock(hours: float) -> str:
            wall = int((now - dt.timedelta(hours=hours)).timestamp() * 1000)
            return Hlc(wall, 0, NODE).encode()

        theirs_user = colleague.id if colleague is not None else None
        s.add_all(
            [
                SyncConflict(
                    kind="client",
                    uid=client.uid,
                    field="address",
                    mine=json.dumps({"address": "Москва, ул. Полевая, 12, офис 4"}),
                    theirs=json.dumps({"address": "Москва, Складской пр., 3"}),
                    mine_hlc=clock(26),
                    theirs_hlc=clock(3),
                    mine_user_id=actor.id,
                    theirs_user_id=theirs_user,
                ),
                SyncConflict(
                    kind="client",
                    uid=client.uid,
                    field="name",
                    mine=json.dumps({"name": client.name + " (филиал)"}),
                    theirs=json.dumps({"name": client.name}),
                    mine_hlc=clock(5),
                    theirs_hlc=clock(1),
                    mine_user_id=actor.id,
                    theirs_user_id=theirs_user,
                ),
            ]
        )
        for n, field in enumerate(("address", "region", "timezone")):
            s.add(
                SyncLog(
                    op_uid=f"00000000-0000-7000-8000-00000000000{n}",
                    kind="client",
                    uid=client.uid,
                    field=field,
                    value=json.dumps("…"),
                    hlc=clock(2 - n * 0.1),
                )
            )
        # Refused as the server words it: the English sentence for the CLI,
        # the code and params from which the window words it (#20).
        s.add(
            SyncLog(
                op_uid="00000000-0000-7000-8000-0000000000fe",
                kind="client",
                uid=client.uid,
                field="region",
                value=json.dumps({"region": "ZZ"}),
                hlc=clock(31),
                state="refused",
                reason="Unknown region 'ZZ': use a two-letter country code",
                code="parties.records.unknown_region_use_two",
                params=json.dumps({"region": "'ZZ'"}),
            )
        )
        s.add(
            SyncLog(
                op_uid="00000000-0000-7000-8000-0000000000ff",
                kind="client",
                uid=client.uid,
                field="address",
                value=json.dumps({"address": "x" * 400}),
                hlc=clock(30),
                state="refused",
                reason="address is longer than 300 characters",
                code="sync.apply.too_long",
                params=json.dumps({"field": "address", "limit": "300"}),
            )
        )
        more_refusals(s, client, clock)
        uow.commit()
    db.dispose()


def more_refusals(s: Any, client: Any, clock: Any) -> None:
    """A refused contact person of an interaction (named by the interaction)
    and a refusal naming a deal by the server's id (named as the laptop names
    it), as the conflict list words them."""
    from sqlalchemy import select

    from models import Contact, Deal, Interaction, SyncLog

    interaction = s.scalars(
        select(Interaction).where(Interaction.client_id == client.id).order_by(Interaction.id)
    ).first()
    contact = s.scalars(select(Contact).where(Contact.client_id == client.id)).first()
    deal = s.scalars(select(Deal).where(Deal.client_id == client.id)).first()
    if interaction is not None and contact is not None:
        s.add(
            SyncLog(
                op_uid="00000000-0000-7000-8000-0000000000fd",
                kind="interaction_contact",
                uid=f"{interaction.uid}:{contact.uid}",
                field="",
                value=json.dumps({"interaction_id": interaction.uid, "contact_id": contact.uid}),
                hlc=clock(29),
                state="refused",
                reason="The record names another that is not on the server or not yours to see",
                code="sync.apply.missing_reference",
                params="{}",
            )
        )
    if interaction is not None and deal is not None:
        s.add(
            SyncLog(
                op_uid="00000000-0000-7000-8000-0000000000fc",
                kind="interaction",
                uid=interaction.uid,
                field="deal_id",
                value=json.dumps({"deal_id": deal.uid}),
                hlc=clock(28),
                state="refused",
                reason=f"Deal {deal.id + 4700} belongs to another client or lead",
                code="interactions.actions.deal_belongs_another_client",
                params=json.dumps(
                    {
                        "deal_id": str(deal.id + 4700),
                        "deal_id_uid": deal.uid,
                        "deal_id_kind": "deal",
                    }
                ),
            )
        )


def add_run(url: str) -> None:
    """A live scenario run this laptop executes: the hand-back dialog says the
    runs still go to the server."""
    from sqlalchemy import select, update

    from models import Contact, ScenarioRun
    from services.core import bootstrap
    from services.core.storage import open_database
    from services.scenarios import use_cases as scenarios
    from services.scenarios.store import StepSpec

    db = open_database(url)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        client_id, contact_id = uow.session.execute(
            select(Contact.client_id, Contact.id)
            .where(Contact.client_id.is_not(None))
            .order_by(Contact.id)
        ).first()
    made = scenarios.add_scenario(
        db, actor, "Новый клиент", [StepSpec("call", 1, 11 * 60, "Звонок")]
    ).value
    scenarios.apply_scenario(db, actor, made.id, client_id, contact_id)
    with db.uow() as uow:
        uow.session.execute(update(ScenarioRun).values(executor=NODE))
        uow.commit()
    db.dispose()


def take(url: str, client_id: int, out: Path, language: str, server: socket.socket) -> None:
    port = server.getsockname()[1]

    def on_replica(prefs: Any) -> None:
        prefs.replica_url = url  # the app runs on the replica
        prefs.database_url = f"postgresql+psycopg://anna@127.0.0.1:{port}/touchpoint"

    with rig.window(url, language, prefs=on_replica, settle_ms=0) as (window, parts):
        assert parts.replica is not None
        parts.replica.check_online()  # the listener answers the knock: online
        rig.wait(1200)
        suffix = rig.suffix(language)
        window.open_card("client", client_id)
        rig.wait(1200)
        rig.shoot(out / f"replica-card{suffix}.png")
        bar: Any = window.statusBar()
        bar.replica.conflicts_requested.emit()
        rig.wait(800)
        dialog = bar.conflicts_dialog
        dialog.move(200, 60)
        rig.shoot(out / f"replica-conflicts{suffix}.png")
        dialog.reject()
        window.workspace.close_current()
        window.navigation.select("settings")
        settings = window.panels["settings"]
        settings.tabs.setCurrentWidget(settings.database_page)
        rig.wait(800)
        rig.shoot(out / f"settings-database-replica{suffix}.png")
        section = settings.database_page.replica
        section.stop()  # pending changes and a scenario run: the hand-back question
        rig.wait(300)
        section.box.move(380, 200)
        rig.shoot(out / f"replica-stop{suffix}.png")
        section.box.reject()
        copying(section, window.prefs)
        rig.wait(300)
        rig.shoot(out / f"settings-replica-copy{suffix}.png")


def copying(section: Any, prefs: Any) -> None:
    """The section as it shows a copy under way (a copy of 10,012 records,
    4,500 done): what ``start`` and the copy's progress reports show."""
    from services.sync.copying import CopyProgress

    prefs.replica_url = ""  # as before "Work offline on this laptop"
    section.busy = True
    section._show()
    section.progress.setVisible(True)
    section.progress_text.setVisible(True)
    section.cancel_button.setVisible(True)
    section.message.setText(
        section.tr("Copying what %1 may see from the server… Keep Touchpoint open.").replace(
            "%1", "anna"
        )
    )
    total = {"user": 12, "client": 1000, "contact": 2000, "contact_point": 1000, "deal": 1000}
    total |= {"interaction": 4000, "note": 1000}
    done = {"user": 12, "client": 1000, "contact": 2000, "contact_point": 988, "deal": 500}
    section._on_copy_progressed(
        CopyProgress(
            tuple((k, done.get(k, 0)) for k in total),
            tuple(total.items()),
        )
    )


def take_offline(url: str, client_id: int, out: Path, language: str, port: int) -> None:
    """The server gone: a sync finds nobody there and the bar says so (over
    the client list)."""

    def on_laptop(prefs: Any) -> None:
        prefs.database_url = f"postgresql+psycopg://anna@127.0.0.1:{port}/touchpoint"

    with rig.window(url, language, prefs=on_laptop, settle_ms=0) as (window, parts):
        assert parts.replica is not None
        parts.replica.check_online()  # as the app starts: nobody listens any more
        parts.mail.sync_now(1)  # the demo mailbox's closed port: mail offline too
        rig.wait(1500)
        parts.replica.sync_now()  # F9: still nobody
        rig.wait(2500)
        suffix = rig.suffix(language)
        rig.shoot(out / f"replica-offline{suffix}.png")
        window.open_card("client", client_id)
        rig.wait(1200)
        card: Any = window.workspace.currentWidget()
        card.write_to(card.data.points[-1].normalized)  # offline: the letter waits
        rig.wait(800)
        rig.shoot(out / f"replica-compose{suffix}.png")
        card.dialog.reject()


def shoot_all(url: str, big_client: int, out: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        add_run(url)
        as_replica(url, big_client, port)
        for language in rig.LANGUAGES:
            take(url, big_client, out, language, server)
    for language in rig.LANGUAGES:
        take_offline(url, big_client, out, language, port)


def main() -> int:
    return rig.run_shots(__doc__, shoot_all, clients=30)


if __name__ == "__main__":
    sys.exit(main())
