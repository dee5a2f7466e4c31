"""The replica's sync job as the scheduler sees it: none on a database that
is no replica, due at once when it never synced, five minutes after the
last pull, and an unanswering server backs off 1, 2, 4 … minutes (at most
the interval) instead of retrying every tick."""

from __future__ import annotations

import datetime as dt

import pytest

from models import SyncState
from services.core import scheduler
from services.core.errors import EnvironmentFault
from services.core.storage import Database
from services.jobs import registry, runs
from services.jobs.registry import Scope
from services.sync import scheduled

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def _state(db: Database, **values: str) -> None:
    with db.uow() as uow:
        for key, value in values.items():
            uow.session.merge(SyncState(key=key, value=value))
        uow.commit()


def _specs(db: Database) -> list[scheduler.JobSpec]:
    with db.reader() as uow:
        return [s for s in registry.find_all(uow, Scope()) if s.kind == scheduled.KEY]


def test_no_job_on_a_database_that_is_no_replica(sqlite_db: Database) -> None:
    assert _specs(sqlite_db) == []
    with sqlite_db.reader() as uow:
        assert all(s.kind != scheduled.KEY for s in runs.plan(uow, Scope(), NOW))


def test_due_at_once_then_every_five_minutes(sqlite_db: Database) -> None:
    _state(sqlite_db, server_url="postgresql+psycopg://ирина@crm.example.test/team")
    (spec,) = _specs(sqlite_db)
    assert spec.wanted_at == scheduler.ASAP
    assert spec.lane == "replica"
    _state(sqlite_db, last_pull_at=(NOW - dt.timedelta(minutes=2)).isoformat())
    (spec,) = _specs(sqlite_db)
    assert spec.wanted_at == NOW + dt.timedelta(minutes=3)
    with sqlite_db.reader() as uow:
        assert all(s.kind != scheduled.KEY for s in runs.plan(uow, Scope(), NOW))
        later = NOW + dt.timedelta(minutes=3)
        assert any(s.kind == scheduled.KEY for s in runs.plan(uow, Scope(), later))


def test_an_unanswering_server_backs_off(sqlite_db: Database) -> None:
    _state(sqlite_db, server_url="postgresql+psycopg://ирина@crm.example.test/team")
    (spec,) = _specs(sqlite_db)
    waits = []
    for n in range(5):
        with sqlite_db.uow() as uow:
            state = scheduler.record(uow, spec, NOW, error="offline")
            uow.commit()
        assert state.failures == n + 1
        assert state.next_run_at is not None
        waits.append(state.next_run_at - NOW)
        with sqlite_db.reader() as uow:
            assert all(s.kind != scheduled.KEY for s in runs.plan(uow, Scope(), NOW))
    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 5, 5)]


def test_a_damaged_stamp_syncs_at_once(sqlite_db: Database) -> None:
    _state(sqlite_db, server_url="postgresql://ирина@crm/team", last_pull_at="вчера")
    (spec,) = _specs(sqlite_db)
    assert spec.wanted_at == scheduler.ASAP


def _replica(db: Database) -> None:
    _state(db, node="laptop1", server_url="postgresql+psycopg://ирина@127.0.0.1:5999/team")


def test_no_answer_is_offline_and_nothing_is_opened(sqlite_db: Database) -> None:
    _replica(sqlite_db)
    opened: list[Database] = []

    def connect(replica: Database) -> Database:
        opened.append(replica)
        raise AssertionError("a server that did not answer is not opened")

    with pytest.raises(scheduled.ServerOffline) as caught:
        scheduled.run(sqlite_db, probe=lambda _url: False, connect=connect)
    assert caught.value.code == "sync.offline"
    assert caught.value.params == {"server": "127.0.0.1:5999"}
    assert opened == []


def test_a_line_that_drops_during_the_sync_is_offline_too(sqlite_db: Database) -> None:
    _replica(sqlite_db)
    answers = iter([True, False])  # answered the knock, gone when asked again

    def connect(_replica: Database) -> Database:
        raise EnvironmentFault("Cannot reach the database server: timeout")

    with pytest.raises(scheduled.ServerOffline):
        scheduled.run(sqlite_db, probe=lambda _url: next(answers), connect=connect)


def test_a_server_that_answers_but_refuses_says_why(sqlite_db: Database) -> None:
    _replica(sqlite_db)

    def connect(_replica: Database) -> Database:
        raise EnvironmentFault("The server's certificate could not be verified")

    with pytest.raises(EnvironmentFault, match="certificate") as caught:
        scheduled.run(sqlite_db, probe=lambda _url: True, connect=connect)
    assert not isinstance(caught.value, scheduled.ServerOffline)


def test_a_database_that_is_no_replica_is_not_synced(sqlite_db: Database) -> None:
    with pytest.raises(scheduled.NotAReplica):
        scheduled.run(sqlite_db, probe=lambda _url: True)
