"""Every permission decision, in one place.

Views, the admin and (later) the API ask these functions; nothing else looks
at roles. The rules are written out in docs/permissions.md.

- Administrators and coordinators (the NMIRF secretariat) manage everything.
- Focal points create and edit the activities their institutions lead.
- Contributors and viewers read.

Lookups of protected objects go through the `get_*_for_user` helpers, which
answer 404 both for a missing object and for one the user may not act on, so
a forbidden id cannot be told from a missing one.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from rectrack.accounts.models import Role, User
from rectrack.institutions.models import Institution, Membership
from rectrack.planning.models import Activity, Project
from rectrack.recommendations.models import Recommendation

SECRETARIAT = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})


def is_secretariat(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in SECRETARIAT


def institution_ids(user: User) -> frozenset[int]:
    """The institutions the user currently belongs to (cached per request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_rectrack_institution_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.active().filter(user=user).values_list("institution_id", flat=True))
        user._rectrack_institution_ids = cached
    return cached


def can_manage_users(user: User) -> bool:
    """Invite users, change their roles and institutions, deactivate them, lift sign-in pauses."""
    return user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR


def can_manage_instance(user: User) -> bool:
    """Change the instance's name, country, logo, default currency and languages offered."""
    return can_manage_users(user)


def can_manage_taxonomy(user: User) -> bool:
    """Create national clusters; edit, merge and retire terms; map labels met in imports."""
    return can_manage_users(user)


def can_manage_institutions(user: User) -> bool:
    """Register institutions, their kind, level and parent; deactivate them."""
    return can_manage_users(user)


def can_manage_recommendations(user: User) -> bool:
    """Create recommendations, classify them, assign them to projects."""
    return is_secretariat(user)


def can_import(user: User) -> bool:
    """Upload files of recommendations, preview and import them, read the import history."""
    return is_secretariat(user)


def can_manage_projects(user: User) -> bool:
    return is_secretariat(user)


def can_create_activities(user: User) -> bool:
    return is_secretariat(user) or (
        user.is_authenticated and user.role == Role.FOCAL_POINT and bool(institution_ids(user))
    )


def can_edit_activity(user: User, activity: Activity) -> bool:
    if is_secretariat(user):
        return True
    return (
        user.is_authenticated
        and user.role == Role.FOCAL_POINT
        and activity.lead_institution_id in institution_ids(user)
    )


def lead_institution_choices(user: User) -> QuerySet[Institution]:
    """The institutions a user may make responsible for an activity."""
    institutions = Institution.objects.filter(is_active=True)
    if is_secretariat(user):
        return institutions
    return institutions.filter(pk__in=institution_ids(user))


def get_recommendation_for_user(user: User, pk: int, *, write: bool = False) -> Recommendation:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("document", "mechanism", "lead_institution"), pk=pk
    )
    if write and not can_manage_recommendations(user):
        raise Http404
    return recommendation


def get_project_for_user(user: User, pk: int, *, write: bool = False) -> Project:
    project = get_object_or_404(Project.objects.select_related("lead_institution"), pk=pk)
    if write and not can_manage_projects(user):
        raise Http404
    return project


def get_activity_for_user(user: User, pk: int, *, write: bool = False) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("lead_institution"), pk=pk)
    if write and not can_edit_activity(user, activity):
        raise Http404
    return activity
