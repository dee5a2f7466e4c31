"""The contact import's CSV parser against hand-written samples of the
layouts people actually send (Google old and new, Outlook in English and
Russian, Excel's semicolons), and files that are not contacts at all. The
vCard parser is test_contact_files.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.core.errors import ValidationError
from services.exchange.contact_files import ContactRecord, parse_contact_file, parse_csv_text
from tests.unit.contact_file_helpers import only, write

GOOGLE_OLD = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,"
    "Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,"
    "Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,"
    "Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
    "E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,"
    "Phone 2 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,"
    "Organization 1 - Title,Organization 1 - Department\r\n"
    'Anna Petrova,Anna,,Petrova,,,,,,,,,,,,,,,,,,,,,,"Met at the expo\nwants a demo",,,'
    "* myContacts,* Work,anna@petrova.example ::: anna.p@mail.example,Home,"
    "anna@petrova.example,Mobile,+7 916 111-22-33 ::: +7 916 444-55-66,Work,+7 495 000-00-00,"
    ",Petrova & Co,,Director,Sales\r\n"
    ",John,,Smith,,,,,,,,,,,,,,,,,,,,,,,,,* myContacts,,,,,Mobile,+1 202 555 0101,,,,,,,\r\n"
)


def test_google_csv_old_format() -> None:
    result = parse_csv_text(GOOGLE_OLD, "google.csv")

    assert not result.rejected
    anna, john = result.records
    assert anna == ContactRecord(
        source="google.csv:line 2",
        full_name="Anna Petrova",
        organization="Petrova & Co",
        position="Director",
        emails=("anna@petrova.example", "anna.p@mail.example"),
        phones=("+7 916 111-22-33", "+7 916 444-55-66", "+7 495 000-00-00"),
        note="Met at the expo\nwants a demo",
        uid=None,
    )
    assert john.full_name == "John Smith"  # no "Name": built from the parts
    assert john.source == "google.csv:line 4"  # Anna's note spans two lines
    assert john.phones == ("+1 202 555 0101",)


GOOGLE_NEW = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,"
    "E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Phone 2 - Label,Phone 2 - Value\n"
    "Olga,Sergeevna,Kuznetsova,,,,,,,,Romashka LLC,Chief Accountant,,,,,* myContacts,* Work,"
    "olga@romashka.example,,,Mobile,+7 903 123 45 67,Work,+7 (495) 765-43-21 ext. 204\n"
    ",,,,,,,,,,Horns and Hooves,,,,,,* myContacts,,,,,Work,+7 812 000 00 00,,\n"
)


def test_google_csv_new_format() -> None:
    olga, company = parse_csv_text(GOOGLE_NEW, "contacts.csv").records

    assert olga.full_name == "Olga Sergeevna Kuznetsova"
    assert olga.organization == "Romashka LLC"
    assert olga.position == "Chief Accountant"
    assert olga.emails == ("olga@romashka.example",)
    assert olga.phones == ("+7 903 123 45 67", "+7 (495) 765-43-21 ext. 204")
    assert company.full_name == "Horns and Hooves"  # an organisation without a person


OUTLOOK_EN = (
    '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department",'
    '"Job Title","Business Street","Business Fax","Business Phone","Business Phone 2",'
    '"Home Phone","Mobile Phone","Pager","E-mail Address","E-mail Type","E-mail Display Name",'
    '"E-mail 2 Address","E-mail 3 Address","Notes"\r\n'
    '"Mr.","Robert","J.","Brown","","Contoso Ltd","IT","CIO","1 Main St","+1 425 555 0199",'
    '"+1 425 555 0100","","+1 425 555 0111","+1 425 555 0122","","rbrown@contoso.example","SMTP",'
    '"Robert Brown (rbrown@contoso.example)","robert.brown@home.example","",'
    '"Prefers email.\r\nDecision maker."\r\n'
    '"","Kate","","Lee","","","","","","","","","","","",'
    '"/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=kate","EX","Kate Lee",'
    '"kate.lee@example.com","",""\r\n'
)


def test_outlook_english_csv() -> None:
    robert, kate = parse_csv_text(OUTLOOK_EN, "outlook.csv").records

    assert robert == ContactRecord(
        source="outlook.csv:line 2",
        full_name="Robert J. Brown",
        organization="Contoso Ltd",
        position="CIO",  # "Job Title"; "Title" is the salutation
        emails=("rbrown@contoso.example", "robert.brown@home.example"),
        phones=("+1 425 555 0100", "+1 425 555 0111", "+1 425 555 0122"),  # no fax
        note="Prefers email.\nDecision maker.",
        uid=None,
    )
    assert kate.source == "outlook.csv:line 4"
    assert kate.emails == ("kate.lee@example.com",)  # the Exchange X.500 path is not an address


OUTLOOK_RU = (
    '"Обращение","Имя","Отчество","Фамилия","Суффикс","Организация","Отдел","Должность",'
    '"Рабочий факс","Рабочий телефон","Рабочий телефон 2","Мобильный телефон",'
    '"Домашний телефон","Адрес эл. почты","Тип эл. почты","Краткое имя эл. почты",'
    '"Адрес 2 эл. почты","Заметки"\r\n'
    '"г-н","Сергей","Петрович","Сидоров","","ООО «Вектор»","Отдел закупок","Начальник отдела",'
    '"+7 495 111-11-12","+7 495 111-11-11","","+7 926 222-22-22","","sidorov@vektor.example",'
    '"SMTP","Сидоров С.П.","","Звонить после 14:00"\r\n'
    '"","","","","","","","","","","","+7 926 333-33-33","","","","","",""\r\n'
)


def test_outlook_russian_csv_in_cp1251(tmp_path: Path) -> None:
    path = write(tmp_path, "контакты.csv", OUTLOOK_RU.encode("cp1251"))

    result = parse_contact_file(path)

    assert result.records == (
        ContactRecord(
            source="контакты.csv:line 2",
            full_name="Сергей Петрович Сидоров",
            organization="ООО «Вектор»",
            position="Начальник отдела",
            emails=("sidorov@vektor.example",),
            phones=("+7 495 111-11-11", "+7 926 222-22-22"),
            note="Звонить после 14:00",
            uid=None,
        ),
    )
    assert [(r.source, r.reason) for r in result.rejected] == [
        ("контакты.csv:line 3", "no name, organization or email (only phone numbers)")
    ]


def test_outlook_unicode_text_export_is_utf16_with_tabs(tmp_path: Path) -> None:
    text = (
        "First Name\tLast Name\tCompany\tJob Title\tMobile Phone\tE-mail Address\r\n"
        "Léa\tDurand\tÉditions Sud\tGérante\t+33 6 12 34 56 78\tlea@sud.example\r\n"
    )

    record = only(parse_contact_file(write(tmp_path, "contacts.txt", text.encode("utf-16"))))

    assert (record.full_name, record.organization) == ("Léa Durand", "Éditions Sud")
    assert record.phones == ("+33 6 12 34 56 78",)


def test_plain_csv_with_semicolons_and_excel_bom(tmp_path: Path) -> None:
    text = (
        "\ufeffName;E-mail;Phone;Company;Title\r\n"
        'Мария Иванова;maria@example.ru;+7 999 000-11-22;"Рога; копыта";Юрист\r\n'
        ";;;;\r\n"
        ";;+7 999 000-33-44;;Курьер\r\n"
        ";info@example.org;;;\r\n"
    )

    result = parse_contact_file(write(tmp_path, "clients.csv", text))

    maria, info = result.records
    assert maria.full_name == "Мария Иванова"
    assert maria.organization == "Рога; копыта"
    assert maria.position == "Юрист"  # "Title" alone means the position
    assert maria.phones == ("+7 999 000-11-22",)
    assert info.full_name == "info@example.org"
    assert info.source == "clients.csv:line 5"
    assert [(r.source, r.reason) for r in result.rejected] == [
        ("clients.csv:line 4", "no name, organization or email (only phone numbers)")
    ]


def test_plain_csv_lower_case_headers_with_position() -> None:
    text = "name,email,phone,company,position\nIgor,igor@example.com,8 800 555-35-35,Acme,CTO\n"

    (igor,) = parse_csv_text(text, "plain.csv").records

    assert (igor.full_name, igor.position, igor.organization) == ("Igor", "CTO", "Acme")
    assert igor.phones == ("8 800 555-35-35",)


def test_unknown_csv_columns_say_what_is_expected() -> None:
    with pytest.raises(ValidationError, match=r"unrecognised CSV columns.*name.*email.*phone"):
        parse_csv_text("Date,Amount,Currency\n2024-01-01,10,EUR\n", "bank.csv")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "not a text file"),
        ("noise.csv", b"\x98\x98\xff\xfe\x81\x98 garbage", "neither UTF-8 nor Windows-1251"),
        ("notes.csv", b"just some notes\nnothing tabular here\n", "unrecognised CSV columns"),
        ("empty.vcf", b"\r\n  \r\n", "is empty"),
        ("only-header.csv", b"First Name,Last Name,E-mail Address\r\n", "contains no contacts"),
    ],
)
def test_garbage_files_raise_a_validation_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_contact_file(write(tmp_path, name, content))


def test_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Cannot read"):
        parse_contact_file(tmp_path / "gone.vcf")
