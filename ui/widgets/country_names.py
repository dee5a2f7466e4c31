"""Country names in the window's language: "Россия (RU)" in a Russian
window, "Russia (RU)" in an English one.

Qt names territories in English only; phonenumbers ships the names in
many languages (``phonenumbers.geodata.locale.LOCALE_DATA``: region → language
→ name, a value "*xx" meaning "as language xx", "aa" holding English).
Importing that module the usual way first imports ``phonenumbers.geodata``,
which loads every prefix's geocoding data (about 4 s of CPU without
bytecode caches); the names' own file loads in a fifth of a second, so it is
run by itself, once, when a list of countries is first needed.
"""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

import phonenumbers
from PySide6.QtCore import QLocale

ENGLISH = "aa"  # the entry phonenumbers' other languages refer to
ALIASES = {"UK": "GB"}  # codes the holidays package uses for another's name
MAX_HOPS = 4  # "*xx" references followed before giving up on a language
# The names people use where phonenumbers gives the formal one, too long for
# a list's column ("Соединенное Королевство" was cut to "Соединенное …").
COMMON = {
    "ru": {"GB": "Великобритания", "US": "США", "AE": "ОАЭ"},
}


@functools.cache
def _names() -> Mapping[str, Mapping[str, str]]:
    path = Path(phonenumbers.__file__).resolve().parent / "geodata" / "locale.py"
    # its own name (not put in sys.modules) for its "from ..util import u"
    spec = importlib.util.spec_from_file_location("phonenumbers.geodata.locale", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"phonenumbers has no country names at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data: Mapping[str, Mapping[str, str]] = module.LOCALE_DATA
    return data


def preload() -> None:
    """Read the names now, off the GUI thread (a list page's worker), so
    the first paint of a list naming countries does not wait for them."""
    _names()


def window_language() -> str:
    """ "ru" or "en": the language the window speaks (``ui.shell.i18n``
    sets the default locale)."""
    return "ru" if QLocale().language() == QLocale.Language.Russian else "en"


def _resolved(entry: Mapping[str, str], language: str) -> str:
    value = entry.get(language, "")
    for _ in range(MAX_HOPS):
        if not value.startswith("*"):
            return value
        value = entry.get(value[1:], "")
    return ""


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the window's), in
    English where phonenumbers has none in that language, else Qt's
    English name, else the code itself."""
    code = ALIASES.get(code.strip().upper(), code.strip().upper())
    language = language or window_language()
    common = COMMON.get(language, {}).get(code)
    if common is not None:
        return common
    entry = _names().get(code)
    if entry is not None:
        name = _resolved(entry, language) or _resolved(entry, ENGLISH)
        if name:
            return name
    territory = QLocale.codeToTerritory(code)
    return QLocale.territoryToString(territory) if territory.value else code


def _plain(char: str) -> str:
    if char == "й":  # a letter of its own in Russian, not и with a mark
        return char
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


def sort_key(text: str) -> tuple[int, str]:
    """Russian order: Cyrillic before Latin, Ё with Е, case and accents
    ignored ("Åland" with the A's)."""
    folded = "".join(_plain(char) for char in text.casefold().replace("ё", "е"))
    cyrillic = bool(folded) and "а" <= folded[0] <= "я"
    return (0 if cyrillic else 1, folded)


def country_choices(codes: Iterable[str], language: str | None = None) -> list[tuple[str, str]]:
    """(code, "Name (CC)") for a combo box, sorted by the shown name."""
    return list(_choices(frozenset(codes), language or window_language()))


@functools.cache
def _choices(codes: frozenset[str], language: str) -> tuple[tuple[str, str], ...]:
    out = [(code, f"{country_name(code, language)} ({code})") for code in codes]
    return tuple(sorted(out, key=lambda pair: sort_key(pair[1])))
