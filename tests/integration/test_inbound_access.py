"""A manager can neither read nor act on requests and tickets assigned to
another manager, nor change sources and rules (SPEC H1 for issue #18).

Every inbound use case that takes an id is called here by Anna on Boris's
request or ticket; ``test_access_services`` counts these names as covered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from services.core.access import PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.inbound import dry_run, queries, reasons, setup, use_cases
from services.inbound.setup import RuleInput
from tests.conftest import Team
from tests.integration import inbound_helpers as h
from tests.integration.helpers import row_counts

Seeded = dict[str, int]
Case = Callable[[Database, Any, Seeded], object]


def _read(fn: Callable[..., object]) -> Case:
    def call(db: Database, actor: Any, s: Seeded) -> object:
        with db.reader(actor.id) as uow:
            return fn(uow, actor, s)

    return call


CASES: dict[str, Case] = {
    "inbound.use_cases.get_request": lambda d, a, s: use_cases.get_request(d, a, s["request"]),
    "inbound.use_cases.original": lambda d, a, s: use_cases.original(d, a, s["request"]),
    "inbound.use_cases.accept": lambda d, a, s: use_cases.accept(d, a, s["request"]),
    "inbound.use_cases.reassign": lambda d, a, s: use_cases.reassign(d, a, s["request"], a.id),
    "inbound.use_cases.reject": lambda d, a, s: use_cases.reject(d, a, s["request"], 1),
    "inbound.use_cases.link": lambda d, a, s: use_cases.link(
        d, a, s["request"], client_id=s["anna_client"]
    ),
    "inbound.use_cases.undo": lambda d, a, s: use_cases.undo(d, a, s["converted"]),
    "inbound.use_cases.get_ticket": lambda d, a, s: use_cases.get_ticket(d, a, s["ticket"]),
    "inbound.use_cases.set_ticket_state": lambda d, a, s: use_cases.set_ticket_state(
        d, a, s["ticket"], "closed"
    ),
    "inbound.queries.get_request": _read(lambda u, a, s: queries.get_request(u, a, s["request"])),
    "inbound.queries.visible_request": _read(
        lambda u, a, s: queries.visible_request(u, a, s["request"])
    ),
    "inbound.queries.original": _read(lambda u, a, s: queries.original(u, a, s["request"])),
    "inbound.queries.get_ticket": _read(lambda u, a, s: queries.get_ticket(u, a, s["ticket"])),
    "inbound.dry_run.dry_run": lambda d, a, s: dry_run.dry_run(d, a, s["source"]),
    "inbound.setup.add_rule": lambda d, a, s: setup.add_rule(
        d, a, s["source"], RuleInput(name="Моё", is_default=True, queue_user_ids=(a.id,))
    ),
    "inbound.setup.set_rule": lambda d, a, s: setup.set_rule(
        d, a, s["rule"], RuleInput(name="Моё", is_default=True, queue_user_ids=(a.id,))
    ),
    "inbound.setup.move_rule": lambda d, a, s: setup.move_rule(d, a, s["rule"], None),
    "inbound.setup.remove_rule": lambda d, a, s: setup.remove_rule(d, a, s["rule"]),
    "inbound.setup.set_source": lambda d, a, s: setup.set_source(
        d, a, s["source"], process_requests=False
    ),
    "inbound.setup.remove_source": lambda d, a, s: setup.remove_source(d, a, s["source"]),
    "inbound.setup.restore_source": lambda d, a, s: setup.restore_source(d, a, s["source"]),
    "inbound.setup.add_source": lambda d, a, s: setup.add_source(
        d, a, "mail_account", "Чужой ящик", mail_account_id=1
    ),
    "inbound.setup.list_rules": lambda d, a, s: setup.list_rules(d, a, s["source"]),
    "inbound.reasons.set_reason": lambda d, a, s: reasons.set_reason(d, a, 1, hidden=True),
}
# Lists filter rather than refuse: Boris's rows are simply not in Anna's page.
LISTED: dict[str, Case] = {
    "inbound.use_cases.list_requests": lambda d, a, s: use_cases.list_requests(d, a),
    "inbound.use_cases.list_tickets": lambda d, a, s: use_cases.list_tickets(d, a),
    "inbound.queries.list_requests": _read(lambda u, a, s: queries.list_requests(u, a)),
    "inbound.queries.list_tickets": _read(lambda u, a, s: queries.list_tickets(u, a)),
}
COVERED = set(CASES) | set(LISTED)


@pytest.fixture
def seeded(db: Database, team: Team) -> Seeded:
    from services.parties import use_cases as parties

    src = h.source(db, team.admin)
    rule = h.rule(
        db, team.admin, src, is_default=True, assign_mode="user", user_id=team.boris.id,
        action="ticket", known_to_owner=False,
    )  # fmt: skip
    ticketed = h.deliver(db, src, "Не работает касса", email="kassa@boris.example")
    use_cases.process(db)
    with db.uow() as uow:
        from models import InboundRequest, InboundRule

        row = uow.session.get(InboundRule, rule)
        assert row is not None
        row.action = "none"
        uow.commit()
    plain = h.deliver(db, src, "Вопрос Борису", email="q@boris.example")
    use_cases.process(db)
    with db.reader() as uow:
        got = uow.session.get(InboundRequest, ticketed)
        assert got is not None
        assert got.ticket_id is not None
        ticket = got.ticket_id
    anna_client = parties.add_client(db, team.anna, "ООО Анны").value.id
    return {
        "source": src,
        "rule": rule,
        "request": plain,
        "converted": ticketed,
        "ticket": ticket,
        "anna_client": anna_client,
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_manager_is_refused_on_a_colleagues_request(
    db: Database, team: Team, seeded: Seeded, name: str
) -> None:
    before = row_counts(db)
    with pytest.raises((PermissionDenied, NotFoundError)):
        CASES[name](db, team.anna, seeded)
    assert row_counts(db) == before


def test_lists_show_a_manager_only_their_own_and_unassigned_requests(
    db: Database, team: Team, seeded: Seeded
) -> None:
    for name, call in LISTED.items():
        assert call(db, team.anna, seeded) == [], name
    assert len(use_cases.list_requests(db, team.boris)) == 2
    assert len(use_cases.list_tickets(db, team.boris)) == 1
    assert use_cases.counts(db, team.anna) == {
        "new": 0, "assigned": 0, "converted": 0, "rejected": 0,
    }  # fmt: skip


# --- the same through the CLI --------------------------------------------------

Argv = Callable[[Seeded], list[str]]
CLI_REFUSED: dict[str, Argv] = {
    "inbound show": lambda s: ["inbound", "show", str(s["request"])],
    "inbound accept": lambda s: ["inbound", "accept", str(s["request"])],
    "inbound reassign": lambda s: ["inbound", "reassign", str(s["request"]), "--to", "anna"],
    "inbound reject": lambda s: ["inbound", "reject", str(s["request"]), "--reason", "1"],
    "inbound link": lambda s: [
        "inbound",
        "link",
        str(s["request"]),
        "--client",
        str(s["anna_client"]),
    ],
    "inbound undo": lambda s: ["inbound", "undo", str(s["converted"])],
    "tickets show": lambda s: ["tickets", "show", str(s["ticket"])],
    "tickets state": lambda s: ["tickets", "state", str(s["ticket"]), "closed"],
}
CLI_NOT_PERMITTED: dict[str, Argv] = {
    "inbound poll": lambda s: ["inbound", "poll", str(s["source"])],
    "inbound process": lambda s: ["inbound", "process"],
    "rules list": lambda s: ["rules", "list"],
    "rules add": lambda s: [
        "rules",
        "add",
        str(s["source"]),
        "--name",
        "Моё",
        "--default",
        "--assign",
        "user",
        "--user",
        "anna",
    ],
    "rules edit": lambda s: [
        "rules",
        "edit",
        str(s["rule"]),
        "--name",
        "Моё",
        "--default",
        "--assign",
        "user",
        "--user",
        "anna",
    ],
    "rules remove": lambda s: ["rules", "remove", str(s["rule"])],
    "rules move": lambda s: ["rules", "move", str(s["rule"])],
    "rules test": lambda s: ["rules", "test", str(s["source"])],
    "sources list": lambda s: ["sources", "list"],
    "sources add": lambda s: ["sources", "add", "telegram", "Мой бот"],
    "sources set": lambda s: ["sources", "set", str(s["source"]), "--off"],
    "sources remove": lambda s: ["sources", "remove", str(s["source"])],
}
CLI_LISTS: dict[str, Argv] = {
    "inbound list": lambda s: ["inbound", "list"],
    "inbound counts": lambda s: ["inbound", "counts"],
    "tickets list": lambda s: ["tickets", "list"],
}
CLI_NO_RECORD = {"inbound reasons": "the shared list of rejection reasons"}
CLI_COVERED = {**CLI_REFUSED, **CLI_NOT_PERMITTED, **CLI_LISTS, **CLI_NO_RECORD}


def _cli(db_url: str, login: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    from desktop.cli import main
    from tests.integration.helpers import acting_as

    capsys.readouterr()
    code = main([*acting_as(db_url, login), *argv, "--json"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", sorted(CLI_REFUSED) + sorted(CLI_NOT_PERMITTED))
def test_the_cli_refuses_a_manager(
    db: Database,
    db_url: str,
    team: Team,
    seeded: Seeded,
    command: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = {**CLI_REFUSED, **CLI_NOT_PERMITTED}[command](seeded)
    before = row_counts(db)
    code, _, err = _cli(db_url, "anna", argv, capsys)
    assert code == 2
    expected = "may not do this" if command in CLI_NOT_PERMITTED else "another manager"
    assert expected in err
    assert row_counts(db) == before


def test_cli_lists_show_nothing_of_a_colleague(
    db: Database, db_url: str, team: Team, seeded: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    for command, argv in CLI_LISTS.items():
        code, mine, err = _cli(db_url, "boris", argv(seeded), capsys)
        assert code == 0, err
        code, theirs, err = _cli(db_url, "anna", argv(seeded), capsys)
        assert code == 0, err
        assert mine != theirs, command
        assert "Борису" not in theirs
        assert "касса" not in theirs.casefold()
