"""Template safety (SPEC E1): the sandbox, validation on save, rendering.

Templates are code from one person run on data of another. ``validate``
refuses on save everything beyond the listed variables, a few filters and
``if``; rendering uses Jinja2's ``ImmutableSandboxedEnvironment`` on plain
dicts of strings. The sandbox is the second fence, not the first.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Collection, Mapping
from typing import Any

import jinja2
from jinja2 import StrictUndefined, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from services.core.errors import ValidationError
from services.templates.variables import CUSTOM_GROUPS, DICT_NAMES, UNTRUSTED_VARIABLES, VARIABLES

MAX_SUBJECT = 998
MAX_BODY = 20_000
# Filters that only reshape text; nothing that reaches objects or loops.
# (No ``replace``: chained, it multiplies a text's length, a memory bomb.)
SAFE_FILTERS = ("upper", "lower", "capitalize", "title", "trim", "default", "truncate")
SAFE_TESTS = ("defined", "undefined", "none", "string", "number", "eq", "ne")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
# Jinja2's parser and compiler recurse per level: ~100 nested parentheses or
# ~300 nested ``{% if %}`` exhaust Python's stack. No letter needs a tenth of
# these, so deeper text is refused with a message before it is parsed.
MAX_NESTING = 30
MAX_TREE_DEPTH = 100
# A filled template is a letter or a prompt: past this it is a bomb, not text.
MAX_OUTPUT = 200_000
MAX_RENDER_SECONDS = 2.0
_BLOCK_OPENERS = frozenset(
    ("if", "for", "macro", "call", "filter", "with", "block", "autoescape", "trans")
)
_BRACKETS = {"lparen": 1, "lbracket": 1, "lbrace": 1, "rparen": -1, "rbracket": -1, "rbrace": -1}
_UNARY = frozenset(("not", "sub", "add"))


def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS}
    env.tests = {name: env.tests[name] for name in SAFE_TESTS}
    env.globals = {}
    return env


_ENV = _environment()


def _static_paths(ai: bool) -> set[str]:
    paths = {name for name, _, _ in VARIABLES}
    if ai:
        paths |= {name for name, _, _ in UNTRUSTED_VARIABLES}
    return paths


# What each refused construct is called in the message "templates may not use …".
_CONSTRUCTS: dict[type[nodes.Node], str] = {
    nodes.Call: "function or method calls",
    nodes.For: "loops ({% for %})",
    nodes.Macro: "macros",
    nodes.CallBlock: "macros",
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.With: "{% with %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.Slice: "slicing",
    nodes.Tuple: "tuples",
    nodes.List: "lists",
    nodes.Dict: "dicts",
    nodes.Scope: "{% autoescape %} or scoped blocks",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.EvalContextModifier: "{% autoescape %}",
}
_ALLOWED = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Concat,
    nodes.Const,
    nodes.Name,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Filter,
    nodes.Test,
    nodes.Keyword,
)


def _path(node: nodes.Node) -> tuple[list[str], str | None]:
    """The dotted path of ``client.custom['inn']``, or why it is not one."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            if not (isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)):
                return [], "indexing with [] other than a quoted name"
            parts.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(node.name)
            break
        else:
            return [], "attributes of literal values"
    parts.reverse()
    private = [p for p in parts if p.startswith("_")]
    if private:
        return parts, f"internal attributes such as {private[0]}"
    return parts, None


class _Checker:
    def __init__(
        self,
        with_data: bool,
        custom_codes: Mapping[str, Collection[str]] | None,
        *,
        names: bool = True,
    ) -> None:
        self.ai = with_data
        self.names = names
        self.custom_codes = custom_codes
        self.known = _static_paths(with_data)
        self.problems: list[str] = []

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def check_path(self, parts: list[str]) -> None:
        name = ".".join(parts)
        if not self.names or name in self.known:
            return
        if len(parts) == 3 and parts[0] in CUSTOM_GROUPS and parts[1] == "custom":
            codes = None if self.custom_codes is None else self.custom_codes.get(parts[0], ())
            if (codes is None and CODE.match(parts[2])) or (
                codes is not None and parts[2] in codes
            ):
                return
            self.add(f"there is no {parts[0]} custom field {parts[2]!r}")
            return
        if name in _static_paths(True):
            where = "the prompt (body)" if self.ai else "the prompt of AI templates"
            self.add(f"{name} can only be used in {where}: it is sent to the AI as data")
            return
        if any(k.startswith(name + ".") for k in self.known) or name in (
            f"{g}.custom" for g in CUSTOM_GROUPS
        ):
            self.add(f"{name} is a group of variables: use one of its fields, e.g. {name}.…")
            return
        hint = difflib.get_close_matches(name, sorted(self.known), n=1)
        more = f" (did you mean {hint[0]}?)" if hint else ""
        self.add(f"unknown variable {name}{more}")

    def walk(self, node: nodes.Node) -> None:
        kind = type(node)
        if isinstance(node, nodes.Call):
            callee = node.node
            name = f" such as {callee.attr}()" if isinstance(callee, nodes.Getattr) else ""
            self.add(f"templates may not use function or method calls{name}")
            return
        if kind in _CONSTRUCTS:
            self.add(f"templates may not use {_CONSTRUCTS[kind]}")
            return
        if isinstance(node, nodes.BinExpr | nodes.UnaryExpr) and kind not in _ALLOWED:
            self.add(f"templates may not use arithmetic ({node.operator})")
            return
        if kind not in _ALLOWED:
            self.add(f"templates may not use {kind.__name__} expressions")
            return
        if (
            isinstance(node, nodes.Getattr)
            and isinstance(node.node, nodes.Getattr)
            and node.node.attr == "custom"
            and node.attr in DICT_NAMES
        ):
            # Jinja2 tries attributes before items: .items would be dict.items.
            self.add(f"write custom.{node.attr} as custom['{node.attr}'] (a built-in name)")
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            parts, problem = _path(node)
            if problem:
                self.add(f"templates may not use {problem}")
            else:
                self.check_path(parts)
            return
        if isinstance(node, nodes.Const) and not isinstance(
            node.value, str | int | float | bool | type(None)
        ):
            self.add("templates may not use literal values other than text and numbers")
            return
        if isinstance(node, nodes.Filter) and node.name not in SAFE_FILTERS:
            self.add(
                f"the filter {node.name!r} is not allowed; use one of {', '.join(SAFE_FILTERS)}"
            )
        if isinstance(node, nodes.Test) and node.name not in SAFE_TESTS:
            self.add(f"the test {node.name!r} is not allowed; use one of {', '.join(SAFE_TESTS)}")
        if isinstance(node, nodes.Filter | nodes.Test) and (node.dyn_args or node.dyn_kwargs):
            self.add("templates may not use *args or **kwargs")
            return
        for child in node.iter_child_nodes():
            self.walk(child)


def _too_deep(what: str) -> ValidationError:
    return ValidationError(
        f"The {what} nests too deeply: more than {MAX_NESTING} levels of parentheses, "
        "brackets, {% if %} blocks or chained filters and operators; simplify it",
        what,
        code="templates.sandbox.too_deep",
        params={"what": what, "levels": str(MAX_NESTING)},
    )


def _check_nesting(text: str, what: str) -> None:
    """Count nesting on the flat token stream, which needs no recursion."""
    depth = blocks = unary = 0
    after_block_begin = False
    try:
        for _line, kind, value in _ENV.lex(text):
            if kind == "whitespace":
                continue
            if kind in _BRACKETS:
                depth = max(0, depth + _BRACKETS[kind])
            elif after_block_begin and kind == "name":
                if value in _BLOCK_OPENERS:
                    blocks += 1
                elif value.startswith("end"):
                    blocks = max(0, blocks - 1)
            if (kind == "name" and value == "not") or kind in _UNARY:
                unary += 1
            elif kind not in ("lparen", "whitespace"):
                unary = 0
            after_block_begin = kind == "block_begin"
            if max(depth, blocks, unary) > MAX_NESTING:
                raise _too_deep(what)
    except jinja2.TemplateSyntaxError:
        return  # the parser reports it with its line


def _check_depth(tree: nodes.Node, what: str) -> None:
    """Bound the tree depth iteratively: the walk and the compiler recurse."""
    stack: list[tuple[nodes.Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise _too_deep(what)
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())


def _parse(text: str, what: str) -> nodes.Template:
    _check_nesting(text, what)
    try:
        tree = _ENV.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise ValidationError(
            f"The {what} has a template error on line {exc.lineno}: {exc.message}",
            what,
            code="templates.sandbox.has_template_error_line",
            params={"what": str(what), "lineno": str(exc.lineno), "message": str(exc.message)},
        ) from None
    except RecursionError:
        raise _too_deep(what) from None
    _check_depth(tree, what)
    return tree


def _check(
    text: str, what: str, with_data: bool, custom_codes: Mapping[str, Collection[str]] | None
) -> nodes.Template:
    tree = _parse(text, what)
    checker = _Checker(with_data, custom_codes)
    checker.walk(tree)
    if not checker.problems:
        # A second opinion from Jinja2's own analysis: every name it would
        # look up must be one of ours (the walk above should have said so).
        roots = {n.split(".")[0] for n in checker.known} | set(CUSTOM_GROUPS)
        try:
            undeclared = meta.find_undeclared_variables(tree)
        except jinja2.TemplateError as exc:
            raise ValidationError(
                f"The {what}: {exc}",
                what,
                code="templates.sandbox.error",
                params={"what": str(what), "exc": str(exc)},
            ) from None
        for name in sorted(undeclared - roots):
            checker.check_path([name])
    if checker.problems:
        raise ValidationError(
            f"The {what}: " + "; ".join(checker.problems),
            what,
            code="templates.sandbox.error",
            params={"what": what, "exc": "; ".join(checker.problems)},
        )
    return tree


def validate(
    subject: str,
    body: str,
    *,
    ai: bool = False,
    custom_codes: Mapping[str, Collection[str]] | None = None,
) -> None:
    """Refuse unknown variables, sandbox escapes and syntax errors.

    ``custom_codes`` maps "client"/"contact" to the defined custom field
    codes; None accepts any well-formed code (no database at hand).
    """
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(
            f"The subject is longer than {MAX_SUBJECT} characters",
            "subject",
            code="templates.sandbox.subject_longer_than_characters",
            params={"max_subject": str(MAX_SUBJECT)},
        )
    if len(body) > MAX_BODY:
        raise ValidationError(
            f"The body is longer than {MAX_BODY} characters",
            "body",
            code="templates.sandbox.body_longer_than_characters",
            params={"max_body": str(MAX_BODY)},
        )
    _check(subject, "subject", False, custom_codes)
    _check(body, "body", ai, custom_codes)


def data_names(text: str) -> tuple[str, ...]:
    """The untrusted items (``last_email`` ...) a template text names, in order."""
    found: list[str] = []
    for node in _parse(text, "body").find_all((nodes.Getattr,)):
        inbound = isinstance(node.node, nodes.Name) and node.node.name == "inbound"
        if inbound and node.attr not in found:
            found.append(node.attr)
    return tuple(found)


def data_marker(name: str) -> str:
    """What ``{{ inbound.NAME }}`` becomes in a prompt: a pointer to the data block."""
    return f'[see <data name="{name}"> below]'


def render(text: str, context: Mapping[str, Any]) -> str:
    """Fill a template from plain data (``context_for``), bounded in size and time.

    Rendering does not trust that the text was validated (a template saved
    by an older version, a caller that skipped ``validate``): it refuses the
    same constructs (loops, calls, arithmetic such as ``'x' * 2**32``), so
    the output stays linear in the template and its data, and it stops at
    ``MAX_OUTPUT`` characters or ``MAX_RENDER_SECONDS``.
    """
    tree = _parse(text, "template")
    checker = _Checker(True, None, names=False)
    checker.walk(tree)
    if checker.problems:
        raise ValidationError(
            "The template could not be filled in: " + "; ".join(checker.problems),
            code="templates.sandbox.template_could_not_filled",
            params={"exc": "; ".join(checker.problems)},
        )
    deadline = time.monotonic() + MAX_RENDER_SECONDS
    out: list[str] = []
    size = 0
    try:
        for chunk in _ENV.from_string(tree).generate(dict(context)):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise ValidationError(
                    f"The filled-in template would be longer than {MAX_OUTPUT:,} characters",
                    code="templates.sandbox.filled_template_would_longer",
                    params={"max_output": format(MAX_OUTPUT, ",")},
                )
            if time.monotonic() > deadline:
                raise ValidationError(
                    f"Filling in the template took longer than {MAX_RENDER_SECONDS:g} s",
                    code="templates.sandbox.filling_template_took_longer",
                    params={"max_render_seconds": format(MAX_RENDER_SECONDS, "g")},
                )
            out.append(chunk)
    except (jinja2.TemplateError, TypeError) as exc:
        # A field deleted since the template was saved still gets a clear message.
        raise ValidationError(
            f"The template could not be filled in: {exc}",
            code="templates.sandbox.template_could_not_filled",
            params={"exc": str(exc)},
        ) from None
    except RecursionError:
        raise _too_deep("template") from None
    return "".join(out)
