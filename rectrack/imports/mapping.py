"""Matching what a file says (labels, names, symbols) to rows of the database.

Every format goes through the same `Resolver`, so a theme, a mechanism or a
State is matched the same way whatever file it came from. Lookups are cached
for the length of one import: a 260,000-row export names a few thousand
distinct labels.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

from rectrack.recommendations.models import (
    Country,
    Document,
    Mechanism,
    MechanismKind,
    RecommendationKind,
    UprPosition,
)
from rectrack.recommendations.services import country_get_or_create, document_get_or_create
from rectrack.taxonomy.models import Term, TermStatus, VocabularyKind
from rectrack.taxonomy.services import resolve_term

# ---------------------------------------------------------------- positions


def upr_position(raw: str) -> str:
    """The UN's current wording for a State's response to a UPR recommendation.

    "Supported" and UPR Info's "Accepted" are supported; "Noted" (formerly
    "not accepted", "rejected") is noted; a mixed answer ("Supported/Noted",
    "Partially accepted") is partially supported.
    """
    text = " ".join((raw or "").casefold().split())
    if not text:
        return ""
    supported = any(word in text for word in ("support", "accept", "agree"))
    noted = any(word in text for word in ("noted", "not accept", "reject", "not support"))
    if "partial" in text or (supported and noted and "/" in text):
        return UprPosition.PARTIALLY_SUPPORTED
    if noted:
        return UprPosition.NOTED
    if supported:
        return UprPosition.SUPPORTED
    if "pending" in text or "defer" in text or "consider" in text:
        return UprPosition.PENDING
    return ""


def recommendation_kind(raw: str) -> str:
    text = (raw or "").casefold()
    if "pledge" in text or "commitment" in text:
        return RecommendationKind.PLEDGE
    if "concern" in text or "observation" in text:
        return RecommendationKind.CONCERN
    return RecommendationKind.RECOMMENDATION


# ---------------------------------------------------------------- UPR dates

# The year each UPR Working Group session took place (first session of each year).
_FIRST_SESSION_OF_YEAR = {
    2008: 1, 2009: 4, 2010: 7, 2011: 10, 2012: 13, 2013: 15, 2014: 18, 2015: 21, 2016: 24, 2017: 26,
    2018: 29, 2019: 32, 2020: 35, 2021: 37, 2022: 40, 2023: 42, 2024: 45, 2025: 48, 2026: 51,
}  # fmt: skip


def upr_session_date(session: int) -> date:
    """About when a UPR Working Group session met: three a year, in winter, spring and autumn.

    Only for sources that give no date (UPR Info, the thematic lists): the
    report's own date is within weeks of it.
    """
    year = max((y for y, first in _FIRST_SESSION_OF_YEAR.items() if first <= session), default=2008)
    index = session - _FIRST_SESSION_OF_YEAR[year]
    last = max(_FIRST_SESSION_OF_YEAR)
    if year == last:
        year, index = year + index // 3, index % 3
    return date(year, (2, 5, 11)[min(index, 2)], 1)


# ---------------------------------------------------------------- resolver

_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_MECHANISM_ALIASES = {
    "universal periodic review": "UPR",
    "upr working group": "UPR",
    "working group on the universal periodic review": "UPR",
    "ccpr": "CCPR",
    "hrc committee": "CCPR",
    "committee on the elimination of discrimination against women": "CEDAW",
    "special procedures": "SP",
    "special procedure": "SP",
}


def _name_key(value: str) -> str:
    return _ARTICLE.sub("", " ".join((value or "").split())).casefold()


class Resolver:
    """Finds or creates the mechanisms, States, documents and terms records refer to.

    Created mechanisms, States and documents are part of the import (and of
    its rollback); unknown labels become unreviewed terms (counted in
    `new_terms`) for an administrator to map, never dropped.
    """

    def __init__(self, *, term_source: str = ""):
        self.term_source = term_source  # names the vocabulary unknown labels are kept in
        self.new_terms = 0
        self._mechanisms: dict[str, Mechanism] = {}
        for mechanism in Mechanism.objects.all():
            self._mechanisms[_name_key(mechanism.acronym)] = mechanism
            self._mechanisms[_name_key(mechanism.name)] = mechanism
        self._countries: dict[str, Country] = {}
        for country in Country.objects.all():
            self._countries[_name_key(country.name)] = country
            if country.iso3:
                self._countries[country.iso3.casefold()] = country
        self._documents: dict[str, Document] = {}
        self._terms: dict[tuple[str, str], int | None] = {}
        self._unreviewed_before = Term.objects.filter(status=TermStatus.UNREVIEWED).count()

    def mechanism(self, raw: str) -> Mechanism:
        key = _name_key(raw) or "upr"
        mechanism = self._mechanisms.get(key) or self._mechanisms.get(_name_key(_MECHANISM_ALIASES.get(key, "")))
        if mechanism is None:
            name = " ".join(raw.split())
            acronym = name if len(name) <= 60 else name[:57] + "…"
            mechanism = Mechanism.objects.filter(acronym__iexact=acronym).first() or Mechanism.objects.create(
                kind=MechanismKind.OTHER, acronym=acronym, name=name[:250], position=1000
            )
            self._mechanisms[key] = mechanism
        return mechanism

    def country(self, name: str) -> Country | None:
        name = " ".join((name or "").split()).strip(" ;,")
        if not name or name.casefold() in ("(unknown)", "unknown"):
            return None
        key = _name_key(name)
        country = self._countries.get(key) or self._countries.get(name.casefold())
        if country is None:
            country = country_get_or_create(name=name[:150])
            self._countries[key] = country
        return country

    def countries(self, names: list[str]) -> list[Country]:
        found = []
        for name in names:
            country = self.country(name)
            if country is not None and country not in found:
                found.append(country)
        return found

    def document(
        self, *, symbol: str, mechanism: Mechanism, country: Country | None, issued_on: date | None, session: int | None
    ) -> Document | None:
        """The document by its symbol; a UPR review without one is named after its session and State."""
        symbol = " ".join((symbol or "").split())
        if not symbol and mechanism.kind == MechanismKind.UPR and session and country is not None:
            # UPR Info gives no symbol: one document per review, named so people recognise it.
            symbol = _("UPR session %(session)s: %(country)s") % {"session": session, "country": country.name}
        if not symbol:
            return None
        document = self._documents.get(symbol.casefold())
        if document is None:
            document = document_get_or_create(
                symbol=symbol[:100],
                mechanism=mechanism,
                country=country,
                date=issued_on or (upr_session_date(session) if session else None),
                upr_session=session if mechanism.kind == MechanismKind.UPR else None,
            )
            self._documents[symbol.casefold()] = document
        return document

    def term_ids(self, kind: str, labels: list[str]) -> list[int]:
        ids = []
        for label in labels:
            key = (kind, label)
            if key not in self._terms:
                term = resolve_term(kind, label, source=self.term_source)
                self._terms[key] = term.pk if term else None
            term_id = self._terms[key]
            if term_id is not None and term_id not in ids:
                ids.append(term_id)
        return ids

    def themes(self, labels: list[str]) -> list[int]:
        return self.term_ids(VocabularyKind.THEME, labels)

    def affected_persons(self, labels: list[str]) -> list[int]:
        return self.term_ids(VocabularyKind.AFFECTED_PERSONS, labels)

    def sdgs(self, labels: list[str]) -> list[int]:
        return self.term_ids(VocabularyKind.SDG, labels)

    def count_new_terms(self) -> int:
        self.new_terms = Term.objects.filter(status=TermStatus.UNREVIEWED).count() - self._unreviewed_before
        return self.new_terms


def issued_on_for(record_date: date | None, document: Document | None, session: int | None) -> date | None:
    """The recommendation's date: its own, its document's, or the year of its UPR session."""
    if record_date:
        return record_date
    if document is not None and document.date:
        return document.date
    if session:
        return upr_session_date(session)
    return None
