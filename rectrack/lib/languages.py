"""Content in several languages: picking the user's, and naming languages.

Translatable content (term labels, mechanism names, recommendation texts)
keeps its original in a field and the other languages in a JSON object
keyed by Django language code: {"fr": "...", "zh-hans": "..."}.
"""

from django.conf import settings
from django.utils.translation import get_language, get_language_info


def current_language(language: str | None = None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE).lower()


def in_language(translations: dict, original: str, language: str | None = None) -> str:
    """The text in the language (default: the active one), else the original."""
    language = current_language(language)
    return translations.get(language) or translations.get(language.split("-")[0]) or original


def language_name(code: str) -> str:
    """A language's name in the user's language ("French", "français" in French), or its code."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        names = dict(settings.LANGUAGES)
        return str(names.get(code, code))


def content_language_choices() -> list[tuple[str, str]]:
    """The languages a text may be given in: the interface's, each named in the user's language."""
    return [(code, language_name(code)) for code, _name in settings.LANGUAGES]
