"""``touchpoint scenarios``: the JSON contract and refusals with nothing saved."""

from __future__ import annotations

from tests.integration.test_cli import Cli, cli  # noqa: F401 - the fixture


def test_a_chain_is_built_applied_listed_moved_and_cancelled(cli: Cli) -> None:  # noqa: F811
    client = cli.json("clients", "add", "ООО Ромашка", "--region", "RU")["id"]
    contact = cli.json(
        "contacts",
        "add",
        "Иванов Иван Петрович",
        "--client",
        str(client),
        "--email",
        "ivan@romashka.ru",
    )["id"]
    made = cli.json("scenarios", "add", "Знакомство", "--on-reply", "pause")
    sid = str(made["id"])
    assert (made["on_reply"], made["steps"]) == ("pause", [])
    cli.json(
        "scenarios", "add-step", sid, "--type", "email", "--time", "14:00",
        "--subject", "Здравствуйте, {{ contact.first_name }}", "--prompt", "Каталог во вложении",
        "--auto-send",
    )  # fmt: skip
    cli.json("scenarios", "add-step", sid, "--type", "call", "--delay", "2", "--time", "11:30")
    shown = cli.json("scenarios", "show", sid, "--client", str(client))
    assert [d["tz"] for d in shown["dates"]] == ["Europe/Moscow"] * 2
    assert [s["time_minutes"] for s in shown["scenario"]["steps"]] == [840, 690]
    run = cli.json("scenarios", "apply", sid, "--client", str(client), "--contact", str(contact))
    assert run["state"] == "active"
    assert [s["state"] for s in run["steps"]] == ["pending", "pending"]
    assert run["steps"][0]["subject"] == "Здравствуйте, Иван"
    assert run["steps"][0]["due_local"][11:16] == "14:00"
    listed = cli.json("scenarios", "runs", "--client", str(client))
    assert [r["id"] for r in listed] == [run["id"]]
    moved = cli.json(
        "scenarios", "move", str(run["steps"][0]["id"]), "--at", "2027-03-01 09:00"
    )  # a Monday; the call follows two working days later, at its own time
    assert [s["due_local"] for s in moved["steps"]] == [
        "2027-03-01T09:00:00",
        "2027-03-03T11:30:00",
    ]
    cancelled = cli.json("scenarios", "cancel", str(run["id"]))
    assert cancelled["state"] == "cancelled"
    assert {s["state"] for s in cancelled["steps"]} == {"cancelled"}
    feed = cli.json("feed", "--client", str(client))["items"]
    assert {i["state"] for i in feed if i["kind"] == "interaction"} == {"cancelled"}
    # The feed says which run and step each item is.
    labels = sorted(
        (i["scenario"], i["scenario_run_id"]) for i in feed if i["kind"] == "interaction"
    )
    assert labels == [
        ("«Знакомство», step 1 of 2", run["id"]),
        ("«Знакомство», step 2 of 2", run["id"]),
    ]
    parts = sorted(
        (
            i["scenario_step"]["position"],
            i["scenario_step"]["steps"],
            i["scenario_step"]["run_state"],
        )
        for i in feed
        if i["kind"] == "interaction"
    )
    assert parts == [(1, 2, "cancelled"), (2, 2, "cancelled")]
    assert {i["scenario_step"]["scenario"] for i in feed if i["kind"] == "interaction"} == {
        "Знакомство"
    }


def test_bad_steps_and_inactive_scenarios_are_refused_with_nothing_saved(
    cli: Cli,  # noqa: F811
) -> None:
    client = cli.json("clients", "add", "ООО Ромашка")["id"]
    contact = cli.json("contacts", "add", "Иванов Иван", "--client", str(client))["id"]
    sid = str(cli.json("scenarios", "add", "Пробный", "--inactive")["id"])
    before = cli.counts()
    for argv, message in (
        (["scenarios", "add-step", sid, "--type", "call", "--auto-send"], "only a letter"),
        (["scenarios", "add-step", sid, "--type", "call", "--time", "25:00"], "does not exist"),
        (["scenarios", "add-step", sid, "--type", "email", "--subject", "{{ x.y }}"], "Step 1"),
        (["scenarios", "apply", sid, "--client", str(client), "--contact", str(contact)],
         "not active"),
        (["scenarios", "cancel", "999"], "does not exist"),
    ):  # fmt: skip
        code, out, err = cli.run(*argv)
        assert code == 2, (argv, out)
        assert message in err, err
    assert cli.counts() == before


def test_archive_deletes_a_scenario_and_restore_undoes_it(cli: Cli) -> None:  # noqa: F811
    sid = str(cli.json("scenarios", "add", "Прощание")["id"])
    cli.json("scenarios", "add-step", sid, "--type", "call")
    gone = cli.json("scenarios", "archive", sid)
    assert (gone["id"], gone["name"]) == (int(sid), "Прощание")
    assert cli.json("scenarios", "list", "--all") == []
    code, _, err = cli.run("scenarios", "show", sid)
    assert code == 2, err
    assert "does not exist" in err
    back = cli.json("scenarios", "restore", sid)
    assert len(back["steps"]) == 1
    assert [s["name"] for s in cli.json("scenarios", "list")] == ["Прощание"]
    code, _, err = cli.run("scenarios", "archive", "999")
    assert code == 2, err
    assert "does not exist" in err
