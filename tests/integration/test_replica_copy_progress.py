"""The first copy of a replica reports its progress per kind and stops
between batches when asked (#20); the next try goes on from there and ends
with the same copy as one made in a single go. Real PostgreSQL under a
manager's login (row-level security decides what is counted and copied)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.core.storage import open_database
from services.parties import use_cases as parties
from services.sync.copying import CopyCancelled, CopyProgress, Watch
from services.sync.use_cases import init_replica, status
from tests.integration.replica_rig import snapshot
from tests.integration.team_rls_helpers import TeamDb, make_team

pytestmark = pytest.mark.postgres


@pytest.fixture
def tdb(pg_admin_url: str, pg_template: str) -> Iterator[TeamDb]:
    from tests.conftest import _fresh_pg

    made = make_team(_fresh_pg(pg_admin_url, pg_template))
    anna, boris = made.actor("anna"), made.actor("boris")
    for n in range(6):
        client = parties.add_client(made.db, anna, f"ООО «Анна {n}»").value
        parties.add_contact(made.db, anna, f"Контакт {n}", client_id=client.id)
    parties.add_client(made.db, boris, "ООО «Чужой»")  # another department's
    yield made
    made.dispose()


def test_the_copy_reports_per_kind_and_a_cancelled_copy_resumes(
    tdb: TeamDb, tmp_path: Path
) -> None:
    url = tdb.url_of("anna")
    seen: list[CopyProgress] = []
    init_replica(
        tmp_path / "whole.sqlite3", url, tdb.logins["anna"], batch=4, watch=Watch(seen.append)
    )
    assert seen[0].copied_all == 0
    assert seen[-1].copied == seen[-1].total
    total = dict(seen[-1].total)
    assert total["client"] == 6  # not the other department's
    assert total["contact"] == 6
    assert [p.copied_all for p in seen] == sorted(p.copied_all for p in seen)
    assert len(seen) > 3

    reports: list[CopyProgress] = []
    stop = Watch(reports.append, lambda: len(reports) >= 3)
    part = tmp_path / "part.sqlite3"
    with pytest.raises(CopyCancelled):
        init_replica(part, url, tdb.logins["anna"], batch=4, watch=stop)
    assert 0 < reports[-1].copied_all < reports[-1].total_all
    halfway = open_database(f"sqlite:///{part}")
    try:
        assert status(halfway).is_replica
        assert len(snapshot(halfway)) < len(snapshot_of(tmp_path / "whole.sqlite3"))
    finally:
        halfway.dispose()

    init_replica(part, url, tdb.logins["anna"], batch=4)  # the next try
    assert snapshot_of(part) == snapshot_of(tmp_path / "whole.sqlite3")


def snapshot_of(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    db = open_database(f"sqlite:///{path}")
    try:
        return snapshot(db)
    finally:
        db.dispose()
