"""Every sync compares the replica's and the server's schema revision (#20).

Either side may be upgraded after the replica was made; a sync across two
revisions stops before it pushes or pulls anything and says which side to
update. Real PostgreSQL, a laptop replica, the revision moved on the server
as the administrator's ``admin migrate`` (or an older server) would leave it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from models import Client
from services.core import migrations
from services.parties import edit_cases
from services.sync import schema
from services.sync.use_cases import status, sync
from tests.integration.replica_rig import Rig, log_rows, snapshot

pytestmark = pytest.mark.postgres


def _server_at(rig: Rig, revision: str) -> None:
    with rig.tdb.db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def _offline_edit(rig: Rig) -> None:
    actor = rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    edit_cases.edit_client(rig.laptop["anna"], actor, client_id, address="Самара, ул. Ленина, 3")


def _server_name(rig: Rig, name: str) -> None:
    actor = rig.actor("admin")
    client_id = rig.local_id("admin", "client", rig.client_uid)
    edit_cases.edit_client(rig.server["admin"], actor, client_id, name=name)


def _laptop_client(rig: Rig) -> tuple[str, str | None]:
    with rig.laptop["anna"].reader() as uow:
        row = uow.session.execute(
            select(Client.name, Client.address).where(Client.uid == rig.client_uid)
        ).one()
    return row.name, row.address


@pytest.mark.parametrize(
    ("server_revision", "error", "words"),
    [
        ("9999", schema.LaptopBehind, "update Touchpoint on this laptop"),
        ("older", schema.ServerBehind, "the administrator updates the server"),
    ],
)
def test_a_sync_across_two_schema_revisions_pushes_and_pulls_nothing(
    rig: Rig, server_revision: str, error: type[Exception], words: str
) -> None:
    head = migrations.head_revision()
    assert head is not None
    if server_revision == "older":
        server_revision = schema.order()[-2]  # the server was not migrated yet
    _offline_edit(rig)
    _server_name(rig, "ООО «Ромашка-Север»")
    server_before = snapshot(rig.server["admin"])
    log_before = log_rows(rig.laptop["anna"])
    _server_at(rig, server_revision)

    with pytest.raises(error) as caught:
        sync(rig.laptop["anna"], rig.server["anna"])

    assert words in str(caught.value)
    assert caught.value.params == {"server": server_revision, "local": head}  # type: ignore[attr-defined]
    assert snapshot(rig.server["admin"]) == server_before  # nothing pushed
    assert log_rows(rig.laptop["anna"]) == log_before  # still pending
    assert _laptop_client(rig) == ("ООО «Ромашка»", "Самара, ул. Ленина, 3")  # nothing pulled
    assert status(rig.laptop["anna"]).pending == len(log_before)

    _server_at(rig, head)  # the side behind was updated
    report = sync(rig.laptop["anna"], rig.server["anna"])
    assert report.pushed == 1
    assert not report.refused
    assert _laptop_client(rig) == ("ООО «Ромашка-Север»", "Самара, ул. Ленина, 3")


def test_the_comparison_knows_which_side_is_behind() -> None:
    known = schema.order()
    assert known[-1] == migrations.head_revision()
    assert known.index("0025") < known.index("0031")
    schema.compare(known[-1], known[-1])
    with pytest.raises(schema.ServerBehind):
        schema.compare("0025", known[-1])
    with pytest.raises(schema.LaptopBehind):
        schema.compare("9999", known[-1])
    with pytest.raises(schema.LaptopBehind):
        schema.compare(known[-1], "0025")
