"""One bad value never drops a contact; CSV exports of Thunderbird and Apple,
files without a header row, and ``--map``. Through the CLI, on both databases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from tests.conftest import DATA

EZ = DATA / "contacts" / "mangstadt_ez-vcard" / "src" / "test" / "resources" / "ezvcard"


class Cli:
    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--db", self.url, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> Any:
        code, out, err = self.run(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    def card(self, text: str) -> Any:
        [found] = self.json("clients", "list", "--text", text)
        return self.json("clients", "show", str(found["id"]))


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def _points(card: Any) -> list[str]:
    own = [p["normalized"] for p in card["points"]]
    return sorted(own + [p["normalized"] for c in card["contacts"] for p in c["points"]])


FULL_VCARD3 = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\n"
    "N:Шульц;Ханс;;Dr.;\r\nFN:Dr. Hans Schulz\r\nORG:Müller GmbH;Vertrieb\r\n"
    "TITLE:Leiter Vertrieb\r\n"
    "TEL;TYPE=WORK,VOICE:+49 1234 56788\r\n"
    "TEL;TYPE=CELL:+49 151 23456789\r\n"
    "TEL;TYPE=PAGER:pager\r\n"
    "TEL;TYPE=WORK:phone work\r\n"
    "EMAIL;TYPE=INTERNET:x@invalid\r\n"
    "EMAIL;TYPE=INTERNET,PREF:hans.schulz@mueller.example\r\n"
    "ADR;TYPE=WORK:;;Hauptstr. 1;Berlin;;10115;Germany\r\n"
    "URL:https://mueller.example\r\nBDAY:1970-01-01\r\nNOTE:Kunde seit 2010\r\n"
    "END:VCARD\r\n"
)


def test_a_full_vcard3_keeps_the_person_and_lists_each_skipped_value(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "schulz.vcf"
    path.write_text(FULL_VCARD3, encoding="utf-8")
    summary = cli.json("import", "contacts", str(path))
    assert (summary["created"], summary["updated"], summary["rejected"]) == (1, 0, [])
    [card] = summary["warnings"]
    assert card["source"] == "schulz.vcf#1"
    assert card["name"] == "Dr. Hans Schulz"
    reasons = "\n".join(card["warnings"])
    assert len(card["warnings"]) == 4, reasons
    for value in ("+49 1234 56788", "pager", "phone work", "x@invalid"):
        assert value in reasons
    assert "the domain needs a dot" in reasons
    company = cli.card("Müller")
    assert [c["full_name"] for c in company["contacts"]] == ["Dr. Hans Schulz"]
    assert company["contacts"][0]["position"] == "Leiter Vertrieb"
    assert _points(company) == ["+4915123456789", "hans.schulz@mueller.example"]
    # The text output names each skipped value too.
    path2 = tmp_path / "again.vcf"
    path2.write_text(FULL_VCARD3.replace("Hans", "Anna").replace("+49 151", "+49 152"))
    code, out, _err = cli.run("import", "contacts", str(path2))
    assert code == 0
    assert "again.vcf#1 (Dr. Anna Schulz)" in out
    assert "'+49 1234 56788'" in out
    assert "'x@invalid'" in out


@pytest.mark.parametrize(
    ("path", "company", "name", "kept", "skipped"),
    [
        (EZ / "issue" / "issue114.vcf", "Dummy", "Dummy, Dummy", [], "'+49 1234 56789'"),
        (
            EZ / "io" / "text" / "outlook-2003.vcf",
            "Company, The",
            "John Doe III",
            ["jdoe@hotmail.com"],
            "'BusinessPhone' (no phone number found)",
        ),
    ],
)
def test_real_exports_import_the_person_with_what_is_valid(
    cli: Cli, path: Path, company: str, name: str, kept: list[str], skipped: str
) -> None:
    summary = cli.json("import", "contacts", str(path))
    assert summary["created"] == 1
    assert summary["rejected"] == []
    [card] = summary["warnings"]
    assert card["name"] == name
    assert any(skipped in w for w in card["warnings"]), card["warnings"]
    found = cli.card(company)
    for address in kept:
        assert address in _points(found)


THUNDERBIRD_HEADER = (
    "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,"
    "Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,Home Address,Home Address 2,"
    "Home City,Home State,Home ZipCode,Home Country,Work Address,Work Address 2,Work City,"
    "Work State,Work ZipCode,Work Country,Job Title,Department,Organization,Web Page 1,"
    "Web Page 2,Birth Year,Birth Month,Birth Day,Custom 1,Custom 2,Custom 3,Custom 4,Notes,"
)


def _thunderbird_row(first: str, last: str, email: str, mobile: str, org: str) -> str:
    cells = [""] * 37
    cells[0], cells[1], cells[2], cells[4] = first, last, f"{first} {last}", email
    cells[9], cells[11], cells[24], cells[26] = "+7 495 000-00-00", mobile, "Инженер", org
    return ",".join(cells) + ","


@pytest.mark.parametrize("header", [True, False], ids=["with-header", "headerless"])
def test_thunderbird_csv_export(cli: Cli, tmp_path: Path, header: bool) -> None:
    rows = [
        _thunderbird_row("Иван", "Петров", "ivan@vector.example", "+7 916 123-45-67", "АО Вектор"),
        _thunderbird_row("Анна", "Смирнова", "anna@home.example", "+7 916 765-43-21", ""),
    ]
    path = tmp_path / "thunderbird.csv"
    path.write_text("\r\n".join(([THUNDERBIRD_HEADER] if header else []) + rows) + "\r\n")
    summary = cli.json("import", "contacts", str(path))
    assert (summary["created"], summary["rejected"], summary["warnings"]) == (2, [], [])
    vector = cli.card("вектор")
    [ivan] = vector["contacts"]
    assert (ivan["full_name"], ivan["position"]) == ("Иван Петров", "Инженер")
    # The fax column is not a phone.
    assert sorted(p["normalized"] for p in ivan["points"]) == [
        "+79161234567",
        "ivan@vector.example",
    ]
    anna = cli.card("Смирнова")
    assert _points(anna) == ["+79167654321", "anna@home.example"]


def test_apple_contacts_csv_export(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "apple.csv"
    path.write_text(
        "First,Last,Company,Job Title,Work Email,Home Email,iPhone,Work Phone,Work Fax,Note\n"
        "Пётр,Сидоров,ООО Ромашка,Директор,petr@romashka.example,,+7 916 111-22-33,,"
        "+7 495 999-99-99,Звонить утром\n",
        encoding="utf-8",
    )
    summary = cli.json("import", "contacts", str(path))
    assert (summary["created"], summary["rejected"]) == (1, [])
    card = cli.card("ромашка")
    [petr] = card["contacts"]
    assert (petr["full_name"], petr["position"]) == ("Пётр Сидоров", "Директор")
    assert sorted(p["normalized"] for p in petr["points"]) == [
        "+79161112233",
        "petr@romashka.example",
    ]


def test_a_csv_without_header_is_read_by_its_content(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "Иван Петров;ivan@example.com;+7 916 123-45-67\n"
        "Анна Смирнова;anna@example.com;+7 916 765-43-21\n",
        encoding="utf-8",
    )
    summary = cli.json("import", "contacts", str(path))
    assert (summary["created"], summary["rejected"]) == (2, [])
    assert _points(cli.card("Петров")) == ["+79161234567", "ivan@example.com"]


def test_csv_columns_named_by_map(cli: Cli, tmp_path: Path) -> None:
    before = cli.json("clients", "list")
    unknown = tmp_path / "crm.csv"
    unknown.write_text("Кто,Куда писать,Фирма\nИван Петров,ivan@example.com,АО Вектор\n")
    code, _out, err = cli.run("import", "contacts", str(unknown))
    assert code == 2
    assert "--map" in err
    assert err.count("\n") == 1
    assert cli.json("clients", "list") == before
    summary = cli.json(
        "import",
        "contacts",
        str(unknown),
        "--map",
        "name=Кто",
        "--map",
        "email=куда писать",
        "--map",
        "org=3",
    )
    assert (summary["created"], summary["rejected"]) == (1, [])
    vector = cli.card("вектор")
    assert [c["full_name"] for c in vector["contacts"]] == ["Иван Петров"]
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("Анна Смирнова,,+7 916 765-43-21,anna@example.com\n")
    summary = cli.json("import", "contacts", str(numbers), "--map", "name=1", "--map", "email=4")
    assert summary["created"] == 1
    assert _points(cli.card("Смирнова")) == ["anna@example.com"]
    code, _out, err = cli.run("import", "contacts", str(numbers), "--map", "planet=1")
    assert code == 2
    assert "unknown field 'planet'" in err
