"""Contact points: libphonenumber's own parse cases, Russian formats, emails, handles."""

from __future__ import annotations

import csv
import string
import zoneinfo
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

from services.core.errors import ValidationError
from services.core.normalize import (
    _zones_by_country,
    normalize_contact_point,
    normalize_email,
    normalize_phone,
    region_for_phone,
    timezone_for_phone,
    timezone_for_region,
)

CASES_CSV = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "phones"
    / "libphonenumber_PhoneNumberUtilTest_parse_cases.csv"
)
with CASES_CSV.open(encoding="utf-8", newline="") as _file:
    CASES = list(csv.DictReader(_file))

TOO_SHORT = "too short"
TOO_LONG = "too long"
NO_AREA_CODE = "the area code is missing"
NOT_IN_PLAN = "no such number in the numbering plan"

# Upstream parses these, Touchpoint rejects them. libphonenumber's tests run against
# its made-up test metadata; under the real metadata none of these numbers can
# exist, and a CRM must not store them. Keyed by the case's `line`; the value is the
# hint our error message must give.
REJECTED_UPSTREAM_PARSES: dict[int, str] = {
    # NANP area or exchange codes that start with 1 (123-456-7890, 212-123-1234 ...).
    2159: NOT_IN_PLAN,
    2701: NOT_IN_PLAN,
    2703: NOT_IN_PLAN,
    2705: NOT_IN_PLAN,
    2712: NOT_IN_PLAN,
    2713: NOT_IN_PLAN,
    2830: NOT_IN_PLAN,
    2832: NOT_IN_PLAN,
    # Ranges that exist only in the test metadata: NZ 6-4, GB 0123, AR 23, BY 812.
    2151: NOT_IN_PLAN,
    2174: NOT_IN_PLAN,
    2292: NOT_IN_PLAN,
    2293: NOT_IN_PLAN,
    2618: NOT_IN_PLAN,
    2622: NOT_IN_PLAN,
    # Local numbers without their area code (US 253-0000, AR 8142-9712, BY 81234).
    2142: NO_AREA_CODE,
    2144: NO_AREA_CODE,
    2146: NO_AREA_CODE,
    2304: NO_AREA_CODE,
    2613: NO_AREA_CODE,
    # Short codes and fragments: "12", "000", "*2345", "8123".
    2161: TOO_SHORT,
    2167: TOO_SHORT,
    2611: TOO_SHORT,
    2894: TOO_SHORT,
    2900: TOO_SHORT,
    2906: TOO_SHORT,
    2912: TOO_SHORT,
    # "1800 SIX FLAGS": upstream keeps a 12th digit that the real plan does not allow.
    2632: TOO_LONG,
    2634: TOO_LONG,
    2635: TOO_LONG,
    2636: TOO_LONG,
    2639: TOO_LONG,
    2852: TOO_LONG,
    # Mexico's 01/044/045 and mobile "1" prefixes, abolished by the 2019 dialling reform.
    2316: TOO_LONG,
    2322: TOO_LONG,
    2323: TOO_LONG,
    2324: TOO_LONG,
    # RFC 3966 syntax tests: phone-context glued to a national number with its trunk 0.
    2928: NOT_IN_PLAN,
    2933: NOT_IN_PLAN,
    2938: TOO_LONG,
}


def _expected(case: dict[str, str]) -> str | None:
    """The E.164 a case must normalize to, or None when it must be rejected."""
    outcome = case["libphonenumber_test_outcome"]
    if outcome.startswith("NumberParseException") or int(case["line"]) in REJECTED_UPSTREAM_PARSES:
        return None
    if outcome == "parsed":
        return case["libphonenumber_test_expected"]
    assert outcome == "other-assertion", outcome
    # A formatting test asserts no parse result: the real metadata's verdict stands.
    return case["phonenumbers_real_e164"] if case["phonenumbers_real_valid"] == "True" else None


def test_case_file_is_complete() -> None:
    lines = [case["line"] for case in CASES]
    assert len(CASES) == 217
    assert len(set(lines)) == len(lines)


def test_rejected_upstream_parses_are_parsed_upstream_and_invalid_in_real_metadata() -> None:
    by_line = {int(case["line"]): case for case in CASES}
    for line in REJECTED_UPSTREAM_PARSES:
        assert by_line[line]["libphonenumber_test_outcome"] == "parsed", line
        assert by_line[line]["phonenumbers_real_valid"] == "False", line


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=f"L{case['line']}-{case['method']}") for case in CASES]
)
def test_libphonenumber_parse_case(case: dict[str, str]) -> None:
    region = "ZZ" if case["region"] == "null" else case["region"]  # Java's null region
    expected = _expected(case)
    if expected is not None:
        assert normalize_phone(case["raw"], region) == expected
        return
    with pytest.raises(ValidationError) as caught:
        normalize_phone(case["raw"], region)
    assert caught.value.field == "phone"
    message = str(caught.value)
    assert message == "Phone number is empty" or message.startswith(
        f"Not a valid phone number: {case['raw']!r}"
    )
    hint = REJECTED_UPSTREAM_PARSES.get(int(case["line"]))
    if hint is not None:
        assert message.endswith(f"({hint})")


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("8 (495) 123-45-67", "RU", "+74951234567"),
        ("84951234567", "RU", "+74951234567"),
        ("7 495 123 45 67", "RU", "+74951234567"),
        ("+7 (495) 123-45-67", "RU", "+74951234567"),
        ("+7 (495) 123-45-67", "US", "+74951234567"),
        ("8 916 123-45-67", "RU", "+79161234567"),
        ("+7 495 123-45-67 доб. 123", "RU", "+74951234567;ext=123"),
        ("+7 495 123-45-67 доб.123", "RU", "+74951234567;ext=123"),
        ("+7 495 123-45-67 доб.: 123", "RU", "+74951234567;ext=123"),
        ("8 (495) 123-45-67, добавочный 123", "RU", "+74951234567;ext=123"),
        ("8 (495) 123-45-67 ДОБАВОЧНЫЙ: 45", "RU", "+74951234567;ext=45"),
        ("+7 495 123-45-67 (доб. 123)", "RU", "+74951234567;ext=123"),
        ("+74951234567;ext=123", "RU", "+74951234567;ext=123"),
        ("+7 701 123 4567", "RU", "+77011234567"),
        ("8 (727) 258-12-34", "KZ", "+77272581234"),
        ("  (650) 253-0000 ", "US", "+16502530000"),
        ("Тел.: +7 495 123-45-67", "RU", "+74951234567"),
    ],
)
def test_normalize_phone(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12", "Not a valid phone number: '12' (too short)"),
        ("8 (495) 123-45", "Not a valid phone number: '8 (495) 123-45' (too short)"),
        (
            "+7 495 123-45-67-89",
            "Not a valid phone number: '+7 495 123-45-67-89' (wrong number of digits)",
        ),
        ("позвонить Ивану", "Not a valid phone number: 'позвонить Ивану' (no phone number found)"),
        ("+999 123 456", "Not a valid phone number: '+999 123 456' (unknown country code)"),
        ("   ", "Phone number is empty"),
        ("1" * 100, f"Not a valid phone number: '{'1' * 57}...' (too long)"),
    ],
)
def test_normalize_phone_rejects_with_a_clear_message(raw: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert str(caught.value) == message
    assert caught.value.field == "phone"


def test_plus_seven_seven_is_kazakhstan_not_russia() -> None:
    assert region_for_phone(normalize_phone("+7 701 123 4567")) == "KZ"
    assert region_for_phone(normalize_phone("+7 727 258 12 34")) == "KZ"
    assert region_for_phone(normalize_phone("+7 495 123 45 67")) == "RU"


@pytest.mark.parametrize(
    ("e164", "region"),
    [
        ("+74951234567", "RU"),
        ("+74951234567;ext=12", "RU"),
        ("+16502530000", "US"),
        ("+80012345678", None),  # international freephone: no country
        ("+7495", None),
        ("not a number", None),
    ],
)
def test_region_for_phone(e164: str, region: str | None) -> None:
    assert region_for_phone(e164) == region


@pytest.mark.parametrize(
    ("e164", "zone"),
    [
        ("+74951234567", "Europe/Moscow"),
        ("+74951234567;ext=12", "Europe/Moscow"),
        ("+74232022511", "Asia/Vladivostok"),
        ("+77272581234", "Asia/Almaty"),
        ("+16502530000", "America/Los_Angeles"),
        # libphonenumber says Europe/Paris, which keeps DST that Algeria does not.
        ("+21312345678", "Africa/Algiers"),
        ("+79161234567", None),  # Russian mobiles are not tied to a zone
        ("+80012345678", None),
        ("garbage", None),
    ],
)
def test_timezone_for_phone(e164: str, zone: str | None) -> None:
    assert timezone_for_phone(e164) == zone


@pytest.mark.parametrize(
    ("region", "zone"),
    [
        ("RU", "Europe/Moscow"),
        ("ru", "Europe/Moscow"),
        ("US", "America/New_York"),
        ("KZ", "Asia/Almaty"),
        ("BY", "Europe/Minsk"),
        ("GB", "Europe/London"),
        ("DZ", "Africa/Algiers"),
        ("XK", "Europe/Belgrade"),  # not in zone.tab: libphonenumber fills in
        ("ZZ", None),
        ("001", None),
        ("RUS", None),
        ("Q1", None),
        ("", None),
    ],
)
def test_timezone_for_region(region: str, zone: str | None) -> None:
    assert timezone_for_region(region) == zone


@pytest.mark.parametrize("region", sorted(phonenumbers.SUPPORTED_REGIONS))
def test_every_region_gets_a_zone_of_its_own_country(region: str) -> None:
    zone = timezone_for_region(region)
    assert zone is not None
    zoneinfo.ZoneInfo(zone)  # loads: no typo, known to tzdata
    country_zones = _zones_by_country().get(region)
    if country_zones:
        assert zone in country_zones


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ivan.Petrov@Example.COM ", "ivan.petrov@example.com"),
        ("mailto:Ivan@Example.com", "ivan@example.com"),
        ("MAILTO:ivan@example.com?subject=Hello", "ivan@example.com"),
        ("<Ivan@Example.com>", "ivan@example.com"),
        ("<mailto:ivan@example.com>", "ivan@example.com"),
        ("ivan+crm@mail.example.co.uk", "ivan+crm@mail.example.co.uk"),
        ("Иван@Почта.РФ", "иван@почта.рф"),
        ("ivan@XN--80A1ACNY.xn--p1ai", "ivan@почта.рф"),
    ],
)
def test_normalize_email(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("ivan.example.com", "needs exactly one @"),
        ("ivan@@example.com", "needs exactly one @"),
        ("ivan@petrov@example.com", "needs exactly one @"),
        ("ivan petrov@example.com", "contains spaces or control characters"),
        ("Ivan <ivan@example.com>", "contains spaces or control characters"),
        ("ivan@exa\u200bmple.com", "contains spaces or control characters"),
        ("ivan\x00@example.com", "contains spaces or control characters"),
        ("@example.com", "nothing before the @"),
        ("iv(an)@example.com", "characters not allowed before the @"),
        ("ivan@localhost", "the domain needs a dot"),
        ("ivan@", "the domain needs a dot"),
        ("ivan@example..com", "not a valid domain"),
        ("ivan@example.com.", "not a valid domain"),
        ("ivan@-example.com", "not a valid domain"),
        ("ivan@exa_mple.com", "not a valid domain"),
        ("ivan@127.0.0.1", "not a valid domain"),
        ("ivan@xn--zz.com", "broken IDN domain"),
        ("i" * 320 + "@example.com", "longer than 320 characters"),
    ],
)
def test_normalize_email_rejects(raw: str, hint: str) -> None:
    with pytest.raises(ValidationError, match=r"^Not a valid email address: ") as caught:
        normalize_email(raw)
    assert str(caught.value).endswith(f"({hint})")
    assert caught.value.field == "email"


@pytest.mark.parametrize("raw", ["", "   ", "<>", "mailto:"])
def test_normalize_email_rejects_empty(raw: str) -> None:
    with pytest.raises(ValidationError, match=r"^Email address is empty$"):
        normalize_email(raw)


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("phone", "8 (495) 123-45-67", "+74951234567"),
        ("email", " Ivan@Example.com ", "ivan@example.com"),
        ("messenger", " @Ivan_Petrov ", "ivan_petrov"),
        ("messenger", "ivan_petrov", "ivan_petrov"),
        ("messenger", "Иван", "иван"),
    ],
)
def test_normalize_contact_point(kind: str, raw: str, expected: str) -> None:
    assert normalize_contact_point(kind, raw, "RU") == expected


def test_contact_point_phone_uses_the_default_region() -> None:
    assert normalize_contact_point("phone", "(650) 253-0000", "US") == "+16502530000"


@pytest.mark.parametrize(
    ("kind", "raw", "field", "message"),
    [
        ("messenger", "@", "messenger", "Messenger handle is empty"),
        ("messenger", "   ", "messenger", "Messenger handle is empty"),
        ("messenger", "ivan petrov", "messenger", "Not a valid messenger handle: 'ivan petrov'"),
        ("fax", "123", "kind", "Unknown contact kind: 'fax'"),
        ("Email", "ivan@example.com", "kind", "Unknown contact kind: 'Email'"),
        ("email", "ivan", "email", "Not a valid email address: 'ivan'"),
        ("phone", "12", "phone", "Not a valid phone number: '12'"),
    ],
)
def test_normalize_contact_point_rejects(kind: str, raw: str, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_contact_point(kind, raw, "RU")
    assert str(caught.value).startswith(message)
    assert caught.value.field == field


# --- properties ---

_EXAMPLES = sorted(
    phonenumbers.format_number(example, PhoneNumberFormat.E164)
    for region in phonenumbers.SUPPORTED_REGIONS
    for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)
    if (example := phonenumbers.example_number_for_type(region, kind)) is not None
)


@st.composite
def valid_numbers(draw: st.DrawFn) -> PhoneNumber:
    """A region's example number with its last three digits redrawn, maybe with an ext."""
    example = draw(st.sampled_from(_EXAMPLES))
    tail = draw(st.integers(0, 999))
    number = phonenumbers.parse(f"{example[:-3]}{tail:03d}", None)
    assume(phonenumbers.is_valid_number(number))
    extension = draw(st.none() | st.text("0123456789", min_size=1, max_size=6))
    if extension:
        number.extension = extension
    return number


def _stored(number: PhoneNumber) -> str:
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


@settings(max_examples=200, deadline=None)
@given(valid_numbers())
def test_normalize_phone_is_idempotent(number: PhoneNumber) -> None:
    region = phonenumbers.region_code_for_number(number)
    once = normalize_phone(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL), region)
    assert normalize_phone(once) == once
    assert normalize_phone(once, "ZZ") == once


@settings(max_examples=200, deadline=None)
@given(valid_numbers())
def test_every_format_of_a_number_normalizes_alike(number: PhoneNumber) -> None:
    stored = _stored(number)
    region = phonenumbers.region_code_for_number(number)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if number.extension:
        e164 += f";ext={number.extension}"  # format_number drops it from E.164
    assert normalize_phone(e164, "RU") == stored
    for style in (
        PhoneNumberFormat.INTERNATIONAL,
        PhoneNumberFormat.NATIONAL,
        PhoneNumberFormat.RFC3966,
    ):
        assert normalize_phone(phonenumbers.format_number(number, style), region) == stored


_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LETTERS = string.ascii_letters + _CYRILLIC + _CYRILLIC.upper()
_LABELS = st.text(_LETTERS + string.digits, min_size=1, max_size=12)
_EMAILS = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join([*labels, tld])}",
    st.text(_LETTERS + string.digits + "._+-", min_size=1, max_size=20),
    st.lists(_LABELS, min_size=1, max_size=3),
    st.text(_LETTERS, min_size=2, max_size=6),
)


@settings(max_examples=200, deadline=None)
@given(_EMAILS)
def test_normalize_email_is_idempotent_and_case_insensitive(address: str) -> None:
    once = normalize_email(address)
    assert normalize_email(once) == once
    assert normalize_email(address.upper()) == once
    assert normalize_email(address.swapcase()) == once
    assert normalize_email(f" <mailto:{address}> ") == once
