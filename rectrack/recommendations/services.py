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
from rectrack.audit.services import (
    bulk_link,
    bulk_set,
    bump_versions,
    create_tracked,
    record_deletion,
    record_event,
    record_events,
    save_tracked,
)
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


# Groups of similar recommendations -------------------------------------------


def _link_to_group_activities(group, recommendations: list[Recommendation], actor) -> int:
    """Link each of `recommendations` to every activity of the group's other members (one plan covers the group);
    returns how many links were added. Each activity that gains recommendations gets a history entry."""
    from rectrack.planning.models import Activity

    members = list(group.members.values_list("pk", flat=True))
    through = Activity.recommendations.through
    activities = set(through.objects.filter(recommendation_id__in=members).values_list("activity_id", flat=True))
    if not activities:
        return 0
    present = set(
        through.objects.filter(activity_id__in=activities, recommendation_id__in=[r.pk for r in recommendations])
        .values_list("activity_id", "recommendation_id")
    )  # fmt: skip
    missing = [
        (activity, rec)
        for activity in sorted(activities)
        for rec in recommendations
        if (activity, rec.pk) not in present
    ]
    if not missing:
        return 0
    through.objects.bulk_create([through(activity_id=activity, recommendation_id=rec.pk) for activity, rec in missing])
    by_activity: dict[int, list[str]] = {}
    for activity, rec in missing:
        by_activity.setdefault(activity, []).append(rec.reference)
    changed = bump_versions(Activity.objects.only("pk", "version", "title"), sorted(by_activity))
    record_events(
        actor=actor,
        instances=changed,
        action=Action.UPDATED,
        changes_for=lambda activity: {"recommendations": {"added": sorted(by_activity[activity.pk]), "removed": []}},
    )
    return len(missing)


def _join(group, recommendations: list[Recommendation], actor) -> int:
    joining = [rec for rec in recommendations if rec.group_id != group.pk]
    if not joining:
        return 0
    before = {rec.pk: str(rec.group) if rec.group_id else None for rec in joining}
    Recommendation.objects.filter(pk__in=list(before)).update(group=group)
    changed = bump_versions(_READ_BACK, sorted(before))
    record_events(
        actor=actor,
        instances=changed,
        action=Action.UPDATED,
        changes_for=lambda rec: {"group": {"old": before[rec.pk], "new": str(group)}},
    )
    record_event(
        actor=actor,
        instance=group,
        action=Action.UPDATED,
        changes={"members": {"added": sorted(rec.reference for rec in joining), "removed": []}},
    )
    return len(joining)


@transaction.atomic
def group_create(*, title: str, recommendations: Iterable[Recommendation], actor, description: str = ""):
    """Group recommendations that ask the same thing. A recommendation in another group moves to this one;
    the members are linked to every activity any of them has, so that one plan covers them all."""
    from rectrack.recommendations.models import RecommendationGroup

    recommendations = list(recommendations)
    if len(recommendations) < 2:
        raise ValidationError(_("A group needs at least two recommendations."))
    group = create_tracked(
        model=RecommendationGroup, actor=actor, fields={"title": title.strip(), "description": description.strip()}
    )
    old_groups = {rec.group_id for rec in recommendations if rec.group_id}
    _join(group, recommendations, actor)
    _link_to_group_activities(group, recommendations, actor)
    _delete_emptied(old_groups, actor)
    return group


@transaction.atomic
def group_add(*, group, recommendations: Iterable[Recommendation], actor) -> int:
    """Add recommendations to a group; they join the group's activities. Returns how many joined."""
    recommendations = list(recommendations)
    old_groups = {rec.group_id for rec in recommendations if rec.group_id and rec.group_id != group.pk}
    joined = _join(group, recommendations, actor)
    _link_to_group_activities(group, list(group.members.all()), actor)
    _delete_emptied(old_groups, actor)
    return joined


@transaction.atomic
def group_link_activities(*, group, actor) -> int:
    """Link every member to every activity of the group (after activities were linked to one member only)."""
    return _link_to_group_activities(group, list(group.members.all()), actor)


@transaction.atomic
def group_remove(*, group, recommendation: Recommendation, actor) -> bool:
    """Take a recommendation out of its group (it keeps its activities). A group left with one member is
    deleted, the member leaving it too."""
    if recommendation.group_id != group.pk:
        return False
    save_tracked(instance=recommendation, actor=actor, fields={"group": None})
    record_event(
        actor=actor, instance=group, action=Action.UPDATED,
        changes={"members": {"added": [], "removed": [recommendation.reference]}},
    )  # fmt: skip
    _delete_emptied({group.pk}, actor)
    return True


def _delete_emptied(group_ids: set[int], actor) -> None:
    from rectrack.recommendations.models import RecommendationGroup

    for group in RecommendationGroup.objects.filter(pk__in=group_ids):
        members = list(group.members.all())
        if len(members) < 2:
            group_delete(group=group, actor=actor)


@transaction.atomic
def group_update(*, group, actor, expected_version: int | None = None, **fields: Any) -> dict:
    return save_tracked(instance=group, actor=actor, fields=fields, expected_version=expected_version)


@transaction.atomic
def group_delete(*, group, actor) -> None:
    """Ungroup: the members stay, each with its activities; the history keeps the group's name and members."""
    members = list(group.members.select_related("document"))
    for rec in members:
        save_tracked(instance=rec, actor=actor, fields={"group": None})
    record_deletion(
        actor=actor, instance=group, fields=["title", "description"],
        also={"members": {"added": [], "removed": sorted(rec.reference for rec in members)}},
    )  # fmt: skip
    group.delete()
