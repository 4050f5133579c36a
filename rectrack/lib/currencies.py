"""ISO 4217 currencies with names in the user's language (from Babel's CLDR data)."""

from functools import lru_cache

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_currency_name, list_currencies
from django.utils.translation import get_language, to_locale

# Codes still in circulation that a budget is likely to use; CLDR lists
# historic ones too (e.g. "DEM"), which only clutter a choice list.
_HISTORIC = {"ADP", "AFA", "ALK", "AOK", "AON", "AOR", "ARA", "ARL", "ARM", "ARP", "ATS", "AZM", "BAD", "BAN",
             "BEC", "BEF", "BEL", "BGL", "BGM", "BGO", "BOL", "BOP", "BOV", "BRB", "BRC", "BRE", "BRN", "BRR",
             "BRZ", "BUK", "BYB", "BYR", "CHE", "CHW", "CLE", "CLF", "CNH", "CNX", "COU", "CSD", "CSK", "CUC",
             "CYP", "DDM", "DEM", "ECS", "ECV", "EEK", "ESA", "ESB", "ESP", "FIM", "FRF", "GEK", "GHC", "GNS",
             "GQE", "GRD", "GWE", "GWP", "HRD", "HRK", "IEP", "ILP", "ILR", "ISJ", "ITL", "KRH", "KRO", "LTL",
             "LTT", "LUC", "LUF", "LUL", "LVL", "LVR", "MAF", "MCF", "MDC", "MGF", "MKN", "MLF", "MRO", "MTL",
             "MTP", "MVP", "MXP", "MXV", "MZE", "MZM", "NIC", "NLG", "PEI", "PES", "PLZ", "PTE", "RHD", "ROL",
             "RUR", "SDD", "SDP", "SIT", "SKK", "SLL", "SRG", "STD", "SUR", "TJR", "TMM", "TPE", "TRL", "UAK",
             "UGS", "USN", "USS", "UYI", "UYP", "UYW", "VEB", "VED", "VEF", "VNN", "XAG", "XAU", "XBA", "XBB",
             "XBC", "XBD", "XDR", "XEU", "XFO", "XFU", "XPD", "XPT", "XRE", "XSU", "XTS", "XUA", "XXX", "YDD",
             "YUD", "YUM", "YUN", "YUR", "ZAL", "ZMK", "ZRN", "ZRZ", "ZWD", "ZWL", "ZWR"}  # fmt: skip


def _locale() -> Locale:
    try:
        return Locale.parse(to_locale(get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=16)
def _choices_for(locale: Locale) -> tuple[tuple[str, str], ...]:
    codes = sorted(code for code in list_currencies() if code not in _HISTORIC)
    return tuple((code, f"{code} · {get_currency_name(code, locale=locale)}") for code in codes)


def currency_choices() -> list[tuple[str, str]]:
    return list(_choices_for(_locale()))


def is_currency(code: str) -> bool:
    return code in list_currencies() and code not in _HISTORIC


def format_money(amount, currency: str = "") -> str:
    """An amount in the user's locale: "150,000.00 USD" -> "150 000,00 $US" in French.

    Without a known currency the number alone is formatted.
    """
    if amount is None or amount == "":
        return ""
    locale = _locale()
    if currency and is_currency(currency):
        return format_currency(amount, currency, locale=locale)
    return format_decimal(amount, locale=locale)
