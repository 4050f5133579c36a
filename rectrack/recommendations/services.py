"""Every write to countries, documents and recommendations goes through here."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import bulk_link, bulk_set, create_tracked, record_event, record_events, save_tracked
from rectrack.lib.countries import iso3_for_name
from rectrack.recommendations.models import (
    Country,
    Document,
    Mechanism,
    Recommendation,
    StatusChange,
    paragraph_sort_key,
    parse_paragraph,
    upr_cycle_for_session,
)
from rectrack.taxonomy.models import VocabularyKind


def country_get_or_create(*, name: str) -> Country:
    """The State with this name, or with the same ISO code under another name ("Turkey", "Türkiye")."""
    name = " ".join(name.split())
    country = Country.objects.filter(name__iexact=name).first()
    if country:
        return country
    iso3 = iso3_for_name(name)
    if iso3:
        country = Country.objects.filter(iso3=iso3).first()
    return country or Country.objects.create(name=name, iso3=iso3)


def document_get_or_create(
    *,
    symbol: str,
    mechanism: Mechanism,
    country: Country | None = None,
    date: date | None = None,
    upr_session: int | None = None,
    session: str = "",
    title: str = "",
    url: str = "",
) -> Document:
    """The document with this symbol, created with these details if new.

    An existing document keeps its details; empty ones are filled in.
    """
    symbol = " ".join(symbol.split())
    document, created = Document.objects.get_or_create(
        symbol=symbol,
        defaults={
            "mechanism": mechanism,
            "country": country,
            "date": date,
            "upr_session": upr_session,
            "upr_cycle": upr_cycle_for_session(upr_session),
            "session": session or (str(upr_session) if upr_session else ""),
            "title": title,
            "url": url,
        },
    )
    if not created:
        updates = {}
        for field, value in (("country", country), ("date", date), ("upr_session", upr_session), ("title", title)):
            if value and not getattr(document, field):
                updates[field] = value
        if updates.get("upr_session"):
            updates["upr_cycle"] = upr_cycle_for_session(updates["upr_session"])
        if updates:
            for field, value in updates.items():
                setattr(document, field, value)
            document.save(update_fields=list(updates))
    return document


def _derived(fields: dict[str, Any]) -> dict[str, Any]:
    """Paragraph from the text when not given, its sort key, the date from the document."""
    fields = dict(fields)
    if "text" in fields and not fields.get("paragraph"):
        fields["paragraph"] = parse_paragraph(fields["text"])
    if "paragraph" in fields:
        fields["paragraph_key"] = paragraph_sort_key(fields["paragraph"])
    document = fields.get("document")
    if document is not None:
        fields.setdefault("mechanism", document.mechanism)
        if not fields.get("issued_on"):
            fields["issued_on"] = document.date
    return fields


def recommendation_create(*, actor, **fields: Any) -> Recommendation:
    """Create a recommendation with its classification and national fields.

    The paragraph is read from the start of the text when not given; the
    date and mechanism default to the document's.
    """
    return create_tracked(model=Recommendation, actor=actor, fields=_derived(fields))


def recommendation_update(
    *, recommendation: Recommendation, actor, expected_version: int | None = None, **fields: Any
) -> dict:
    """Change a recommendation; refuses a stale `expected_version` (ConflictError)."""
    return save_tracked(
        instance=recommendation, actor=actor, fields=_derived(fields), expected_version=expected_version
    )


@transaction.atomic
def recommendation_change_status(
    *,
    recommendation: Recommendation,
    actor,
    status: str,
    effective_on: date,
    justification: str,
    evidence: str = "",
    expected_version: int | None = None,
) -> StatusChange:
    """Record a dated status change with its justification and optional evidence (a link).

    The recommendation's status becomes that of its latest change by
    effective date, so a change dated before a later one is kept in the
    history without replacing the current status. One history entry;
    refuses a stale `expected_version` (ConflictError).
    """
    errors = {}
    if effective_on > timezone.localdate():
        errors["effective_on"] = _("The effective date cannot be in the future.")
    elif recommendation.issued_on and effective_on < recommendation.issued_on:
        errors["effective_on"] = _("The effective date cannot be before the recommendation was made (%(date)s).") % {
            "date": recommendation.issued_on.isoformat()
        }
    if not justification.strip():
        errors["justification"] = _("Say why the status changes.")
    if errors:
        raise ValidationError(errors)
    change = StatusChange(
        recommendation=recommendation,
        status=status,
        effective_on=effective_on,
        justification=justification.strip(),
        evidence=evidence.strip(),
        created_by=actor if actor is not None and actor.pk else None,
    )
    change.full_clean()
    change.save()
    latest = StatusChange.objects.filter(recommendation=recommendation).order_by("-effective_on", "-created_at", "-id")[
        0
    ]
    save_tracked(
        instance=recommendation,
        actor=actor,
        fields={"status": latest.status},
        expected_version=expected_version,
        also={"status_changes": {"added": [str(change)], "removed": []}},
    )
    return change


@transaction.atomic
def recommendation_set_translation(
    *, recommendation: Recommendation, language: str, text: str, actor, expected_version: int | None = None
) -> dict:
    """Add or change the text in one more language, or remove it with an empty text.

    The other languages are read from the stored row, so two people
    translating into different languages never undo each other's work.
    """
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if language.lower() == current.language.lower():
        raise ValidationError(_("This is the language of the original text; edit the recommendation to change it."))
    translations = dict(current.translations)
    text = text.strip()
    if text:
        translations[language] = text
    else:
        translations.pop(language, None)
    return save_tracked(
        instance=current, actor=actor, fields={"translations": translations}, expected_version=expected_version
    )


@transaction.atomic
def recommendation_assign_to_projects(*, recommendation: Recommendation, projects: Iterable, actor) -> list:
    """Add the recommendation to projects; returns the projects it was not yet in."""
    current = set(recommendation.projects.values_list("pk", flat=True))
    added = [project for project in projects if project.pk not in current]
    if not added:
        return []
    save_tracked(
        instance=recommendation,
        actor=actor,
        fields={"projects": [*recommendation.projects.all(), *added]},
    )
    for project in added:
        record_event(
            actor=actor,
            instance=project,
            action=Action.UPDATED,
            changes={"recommendations": {"added": [recommendation.reference], "removed": []}},
        )
    return added


@transaction.atomic
def project_add_recommendations(*, project, recommendations: Iterable[Recommendation], actor) -> int:
    """Add many recommendations to a project; returns how many were new to it.

    Each recommendation gets its own history entry and a new version, as if
    assigned one by one; the project gets one entry listing them.
    """
    through = Recommendation.projects.through
    present = set(through.objects.filter(project=project).values_list("recommendation_id", flat=True))
    added = {rec.pk: rec for rec in recommendations if rec.pk not in present}
    if not added:
        return 0
    through.objects.bulk_create([through(project=project, recommendation_id=pk) for pk in added])
    Recommendation.objects.filter(pk__in=list(added)).update(version=F("version") + 1)
    fresh = (
        Recommendation.objects.filter(pk__in=list(added))
        .select_related("document")
        .only("pk", "version", "paragraph", "document__symbol")
    )
    record_events(
        actor=actor,
        instances=fresh,
        action=Action.UPDATED,
        changes_for=lambda rec: {"projects": {"added": [str(project)], "removed": []}},
    )
    record_event(
        actor=actor,
        instance=project,
        action=Action.UPDATED,
        changes={"recommendations": {"added": [str(rec) for rec in added.values()], "removed": []}},
    )
    return len(added)


@transaction.atomic
def recommendation_remove_from_project(*, recommendation: Recommendation, project, actor) -> bool:
    if not recommendation.projects.filter(pk=project.pk).exists():
        return False
    save_tracked(
        instance=recommendation,
        actor=actor,
        fields={"projects": list(recommendation.projects.exclude(pk=project.pk))},
    )
    record_event(
        actor=actor,
        instance=project,
        action=Action.UPDATED,
        changes={"recommendations": {"added": [], "removed": [recommendation.reference]}},
    )
    return True


# Bulk changes ---------------------------------------------------------------

BULK_LIMIT = 2_000  # recommendations changed in one go


# What a bulk change reads back of each recommendation changed, for its history entry (its reference).
_READ_BACK = Recommendation.objects.select_related("document").only("pk", "version", "paragraph", "document__symbol")


@transaction.atomic
def recommendations_set_lead(*, recommendations, institution, actor) -> int:
    """Make `institution` the lead of many recommendations; one history entry each; returns how many changed."""
    return bulk_set(
        objects=recommendations, field="lead_institution", value=institution, shown_as=str(institution),
        old="lead_institution__name", actor=actor, read_back=_READ_BACK,
    )  # fmt: skip


TERM_RELATIONS = {
    VocabularyKind.THEME: "themes",
    VocabularyKind.AFFECTED_PERSONS: "affected_persons",
    VocabularyKind.NATIONAL_CLUSTER: "clusters",
}


@transaction.atomic
def recommendations_add_term(*, recommendations, term, actor) -> int:
    """Add a theme, affected group or national cluster to many recommendations; one history entry each."""
    relation = TERM_RELATIONS.get(term.vocabulary.kind)
    if relation is None:
        raise ValidationError(_("Only themes, affected persons and national clusters can be added this way."))
    changed = bulk_link(objects=recommendations, relation=relation, target=term, actor=actor, read_back=_READ_BACK)
    return len(changed)


@transaction.atomic
def recommendations_change_status(
    *, recommendations, actor, status: str, effective_on: date, justification: str, evidence: str = ""
) -> int:
    """Record the same dated status change on many recommendations, all or none; one history entry each."""
    count = 0
    for recommendation in recommendations.select_related("document").order_by("pk"):
        try:
            recommendation_change_status(
                recommendation=recommendation, actor=actor, status=status, effective_on=effective_on,
                justification=justification, evidence=evidence,
            )  # fmt: skip
        except ValidationError as error:
            raise ValidationError(
                _("%(reference)s: %(problem)s")
                % {"reference": recommendation.reference, "problem": " ".join(error.messages)}
            ) from error
        count += 1
    return count
