"""The vCard parser against real exports (see tests/data/contacts/SOURCES.md)
and hand-written cards. CSV samples of the layouts people actually send,
and files that are neither, are test_contact_csv.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from services.core.errors import ValidationError
from services.exchange.contact_files import (
    ContactRecord,
    ParseResult,
    parse_contact_file,
    parse_vcard_text,
)
from tests.unit.contact_file_helpers import only, write

DATA = Path(__file__).resolve().parent.parent / "data" / "contacts"
VCARDS = sorted(DATA.rglob("*.vcf"))
ANDROID = "android_frameworks_opt_vcard/tests/res/raw"
EZ = "mangstadt_ez-vcard/src/test/resources/ezvcard/io/text"
EVOLUTION = "GNOME_evolution-data-server/tests/libebook/vcard"
KDE = "KDE_kcontacts/autotests/data"

_BEGIN = re.compile(rb"^\s*BEGIN\s*:\s*VCARD\s*$", re.I)
_END = re.compile(rb"^\s*END\s*:\s*VCARD\s*$", re.I)


def parse(relative: str) -> ParseResult:
    return parse_contact_file(DATA / relative)


def top_level_cards(data: bytes) -> int:
    count = depth = 0
    for line in re.split(rb"\r*\n|\r", data):
        if _BEGIN.match(line):
            count += depth == 0
            depth += 1
        elif _END.match(line):
            depth = max(depth - 1, 0)
    return count


# --- every real vCard -----------------------------------------------------------


def test_the_real_vcard_corpus_is_present() -> None:
    assert len(VCARDS) >= 90


@pytest.mark.parametrize("path", VCARDS, ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_real_vcard_is_imported_or_rejected_never_lost(path: Path) -> None:
    result = parse_contact_file(path)

    cards = top_level_cards(path.read_bytes())
    if cards == 0:
        assert not result.records
        assert [r.reason for r in result.rejected] == [
            "text outside BEGIN:VCARD ... END:VCARD (a card without BEGIN:VCARD?)"
        ]
    else:
        assert len(result.records) + len(result.rejected) == cards
    for record in result.records:
        assert record.full_name.strip() == record.full_name != ""
        assert record.source.startswith(f"{path.name}#")
        assert all("@" in e for e in record.emails)
        assert len({e.lower() for e in record.emails}) == len(record.emails)
        assert len(set(record.phones)) == len(record.phones)
        assert all(p and p == p.strip() for p in record.phones)
    for rejected in result.rejected:
        assert rejected.source.startswith(path.name)
        assert rejected.reason


# --- precise checks on real files -----------------------------------------------


def test_android_21_quoted_printable_utf8_names_and_a_photo() -> None:
    result = parse(f"{EZ}/John_Doe_ANDROID.vcf")

    assert not result.rejected
    names = [r.full_name for r in result.records]
    assert names == [
        "john.doe@company.com",  # no name at all: the email stands in
        "jane.doe@company.com",
        "Ñ Ñ Ñ Ñ Ñ",
        "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ",  # QP soft break in the middle of the value
        "Ñ Ñ Ñ Ñ",
        "ÑÑÑÑ",
    ]
    assert result.records[3].phones == ("123456", "234567", "3456789", "45678901")
    with_photo = result.records[4]
    assert with_photo.emails == ("bob@company.com",)  # the QP "email" without @ is dropped
    assert with_photo.organization == "Ñ" * 12
    assert with_photo.phones == ("123456",)
    assert result.records[5].organization == "Ñ" * 44  # QP value ended by a blank line


def test_android_21_complicated_card_with_photo_and_multiline_qp_note() -> None:
    record = only(parse(f"{ANDROID}/v21_complicated.vcf"))

    assert record.full_name == "Joe Due"
    assert record.organization == "Gump Shrimp Co."
    assert record.position == "Shrimp Man"
    assert record.emails == ("forrestgump@walladalla.com", "cell@example.com")
    assert record.phones == (
        "(111) 555-1212",
        "(404) 555-1212",
        "0311111111",
        "0322222222",
        "0333333333",
    )
    assert record.note == (
        "The following note is the example from RFC 2045.\n"
        "Now's the time for all folk to come to the aid of their country."
    )


def test_rfc6350_40_tel_uris_keep_the_extension() -> None:
    record = only(parse(f"{EZ}/rfc6350-example.vcf"))

    assert record.full_name == "Simon Perreault"
    assert record.organization == "Viagenie"
    assert record.emails == ("simon.perreault@viagenie.ca",)
    assert record.phones == ("+1-418-656-9254;ext=102", "+1-418-262-6501")


def test_kde_full_40_card() -> None:
    record = only(parse(f"{KDE}/testfullvcard.vcf"))

    assert record.full_name == "Sherlock Holmes"
    assert record.position == "Detective"
    assert record.emails == ("sherlock.holmes@gmail.com", "detective@sherlockholmes.com")
    assert record.phones == ("+44-555-555-5555;ext=5555", "+44-555-555-6666", "+44-555-555-7777")
    assert record.uid == "urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519"


def test_40_sip_uri_in_tel_is_not_a_phone() -> None:
    record = only(parse(f"{ANDROID}/v40_sip.vcf"))

    assert record.full_name == "安藤 ロイド"
    assert record.phones == ("1",)


def test_shift_jis_charset_on_plain_and_quoted_printable_values() -> None:
    record = only(parse(f"{ANDROID}/v21_japanese_2.vcf"))

    assert record.full_name == "安藤 ロイド 1"
    assert record.note == "メモ"


def test_multiple_shift_jis_cards_named_from_n() -> None:
    result = parse(f"{ANDROID}/v21_multiple_entry.vcf")

    assert [r.full_name for r in result.records] == ["安藤ロイド3", "安藤ロイド4", "安藤ロイド5"]
    assert result.records[0].phones == ("9", "10", "11", "12")


def test_folded_utf8_split_inside_a_character_and_cyrillic_note() -> None:
    record = only(parse(f"{KDE}/vcard9.vcf"))

    assert record.full_name == "βγδεαβγδ1" * 11
    assert record.note == (
        "Длинный комментарий на русском языке, чтобы в результате получилась "
        "строка более 70 символов."
    )


def test_evolution_multiline_qp_utf8_name() -> None:
    record = only(parse(f"{EVOLUTION}/12.vcf"))

    assert record.full_name == "Michael Brüning"
    assert record.emails == ("ext-Michael.Bruning@nokia.com",)
    assert record.phones == ("+491622433834", "017623384942", "+4973117546691")


def test_kde_21_qp_title_and_note_across_five_cards() -> None:
    result = parse(f"{KDE}/vcard10.vcf")

    assert [r.full_name for r in result.records] == [
        "Bike Shop",  # no FN or N: named after ORG
        "Field after Address broken",
        "Field after Address not broken",
        "Dr. med. Surname Name",
        "Second Doctor",
    ]
    doctor = result.records[3]
    assert doctor.position == "Facharzt für Allgemeinmedizin"
    assert doctor.note is not None
    assert doctor.note.splitlines()[:2] == ["Sprechzeiten:", "Mo   8–12, 15–18"]
    assert result.records[4].organization is None  # "ORG:" empty


def test_iphone_cr_cr_lf_line_ends_groups_and_a_large_photo() -> None:
    record = only(parse(f"{EZ}/John_Doe_IPHONE.vcf"))

    assert record.full_name == "Mr. John Richter James Doe Sr."
    assert record.organization == "IBM"
    assert record.position == "Money Counter"
    assert record.emails == ("john.doe@ibm.com",)  # item1.EMAIL
    assert record.phones == (
        "905-555-1234",
        "905-666-1234",
        "905-777-1234",
        "905-888-1234",
        "905-999-1234",
        "905-111-1234",
        "905-222-1234",
    )


def test_outlook_2007_qp_note_photo_and_certificate_blobs() -> None:
    record = only(parse(f"{EZ}/outlook-2007.vcf"))

    assert record.full_name == "Mr. Michael Angstadt Jr."
    assert record.organization == "TheCompany"
    assert record.position == "TheJobTitle"
    assert record.emails == ("mike.angstadt@gmail.com",)  # after KEY, before PHOTO
    assert record.phones == ("(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333")
    assert record.note is not None
    assert record.note.splitlines() == [
        "This is the NOTE field\t",
        "I assume it encodes this text inside a NOTE vCard type.",
        "But I'm not sure because there's text formatting going on here.",
        "It does not preserve the formatting",
    ]


def test_30_escapes_in_names_and_notes() -> None:
    evolution = only(parse(f"{EZ}/John_Doe_EVOLUTION.vcf"))
    thunderbird = only(parse(f"{EZ}/thunderbird-MoreFunctionsForAddressBook-extension.vcf"))

    assert evolution.full_name == "Mr. John Richter, James Doe Sr."
    assert evolution.emails == ("john.doe@ibm.com",)  # folded in the middle of the address
    assert evolution.phones == ("905-666-1234", "905-555-1234")
    assert thunderbird.note == (
        "This is the notes field.\nSecond Line\n\nFourth Line\n"
        'You can put anything in the "note" field; even curse words.'
    )


def test_nested_cards_are_ignored_and_the_parent_kept() -> None:
    record = only(parse(f"{ANDROID}/v21_nest.vcf"))

    assert record.full_name == "parent"
    assert record.phones == ("1",)


def test_qp_continuation_line_starting_with_hash_is_kept() -> None:
    record = only(parse(f"{ANDROID}/v21_invalid_comment_line.vcf"))

    assert record.full_name == "Conference Call"
    assert record.uid == "357"
    assert record.note == (
        "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."
    )


def test_odd_parameters_and_folded_headers() -> None:
    quoted_colon = only(parse(f"{ANDROID}/v30_comma_separated.vcf"))
    evil = only(parse(f"{EVOLUTION}/13.vcf"))
    display_name = only(parse(f"{ANDROID}/v21_invalid_multiple_line.vcf"))

    assert quoted_colon.phones == ("1",)  # TYPE="COMMA,SEPARATED:INSIDE.DQUOTE"
    assert evil.phones == ("+1-919-676-9515", "+1-919-676-9564")  # folded inside TYPE=
    assert evil.emails == ("Frank_Dawson@Lotus.com", "semicolon;@points.net")
    assert display_name.emails == ("omega@example.com",)  # from '"Omega" <omega@...>'


def test_fn_without_colon_falls_back_to_org() -> None:
    record = only(parse(f"{KDE}/vcard4.vcf"))

    assert record.full_name == "Ximian, Inc."
    assert record.organization == "Ximian, Inc."
    assert record.phones == ("(617) 236-0442", "(617) 236-8630")


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        (f"{EVOLUTION}/7.vcf", "text outside BEGIN:VCARD"),
        (f"{EVOLUTION}/8.vcf", "BEGIN:VCARD on line 1 has no matching END:VCARD"),
        (f"{EVOLUTION}/9.vcf", "BEGIN:VCARD on line 1 has no matching END:VCARD"),
        (f"{KDE}/vcard7.vcf", "no name, organization or email"),
        (f"{ANDROID}/v21_im.vcf", "no name, organization or email"),
    ],
)
def test_real_broken_cards_are_rejected_with_a_reason(relative: str, reason: str) -> None:
    result = parse(relative)

    assert not result.records
    assert len(result.rejected) == 1
    assert reason in result.rejected[0].reason


@pytest.mark.parametrize(
    "relative",
    [
        "mangstadt_ez-vcard/src/test/resources/ezvcard/io/json/jcard-example.json",
        "mangstadt_ez-vcard/src/test/resources/ezvcard/io/xml/rfc6351-example.xml",
    ],
)
def test_jcard_and_xcard_are_refused_clearly(relative: str) -> None:
    with pytest.raises(ValidationError, match="only vCard"):
        parse(relative)


# --- hand-written vCards --------------------------------------------------------

MIXED_CHARSETS_21 = (
    b"BEGIN:VCARD\r\n"
    b"VERSION:2.1\r\n"
    b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2;"
    b"=D0=98=D0=B2=D0=B0=D0=BD;;;\r\n"
    b"FN;CHARSET=WINDOWS-1251;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED =C8=E2=E0=ED=EE=E2=E8=F7 =\r\n"
    b"=C8=E2=E0=ED=EE=E2\r\n"
    b"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9E=D0=9E=D0=9E =C2=AB=D0=A0=D0=BE=D0=B3=\r\n"
    b"=D0=B0 =D0=B8 =D0=BA=D0=BE=D0=BF=D1=8B=D1=82=D0=B0=C2=BB;=D0=9E=D1=82=D0=B4=D0=B5=D0=BB\r\n"
    b"TITLE;CHARSET=KOI8-R;QUOTED-PRINTABLE:=ED=C5=CE=C5=C4=D6=C5=D2 =D0=CF =\r\n"
    b"=D0=D2=CF=C4=C1=D6=C1=CD\r\n"
    b"TEL;CELL;VOICE:+7 (916) 123-45-67\r\n"
    b"TEL;WORK:+7 495 123-45-67 \xd0\xb4\xd0\xbe\xd0\xb1. 12\r\n"
    b"EMAIL;INTERNET;PREF:ivanov@example.ru\r\n"
    b"EMAIL;INTERNET:IVANOV@example.ru\r\n"
    b"END:VCARD\r\n"
)


def test_21_charset_honoured_per_property(tmp_path: Path) -> None:
    record = only(parse_contact_file(write(tmp_path, "ivanov.vcf", MIXED_CHARSETS_21)))

    assert record.full_name == "Иван Иванович Иванов"  # FN in windows-1251, N in UTF-8
    assert record.organization == "ООО «Рога и копыта»"
    assert record.position == "Менеджер по продажам"  # KOI8-R, bare QUOTED-PRINTABLE param
    assert record.phones == ("+7 (916) 123-45-67", "+7 495 123-45-67 доб. 12")
    assert record.emails == ("ivanov@example.ru",)  # the upper-case repeat is a duplicate


def test_quoted_printable_in_already_decoded_text() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=90=D0=BD=D0=BD=D0=B0 =\r\n"
        "=D0=A1=D0=BC=D0=B8=D1=80=D0=BD=D0=BE=D0=B2=D0=B0\r\n"
        "NOTE;CHARSET=WINDOWS-1251;QUOTED-PRINTABLE:=C7=E2=EE=ED=E8=F2=FC =E2 10:00\r\n"
        "END:VCARD\r\n"
    )

    record = only(parse_vcard_text(text, "anna.vcf"))

    assert record.full_name == "Анна Смирнова"
    assert record.note == "Звонить в 10:00"


def test_21_raw_cp1251_without_charset(tmp_path: Path) -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:"
        + "Ёлкин;Пётр".encode("cp1251")
        + b"\r\nTEL;CELL:+7 916 000-00-00\r\nEND:VCARD\r\n"
    )

    record = only(parse_contact_file(write(tmp_path, "elkin.vcf", data)))

    assert record.full_name == "Пётр Ёлкин"


def test_21_base64_lines_flush_left_end_at_a_blank_line() -> None:
    text = (
        "BEGIN:VCARD\r\n"
        "VERSION:2.1\r\n"
        "N:Smith;Anna\r\n"
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYH\r\n"
        "BwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj\r\n"
        "NOTEandTELlookalike\r\n"
        "KCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAaACADASIAAhEBAxEB/8QAHwAAAQUBAQ==\r\n"
        "\r\n"
        "TEL;CELL:+1 555 0100\r\n"
        "EMAIL;INTERNET:anna@example.com\r\n"
        "END:VCARD\r\n"
    )

    record = only(parse_vcard_text(text, "anna.vcf"))

    assert record.full_name == "Anna Smith"
    assert record.phones == ("+1 555 0100",)
    assert record.emails == ("anna@example.com",)
    assert record.note is None


def test_30_text_escapes_groups_params_and_folding() -> None:
    text = (
        "BEGIN:VCARD\n"
        "VERSION:3.0\n"
        "N:O'Neil;Mary\\, Ann;;Dr.;\n"
        "ORG:Acme\\; Sons;R&D\n"
        "TITLE:Head of Sales\\, EMEA\n"
        "item1.EMAIL;TYPE=INTERNET,WORK:mary@acme.example\n"
        "item1.X-ABLabel:_$!<Work>!$_\n"
        "TEL;TYPE=WORK,VOICE:+44 20 7946 0000\n"
        "TEL;TYPE=CELL:+44 20 7946 0000\n"
        "TEL;VALUE=uri;TYPE=home:tel:+44-20-7946-0001\n"
        "NOTE:met at the fair\\nasked for a quote\\; call back\n"
        "\tin May\n"
        "UID:urn:uuid:1234\n"
        "END:VCARD\n"
    )

    record = only(parse_vcard_text(text, "mary.vcf"))

    assert record == ContactRecord(
        source="mary.vcf#1",
        full_name="Dr. Mary, Ann O'Neil",
        organization="Acme; Sons",
        position="Head of Sales, EMEA",
        emails=("mary@acme.example",),
        phones=("+44 20 7946 0000", "+44-20-7946-0001"),
        note="met at the fair\nasked for a quote; call backin May",
        uid="urn:uuid:1234",
    )


def test_agent_cards_inside_a_card_are_skipped() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss Person\r\nAGENT:\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Assistant\r\nEMAIL:assistant@example.com\r\n"
        "END:VCARD\r\n"
        "AGENT:BEGIN:VCARD\r\nFN:Inline Agent\r\nEMAIL:inline@example.com\r\nEND:VCARD\r\n"
        "EMAIL:boss@example.com\r\n"
        "END:VCARD\r\n"
    )

    record = only(parse_vcard_text(text, "boss.vcf"))

    assert record.full_name == "Boss Person"
    assert record.emails == ("boss@example.com",)


def test_a_card_cut_short_does_not_swallow_the_next_one() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Cut Short\nEMAIL:cut@example.com\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Next Card\nEND:VCARD\n"
    )

    result = parse_vcard_text(text, "cut.vcf")

    assert [r.full_name for r in result.records] == ["Next Card"]
    assert result.records[0].source == "cut.vcf#2"
    assert [(r.source, r.reason) for r in result.rejected] == [
        ("cut.vcf#1", "BEGIN:VCARD on line 1 has no matching END:VCARD")
    ]


def test_lines_without_begin_are_rejected_and_reading_goes_on() -> None:
    text = (
        "BEGIN:VCARD\nFN:First\nEND:VCARD\n"
        "VERSION:3.0\nFN:Orphan\nEND:VCARD\n"
        "BEGIN:VCARD\nFN:Third\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nTEL:+1 555 0199\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n"
    )

    result = parse_vcard_text(text, "mixed.vcf")

    assert [r.full_name for r in result.records] == ["First", "Third"]
    assert [(r.source, r.reason) for r in result.rejected] == [
        (
            "mixed.vcf:line 4",
            "text outside BEGIN:VCARD ... END:VCARD (a card without BEGIN:VCARD?)",
        ),
        ("mixed.vcf#3", "no name, organization or email (only phone numbers)"),
        ("mixed.vcf#4", "no name, organization or email"),
    ]


def test_utf16_vcard_and_vcard_saved_as_txt(tmp_path: Path) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Дмитриева\r\nEND:VCARD\r\n"

    utf16 = only(parse_contact_file(write(tmp_path, "zoe.vcf", text.encode("utf-16"))))
    as_txt = only(parse_contact_file(write(tmp_path, "zoe.txt", "\ufeff" + text)))

    assert utf16.full_name == as_txt.full_name == "Zoë Дмитриева"
