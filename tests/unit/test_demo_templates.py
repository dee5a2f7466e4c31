"""The screenshot demo's email templates read as Russian for any contact:
the name stands only where it needs no case ending. The AI template said
"Ответь {{ contact.name_patronymic }}", which came out as "Ответь Андрей
Алексеевич" (the dative "Андрею Алексеевичу" was needed)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from services.templates import sandbox

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshot_demo.py"
# Frames that take a name in the nominative: a greeting, a labelled line.
CASE_FREE = ("Добрый день, ", "Клиент: ")
NAME = "{{ contact.name_patronymic }}"


def _demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshot_demo", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("template", _demo().TEMPLATES, ids=lambda t: t[0])
def test_a_demo_template_names_the_contact_without_a_case(
    template: tuple[str, str, str, bool],
) -> None:
    _name, subject, body, ai = template
    sandbox.validate(subject, body, ai=ai)
    text = subject + "\n" + body
    places = [m.start() for m in re.finditer(re.escape(NAME), text)]
    assert places, "the demo shows the contact's name"
    for at in places:
        before = text[max(0, at - 20) : at]
        assert before.endswith(CASE_FREE), before


@pytest.mark.parametrize("person", ["Андрей Алексеевич", "Мария Сергеевна", "Ильдар Ринатович"])
def test_the_ai_template_asks_in_the_polite_form_for_anyone(person: str) -> None:
    (_name, _subject, body, _ai) = next(t for t in _demo().TEMPLATES if t[3])
    shown = body.replace(NAME, person)
    assert f"Клиент: {person}," in shown
    assert not re.search(r"\bОтветь\b", shown)  # «вы», as the AI settings ask
