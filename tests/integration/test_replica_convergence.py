"""Convergence of two laptops and the server over random offline edits.

A property test on the real PostgreSQL and two SQLite replicas: Anna and
Gleb edit a client on their laptops, Alla edits it on the server, laptops
sync in random order; after a final round all three hold the same values,
every field holds its latest-clock write, no edit made after seeing another
lost to it, and conflicts are kept exactly where a write reached the server
without its writer having seen the value it replaced. "Seen" is tracked here
by write ids, independently of the clocks. The same steps add and remove
the contact persons of the client's call on any side; the model predicts the
server's set (a creation loses only to a newer removal, a removal always
removes) and all three must hold it. The negative control runs the
same checks with wall-clock-only stamps and Gleb's laptop ten minutes slow:
they must fail.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import Client, Contact, Interaction, interaction_contacts
from models.sync import SyncClock, SyncConflict, SyncLog, SyncTombstone
from services.interactions import actions
from services.interactions import use_cases as ix
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync import log
from services.sync.clock import Hlc
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, make_rig, snapshot
from tests.integration.team_rls_helpers import make_team

pytestmark = pytest.mark.postgres

VALUES = {
    "name": ["ООО «Ёлка»", "ИП Сидоров", "АО «Звезда»"],
    "address": ["Казань, ул. Баумана, 1", "Уфа, пр. Октября, 7", "Пермь"],
    "region": ["RU", "KZ", "BY"],
}
WRITERS = ("anna", "head", "admin")  # two laptops, one colleague on the server
# The contact persons of the client's call, added and removed on any side.
PERSONS = ("Иван Петров", "Мария Соколова")


@pytest.fixture(scope="module")
def module_rig(
    pg_admin_url: str, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Rig]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    made = make_rig(tdb, tmp_path_factory.mktemp("laptops"))
    yield made
    made.dispose()
    tdb.dispose()


@dataclasses.dataclass
class Write:
    id: int
    writer: str
    field: str
    value: str
    hlc: str
    seen: int  # the write whose value the writer held when it wrote


class Model:
    """What the server and each laptop hold, as write ids."""

    def __init__(self, rig: Rig, uid: str, initial: dict[str, tuple[str, str]]) -> None:
        self.rig = rig
        self.uid = uid
        self.ids = itertools.count(1)
        self.writes: dict[int, Write] = {
            -i: Write(-i, "seed", f, v, h, 0) for i, (f, (v, h)) in enumerate(initial.items(), 1)
        }
        origin = {w.field: w.id for w in self.writes.values()}
        self.server: dict[str, int] = dict(origin)
        self.held: dict[str, dict[str, int]] = {who: dict(origin) for who in rig.laptop}
        self.seen: dict[str, dict[str, int]] = {who: dict(origin) for who in rig.laptop}
        self.pending: dict[str, list[tuple[Write, bool]]] = {who: [] for who in rig.laptop}
        self.expected_conflicts: list[str] = []
        # The call's contact persons: on the server (there?, its removal's
        # clock), as each laptop holds them, and the laptops' unpushed changes.
        self.call = ""
        self.persons: dict[str, str] = {}  # name -> contact uid
        self.links: dict[str, tuple[bool, str | None]] = {n: (False, None) for n in PERSONS}
        self.links_held: dict[str, dict[str, bool]] = {
            who: dict.fromkeys(PERSONS, False) for who in rig.laptop
        }
        self.links_pending: dict[str, list[tuple[str, bool, str]]] = {w: [] for w in rig.laptop}

    def edit(self, who: str, field: str, value: str) -> None:
        holding = self.held.get(who, self.server)
        if self.writes[holding[field]].value == value:
            return  # no change: nothing is logged or clocked
        db, actor = self.rig.own_db(who), self.rig.own_actor(who)
        edit_cases.edit_client(
            db, actor, self.rig.local_id(who, "client", self.uid), **{field: value}
        )
        write = Write(next(self.ids), who, field, value, self._clock(who, field), holding[field])
        self.writes[write.id] = write
        if who in self.held:
            again = any(w.field == field for w, _ in self.pending[who])
            self.pending[who].append((write, again))
            self.held[who][field] = write.id
        else:
            self.server[field] = write.id

    def toggle(self, who: str, index: int) -> None:
        """``who`` adds or removes a contact person of the call on their copy."""
        name = PERSONS[index]
        laptop = who in self.rig.laptop
        held = self.links_held[who] if laptop else {n: p for n, (p, _) in self.links.items()}
        there = not held[name]
        wanted = [n for n in PERSONS if (there if n == name else held[n])]
        db, actor = self.rig.own_db(who), self.rig.own_actor(who)
        with db.reader() as uow:
            view = actions.get(uow, actor, self.rig.local_id(who, "interaction", self.call))
        ids = [self.rig.local_id(who, "contact", self.persons[n]) for n in wanted]
        ix.save_changes(db, actor, view, new_time=None, zone=view.start_tz, contacts=ids)
        uid = f"{self.call}:{self.persons[name]}"
        if laptop:
            with db.reader() as uow:
                hlc = uow.session.scalar(
                    select(SyncLog.hlc).where(SyncLog.uid == uid).order_by(SyncLog.seq.desc())
                )
            assert hlc is not None
            self.links_pending[who].append((name, there, hlc))
            self.links_held[who][name] = there
            return
        removed = None
        if not there:
            with self.rig.server["admin"].reader() as uow:
                removed = uow.session.scalar(
                    select(SyncTombstone.hlc).where(SyncTombstone.uid == uid)
                )
            assert removed is not None
        self.links[name] = (there, removed)

    def _push_links(self, who: str) -> None:
        """What the server makes of a laptop's pushed contact persons: a
        creation loses only to a newer removal; a removal always removes."""
        for name, there, hlc in self.links_pending[who]:
            present, removed = self.links[name]
            if there:
                if not present and (removed is None or hlc >= removed):
                    self.links[name] = (True, None)
            elif present or removed is None:
                self.links[name] = (False, hlc)
            else:
                self.links[name] = (False, max(removed, hlc))
        self.links_pending[who] = []
        self.links_held[who] = {n: p for n, (p, _) in self.links.items()}

    def _clock(self, who: str, field: str) -> str:
        if who in self.rig.laptop:
            with self.rig.laptop[who].reader() as uow:
                hlc = uow.session.scalar(
                    select(SyncLog.hlc)
                    .where(SyncLog.uid == self.uid, SyncLog.field == field)
                    .order_by(SyncLog.seq.desc())
                    .limit(1)
                )
        else:
            with self.rig.server["admin"].reader() as uow:
                hlc = uow.session.scalar(
                    select(SyncClock.hlc).where(
                        SyncClock.kind == "client",
                        SyncClock.uid == self.uid,
                        SyncClock.field == field,
                    )
                )
        assert hlc is not None
        return hlc

    def sync(self, who: str) -> None:
        report = sync(self.rig.laptop[who], self.rig.server[who])
        assert not report.refused
        for write, again in self.pending[who]:
            current = self.writes[self.server[write.field]]
            own_base = self.writes[self.seen[who][write.field]]
            if not again and own_base.id != current.id and write.value != current.value:
                self.expected_conflicts.append(write.field)
            if write.hlc > current.hlc:
                self.server[write.field] = write.id
        self.pending[who] = []
        self._push_links(who)
        self.held[who] = dict(self.server)
        self.seen[who] = dict(self.server)

    def problems(self) -> list[str]:
        """What breaks convergence, loses an edit or misplaces a conflict."""
        found: list[str] = []
        mine = {k: v for k, v in snapshot(self.rig.server["admin"]).items() if k[1] == self.uid}
        for who in self.rig.laptop:
            theirs = {k: v for k, v in snapshot(self.rig.laptop[who]).items() if k[1] == self.uid}
            if theirs != mine:
                found.append(f"{who}'s laptop differs from the server: {theirs} != {mine}")
        stored = mine[("client", self.uid)]
        for field in VALUES:
            writes = [w for w in self.writes.values() if w.field == field]
            latest = max(writes, key=lambda w: w.hlc)
            if stored[field] != latest.value:
                found.append(f"{field}: {stored[field]!r} is not the latest write {latest.value!r}")
            for w in writes:
                if w.id < 0:
                    continue  # the client as it was made
                seen = self.writes[w.seen]
                if seen.hlc >= w.hlc:
                    found.append(
                        f"{field}: {w.value!r} by {w.writer} was written after seeing "
                        f"{seen.value!r} yet its clock is not later"
                    )
        with self.rig.server["admin"].reader() as uow:
            kept = sorted(
                uow.session.scalars(select(SyncConflict.field).where(SyncConflict.uid == self.uid))
            )
        if kept != sorted(self.expected_conflicts):
            found.append(f"conflicts {kept} where {sorted(self.expected_conflicts)} were expected")
        expected = {self.persons[n] for n, (there, _) in self.links.items() if there}
        for name, db in [("server", self.rig.server["admin"]), *self.rig.laptop.items()]:
            with db.reader() as uow:
                got = set(
                    uow.session.scalars(
                        select(Contact.uid)
                        .join(interaction_contacts, interaction_contacts.c.contact_id == Contact.id)
                        .join(Interaction, Interaction.id == interaction_contacts.c.interaction_id)
                        .where(Interaction.uid == self.call)
                    )
                )
            if got != expected:
                found.append(f"{name} holds contact persons {got}, not {expected}")
        return found


def _fresh_client(rig: Rig) -> Model:
    """A new client of Anna's on the server, synced to both laptops."""
    anna = rig.actor("anna")
    made = parties.add_client(
        rig.server["anna"], anna, "ООО «Ромашка»", address="Казань", region="RU"
    ).value
    with rig.server["admin"].reader() as uow:
        uid = uow.session.scalar(select(Client.uid).where(Client.id == made.id))
        clocks = {
            r.field: r.hlc
            for r in uow.session.execute(
                select(SyncClock.field, SyncClock.hlc).where(SyncClock.uid == uid)
            )
        }
    assert uid is not None
    persons = {
        name: parties.add_contact(rig.server["anna"], anna, name, client_id=made.id).value.uid
        for name in PERSONS
    }
    call = ix.log_interaction(
        rig.server["anna"],
        anna,
        actions.NewInteraction(type="call", client_id=made.id, subject="Звонок о поставке"),
    ).value.uid
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    initial = {"name": "ООО «Ромашка»", "address": "Казань", "region": "RU"}
    model = Model(rig, uid, {f: (v, clocks[f]) for f, v in initial.items()})
    model.call, model.persons = call, persons
    return model


def _final_round(model: Model) -> None:
    for who in ("anna", "head", "anna"):
        model.sync(who)


STEP = st.one_of(
    st.tuples(
        st.just("edit"),
        st.sampled_from(WRITERS),
        st.sampled_from(sorted(VALUES)),
        st.integers(0, 2),
    ),
    st.tuples(st.just("sync"), st.sampled_from(("anna", "head")), st.just(""), st.just(0)),
    st.tuples(st.just("persons"), st.sampled_from(WRITERS), st.just(""), st.integers(0, 1)),
)


def _run(model: Model, steps: list[tuple[str, str, str, int]]) -> None:
    for action, who, field, index in steps:
        if action == "edit":
            model.edit(who, field, VALUES[field][index])
        elif action == "persons":
            model.toggle(who, index)
        else:
            model.sync(who)
    _final_round(model)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_random_offline_edits_converge_lose_nothing_and_conflict_where_both_wrote(
    module_rig: Rig, steps: list[tuple[str, str, str, int]]
) -> None:
    model = _fresh_client(module_rig)
    _run(model, steps)
    assert model.problems() == []


def _wall_clock_only(skewed_node: str, skew_ms: int) -> Callable[[Hlc, str], Hlc]:
    def stamp(_last: Hlc, node: str) -> Hlc:
        wall = log.wall_ms() - (skew_ms if node == skewed_node else 0)
        return Hlc(wall, 0, node)

    return stamp


def _node(rig: Rig, who: str) -> str:
    from models.sync import SyncState

    with rig.laptop[who].reader() as uow:
        node = uow.session.scalar(select(SyncState.value).where(SyncState.key == "node"))
    assert node is not None
    return node


# Alla changes the address; Gleb's laptop syncs, so Gleb sees her value, and
# then he changes it: his edit is the later one and must win.
CAUSAL = [
    ("edit", "admin", "address", 1),
    ("sync", "head", "", 0),
    ("edit", "head", "address", 2),
    ("edit", "anna", "name", 1),
]


def test_the_same_checks_fail_with_wall_clock_only_stamps_and_a_slow_laptop(
    module_rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _fresh_client(module_rig)
    _run(model, CAUSAL)
    assert model.problems() == []  # the hybrid clock passes

    monkeypatch.setattr(log, "next_clock", _wall_clock_only(_node(module_rig, "head"), 600_000))
    control = _fresh_client(module_rig)
    _run(control, CAUSAL)
    problems = control.problems()
    assert any("yet its clock is not later" in p for p in problems), problems
    assert json.dumps(problems, ensure_ascii=False)
