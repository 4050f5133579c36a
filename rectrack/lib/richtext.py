"""Rich text people write in the application (progress notes): a small, safe subset of HTML.

Whatever arrives (typed text, HTML pasted from a word processor, a hostile
script) is reduced by nh3, a real HTML sanitiser, to paragraphs, line
breaks, emphasis, lists, quotations and links to http(s) or mail addresses.
Text without tags keeps its paragraphs and line breaks.
"""

from html import unescape

import nh3
from django.utils.html import escape, linebreaks

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(value: str) -> str:
    """Safe HTML from what a user wrote; "" when nothing is left."""
    value = (value or "").strip()
    if not value:
        return ""
    if "<" not in value:
        value = linebreaks(escape(value))
    cleaned = nh3.clean(
        value,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    ).strip()
    return cleaned if nh3.clean(cleaned, tags=set()).strip() else ""


def excerpt(html: str, length: int = 120) -> str:
    """Plain text from sanitised HTML, for the history."""
    text = " ".join(unescape(nh3.clean(html.replace("</p>", "</p> ").replace("<br>", " "), tags=set())).split())
    return text if len(text) <= length else text[: length - 1] + "…"
