"""The replica merge rules over random offline edit sequences.

Two laptops and a server (a colleague edits on it directly) edit a few
fields, sync in random orders, and finally all sync twice. The rules of
services/sync/merge.py must make all three equal, keep the edit with the
greatest clock, and report a conflict exactly when a write reached the
server without its writer having seen the value it replaces. "Seen" is
tracked here independently of the clocks (sets of write ids), so the
test checks that the clocks' ``base`` says what the writer really knew.
A negative control (the server takes whatever arrives last, no clock)
must break these properties.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.sync import clock, merge
from services.sync.clock import Hlc

KEYS = [("client", "u1", "phone"), ("client", "u1", "city"), ("interaction", "u2", "state")]
VALUES = ["Алматы", "Berlin", "ёж", "x"]


@dataclasses.dataclass
class Field:
    stored: merge.Stored
    seen: frozenset[int]  # ids of every write this copy has seen
    origin: int  # the id of the write whose value is stored


@dataclasses.dataclass
class Node:
    name: str
    wall: int  # this node's wall clock in ms, skewed per node
    hlc: Hlc = clock.ZERO
    fields: dict[tuple[str, str, str], Field] = dataclasses.field(default_factory=dict)
    pending: list[tuple[merge.Write, int, frozenset[int]]] = dataclasses.field(default_factory=list)


class World:
    def __init__(self, skews: tuple[int, int, int], trust_clock: bool = True) -> None:
        self.ids = itertools.count(1)
        self.server = Node("s", 1_000_000 + skews[0])
        self.laptops = {
            "a": Node("a", 1_000_000 + skews[1]),
            "b": Node("b", 1_000_000 + skews[2]),
        }
        self.trust_clock = trust_clock
        self.writes: dict[tuple[str, str, str], list[tuple[Hlc, Any]]] = {}
        self.conflicts: list[merge.Conflict] = []
        self.expected_conflicts = 0

    def _edit(self, node: Node, key: tuple[str, str, str], value: str) -> merge.Write:
        node.wall += 7
        node.hlc = clock.tick(node.hlc, node.wall, node.name)
        current = node.fields.get(key)
        base = current.stored.hlc if current else None
        write = merge.Write(*key, value=value, hlc=node.hlc, base=base)
        self.writes.setdefault(key, []).append((write.hlc, value))
        return write

    def edit(self, who: str, key: tuple[str, str, str], value: str) -> None:
        # A field group is stored under its group's name, as the merge does.
        key = (key[0], key[1], merge.merge_key(key[0], key[2]))
        wid = next(self.ids)
        if who == "s":
            node = self.server
            write = self._edit(node, key, value)
            self._server_apply(write, wid, node.fields.get(key, None))
            return
        node = self.laptops[who]
        write = self._edit(node, key, value)
        before = node.fields.get(key)
        seen = (before.seen if before else frozenset()) | {wid}
        node.fields[key] = Field(merge.Stored(value, write.hlc), seen, wid)
        node.pending.append((write, wid, before.seen if before else frozenset()))

    def _server_apply(self, write: merge.Write, wid: int, known: Field | None) -> None:
        """``known`` is what the writer knew of the field (for the oracle)."""
        server = self.server
        server.wall += 3
        server.hlc = clock.receive(server.hlc, write.hlc, server.wall, "s").clock
        current = server.fields.get(write.key)
        knew = known.seen if known else frozenset()
        # The oracle: another value on the server, from a write the writer never saw.
        if (
            current is not None
            and current.stored.value != write.value
            and current.origin not in knew
        ):
            self.expected_conflicts += 1
        origin = wid
        if self.trust_clock:
            applied = merge.apply(current.stored if current else None, write)
            if applied.conflict:
                self.conflicts.append(applied.conflict)
            stored = applied.stored
            if current is not None and not applied.changed:
                origin = current.origin
        else:  # negative control: the last write to arrive wins
            stored = merge.Stored(write.value, write.hlc)
        seen = (current.seen if current else frozenset()) | knew | {wid}
        server.fields[write.key] = Field(stored, seen, origin)

    def sync(self, who: str) -> None:
        node = self.laptops[who]
        pushed = merge.compact(w for w, _, _ in node.pending)
        for write in pushed:
            entries = [(wid, knew) for w, wid, knew in node.pending if w.key == write.key]
            first_knew = entries[0][1]
            all_ids = frozenset(wid for wid, _ in entries)
            known = Field(merge.Stored(None, clock.ZERO), first_knew, 0)
            self._server_apply(write, entries[-1][0], known)
            self.server.fields[write.key].seen |= all_ids
        node.pending.clear()
        for key, field in self.server.fields.items():
            mine = node.fields.get(key)
            if self.trust_clock:
                taken = merge.take(mine.stored if mine else None, field.stored)
            else:
                taken = field.stored
            origin = field.origin if taken is field.stored or mine is None else mine.origin
            seen = field.seen | (mine.seen if mine else frozenset())
            node.fields[key] = Field(taken, seen, origin)
            node.wall += 1
            node.hlc = clock.receive(node.hlc, field.stored.hlc, node.wall, node.name).clock


def values(node: Node) -> dict[tuple[str, str, str], Any]:
    return {key: f.stored.value for key, f in node.fields.items()}


edits = st.lists(
    st.one_of(
        st.tuples(
            st.just("edit"), st.sampled_from("abs"), st.sampled_from(KEYS), st.sampled_from(VALUES)
        ),
        st.tuples(st.just("sync"), st.sampled_from("ab"), st.none(), st.none()),
    ),
    max_size=40,
)
skews = st.tuples(*(st.integers(-50_000, 50_000) for _ in range(3)))


def run(world: World, steps: list[tuple[str, str, Any, Any]]) -> World:
    for op, who, key, value in steps:
        if op == "edit":
            world.edit(who, key, value)
        else:
            world.sync(who)
    for who in "abab":
        world.sync(who)
    return world


def properties_hold(world: World) -> bool:
    server = values(world.server)
    converged = server == values(world.laptops["a"]) == values(world.laptops["b"])
    latest = {key: max(ws)[1] for key, ws in world.writes.items()}
    nothing_lost = server == latest
    return converged and nothing_lost and len(world.conflicts) == world.expected_conflicts


@settings(max_examples=300, deadline=None)
@given(steps=edits, skew=skews)
def test_all_copies_converge_keep_the_latest_edit_and_report_exactly_the_real_conflicts(
    steps: list[tuple[str, str, Any, Any]], skew: tuple[int, int, int]
) -> None:
    world = run(World(skew), steps)
    server = values(world.server)
    assert server == values(world.laptops["a"]) == values(world.laptops["b"])
    assert server == {key: max(ws)[1] for key, ws in world.writes.items()}
    assert len(world.conflicts) == world.expected_conflicts


PHONE = ("client", "u1", "phone")


def test_both_laptops_changing_one_field_offline_is_one_conflict_with_both_values() -> None:
    world = run(World((0, 0, 0)), [("edit", "a", PHONE, "Алматы"), ("edit", "b", PHONE, "Berlin")])
    assert values(world.server)[PHONE] == "Berlin"  # b's clock is later
    [conflict] = world.conflicts
    assert (conflict.kept, conflict.other) == ("Berlin", "Алматы")


def test_different_fields_of_one_record_never_conflict() -> None:
    city = ("client", "u1", "city")
    world = run(World((0, 0, 0)), [("edit", "a", PHONE, "x"), ("edit", "b", city, "ёж")])
    assert values(world.server) == {PHONE: "x", city: "ёж"}
    assert world.conflicts == []


def test_editing_a_field_twice_offline_is_no_conflict_with_yourself() -> None:
    steps = [("edit", "a", PHONE, "x"), ("sync", "a", None, None), ("edit", "a", PHONE, "ёж")]
    steps += [("edit", "a", PHONE, "Berlin")]
    world = run(World((0, 0, 0)), steps)
    assert values(world.server)[PHONE] == "Berlin"
    assert world.conflicts == []


def test_a_laptop_clock_behind_does_not_lose_an_edit_made_after_it_saw_the_server() -> None:
    # a's wall clock is 40 s behind; it pulls the server's value, then edits.
    steps = [("edit", "s", PHONE, "x"), ("sync", "a", None, None), ("edit", "a", PHONE, "ёж")]
    world = run(World((0, -40_000, 0)), steps)
    assert values(world.server)[PHONE] == "ёж"
    assert world.conflicts == []


def test_negative_control_without_the_clock_loses_an_edit() -> None:
    # b edits later (by its clock) but syncs first; a's older edit arrives
    # last and, without the clock, overwrites it.
    steps = [
        ("edit", "a", PHONE, "Алматы"),
        ("edit", "b", PHONE, "Berlin"),
        ("sync", "b", None, None),
    ]
    trusting = run(World((0, 0, 5_000)), steps)
    assert properties_hold(trusting)
    naive = run(World((0, 0, 5_000), trust_clock=False), steps)
    assert not properties_hold(naive)


def test_an_interaction_outcome_merges_as_one_group() -> None:
    assert merge.merge_key("interaction", "state") == merge.merge_key("interaction", "result")
    assert merge.merge_key("client", "state") == "state"


@pytest.mark.parametrize(
    "text",
    ["", "zz", "0001970a3b2c1d:0003:a", "00000000000g:0000:a", "000000000001:0000:A", "x" * 10_000],
)
def test_a_clock_from_outside_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(clock.ClockError):
        Hlc.decode(text)


def test_clock_text_sorts_as_the_clock_and_round_trips() -> None:
    clocks = [Hlc(5, 0, "b"), Hlc(5, 1, "a"), Hlc(6, 0, "a"), Hlc(1 << 40, 65535, "z9")]
    assert sorted(clocks) == clocks
    assert sorted(c.encode() for c in clocks) == [c.encode() for c in clocks]
    assert [Hlc.decode(c.encode()) for c in clocks] == clocks


def test_a_clock_far_ahead_is_clamped_not_followed() -> None:
    year = 365 * 24 * 3600 * 1000
    got = clock.receive(Hlc(1000, 0, "s"), Hlc(1000 + year, 0, "a"), 2000, "s")
    assert got.clamped
    assert got.clock == Hlc(2000, 0, "s")
    near = clock.receive(Hlc(1000, 0, "s"), Hlc(2500, 3, "a"), 2000, "s")
    assert not near.clamped
    assert near.clock == Hlc(2500, 4, "s")


def test_many_edits_in_one_millisecond_stay_ordered() -> None:
    last = Hlc(10, clock.COUNTER_MAX - 1, "a")
    nxt = clock.tick(last, 10, "a")
    after = clock.tick(nxt, 10, "a")
    assert last < nxt < after
    assert after.wall_ms == 11


def test_a_pull_does_not_undo_a_newer_local_edit_still_waiting_to_be_pushed() -> None:
    # A pull that runs while an edit is pending (its push was refused by a
    # network error, say) must keep the local edit: it is newer.
    local = merge.Stored("ёж", Hlc(20, 0, "a"))
    older = merge.Stored("x", Hlc(10, 0, "s"))
    newer = merge.Stored("Berlin", Hlc(30, 0, "s"))
    assert merge.take(local, older) is local
    assert merge.take(local, newer) is newer
    assert merge.take(None, older) is older
