"""A manager's ordinary saves on the team database, through their own login
(#19): a client with a phone and an email, and a number added to it later.
The save runs the linking job narrowed to the new addresses; that run once
wrote the shared settings, which a manager's login may not, so every such
save was refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from models import ContactPoint, Setting
from services.core.storage import open_database
from services.parties import use_cases as creating
from tests.integration.team_rls_helpers import TeamDb, make_team

pytestmark = pytest.mark.postgres


@pytest.fixture
def team_db(pg_admin_url: str, pg_template: str) -> Iterator[TeamDb]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    yield tdb
    tdb.dispose()


def _settings(tdb: TeamDb) -> dict[str, str]:
    with tdb.db.reader() as uow:
        return {s.key: s.value for s in uow.session.scalars(select(Setting))}


def test_a_manager_saves_a_client_with_a_phone_and_adds_a_number(team_db: TeamDb) -> None:
    before = _settings(team_db)
    anna = open_database(team_db.url_of("anna"), upgrade=False)
    actor = team_db.actor("anna")
    try:
        made = creating.add_client(
            anna, actor, "ООО «Полевая»", phones=["+7 701 123 45 67"], emails=["анна@пример.рф"]
        ).value
        creating.add_point(anna, actor, "phone", "+7 702 765 43 21", "client", made.id)
    finally:
        anna.dispose()
    with team_db.db.reader() as uow:
        points = set(
            uow.session.scalars(
                select(ContactPoint.normalized).where(ContactPoint.client_id == made.id)
            )
        )
    assert len(points) == 3
    assert {"+77011234567", "+77027654321"} < points
    # The narrowed runs leave the full run's schedule alone.
    assert _settings(team_db) == before
