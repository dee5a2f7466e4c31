"""A task's history is read by whoever sees the task: its assignee too,
without seeing its card (SQLite: the use case; a team PostgreSQL: the use
case under each login's own row-level security, migration 0050); nobody
else, and a removed task's only by who sees its card."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.core import history
from services.core.access import Actor, PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.interactions import use_cases as interactions
from services.parties import use_cases as parties
from tests.conftest import Team
from tests.integration.team_fixtures import logins_fixture, team_fixture  # noqa: F401 - fixtures
from tests.integration.team_rls_helpers import TeamDb, user_id
from tests.integration.test_record_policy_probes import _migrate

TITLE = "Позвонить Ёжикову насчёт договора"


def _read(db: Database, actor: Actor, task: int) -> set[tuple[str | None, str]]:
    with db.reader() as uow:
        return {(e.user, e.field) for e in history.history(uow, actor, "task", task)}


def test_the_assignee_reads_the_history_of_a_task_on_a_card_they_do_not_see(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    """Anna gives Boris a task on her client; he reads its whole history
    (her "created", his completion); a task she keeps is still refused to
    him. Fails on the old code (PermissionDenied for Boris, checked)."""
    anna, boris = sqlite_team.anna, sqlite_team.boris
    client = parties.add_client(sqlite_db, anna, "ООО «Ёлочка»").value.id
    given = interactions.add_task(
        sqlite_db, anna, "client", client, TITLE, assignee_id=boris.id
    ).value
    kept = interactions.add_task(sqlite_db, anna, "client", client, "Своя задача").value
    interactions.complete_task(sqlite_db, boris, given)

    lines = _read(sqlite_db, boris, given)
    assert lines == _read(sqlite_db, anna, given)
    assert {u for u, _f in lines} == {anna.full_name, boris.full_name}
    assert "created" in {f for _u, f in lines}
    assert len(lines) >= 2
    with pytest.raises(PermissionDenied):
        _read(sqlite_db, boris, kept)
    interactions.remove_task(sqlite_db, anna, given)
    with pytest.raises(PermissionDenied):  # removed: its card's readers only
        _read(sqlite_db, boris, given)
    assert _read(sqlite_db, anna, given)


def _fields(team: TeamDb, db: Database, who: str, task: int) -> list[tuple[int | None, str]]:
    with db.reader() as uow:
        return sorted((e.id, e.field) for e in history.history(uow, team.actor(who), "task", task))


@pytest.mark.postgres
def test_on_the_team_server_the_assignee_reads_every_line_and_a_colleague_none(
    team: TeamDb, logins: dict[str, Database]
) -> None:
    """Under Boris's own login the policy shows him Anna's lines of the task
    she gave him (before 0050 only his own); Boris sees none of a task she
    kept, nor its lines by a raw read. Down to 0049 the lines hide again."""
    anna = team.actor("anna")
    client = parties.add_client(logins["anna"], anna, "ООО «Ромашка»").value.id
    boris = user_id(team, "boris")
    given = interactions.add_task(
        logins["anna"], anna, "client", client, TITLE, assignee_id=boris
    ).value
    kept = interactions.add_task(logins["anna"], anna, "client", client, "Своя задача").value
    interactions.complete_task(logins["boris"], team.actor("boris"), given)

    everything = _fields(team, logins["anna"], "anna", given)
    assert len(everything) >= 2
    assert _fields(team, logins["boris"], "boris", given) == everything
    with pytest.raises((PermissionDenied, NotFoundError)):
        _fields(team, logins["boris"], "boris", kept)
    raw = "SELECT count(*) FROM audit_entries WHERE entity_kind = 'task' AND entity_id = :t"
    with logins["boris"].reader() as uow:
        assert uow.session.scalar(text(raw), {"t": kept}) == 0
        assert uow.session.scalar(text(raw), {"t": given}) == len(everything)

    for db in logins.values():
        db.dispose()
    team.db.dispose()
    _migrate(team.url, "downgrade", "0049")
    with logins["boris"].reader() as uow:
        assert uow.session.scalar(text(raw), {"t": given}) < len(everything)
    logins["boris"].dispose()
    _migrate(team.url, "upgrade", "head")
    with logins["boris"].reader() as uow:
        assert uow.session.scalar(text(raw), {"t": given}) == len(everything)
