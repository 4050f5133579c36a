"""Country codes and names in the user's language, from Babel's CLDR data.

Recommendation data names States in several ways: the United Nations'
official short names ("Bolivia (Plurinational State of)", "Türkiye"), UPR
Info's ("DPR Korea", "St Lucia", "Macedonia FYR") and older ones
("Swaziland", "Czech Republic"). `iso3_for_name` recognises all of them, so
one State is one row whatever the source called it, and `localized_name`
shows it in the user's language.
"""

import unicodedata
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError, get_global
from django.utils.translation import get_language, to_locale

# Names CLDR's English list does not hold, by ISO 3166 alpha-2 code.
_ALIASES = {
    "BN": ("Brunei Darussalam",),
    "BO": ("Bolivia (Plurinational State of)", "Plurinational State of Bolivia"),
    "CD": ("Democratic Republic of the Congo", "Democratic Republic of Congo", "DR Congo", "DRC"),
    "CG": ("Congo", "Republic of Congo", "Republic of the Congo"),
    "CI": ("Cote d'Ivoire", "Côte d’Ivoire", "Ivory Coast"),
    "CV": ("Cabo Verde", "Cape Verde"),
    "CZ": ("Czech Republic",),
    "FM": ("Micronesia (Federated States of)", "Federated States of Micronesia"),
    "GB": ("United Kingdom of Great Britain and Northern Ireland", "United Kingdom", "UK"),
    "GW": ("Guinea Bissau",),
    "IR": ("Iran (Islamic Republic of)", "Islamic Republic of Iran"),
    "KP": ("Democratic People's Republic of Korea", "DPR Korea", "North Korea"),
    "KR": ("Republic of Korea", "South Korea"),
    "LA": ("Lao People's Democratic Republic", "Lao PDR", "Laos"),
    "MD": ("Republic of Moldova",),
    "MK": ("North Macedonia", "Macedonia FYR", "The former Yugoslav Republic of Macedonia", "Macedonia"),
    "MM": ("Myanmar", "Burma"),
    "NL": ("Netherlands (Kingdom of the)", "Kingdom of the Netherlands"),
    "PS": ("State of Palestine", "Palestine", "Palestinian Territories"),
    "RU": ("Russian Federation",),
    "SY": ("Syrian Arab Republic", "Syria"),
    "SZ": ("Eswatini", "Swaziland"),
    "ST": ("Sao Tome and Principe",),
    "TL": ("Timor-Leste", "East Timor"),
    "TR": ("Türkiye", "Turkey"),
    "TZ": ("United Republic of Tanzania", "Tanzania"),
    "US": ("United States of America", "United States", "USA"),
    "VA": ("Holy See", "Vatican City"),
    "VC": ("Saint Vincent and the Grenadines",),
    "VE": ("Venezuela (Bolivarian Republic of)", "Bolivarian Republic of Venezuela"),
    "VN": ("Viet Nam", "Vietnam"),
}


# Withdrawn codes that CLDR still maps to a current State (East Germany, Burma, ...).
_WITHDRAWN = {"BUR", "DDR", "FXX", "TMP", "YMD", "ZAR"}


def _key(name: str) -> str:
    """A spelling-tolerant key: accents, case, "&", "St" and punctuation folded."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    name = name.replace("&", " and ").replace("’", "'")
    words = "".join(c if c.isalnum() or c == "'" else " " for c in name).split()
    return " ".join("saint" if word == "st" else word for word in words)


@lru_cache(maxsize=1)
def _codes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name key -> alpha-2, alpha-3 -> alpha-2, alpha-2 -> alpha-3)."""
    by_name = {}
    for code, name in Locale.parse("en").territories.items():
        if len(code) == 2 and code.isalpha():
            by_name[_key(name)] = code
    for code, names in _ALIASES.items():
        for name in names:
            by_name[_key(name)] = code
    alpha3 = {
        key: value[0]
        for key, value in get_global("territory_aliases").items()
        if len(key) == 3 and key.isalpha() and len(value) == 1 and key not in _WITHDRAWN
    }
    alpha2 = {two: three for three, two in alpha3.items()}
    return by_name, alpha3, alpha2


def iso3_for_name(name: str) -> str:
    """The ISO 3166 alpha-3 code of a State named in any of the usual ways, or ""."""
    by_name, _alpha3, alpha2 = _codes()
    two = by_name.get(_key(name))
    return alpha2.get(two, "") if two else ""


@lru_cache(maxsize=16)
def _names_in(locale_name: str) -> dict[str, str]:
    try:
        locale = Locale.parse(locale_name)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return dict(locale.territories)


def localized_name(iso3: str, fallback: str, language: str | None = None) -> str:
    """The State's name in the language (default: the active one), else the fallback.

    In English the stored name is kept: it is the United Nations' name as the
    source gave it ("Republic of Korea"), where CLDR has everyday names.
    """
    language = language or get_language() or "en"
    if not iso3 or language.split("-")[0] == "en":
        return fallback
    two = _codes()[1].get(iso3)
    if not two:
        return fallback
    return _names_in(to_locale(language)).get(two) or fallback
