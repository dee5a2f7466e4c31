"""Every JSON field a read command prints is in README.md, where that command is documented.

``touchpoint <command> --json`` is a contract that scripts learn from
README.md. Each read runs on a database where every list it prints has
items (``cli_world``: a synced mailbox, the outbox, a call log, a queued AI
draft, inbound requests, a ticket, sources, rules, a scenario run, a deputy
period; two users, Cyrillic text), and each field of its output, of its
items and of their nested objects and lists (``why.matched``,
``folders[].last_uid``, ``steps[].due_utc`` …) must be named as a field in
a code span of the README text that documents the command: its table row
and its "JSON shapes" line (a row's first cell, the synopsis, does not
count: its flags name no field; nor does a word of a flag, a value or the
choices in parentheses elsewhere, ``state (queued|sent)``); a nested field
README lists inside its parent's braces (``why{rule_id, …}``,
``folders[{role, …}]``) must be among those. What the writes that built
the world printed (``mail sync``, ``run-due``, ``link``, ``import``,
``export``, ``points add``, ``inbound poll`` …) is checked the same way,
and the ``replica`` commands on the real team server (PostgreSQL). A field
added to a command's JSON without README fails here, naming the command
and the field's path. A field README writes as ``name{}`` is a map whose
keys are data (custom field codes, a web form's labels, an error's
params), not fields.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import desktop.cli as desktop_cli
from tests.integration import cli_world, readme_fields
from tests.integration.cli_world import Cli, World
from tests.integration.replica_rig import Rig


def _reads(w: World) -> list[tuple[list[str], tuple[str, ...]]]:
    """Each read command with where README documents its JSON: table rows
    (the command's name) and lines of "JSON shapes" (``- LABEL:``)."""
    client, contact, deal, lead = str(w.client), str(w.contact), str(w.deal), str(w.lead)
    # A card nests the shapes of its party, contact, deals, colleagues, mailboxes, fields.
    card = ("card", "- card", "- clients/leads", "- contacts", "- deals", "- users")
    card += ("- mail accounts", "- fields")
    return [
        (["clients", "list"], ("clients list", "- clients/leads", "- contacts")),
        (
            ["--user", w.manager, "clients", "list"],
            ("clients list", "- clients/leads", "- contacts"),
        ),
        (["clients", "show", client], ("clients show", "- clients/leads", "- contacts")),
        (["leads", "show", lead], ("leads show", "- clients/leads", "- contacts")),
        (["contacts", "show", contact], ("contacts show", "- contacts")),
        (["deals", "show", deal], ("deals show", "- deals")),
        (["interactions", "show", str(w.interaction)], ("interactions show", "- interactions")),
        (["tasks", "show", str(w.task)], ("tasks show", "- tasks")),
        (["notes", "show", str(w.note)], ("notes show", "- notes")),
        (["card", "client", client], card),
        (["card", "lead", lead], card),
        (["card", "contact", contact], card),
        (["card", "deal", deal], card),
        (["history", "client", client], ("history", "- history")),
        (["history", "lead", lead], ("history", "- history")),
        (["feed", "--client", client], ("feed", "- feed")),
        (["feed", "--deal", deal, "--whole-history"], ("feed", "- feed")),
        (["why", str(w.letter)], ("why",)),
        (["why", str(w.tied_call)], ("why",)),
        (["users"], ("users", "- users")),
        (["users", "list", "--all"], ("users list", "- users")),
        (["users", "deputies"], ("users deputies",)),
        (["--user", w.manager, "users", "deputies"], ("users deputies",)),
        (["settings"], ("settings",)),
        (["pipelines", "list"], ("pipelines list",)),
        (["types", "list"], ("types list", "- types")),
        (["fields", "list"], ("fields list", "- fields")),
        (["mail", "account", "list"], ("mail account list", "- mail accounts")),
        (["mail", "letters"], ("mail letters",)),
        (["mail", "unlinked"], ("mail unlinked",)),
        (["outbox", "list"], ("outbox list", "- outbox items")),
        (["calls", "list"], ("calls list",)),
        (["drafts", "list"], ("drafts list", "- drafts")),
        (["templates", "list", "--all"], ("templates list", "- templates")),
        (["templates", "show", str(w.template)], ("templates show", "- templates")),
        (
            [
                "templates",
                "apply",
                str(w.template),
                "--client",
                client,
                "--contact",
                contact,
                "--deal",
                deal,
            ],
            ("templates apply", "- templates"),
        ),
        (["scenarios", "list", "--all"], ("scenarios list", "- scenarios")),
        (["scenarios", "show", str(w.scenario)], ("scenarios show", "- scenarios")),
        (
            ["scenarios", "show", str(w.scenario), "--client", client],
            ("scenarios show", "- scenarios"),
        ),
        (["scenarios", "runs"], ("scenarios runs", "- scenarios")),
        (["scenarios", "run", str(w.run)], ("scenarios run", "- scenarios")),
        (["inbound", "list"], ("inbound list", "- inbound requests")),
        (["--user", w.manager, "inbound", "list"], ("inbound list", "- inbound requests")),
        (["inbound", "show", str(w.request)], ("inbound show", "- inbound requests")),
        (
            ["inbound", "show", str(w.request), "--original"],
            ("inbound show", "- inbound requests"),
        ),
        (["inbound", "counts"], ("inbound counts", "- inbound requests")),
        (["inbound", "reasons"], ("inbound reasons", "- inbound requests")),
        (["sources", "list"], ("sources list", "- inbound requests")),
        (["rules", "list"], ("rules list", "- inbound requests")),
        (["rules", "test", str(w.source)], ("rules test", "- inbound requests")),
        (["tickets", "list"], ("tickets list", "- inbound requests")),
        (["--user", w.manager, "tickets", "list"], ("tickets list", "- inbound requests")),
        (["tickets", "show", str(w.ticket)], ("tickets show", "- inbound requests")),
        (["ai", "settings"], ("ai settings", "- ai settings")),
        (["selftest"], ("selftest",)),
    ]


# The writes that build the world, with where README documents what they print.
WRITES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("demo",): ("demo",),
    ("leads", "add"): ("leads add", "- clients/leads", "- contacts"),
    ("clients", "edit"): ("clients edit", "- clients/leads", "- contacts"),
    ("fields", "add"): ("fields add", "- fields"),
    ("users", "deputy"): ("users deputy",),
    ("templates", "add"): ("templates add", "- templates"),
    ("scenarios", "add"): ("scenarios add", "- scenarios"),
    ("scenarios", "add-step"): ("scenarios add-step", "- scenarios"),
    ("scenarios", "apply"): ("scenarios apply", "- scenarios"),
    ("points", "add"): ("points add", "- link"),
    ("mail", "account", "add"): ("mail account add", "- mail accounts"),
    ("mail", "sync"): ("mail sync",),
    ("run-due",): ("run-due", "- run-due", "mail sync", "- link", "- scenarios"),
    ("link",): ("link", "- link"),
    ("import", "contacts"): ("import contacts", "- import"),
    ("export", "interactions"): ("export interactions", "- import"),
    ("export", "calendar"): ("export calendar", "- import"),
    ("mail", "send"): ("mail send", "- outbox items"),
    ("calls", "import"): ("calls import",),
    ("sources", "add"): ("sources add", "- inbound requests"),
    ("rules", "add"): ("rules add", "- inbound requests"),
    ("inbound", "poll"): ("inbound poll", "- inbound requests"),
    ("ai", "settings"): ("ai settings", "- ai settings"),
    ("ai", "draft"): ("ai draft", "- ai settings"),
}


@pytest.fixture
def world(
    sqlite_template: Path,
    tmp_path: Path,
    mailbox: dict[str, Any],
    smtp: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Cli, World]:
    return cli_world.build(sqlite_template, tmp_path, mailbox, smtp, capsys, monkeypatch)


def _written(cli: Cli) -> list[tuple[list[str], tuple[str, ...], Any]]:
    """What the world's writes printed, each with where README documents it."""
    found = []
    for args, output in cli.printed:
        for words, places in WRITES.items():
            if args[: len(words)] == words:  # the command's words, then its arguments
                found.append((list(args), places, output))
    return found


def _undocumented(
    cli: Cli, w: World, written: list[tuple[list[str], tuple[str, ...], Any]]
) -> tuple[list[str], list[str]]:
    """The reads that printed nothing, and each field path README does not name
    beside its command (the reads run now, the writes as they printed)."""
    missing, empty = [], []
    reads = [(args, places, None) for args, places in _reads(w)]
    for args, places, printed in [*reads, *written]:
        output = cli.json(*args) if printed is None else printed
        if output in ([], {}):
            empty.append(" ".join(args))
        missing += readme_fields.not_in_readme(args, places, output)
    return empty, missing


def test_every_json_field_of_the_read_commands_is_in_readme_beside_the_command(
    world: tuple[Cli, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, w = world
    for args in (
        ["mail", "account", "list"], ["mail", "letters"], ["mail", "unlinked"],
        ["outbox", "list"], ["calls", "list"], ["drafts", "list"], ["inbound", "list"],
        ["tickets", "list"], ["sources", "list"], ["rules", "list"], ["scenarios", "runs"],
        ["users", "deputies"], ["inbound", "reasons"], ["fields", "list"],
    ):  # fmt: skip
        assert cli.json(*args), f"{' '.join(args)} printed an empty list: nothing is checked"
    [mailbox] = cli.json("mail", "account", "list")
    assert mailbox["folders"], "the mailbox's folders"
    assert cli.json("scenarios", "runs")[0]["steps"], "the run's steps"
    assert cli.json("why", str(w.tied_call))["candidates"], "the tie's other card"
    assert cli.json("why", str(w.letter))["source"] == "email"
    [unlinked] = cli.json("mail", "unlinked")
    assert unlinked["to"] == ["alice@example.test"]
    assert any(re.search("[а-яА-Я]", r["subject"]) for r in cli.json("inbound", "list"))

    written = _written(cli)
    seen = {words for words in WRITES for args, _p, _o in written if args[: len(words)] == [*words]}
    assert seen == set(WRITES), f"writes the world did not run: {set(WRITES) - seen}"
    empty, missing = _undocumented(cli, w, written)
    assert not empty, f"reads that printed nothing to check: {empty}"
    assert not missing, f"JSON fields README.md does not name beside their command: {missing}"

    # A field added to every object the CLI prints, top-level and nested, is caught.
    plain = desktop_cli.to_json
    monkeypatch.setattr(desktop_cli, "to_json", lambda payload: _with_extra(plain(payload)))
    _, missing = _undocumented(cli, w, [])
    tops = {" ".join(args) for args, _places in _reads(w)}
    assert {f"{cmd}: tracking_code" for cmd in tops} <= set(missing)
    for nested in (
        "mail account list: folders.tracking_code",
        "scenarios runs: steps.tracking_code",
        "inbound list: why.tracking_code",
        f"card client {w.client}: party.contacts.points.tracking_code",
    ):
        assert nested in missing
    # Inside ``why{…}`` only what README lists there counts, not a word of the line elsewhere.
    inbound = readme_fields.readme_for(("inbound list", "- inbound requests"))
    assert "processed" in readme_fields.field_names(inbound)
    assert "processed" not in (readme_fields.members(inbound, "why") or set())
    # A state's choices and a flag's words are no field names.
    outbox = readme_fields.readme_for(("outbox list", "- outbox items"))
    assert "state" in readme_fields.field_names(outbox)
    assert {"queued", "sending", "sent"}.isdisjoint(readme_fields.field_names(outbox))
    clients = readme_fields.readme_for(("clients edit",))
    assert "row_version" in readme_fields.field_names(clients)
    assert "version" not in readme_fields.field_names(clients)


def _with_extra(value: Any) -> Any:
    """Every object of a JSON value with one field more, one README does not know."""
    if isinstance(value, list):
        return [_with_extra(item) for item in value]
    if isinstance(value, dict):
        return {**{k: _with_extra(v) for k, v in value.items()}, "tracking_code": ""}
    return value


# The replica commands, on the real team server (PostgreSQL): what each prints
# and where README documents it (``resolve`` prints the status).
REPLICA: dict[tuple[str, ...], tuple[str, ...]] = {
    ("replica", "init"): ("replica init",),
    ("replica", "status"): ("replica status",),
    ("replica", "sync"): ("replica sync",),
    ("replica", "conflicts"): ("replica conflicts",),
    ("replica", "resolve"): ("replica resolve", "replica status"),
}


@pytest.mark.postgres
def test_every_json_field_of_the_replica_commands_is_in_readme_beside_the_command(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A laptop made from the command line, and Anna's with a conflict and a
    change the server refuses: every field of ``sync``, ``conflicts``,
    ``conflicts --refused``, ``resolve``, ``status`` and ``init``."""
    from sqlalchemy import select

    from models import Client

    printed: list[tuple[list[str], Any]] = []

    def run(*argv: str) -> Any:
        code = desktop_cli.main([*argv, "--json"])
        out, err = capsys.readouterr()
        assert code == 0, f"{' '.join(argv)}: {err}"
        printed.append((list(argv), json.loads(out)))
        return json.loads(out)

    boris, anna = str(tmp_path / "boris-cli.sqlite3"), str(tmp_path / "anna.sqlite3")
    login = rig.tdb.logins["boris"]
    run("replica", "init", "--server", rig.tdb.url_of("boris"), "--login", login, "--path", boris)
    rig.rival_addresses()
    with rig.laptop["anna"].uow(rig.local_actor("anna").id) as uow:
        row = uow.session.scalar(select(Client).where(Client.uid == rig.client_uid))
        assert row is not None
        row.region = "ZZ"  # past the use case: the server's check refuses it
        uow.commit()
    report = run("replica", "sync", "--path", anna)
    assert (report["conflicts"], len(report["refused"])) == (1, 1), report
    assert report["refused"][0]["params"], "the refusal's params"
    [conflict] = run("replica", "conflicts", "--path", anna)
    assert run("replica", "conflicts", "--refused", "--path", anna)
    run("replica", "resolve", str(conflict["id"]), "--keep", "mine", "--path", anna)
    run("replica", "status", "--path", anna)

    missing = []
    for args, output in printed:
        [places] = [p for words, p in REPLICA.items() if args[: len(words)] == [*words]]
        missing += readme_fields.not_in_readme(args, places, output)
    assert {tuple(a[:2]) for a, _o in printed} == set(REPLICA)
    assert not missing, f"JSON fields README.md does not name beside their command: {missing}"
