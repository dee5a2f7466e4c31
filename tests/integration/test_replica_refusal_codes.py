"""A refused push keeps its error code and params (#20, migration 0033).

The server stores the refusal's code and params in ``sync_applied`` next
to its English sentence, the laptop in its refused ``sync_log`` rows, and
both reach the sync report, the conflict list's refusals and
``replica conflicts --refused --json``; a push answered "already applied"
brings the stored code back. Rows refused before 0033 keep their sentence
only. Real PostgreSQL under the manager's login, an SQLite replica.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from models import Client, SyncApplied
from models.sync import SyncLog
from services.parties import edit_cases
from services.sync import refused
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig

pytestmark = pytest.mark.postgres

REGION_CODE = "parties.records.unknown_region_use_two"


def _bad_region_offline(rig: Rig) -> None:
    """A laptop that skipped the use case (an old build, a hand-edited file)."""
    with rig.laptop["anna"].uow(rig.local_actor("anna").id) as uow:
        row = uow.session.scalar(select(Client).where(Client.uid == rig.client_uid))
        assert row is not None
        row.region = "ZZ"
        uow.commit()


def _laptop_refused(rig: Rig) -> list[tuple[str, str | None, str | None]]:
    with rig.laptop["anna"].reader() as uow:
        return [
            (r.field, r.code, r.params)
            for r in uow.session.scalars(select(SyncLog).where(SyncLog.state == "refused"))
        ]


def test_a_refusal_keeps_its_code_and_params_on_both_sides(rig: Rig) -> None:
    _bad_region_offline(rig)

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert refusal.reason == "Unknown region 'ZZ': use a two-letter country code"
    assert refusal.code == REGION_CODE
    assert refusal.params == {"region": "'ZZ'"}
    with rig.server["admin"].reader() as uow:
        applied = uow.session.execute(
            select(SyncApplied.outcome, SyncApplied.code, SyncApplied.params)
        ).one()
    assert applied.outcome == "refused"
    assert applied.code == REGION_CODE
    assert json.loads(applied.params or "") == {"region": "'ZZ'"}
    assert _laptop_refused(rig) == [("region", REGION_CODE, '{"region": "\'ZZ\'"}')]
    [listed] = refused.refusals(rig.laptop["anna"])
    assert (listed.code, listed.params, listed.label) == (
        REGION_CODE,
        {"region": "'ZZ'"},
        refusal.label,
    )


def test_a_push_answered_already_applied_brings_the_stored_code_back(rig: Rig) -> None:
    _bad_region_offline(rig)
    sync(rig.laptop["anna"], rig.server["anna"])
    # The laptop died after the server refused, before it marked its rows.
    with rig.laptop["anna"].engine.begin() as conn:
        conn.execute(update(SyncLog).values(state="pending", reason=None, code=None, params=None))

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert refusal.code == REGION_CODE
    assert refusal.params == {"region": "'ZZ'"}
    assert _laptop_refused(rig)[0][1] == REGION_CODE


def test_a_change_on_a_card_handed_away_is_refused_with_the_access_code(rig: Rig) -> None:
    actor = rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    edit_cases.edit_client(rig.laptop["anna"], actor, client_id, address="Казань, ул. Пушкина, 5")
    edit_cases.edit_client(
        rig.server["admin"],
        rig.actor("admin"),
        rig.local_id("admin", "client", rig.client_uid),
        owner=rig.actor("boris").id,
    )

    report = sync(rig.laptop["anna"], rig.server["anna"])

    [refusal] = report.refused
    assert refusal.code in {
        "sync.apply.not_found",
        "core.access.belongs_another_manager",
        "sync.apply.database",
    }, refusal


def test_a_row_refused_before_codes_were_kept_keeps_its_sentence(rig: Rig) -> None:
    _bad_region_offline(rig)
    sync(rig.laptop["anna"], rig.server["anna"])
    with rig.laptop["anna"].engine.begin() as conn:
        conn.execute(update(SyncLog).values(code=None, params=None))

    [listed] = refused.refusals(rig.laptop["anna"])

    assert listed.code == ""
    assert listed.params == {}
    assert listed.reason == "Unknown region 'ZZ': use a two-letter country code"
