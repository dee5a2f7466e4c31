"""The replica rig as a fixture: two laptops and a team server (#20).

Registered as a plugin by tests/conftest.py, so every replica test module
(tests/integration/test_replica_*.py, tests/ui/test_replica_*.py) gets the
same ``rig`` without a copy of its own: a fresh PostgreSQL database from
the session's template with a login per colleague, the laptops' SQLite
replicas in the test's folder (tests/integration/replica_rig.py), all
closed after the test; ``world`` adds the scenario world on it
(tests/integration/replica_scenario_world.py). The imports wait for the
first use, so a run that needs no PostgreSQL loads none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.integration.replica_rig import Rig
    from tests.integration.replica_scenario_world import World


@pytest.fixture
def rig(pg_admin_url: str, pg_template: str, tmp_path: Path) -> Iterator[Rig]:
    from tests.conftest import _fresh_pg
    from tests.integration.replica_rig import make_rig
    from tests.integration.team_rls_helpers import make_team

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    made = make_rig(tdb, tmp_path)
    yield made
    made.dispose()
    tdb.dispose()


@pytest.fixture
def world(rig: Rig) -> World:
    from tests.integration.replica_scenario_world import scenario_world

    return scenario_world(rig)
