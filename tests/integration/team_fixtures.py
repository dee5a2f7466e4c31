"""A fresh team database and a connection per login, as fixtures a test
module takes by importing them (``team``, ``logins``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.core.storage import Database, open_database
from tests.integration.team_rls_helpers import TeamDb, make_team


@pytest.fixture(name="team")
def team_fixture(pg_admin_url: str, pg_template: str) -> Iterator[TeamDb]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    yield tdb
    tdb.dispose()


@pytest.fixture(name="logins")
def logins_fixture(team: TeamDb) -> Iterator[dict[str, Database]]:
    """The app's storage as each login of the team."""
    dbs = {who: open_database(team.url_of(who), upgrade=False) for who in team.logins}
    yield dbs
    for db in dbs.values():
        db.dispose()
