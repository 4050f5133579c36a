"""Writing vocabularies and terms, and matching labels met in imported data."""

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import diff, record_event, record_events
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


# ---------------------------------------------------------------- managing vocabularies (Settings › Taxonomy)


NATIONAL_CLUSTERS = "national-clusters"
# Which recommendation relation holds the terms of each kind.
RELATION_OF_KIND = {
    VocabularyKind.THEME: "themes",
    VocabularyKind.AFFECTED_PERSONS: "affected_persons",
    VocabularyKind.SDG: "sdgs",
    VocabularyKind.NATIONAL_CLUSTER: "clusters",
}


def _term_state(term: Term) -> dict:
    return {
        "label": term.label,
        "translations": dict(term.translations),
        "description": term.description,
        "status": term.status,
        "maps_to": str(term.maps_to) if term.maps_to_id else None,
    }


def _record_term(actor, term: Term, before: dict | None) -> dict:
    changes = diff(before or {}, _term_state(term))
    if changes:
        record_event(actor=actor, instance=term, action=Action.CREATED if before is None else Action.UPDATED,
                     changes=changes)  # fmt: skip
    return changes


@transaction.atomic
def cluster_create(*, actor, label: str, description: str = "", translations: dict | None = None) -> Term:
    """A national cluster: the NMIRF's own grouping of recommendations."""
    label = " ".join(label.split())
    vocabulary = Vocabulary.objects.get_or_create(
        slug=NATIONAL_CLUSTERS,
        defaults={
            "kind": VocabularyKind.NATIONAL_CLUSTER,
            "name": "National clusters",
            "version": "national",
            "is_current": True,
            "source": "Defined by this instance's NMIRF.",
        },
    )[0]
    if vocabulary.terms.filter(key=label_key(label)).exists():
        raise ValidationError(_("A national cluster with this name already exists."))
    position = (vocabulary.terms.aggregate(models.Max("position"))["position__max"] or 0) + 1
    term = Term(vocabulary=vocabulary, label=label, key=label_key(label), description=description,
                translations={k: v for k, v in (translations or {}).items() if v}, position=position)  # fmt: skip
    term.full_clean()
    term.save()
    _record_term(actor, term, None)
    return term


def label_editable(term: Term) -> bool:
    """National clusters and labels met in data may be renamed; UN vocabularies keep their published labels."""
    return term.vocabulary.kind == VocabularyKind.NATIONAL_CLUSTER or term.status == TermStatus.UNREVIEWED


@transaction.atomic
def term_update(*, actor, term: Term, label: str, description: str, translations: dict, status: str) -> dict:
    term = Term.objects.select_for_update(of=("self",)).select_related("vocabulary", "maps_to").get(pk=term.pk)
    before = _term_state(term)
    if label_editable(term):
        label = " ".join(label.split())
        if label != term.label and term.vocabulary.terms.filter(key=label_key(label)).exclude(pk=term.pk).exists():
            raise ValidationError(_("Another term of this vocabulary already has this label."))
        term.label, term.key = label, label_key(label)
    term.description = description
    term.translations = {code: text for code, text in translations.items() if text}
    term.status = status
    term.full_clean()
    term.save()
    return _record_term(actor, term, before)


def usage_count(term: Term) -> int:
    relation = RELATION_OF_KIND.get(term.vocabulary.kind)
    if relation is None:
        return 0
    from rectrack.recommendations.models import Recommendation

    through = Recommendation._meta.get_field(relation).remote_field.through
    return through.objects.filter(term_id=term.pk).count()


@transaction.atomic
def term_merge(*, actor, source: Term, target: Term) -> int:
    """Move every recommendation from `source` to `target`; `source` is retired and maps to `target`.

    Later imports that meet the source's label get the target (the resolver
    follows the mapping). Each recommendation that changed gets a history
    entry and a new version; returns how many changed.
    """
    from django.db.models import F

    from rectrack.recommendations.models import Recommendation

    source = Term.objects.select_for_update(of=("self",)).select_related("vocabulary", "maps_to").get(pk=source.pk)
    target = Term.objects.select_related("vocabulary").get(pk=target.pk)
    if source.pk == target.pk:
        raise ValidationError(_("A term cannot be merged into itself."))
    if source.vocabulary.kind != target.vocabulary.kind:
        raise ValidationError(_("Terms of different kinds cannot be merged (a theme into an SDG, say)."))
    if target.status == TermStatus.RETIRED:
        raise ValidationError(_("Merge into a term in use, not a retired one."))
    relation = RELATION_OF_KIND[source.vocabulary.kind]
    through = Recommendation._meta.get_field(relation).remote_field.through
    moved = list(through.objects.filter(term_id=source.pk).values_list("recommendation_id", flat=True))
    already = set(through.objects.filter(term_id=target.pk, recommendation_id__in=moved).values_list(
        "recommendation_id", flat=True))  # fmt: skip
    through.objects.bulk_create([through(recommendation_id=pk, term_id=target.pk) for pk in moved if pk not in already])
    through.objects.filter(term_id=source.pk).delete()
    if moved:
        Recommendation.objects.filter(pk__in=moved).update(version=F("version") + 1)
        changed = Recommendation.objects.filter(pk__in=moved).select_related("document").only(
            "pk", "version", "paragraph", "document__symbol")  # fmt: skip
        source_name, target_name = str(source), str(target)
        record_events(
            actor=actor,
            instances=changed,
            action=Action.UPDATED,
            changes_for=lambda rec: {relation: {"added": [] if rec.pk in already else [target_name],
                                                "removed": [source_name]}},
        )  # fmt: skip
    before = _term_state(source)
    source.status, source.maps_to = TermStatus.RETIRED, target
    source.save(update_fields=["status", "maps_to"])
    _record_term(actor, source, before)
    return len(moved)
