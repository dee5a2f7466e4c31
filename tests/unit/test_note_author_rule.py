"""The note author rule the window, the use cases and the team server's
apply of a push share (services/interactions/note_edits.py): its author or
an administrator, with the interactions permission; a head or a manager who
sees the card is refused, on a note of any kind only."""

from __future__ import annotations

import types

import pytest

from services.core.access import ALL_PERMISSIONS, MANAGER_PERMISSIONS, Actor, PermissionDenied
from services.interactions import note_edits
from services.sync.apply_checks import check_authored

ANNA = Actor(1, "anna", "Анна Смирнова", frozenset(MANAGER_PERMISSIONS))
GLEB = Actor(
    2,
    "gleb",
    "Глеб Начальников",
    frozenset({*MANAGER_PERMISSIONS, "clients.view_department"}),
    frozenset({1}),
)
ADMIN = Actor(3, "admin", "Администратор", frozenset(ALL_PERMISSIONS))
READER = Actor(4, "vera", "Вера", frozenset({"clients.view_all"}))
NOTE = types.SimpleNamespace(id=7, author_id=ANNA.id)


@pytest.mark.parametrize(
    ("actor", "may"), [(ANNA, True), (GLEB, False), (ADMIN, True), (READER, False)]
)
def test_the_author_or_an_administrator_may_change_a_note(actor: Actor, may: bool) -> None:
    assert note_edits.may_change(actor, ANNA.id) is may
    if may:
        check_authored(actor, "note", NOTE)
    else:
        with pytest.raises(PermissionDenied) as refused:
            check_authored(actor, "note", NOTE)
        assert refused.value.code in {
            "interactions.note_edits.someone_elses",
            "core.access.may_not_do_role",
        }


def test_other_kinds_are_not_the_author_rules() -> None:
    check_authored(GLEB, "task", types.SimpleNamespace(id=7, author_id=ANNA.id))
