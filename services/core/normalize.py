"""One canonical form per contact point, so duplicates are found by plain string equality.

Phones are stored as E.164 (``+74951234567``) with an RFC 3966 style ``;ext=123``
suffix; emails are case-folded; messenger handles lose their ``@``. Anything that
cannot be normalized raises ``ValidationError`` naming the input, so nothing
half-valid reaches the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache
from importlib import resources

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType, ValidationResult
from phonenumbers import timezone as phone_timezone

from services.core.errors import ValidationError

__all__ = [
    "normalize_contact_point",
    "normalize_email",
    "normalize_phone",
    "region_for_phone",
    "timezone_for_phone",
    "timezone_for_region",
]

_MAX_EMAIL = 320  # 64 (local part) + "@" + 255 (domain), RFC 5321
_EMAIL_SPECIALS = frozenset('()<>[]:;,\\"@')
# libphonenumber knows "доб" and "доб." but not "добавочный" or "доб.:"; say "ext." instead.
_RU_EXTENSION_LABEL = re.compile(r"доб(?:авочн\w*)?[.:\s]*", re.IGNORECASE)
_POSSIBILITY_HINTS = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "wrong number of digits",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "the area code is missing",
}
_PARSE_HINTS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
    phonenumbers.NumberParseException.NOT_A_NUMBER: "no phone number found",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
    phonenumbers.NumberParseException.TOO_LONG: "too long",
}
# Countries spanning several zones: the capital's zone is the best single guess.
# fmt: off
_CAPITAL_ZONES = {
    "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo", "CA": "America/Toronto", "CD": "Africa/Kinshasa",
    "CL": "America/Santiago", "CN": "Asia/Shanghai", "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin", "EC": "America/Guayaquil", "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei", "GL": "America/Nuuk", "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa", "KZ": "Asia/Almaty", "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar", "MX": "America/Mexico_City", "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland", "PF": "Pacific/Tahiti", "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Hebron", "PT": "Europe/Lisbon", "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv", "US": "America/New_York", "UZ": "Asia/Tashkent",
}
# fmt: on


def normalize_phone(raw: str, default_region: str = "RU") -> str:
    """E.164 plus ``;ext=N``; ``default_region`` applies to numbers written without ``+``.

    Only numbers libphonenumber's real metadata calls valid are accepted: a number
    that is merely "possible" (right length, unassigned range) is a typo in a CRM.
    """
    text = raw.strip()
    if not text:
        raise ValidationError(
            "Phone number is empty", field="phone", code="core.normalize.phone_number_empty"
        )
    text = _RU_EXTENSION_LABEL.sub(" ext. ", text)
    try:
        number = phonenumbers.parse(text, default_region.upper())
    except phonenumbers.NumberParseException as exc:
        hint = _PARSE_HINTS.get(exc.error_type, "")
        raise _bad_phone(raw, hint) from exc
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        hint = _POSSIBILITY_HINTS.get(reason, "no such number in the numbering plan")
        raise _bad_phone(raw, hint)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


def _bad_phone(raw: str, hint: str) -> ValidationError:
    shown = raw if len(raw) <= 60 else raw[:57] + "..."
    if not hint:
        return ValidationError(
            f"Not a valid phone number: {shown!r}",
            "phone",
            code="core.normalize.bad_phone",
            params={"number": repr(shown)},
        )
    return ValidationError(
        f"Not a valid phone number: {shown!r} ({hint})",
        "phone",
        code="core.normalize.bad_phone_because",
        params={"number": repr(shown), "reason": hint},
    )


def normalize_email(raw: str) -> str:
    """A case-folded address; ``mailto:`` and ``<...>`` are unwrapped.

    The domain stays Unicode (``почта.рф``, as people type and read it) and
    ``xn--`` labels are decoded (IDNA 2008), so both spellings of one domain
    compare equal; the local part is only case folded; the mail layer encodes
    to IDNA when it sends.
    """
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if text[:7].casefold() == "mailto:":
        text = text[7:].split("?", 1)[0].strip()
    if not text:
        raise ValidationError(
            "Email address is empty", field="email", code="core.normalize.email_address_empty"
        )
    if len(text) > _MAX_EMAIL:
        raise _bad_email(text, f"longer than {_MAX_EMAIL} characters")
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise _bad_email(text, "contains spaces or control characters")
    if text.count("@") != 1:
        raise _bad_email(text, "needs exactly one @")
    local, domain = text.split("@")
    if not local:
        raise _bad_email(text, "nothing before the @")
    if _EMAIL_SPECIALS.intersection(local):
        raise _bad_email(text, "characters not allowed before the @")
    return f"{local.casefold()}@{_normalize_domain(domain, text)}"


def _normalize_domain(domain: str, address: str) -> str:
    labels = domain.split(".")
    if len(labels) < 2:
        raise _bad_email(address, "the domain needs a dot")
    out = []
    for label in labels:
        if label[:4].lower() == "xn--" or not label.isascii():
            # IDNA 2008 (with the UTS 46 mapping), as mail systems use today;
            # Python's own "idna" codec is the obsolete IDNA 2003. Loaded here:
            # few addresses need it, every CLI call would pay for it (#16).
            import idna

            try:
                label = idna.decode(label if not label.isascii() else label.lower(), uts46=True)
            except (idna.IDNAError, UnicodeError):
                raise _bad_email(address, "broken IDN domain") from None
        else:
            label = label.lower()
        if (
            not label
            or label.startswith("-")
            or label.endswith("-")
            or not all(ch.isalnum() or ch == "-" for ch in label)
        ):
            raise _bad_email(address, "not a valid domain")
        out.append(label)
    if out[-1].isdigit():
        raise _bad_email(address, "not a valid domain")
    return ".".join(out)


def _bad_email(address: str, hint: str) -> ValidationError:
    shown = address if len(address) <= 60 else address[:57] + "..."
    return ValidationError(
        f"Not a valid email address: {shown!r} ({hint})",
        "email",
        code="core.normalize.bad_email",
        params={"address": repr(shown), "reason": hint},
    )


def normalize_contact_point(kind: str, raw: str, default_region: str) -> str:
    """The stored form of one contact point of ``kind`` email, phone or messenger."""
    if kind == "email":
        return normalize_email(raw)
    if kind == "phone":
        return normalize_phone(raw, default_region)
    if kind == "messenger":
        return _normalize_handle(raw)
    raise ValidationError(
        f"Unknown contact kind: {kind!r} (expected email, phone or messenger)",
        field="kind",
        code="core.normalize.unknown_contact_kind_expected",
        params={"kind": repr(kind)},
    )


def _normalize_handle(raw: str) -> str:
    """Telegram-style handles: ``@Ivan`` and ``ivan`` are the same person."""
    handle = raw.strip().lstrip("@").casefold()
    if not handle:
        raise ValidationError(
            "Messenger handle is empty",
            field="messenger",
            code="core.normalize.messenger_handle_empty",
        )
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in handle):
        raise ValidationError(
            f"Not a valid messenger handle: {raw!r} (no spaces allowed)",
            field="messenger",
            code="core.normalize.not_valid_messenger_handle",
            params={"raw": repr(raw)},
        )
    return handle


def _parse_stored(e164: str) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(e164.split(";", 1)[0], None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def region_for_phone(e164: str) -> str | None:
    """ISO 3166 region of a stored number; None for non-geographic (+800) or bad input."""
    number = _parse_stored(e164)
    region = phonenumbers.region_code_for_number(number) if number else None
    return region if region and len(region) == 2 and region != "ZZ" else None


def timezone_for_phone(e164: str) -> str | None:
    """The IANA zone of a stored number, or None when the number does not pin one down.

    A country with one zone answers for all its numbers: libphonenumber's prefix
    data names a neighbour's zone for some (Algeria -> Europe/Paris, which has DST
    Algeria lacks). Elsewhere the prefix must map to exactly one zone; Russian
    mobiles map to all eleven, so they get None.
    """
    number = _parse_stored(e164)
    if number is None:
        return None
    region = phonenumbers.region_code_for_number(number)  # region_for_phone, parsed once
    country_zones = _zones_by_country().get(region or "", ())
    if len(country_zones) == 1:
        return country_zones[0]
    return _single_zone(number)


def timezone_for_region(region: str) -> str | None:
    """The IANA zone of a country (the capital's where there are several); None if unknown.

    tzdata's zone.tab is the authority for country -> zones; libphonenumber's
    example number only fills in regions zone.tab lacks (Kosovo, Ascension).
    """
    code = region.strip().upper()
    if len(code) != 2 or not code.isalpha() or code not in phonenumbers.SUPPORTED_REGIONS:
        return None
    if code in _CAPITAL_ZONES:
        return _CAPITAL_ZONES[code]
    zones = _zones_by_country().get(code, ())
    if zones:
        return zones[0] if len(zones) == 1 else None
    example = phonenumbers.example_number_for_type(code, PhoneNumberType.FIXED_LINE)
    return _single_zone(example) if example else None


def _single_zone(number: PhoneNumber) -> str | None:
    zones = phone_timezone.time_zones_for_number(number)
    return zones[0] if len(zones) == 1 and zones[0] != phone_timezone.UNKNOWN_TIMEZONE else None


@cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    # One name per joinpath: a frozen app's MultiplexedPath takes no more (3.11).
    text = resources.files("tzdata").joinpath("zoneinfo").joinpath("zone.tab").read_text("utf-8")
    zones: defaultdict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone = line.split("\t")[:3]
            zones[country].append(zone)
    return {country: tuple(names) for country, names in zones.items()}


def example_phone(region: str) -> str:
    """The region's example mobile number as a person writes it
    ("+7 912 345-67-89"): the placeholder of a phone field; "" if unknown."""
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        return ""
    example = phonenumbers.example_number_for_type(code, PhoneNumberType.MOBILE)
    if example is None:
        return ""
    return phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)


def display_phone(e164: str) -> str:
    """A stored E.164 number in international format, for showing what a
    typed number was understood as."""
    number = _parse_stored(e164.split(";", 1)[0])
    if number is None:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def phone_shown(normalized: str | None, raw: str | None = None, *, extension: str = "ext.") -> str:
    """A stored phone as every list and card shows it: international format
    ("+7 495 038-63-04", an extension as " ext. 12") from its E.164, however
    it was typed; a number libphonenumber cannot read is shown as stored.
    ``extension`` is the window's word for an extension ("доб." in Russian:
    ui/widgets/phone_text.py); the CLI keeps "ext."."""
    text = (normalized or "").split(";ext=", 1)
    number = _parse_stored(text[0]) if text[0] else None
    if number is None:
        return raw or normalized or ""
    shown = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    return f"{shown} {extension} {text[1]}" if len(text) > 1 and text[1] else shown
