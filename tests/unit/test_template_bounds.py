"""Hostile templates get a clear message, never a RecursionError or a bomb (#13 item 11)."""

from __future__ import annotations

import pytest

from services.core.errors import ValidationError
from services.templates import sandbox

CONTEXT = {"client": {"name": "ООО «Ромашка»"}, "inbound": {"last_email": "Привет! " * 1000}}


def _parens(depth: int) -> str:
    return "{{ " + "(" * depth + "client.name" + ")" * depth + " }}"


def _ifs(depth: int) -> str:
    return "{% if client.name %}" * depth + "Здравствуйте" + "{% endif %}" * depth


HOSTILE = {
    "100 parentheses": _parens(100),
    "1000 parentheses": _parens(1000),
    "300 nested if": _ifs(300),
    "2000 not": "{{ " + "not " * 2000 + "client.name }}",
    "2000 minus": "{{ " + "- " * 2000 + "1 }}",
    "3000 filters": "{{ client.name" + "|upper" * 3000 + " }}",
    "1000 or": "{{ client.name" + " or client.name" * 1000 + " }}",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_deep_nesting_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValidationError, match="nests too deeply"):
        sandbox.validate("Тема", text)
    with pytest.raises(ValidationError, match="nests too deeply"):
        sandbox.render(text, CONTEXT)


def test_deep_subject_names_the_subject() -> None:
    with pytest.raises(ValidationError, match="The subject nests too deeply"):
        sandbox.validate(_parens(200), "Текст")


def test_reasonable_nesting_still_works() -> None:
    sandbox.validate("Тема", _ifs(20))
    assert sandbox.render(_ifs(20), CONTEXT) == "Здравствуйте"
    assert sandbox.render(_parens(20), CONTEXT) == "ООО «Ромашка»"


BOMBS = {
    "string times 2**32": "{{ 'x' * 2**32 }}",
    "loop over a huge range": "{% for i in range(10**9) %}{{ i }}{% endfor %}",
    "nested loops without output": (
        "{% for a in inbound.last_email %}{% for b in inbound.last_email %}{% endfor %}{% endfor %}"
    ),
    "macro recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "power tower": "{{ 9 ** 9 ** 9 }}",
}


@pytest.mark.parametrize("text", BOMBS.values(), ids=BOMBS.keys())
def test_render_refuses_what_validation_refuses(text: str) -> None:
    """render() on its own, e.g. for a template saved before validation existed."""
    with pytest.raises(ValidationError, match="could not be filled in"):
        sandbox.render(text, CONTEXT)


def test_render_caps_the_output_size() -> None:
    text = "{{ inbound.last_email }}" * 100  # 8 kB of data, 100 times: 800 kB
    with pytest.raises(ValidationError, match="longer than 200,000 characters"):
        sandbox.render(text, CONTEXT)
    assert len(sandbox.render(text[:48], CONTEXT)) == 2 * len(CONTEXT["inbound"]["last_email"])
