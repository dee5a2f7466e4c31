"""Every CLI command, run by a manager on another manager's records, is refused
or shows nothing of them (#15 item 5).

The commands come from the argparse tree: a command with no case below fails
``test_every_command_has_an_access_case``, so a new command cannot ship
without saying how it keeps colleagues' records apart.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.cli import build_parser
from tests.integration import test_inbound_access as inbound_access
from tests.integration.access_world import World, counts, leaks, run_cli
from tests.integration.access_world import world as world  # the seeded database

Argv = Callable[[World], list[str]]


def _card(w: World) -> list[str]:
    b = w.boris
    return ["--client", _s(b.client), "--contact", _s(b.contact), "--deal", _s(b.deal)]


def _s(value: int) -> str:
    return str(value)


def _client(w: World) -> list[str]:
    return ["--client", _s(w.boris.client)]


def _contact(w: World) -> list[str]:
    return ["--contact", _s(w.boris.contact)]


# Commands that take a record id: run by Anna on Boris's record, refused with
# nothing changed. Several cases for a command that reaches records in several ways.
REFUSED: dict[str, list[Argv]] = {
    "clients show": [lambda w: ["clients", "show", _s(w.boris.client)]],
    "leads show": [lambda w: ["leads", "show", _s(w.boris.lead)]],
    "contacts add": [
        lambda w: ["contacts", "add", "Шпион", "--client", _s(w.boris.client)],
        lambda w: ["contacts", "add", "Шпион", "--lead", _s(w.boris.lead)],
    ],
    "contacts show": [
        lambda w: ["contacts", "show", _s(w.boris.contact)],
        lambda w: ["contacts", "show", _s(w.boris.lead_contact)],
    ],
    "deals add": [
        lambda w: ["deals", "add", "Чужая", "--client", _s(w.boris.client)],
        lambda w: ["deals", "add", "Чужая", "--lead", _s(w.boris.lead)],
    ],
    "deals show": [lambda w: ["deals", "show", _s(w.boris.deal)]],
    "deals move": [lambda w: ["deals", "move", _s(w.boris.deal), "Proposal"]],
    "clients edit": [lambda w: ["clients", "edit", _s(w.boris.client), "--name", "Моё"]],
    "clients archive": [lambda w: ["clients", "archive", _s(w.boris.client)]],
    "clients unarchive": [lambda w: ["clients", "unarchive", _s(w.boris.client)]],
    "leads edit": [lambda w: ["leads", "edit", _s(w.boris.lead), "--owner", "anna"]],
    "leads convert": [lambda w: ["leads", "convert", _s(w.boris.lead)]],
    "clients transfer": [lambda w: ["clients", "transfer", _s(w.boris.client), "--to", "anna"]],
    "leads transfer": [lambda w: ["leads", "transfer", _s(w.boris.lead), "--to", "anna"]],
    "clients share": [lambda w: ["clients", "share", _s(w.boris.client), "--with", "anna"]],
    "clients unshare": [lambda w: ["clients", "unshare", _s(w.boris.client), "--with", "anna"]],
    "leads share": [lambda w: ["leads", "share", _s(w.boris.lead), "--with", "anna"]],
    "leads unshare": [lambda w: ["leads", "unshare", _s(w.boris.lead), "--with", "anna"]],
    "leads archive": [lambda w: ["leads", "archive", _s(w.boris.lead)]],
    "leads unarchive": [lambda w: ["leads", "unarchive", _s(w.boris.lead)]],
    "contacts edit": [
        lambda w: ["contacts", "edit", _s(w.boris.contact), "--name", "Шпион"],
        lambda w: ["contacts", "edit", _s(w.boris.lead_contact), "--position", "Шпион"],
    ],
    "contacts archive": [lambda w: ["contacts", "archive", _s(w.boris.contact)]],
    "contacts unarchive": [lambda w: ["contacts", "unarchive", _s(w.boris.lead_contact)]],
    "deals edit": [lambda w: ["deals", "edit", _s(w.boris.deal), "--amount", "1"]],
    "deals archive": [lambda w: ["deals", "archive", _s(w.boris.deal)]],
    "deals unarchive": [lambda w: ["deals", "unarchive", _s(w.boris.deal)]],
    "history": [
        lambda w: ["history", "client", _s(w.boris.client)],
        lambda w: ["history", "lead", _s(w.boris.lead)],
        lambda w: ["history", "contact", _s(w.boris.contact)],
        lambda w: ["history", "deal", _s(w.boris.deal)],
    ],
    "interactions add": [
        lambda w: ["interactions", "add", "--type", "call", "--client", _s(w.boris.client)],
        lambda w: ["interactions", "add", "--type", "call", "--lead", _s(w.boris.lead)],
        lambda w: ["interactions", "add", "--type", "call", "--deal", _s(w.boris.deal)],
        lambda w: [
            "interactions",
            "add",
            "--type",
            "call",
            "--client",
            _s(w.boris.anna_client),
            "--contact",
            _s(w.boris.contact),
        ],
    ],
    "interactions done": [lambda w: ["interactions", "done", _s(w.boris.planned)]],
    "interactions cancel": [lambda w: ["interactions", "cancel", _s(w.boris.planned)]],
    "interactions restore": [lambda w: ["interactions", "restore", _s(w.boris.planned)]],
    "interactions reschedule": [
        lambda w: ["interactions", "reschedule", _s(w.boris.planned), "--at", "2026-12-24 10:00"]
    ],
    "interactions show": [
        lambda w: ["interactions", "show", _s(w.boris.planned)],
        lambda w: ["interactions", "show", _s(w.boris.letter_interaction)],
    ],
    "feed": [
        lambda w: ["feed", "--client", _s(w.boris.client)],
        lambda w: ["feed", "--lead", _s(w.boris.lead)],
        lambda w: ["feed", "--contact", _s(w.boris.contact)],
        lambda w: ["feed", "--deal", _s(w.boris.deal)],
    ],
    "notes add": [
        lambda w: ["notes", "add", "client", _s(w.boris.client), "Подсмотрено"],
        lambda w: ["notes", "add", "lead", _s(w.boris.lead), "Подсмотрено"],
        lambda w: ["notes", "add", "contact", _s(w.boris.contact), "Подсмотрено"],
        lambda w: ["notes", "add", "deal", _s(w.boris.deal), "Подсмотрено"],
    ],
    "notes show": [lambda w: ["notes", "show", _s(w.boris.note)]],
    "notes edit": [lambda w: ["notes", "edit", _s(w.boris.note), "Переписано"]],
    "notes remove": [lambda w: ["notes", "remove", _s(w.boris.note)]],
    "attachments list": [
        lambda w: ["attachments", "list", "client", _s(w.boris.client)],
        lambda w: ["attachments", "list", "deal", _s(w.boris.deal)],
    ],
    "attachments remove": [lambda w: ["attachments", "remove", _s(w.boris.attachment)]],
    "memo add": [
        lambda w: ["memo", "add", "contact", _s(w.boris.contact), "Чужая памятка"],
        lambda w: ["memo", "add", "deal", _s(w.boris.deal), "Чужая памятка"],
    ],
    "memo edit": [lambda w: ["memo", "edit", "client", _s(w.boris.client), "Переписано"]],
    "tasks add": [
        lambda w: ["tasks", "add", "client", _s(w.boris.client), "Чужая задача"],
        lambda w: ["tasks", "add", "contact", _s(w.boris.contact), "Чужая задача"],
        lambda w: ["tasks", "add", "deal", _s(w.boris.deal), "Чужая задача"],
    ],
    "tasks done": [lambda w: ["tasks", "done", _s(w.boris.task)]],
    "tasks show": [lambda w: ["tasks", "show", _s(w.boris.task)]],
    "tasks edit": [
        lambda w: ["tasks", "edit", _s(w.boris.task), "--title", "Чужая задача"],
        lambda w: ["tasks", "edit", _s(w.boris.task), "--no-deadline"],
    ],
    "tasks reopen": [lambda w: ["tasks", "reopen", _s(w.boris.task)]],
    "tasks remove": [lambda w: ["tasks", "remove", _s(w.boris.task)]],
    "card": [
        lambda w: ["card", "client", _s(w.boris.client)],
        lambda w: ["card", "lead", _s(w.boris.lead)],
        lambda w: ["card", "contact", _s(w.boris.contact)],
        lambda w: ["card", "deal", _s(w.boris.deal)],
    ],
    "mail account set": [lambda w: ["mail", "account", "set", _s(w.boris.account), "--name", "x"]],
    "mail account remove": [lambda w: ["mail", "account", "remove", _s(w.boris.account)]],
    "mail sync": [lambda w: ["mail", "sync", "--account", _s(w.boris.account)]],
    "mail send": [
        lambda w: [
            "mail",
            "send",
            "--account",
            _s(w.boris.account),
            "--to",
            "x@example.test",
            "--subject",
            "Тема",
            "--body",
            "Текст",
            "--client",
            _s(w.boris.anna_client),
        ]
    ],
    "mail link": [
        lambda w: [
            "mail",
            "link",
            _s(w.boris.unlinked_letter),
            "--client",
            _s(w.boris.anna_client),
        ],
        lambda w: ["mail", "link", _s(w.boris.letter), "--client", _s(w.boris.anna_client)],
    ],
    "mail unlink": [lambda w: ["mail", "unlink", _s(w.boris.letter)]],
    "outbox send-due": [lambda w: ["outbox", "send-due", "--account", _s(w.boris.account)]],
    "outbox cancel": [lambda w: ["outbox", "cancel", _s(w.boris.outbox)]],
    "points add": [
        lambda w: ["points", "add", "--client", _s(w.boris.client), "--email", "spy@anna.example"],
        lambda w: ["points", "add", "--lead", _s(w.boris.lead), "--phone", "+7 495 000-00-01"],
        lambda w: ["points", "add", "--contact", _s(w.boris.contact), "--email", "s@anna.example"],
    ],
    "why": [
        lambda w: ["why", _s(w.boris.letter_interaction)],
        lambda w: ["why", _s(w.boris.call_interaction)],
    ],
    "drafts list": [lambda w: ["drafts", "list", "--client", _s(w.boris.client)]],
    "drafts drop": [lambda w: ["drafts", "drop", _s(w.boris.draft)]],
    "calls link": [
        lambda w: ["calls", "link", _s(w.boris.call), "--client", _s(w.boris.anna_client)]
    ],
    "calls unlink": [lambda w: ["calls", "unlink", _s(w.boris.call)]],
    "templates apply": [lambda w: ["templates", "apply", _s(w.boris.template), *_card(w)]],
    "templates edit": [lambda w: ["templates", "edit", _s(w.boris.template), "--name", "Моё"]],
    "ai draft": [lambda w: ["ai", "draft", _s(w.boris.template), *_card(w), "--preview"]],
    "scenarios show": [lambda w: ["scenarios", "show", _s(w.boris.scenario), *_client(w)]],
    "scenarios apply": [
        lambda w: ["scenarios", "apply", _s(w.boris.scenario), *_client(w), *_contact(w)]
    ],
    "scenarios run": [lambda w: ["scenarios", "run", _s(w.boris.run)]],
    "scenarios move": [
        lambda w: ["scenarios", "move", _s(w.boris.run_step), "--at", "2026-12-10 10:00"]
    ],
    "scenarios cancel": [lambda w: ["scenarios", "cancel", _s(w.boris.run)]],
    "scenarios resume": [lambda w: ["scenarios", "resume", _s(w.boris.run)]],
    "scenarios edit": [lambda w: ["scenarios", "edit", _s(w.boris.scenario), "--name", "Моё"]],
    "scenarios add-step": [
        lambda w: ["scenarios", "add-step", _s(w.boris.scenario), "--type", "call"]
    ],
    "scenarios move-step": [lambda w: ["scenarios", "move-step", _s(w.boris.scenario), "1", "2"]],
    "scenarios copy-step": [lambda w: ["scenarios", "copy-step", _s(w.boris.scenario), "1"]],
    "scenarios remove-step": [lambda w: ["scenarios", "remove-step", _s(w.boris.scenario), "1"]],
    "scenarios archive": [lambda w: ["scenarios", "archive", _s(w.boris.scenario)]],
    "scenarios restore": [lambda w: ["scenarios", "restore", _s(w.boris.scenario)]],
}

# Commands that need a permission a manager's role lacks.
NOT_PERMITTED: dict[str, Argv] = {
    "ai settings": lambda w: ["ai", "settings", "--model", "чужая-модель"],
    "pipelines add": lambda w: ["pipelines", "add", "Чужая воронка", "--stage", "Один"],
    "pipelines edit": lambda w: ["pipelines", "edit", "1", "--name", "Чужая"],
    "pipelines stage-add": lambda w: ["pipelines", "stage-add", "1", "Шпионаж"],
    "pipelines stage-rename": lambda w: ["pipelines", "stage-rename", "1", "1", "Шпион"],
    "pipelines stage-move": lambda w: ["pipelines", "stage-move", "1", "1", "2"],
    "pipelines stage-remove": lambda w: ["pipelines", "stage-remove", "1", "1"],
    "settings": lambda w: ["settings", "default_region", "US"],
    "backup": lambda w: ["backup", str(w.tmp / "copy.sqlite3")],
    "restore": lambda w: ["restore", str(w.tmp / "copy.sqlite3")],
    "types add": lambda w: ["types", "add", "Шпионаж"],
    "types rename": lambda w: ["types", "rename", "call", "--ru", "Шпион"],
    "types move": lambda w: ["types", "move", "other", "1"],
    "types hide": lambda w: ["types", "hide", "call"],
    "types show": lambda w: ["types", "show", "call"],
    "fields add": lambda w: ["fields", "add", "client", "spy", "Шпион"],
    "fields remove": lambda w: ["fields", "remove", "client", "spy"],
    "fields rename": lambda w: ["fields", "rename", "client", "spy", "--ru", "Шпион"],
    "fields move": lambda w: ["fields", "move", "client", "spy", "1"],
    "users add": lambda w: ["users", "add", "spy", "Шпион"],
    "users set-role": lambda w: ["users", "set-role", "anna", "Administrator"],
    "users deactivate": lambda w: ["users", "deactivate", "boris"],
    "users activate": lambda w: ["users", "activate", "gone"],
}

# Commands that list: they run, and nothing of Boris's shows (a file they
# write is read too). The same command run by Boris shows his records, so
# each case really looks where his records would be.
LISTS: dict[str, Argv] = {
    "clients list": lambda w: ["clients", "list"],
    "export interactions": lambda w: ["export", "interactions", str(w.tmp / "out.csv")],
    "export calendar": lambda w: ["export", "calendar", str(w.tmp / "out.ics")],
    "mail account list": lambda w: ["mail", "account", "list"],
    "mail unlinked": lambda w: ["mail", "unlinked"],
    "mail letters": lambda w: ["mail", "letters"],
    "calls list": lambda w: ["calls", "list"],
    "outbox list": lambda w: ["outbox", "list"],
    "drafts list": lambda w: ["drafts", "list"],
    "scenarios runs": lambda w: ["scenarios", "runs"],
}

# Commands that take no record of anyone's, with the reason.
NO_RECORD = {
    "demo": "fills an empty database only; refused where clients exist",
    "clients add": "creates a record; an address another card has is refused without naming it",
    "leads add": "creates a record; an address another card has is refused without naming it",
    "import contacts": "creates the actor's records; matches only the actor's own (see below)",
    "types list": "interaction types are shared by every user (SPEC A1)",
    "fields list": "field definitions are shared by every user; no card values",
    "pipelines list": "pipelines and stages are shared; deal counts per stage, no deal data",
    "users list": "colleagues' names and roles are shared by design (pickers, @mentions)",
    "mail account add": "adds the actor's own account",
    "link": "the scheduled job over all mail and calls; it prints counts only",
    "calls import": "a shared PBX log; prints counts and its own file's lines only",
    "selftest": "checks the installation; reads no records",
    "templates list": "templates are shared by every user of the database (SPEC E1)",
    "templates show": "templates are shared by every user of the database (SPEC E1)",
    "templates add": "creates the actor's own template",
    "templates check": "checks a text or a shared template; reads no client data",
    "ai settings": "shows the database's AI server (never the key); changing it is refused",
    "ai test": "a fixed one-word prompt; no record goes to the server",
    "run-due": "the scheduler's pass (as the app's ticker) for cron; job summaries only",
    "scenarios list": "scenarios are shared by every user of the database (SPEC F1)",
    "scenarios add": "creates the actor's own scenario",
    # Team databases (#19): refused on the embedded file; on PostgreSQL they
    # need the settings permission (tests/integration/test_team_rls.py).
    "admin init": "the database owner sets up a team database; no record of anyone's",
    "admin migrate": "the database owner upgrades the schema; no record of anyone's",
    "admin add-user": "administrators only; a login and a user, no client data",
    "admin set-role": "administrators only; a colleague's role, no client data",
    "admin deactivate": "administrators only; a colleague's login, no client data",
    "users deputy": "names a deputy for the actor's own absence (another's: administrators)",
    "users deputies": "only the actor's own periods (test_access_services.py, test_deputies.py)",
    "sources token": "settings permission; a bot token, no record (test_telegram_poll.py)",
    # Laptop replicas (#20): the login's own file; the server's row-level
    # security decides what comes down and refuses what goes up.
    "replica init": "seeds with what the login sees on the server (test_sync_pull.py)",
    "replica status": "counts of the actor's own replica; no record",
    "replica sync": "pushes as the login: a colleague's record is refused (test_replica_push.py)",
    "replica conflicts": "only conflicts of records the actor may see (test_replica_log.py)",
    "replica resolve": "a colleague's conflict is refused (test_replica_log.py)",
}
# Inbound requests and tickets (#18): walked in tests/integration/test_inbound_access.py.
NO_RECORD |= {name: "test_inbound_access.py" for name in inbound_access.CLI_COVERED}


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return [
                leaf
                for name, child in action.choices.items()
                for leaf in _leaves(child, (*prefix, name))
            ]
    return [" ".join(prefix)]


def test_every_command_has_an_access_case() -> None:
    commands = set(_leaves(build_parser()))
    covered = set(REFUSED) | set(NOT_PERMITTED) | set(LISTS) | set(NO_RECORD)
    missing = sorted(commands - covered)
    assert not missing, f"commands without an access case: {missing}"
    assert not sorted(covered - commands), "cases for commands that do not exist"


REFUSED_CASES = [
    pytest.param(name, i, id=f"{name}-{i}")
    for name, argvs in REFUSED.items()
    for i in range(len(argvs))
]


@pytest.mark.parametrize(("command", "index"), REFUSED_CASES)
def test_a_manager_cannot_reach_a_colleagues_record(
    world: World, capsys: pytest.CaptureFixture[str], command: str, index: int
) -> None:
    argv = REFUSED[command][index](world)
    before = counts(world)
    code, out, err = run_cli(capsys, world, "anna", argv)
    assert code == 2, (argv, out, err)
    refusals = ("belongs to another manager", "does not exist", "is someone else's")
    assert any(r in err for r in refusals), err
    assert not leaks(out + err)
    assert counts(world) == before


@pytest.mark.parametrize("command", sorted(NOT_PERMITTED))
def test_a_manager_lacks_the_permission(
    world: World, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    before = counts(world)
    code, _, err = run_cli(capsys, world, "anna", NOT_PERMITTED[command](world))
    assert code == 2
    assert "may not do this" in err
    assert counts(world) == before


@pytest.mark.parametrize("command", sorted(LISTS))
def test_lists_show_nothing_of_a_colleague(
    world: World, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    argv = LISTS[command](world)

    def shown(login: str) -> str:
        code, out, err = run_cli(capsys, world, login, [*argv, "--json"])
        assert code == 0, err
        files = [Path(a) for a in argv if a.startswith(str(world.tmp))]
        return out + "".join(p.read_text(encoding="utf-8") for p in files)

    assert leaks(shown("boris")), "the case must look where Boris's records are"
    assert not leaks(shown("anna"))
