"""Writing vocabularies and terms, and matching labels met in imported data."""

import re

from django.db import transaction
from django.utils.text import slugify

from rectrack.taxonomy.models import Term, TermStatus, Vocabulary, VocabularyKind, label_key

# Vocabulary that collects labels no known vocabulary holds, per kind.
OBSERVED_SLUG = "{kind}-observed"

# "A12 Acceptance of ...", "B32 Racial discrimination", "S16 SDG 16 - ...", and
# the numbered generation: "2.1. Right to education", "12 - Women".
_LEGACY_CODE_RE = re.compile(r"^([A-Z]\d{1,2}|\d{1,2}(?:\.\d{1,2})*)(?:\s*-\s+|\.?\s+)(?=[^\d\s])")
# "16 - PEACE, ...", "S16 SDG 16 - ...", "16.2 - Protect ...", "SDG 5", "Goal 5"
_SDG_CODE_RE = re.compile(
    r"^\s*(?:S\d{1,2}\s+)?(?:SDG|Goal|Target)?\s*(\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?)\b(?!\.\d)", re.IGNORECASE
)


def vocabulary_ensure(
    *, slug: str, kind: str, name: str, version: str = "", is_current: bool = False, source: str = ""
) -> Vocabulary:
    """Create or refresh a vocabulary by its slug."""
    vocabulary, _created = Vocabulary.objects.update_or_create(
        slug=slug,
        defaults={"kind": kind, "name": name, "version": version, "is_current": is_current, "source": source},
    )
    return vocabulary


def term_ensure(
    *,
    vocabulary: Vocabulary,
    label: str,
    code: str = "",
    parent: Term | None = None,
    translations: dict[str, str] | None = None,
    description: str = "",
    position: int = 0,
    status: str = TermStatus.REVIEWED,
) -> Term:
    """Create or refresh a term, found by code when it has one, else by label."""
    label = " ".join(label.split())
    lookup = {"vocabulary": vocabulary, "code": code} if code else {"vocabulary": vocabulary, "key": label_key(label)}
    term, _created = Term.objects.update_or_create(
        **lookup,
        defaults={
            "label": label,
            "key": label_key(label),
            "parent": parent,
            "translations": translations or {},
            "description": description,
            "position": position,
            "status": status,
        },
    )
    return term


def _observed_vocabulary(kind: str, source: str = "") -> Vocabulary:
    """Where unknown labels are kept: one vocabulary per kind, and per data source when named."""
    slug = OBSERVED_SLUG.format(kind=kind) + (f"-{slugify(source)}" if source else "")
    return Vocabulary.objects.get_or_create(
        slug=slug[:50],
        defaults={
            "kind": kind,
            "name": f"{VocabularyKind(kind).label}: labels to review" + (f" ({source})" if source else ""),
            "version": "observed",
            "source": "Labels found in imported data that no known vocabulary holds"
            + (f", from {source}." if source else "."),
        },
    )[0]


def _find(kind: str, key: str) -> Term | None:
    terms = list(
        Term.objects.filter(vocabulary__kind=kind, key=key)
        .select_related("maps_to", "vocabulary")
        .order_by("-vocabulary__is_current", "vocabulary_id")[:1]
    )
    if not terms:
        return None
    term = terms[0]
    return term.maps_to or term


def resolve_term(kind: str, label: str, *, create: bool = True, source: str = "") -> Term | None:
    """The term a label from a data source stands for.

    Tries the current vocabulary, then older versions (following their mapping
    to a current term), with and without a legacy code such as "A12" or a
    number such as "2.1.". A label
    nobody knows becomes an unreviewed term for an administrator to map, so
    nothing an import brings is dropped; `source` (a data source's name) keeps
    it in a vocabulary of that source's labels.
    """
    label = " ".join((label or "").split()).strip(" ;,-")
    if not label:
        return None
    if kind == VocabularyKind.SDG:
        return resolve_sdg(label, create=create, source=source)
    code = ""
    if match := _LEGACY_CODE_RE.match(label):
        code = match.group(1)
        bare = label[match.end() :]
    else:
        bare = label
    term = _find(kind, label_key(bare))
    if term or not create:
        return term
    return _create_unreviewed(kind, bare, code, source)


@transaction.atomic
def _create_unreviewed(kind: str, label: str, code: str, source: str = "") -> Term:
    vocabulary = _observed_vocabulary(kind, source)
    if code and vocabulary.terms.filter(code=code).exists():
        code = ""  # the same code under another label: keep the label, drop the clash
    term, _created = Term.objects.get_or_create(
        vocabulary=vocabulary,
        key=label_key(label),
        defaults={"label": label, "code": code, "status": TermStatus.UNREVIEWED},
    )
    return term


def resolve_sdg(label: str, *, create: bool = True, source: str = "") -> Term | None:
    """An SDG goal or target from "16", "16.2 - ...", "S16 SDG 16 - ..."."""
    match = _SDG_CODE_RE.match(label)
    if match:
        code = match.group(1).lower()
        term = Term.objects.filter(vocabulary__kind=VocabularyKind.SDG, vocabulary__is_current=True, code=code).first()
        if term:
            return term
    term = _find(VocabularyKind.SDG, label_key(label))
    if term or not create:
        return term
    return _create_unreviewed(VocabularyKind.SDG, label, "", source)
