"""Every permission decision, in one place.

Views, the admin and (later) the API ask these functions; nothing else looks
at roles. The rules are written out in docs/permissions.md.

- Administrators and coordinators (the NMIRF secretariat) manage everything.
- Focal points create and edit the activities their institutions lead.
- Viewers read everything; contributors (an NHRI, civil society) read what is
  published and what is shared with their institutions (`*_scope` below).

Lookups of protected objects go through the `get_*_for_user` helpers, which
answer 404 both for a missing object and for one the user may not act on, so
a forbidden id cannot be told from a missing one.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from rectrack.accounts.models import Role, User
from rectrack.agenda.models import Audience, Event
from rectrack.indicators.models import Indicator
from rectrack.institutions.models import Institution, Membership
from rectrack.planning.models import Activity, Project
from rectrack.portal.selectors import published_q
from rectrack.recommendations.models import Recommendation
from rectrack.reporting.models import DraftState, ReportDraft

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


def reads_everything(user: User) -> bool:
    """Every signed-in role but contributors reads all recommendations, projects and activities."""
    return user.is_authenticated and user.is_active and user.role != Role.CONTRIBUTOR


def _shared_project_ids(user: User) -> QuerySet:
    return Project.shared_with.through.objects.filter(institution_id__in=institution_ids(user)).values("project_id")


def project_scope(user: User) -> QuerySet[Project] | None:
    """The projects a user may read; None when that is all of them.

    A contributor reads published projects and those shared with one of
    their institutions.
    """
    if reads_everything(user):
        return None
    return Project.objects.filter(published_q(Project) | Q(pk__in=_shared_project_ids(user)))


def recommendation_scope(user: User) -> QuerySet[Recommendation] | None:
    """The recommendations a user may read; None when that is all of them.

    A contributor reads published recommendations and those of the projects
    shared with their institutions.
    """
    if reads_everything(user):
        return None
    in_shared = Project.recommendations.through.objects.filter(project_id__in=_shared_project_ids(user))
    return Recommendation.objects.filter(published_q(Recommendation) | Q(pk__in=in_shared.values("recommendation_id")))


def activity_scope(user: User) -> QuerySet[Activity] | None:
    """The activities a user may read; None when that is all of them.

    A contributor reads published activities, those of the projects shared
    with their institutions, and those their institutions lead or take part in.
    """
    if reads_everything(user):
        return None
    ids = institution_ids(user)
    in_shared = Activity.projects.through.objects.filter(project_id__in=_shared_project_ids(user))
    partner = Activity.implementing_partners.through.objects.filter(institution_id__in=ids)
    return Activity.objects.filter(
        published_q(Activity)
        | Q(pk__in=in_shared.values("activity_id"))
        | Q(lead_institution_id__in=ids)
        | Q(pk__in=partner.values("activity_id"))
    )


def scoped(queryset: QuerySet, scope: QuerySet | None) -> QuerySet:
    """`queryset` narrowed to a scope from the functions above (unchanged for None)."""
    return queryset if scope is None else queryset.filter(pk__in=scope.values("pk"))


def can_read_id(user: User, model, pk: int) -> bool:
    """Whether the user may read the recommendation, project or activity `pk` of `model`.

    No query for the roles that read everything (a missing id is then found
    missing by whoever loads it).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if reads_everything(user):
        return True
    scope = {Recommendation: recommendation_scope, Project: project_scope, Activity: activity_scope}[model]
    return scope(user).filter(pk=pk).exists()


def can_read(user: User, obj) -> bool:
    """Whether the user may read this recommendation, project or activity."""
    return can_read_id(user, type(obj), obj.pk)


def can_read_history(user: User) -> bool:
    """The Updates of recommendations, projects and activities: who changed what, and old values.

    Contributors are outside the administration: the history would name
    people and objects not shared with them.
    """
    return reads_everything(user)


def history_kinds(user: User) -> list:
    """The kinds of objects whose updates the user reads in the feed of all updates.

    Administrators also read the changes to settings: users, institutions,
    terms and the instance's settings.
    """
    from rectrack.agenda.models import Event
    from rectrack.indicators.models import Indicator
    from rectrack.inquiries.models import InformationRequest
    from rectrack.instance.models import InstanceSettings
    from rectrack.reporting.models import ReportTemplate
    from rectrack.taxonomy.models import Term

    kinds = [Recommendation, Project, Activity]
    if can_read_indicators(user):
        kinds.append(Indicator)
    if can_read_reports(user):
        kinds.append(ReportDraft)
    if reads_everything(user):
        kinds.append(Event)
    if reads_everything(user) and request_scope(user) is None:  # focal points read only their requests
        kinds.append(InformationRequest)
    if can_manage_users(user):
        kinds += [Institution, Term, User, InstanceSettings, ReportTemplate]
    return kinds


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


def can_publish(user: User) -> bool:
    """Choose what the public portal shows: per object, and the default rules; open or close the portal."""
    return can_manage_users(user)


def can_hand_over(user: User) -> bool:
    """Hand an institution's work from one focal point to another (staff turnover): the secretariat."""
    return is_secretariat(user)


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


def can_read_comments(user: User) -> bool:
    """Comments on activities are internal: every role but contributors reads them."""
    return reads_everything(user)


def can_comment(user: User) -> bool:
    """The secretariat and focal points write comments (and @mention people)."""
    return is_secretariat(user) or (user.is_authenticated and user.is_active and user.role == Role.FOCAL_POINT)


def can_attach(user: User, activity: Activity) -> bool:
    """Attach files to an activity, and remove them: whoever may edit the activity."""
    return can_edit_activity(user, activity)


def can_read_attachment(user: User, attachment) -> bool:
    """Download an attachment: readers of its activity; contributors only the public ones."""
    if not can_read_id(user, Activity, attachment.activity_id):
        return False
    return reads_everything(user) or attachment.is_public


def can_read_indicators(user: User) -> bool:
    """Indicators and their measurements: every signed-in role but contributors.

    Indicators hold figures not yet published (a baseline under review, a
    survey's first results): contributors get "not found".
    """
    return reads_everything(user)


def can_manage_indicators(user: User) -> bool:
    """Create and edit indicators, and remove a recorded measurement."""
    return is_secretariat(user)


def can_record_measurement(user: User, indicator) -> bool:
    """Record a value of an indicator: the secretariat, and focal points of its responsible institution."""
    if is_secretariat(user):
        return True
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.FOCAL_POINT
        and indicator.responsible_institution_id is not None
        and indicator.responsible_institution_id in institution_ids(user)
    )


def can_read_calendar(user: User) -> bool:
    """The calendar (month, list, event pages) and one's own calendar feed: every active signed-in user.

    What it shows is narrowed per reader: contributors see the events meant
    for everyone (`event_scope`) and the deadlines of the activities they read.
    """
    return user.is_authenticated and user.is_active


def can_read_statistics(user: User) -> bool:
    """The statistics pages, their charts and the exports of lists: every active signed-in user.

    The figures count only what the reader may read (`recommendation_scope`,
    `activity_scope`); late answers to information requests are counted for
    those who read every request.
    """
    return user.is_authenticated and user.is_active


def can_read_reports(user: User) -> bool:
    """The Reporting section's guides and templates, and every report draft: every signed-in role but
    contributors (a draft holds everything the database knows, published or not). Contributors read the drafts
    shared with their institutions for consultation (`draft_scope`)."""
    return reads_everything(user)


def draft_scope(user: User) -> QuerySet[ReportDraft] | None:
    """The report drafts a user may read; None when that is all of them. A contributor reads the written drafts
    shared with one of their institutions (the secretariat chose to show them everything such a draft holds)."""
    if reads_everything(user):
        return None
    if not (user.is_authenticated and user.is_active):
        return ReportDraft.objects.none()
    shared = ReportDraft.shared_with.through.objects.filter(institution_id__in=institution_ids(user))
    return ReportDraft.objects.filter(state=DraftState.DONE, pk__in=shared.values("reportdraft_id"))


def get_draft_for_user(user: User, pk: int) -> ReportDraft:
    """A report draft the user may read, else 404."""
    draft = get_object_or_404(
        ReportDraft.objects.select_related("mechanism", "project", "cluster", "created_by"), pk=pk
    )
    scope = draft_scope(user)
    if scope is not None and not scope.filter(pk=pk).exists():
        raise Http404
    return draft


def can_draft_reports(user: User) -> bool:
    """Ask for a report draft; share it for consultation; resolve the comments: the secretariat."""
    return is_secretariat(user)


def can_manage_report_templates(user: User) -> bool:
    """Upload a report template in place of the built-in one, or go back to the built-in one: administrators."""
    return can_manage_users(user)


def consulted_institution(user: User, draft: ReportDraft) -> Institution | None:
    """The institution on whose behalf a focal point or contributor comments on a draft shared with it."""
    if user.role not in (Role.FOCAL_POINT, Role.CONTRIBUTOR) or not institution_ids(user):
        return None
    return draft.shared_with.filter(pk__in=institution_ids(user)).order_by("name").first()


def can_comment_on_draft(user: User, draft: ReportDraft) -> bool:
    """Comment on a written draft: the secretariat; focal points and contributors of an institution it is shared
    with, until the consultation's deadline."""
    if not (user.is_authenticated and user.is_active) or draft.state != DraftState.DONE:
        return False
    if is_secretariat(user):
        return True
    return draft.consultation_open and consulted_institution(user, draft) is not None


def can_manage_events(user: User) -> bool:
    """Create, edit and delete calendar events (reviews, due dates, visits, meetings, consultations)."""
    return is_secretariat(user)


def event_scope(user: User) -> QuerySet[Event] | None:
    """The calendar events a user may read; None when that is all of them.

    Contributors (an NHRI, civil society) read only the events whose audience
    is everyone signed in; an event for the administration stays internal.
    """
    if reads_everything(user):
        return None
    if not can_read_calendar(user):
        return Event.objects.none()
    return Event.objects.filter(audience=Audience.EVERYONE)


def can_manage_requests(user: User) -> bool:
    """Send information requests to institutions, change their deadline, close them."""
    return is_secretariat(user)


def request_scope(user: User):
    """The information requests a user reads: all for the secretariat and viewers, those addressed to their
    institutions for focal points, none for contributors (None means all)."""
    from rectrack.inquiries.models import InformationRequest

    if not reads_everything(user):
        return InformationRequest.objects.none()
    if user.role == Role.FOCAL_POINT:
        return InformationRequest.objects.filter(recipients__institution_id__in=institution_ids(user)).distinct()
    return None


def can_answer_for(user: User, institution_id: int) -> bool:
    """Answer an information request for an institution: its focal points."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.FOCAL_POINT
        and institution_id in institution_ids(user)
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
    if not can_read(user, recommendation) or (write and not can_manage_recommendations(user)):
        raise Http404
    return recommendation


def get_project_for_user(user: User, pk: int, *, write: bool = False) -> Project:
    project = get_object_or_404(Project.objects.select_related("lead_institution"), pk=pk)
    if not can_read(user, project) or (write and not can_manage_projects(user)):
        raise Http404
    return project


def get_activity_for_user(user: User, pk: int, *, write: bool = False) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("lead_institution"), pk=pk)
    if not can_read(user, activity) or (write and not can_edit_activity(user, activity)):
        raise Http404
    return activity


def get_indicator_for_user(user: User, pk: int, *, write: bool = False) -> Indicator:
    """An indicator the user may read (and with `write`, manage), else 404."""
    if not can_read_indicators(user) or (write and not can_manage_indicators(user)):
        raise Http404
    return get_object_or_404(Indicator.objects.select_related("responsible_institution"), pk=pk)


def get_event_for_user(user: User, pk: int, *, write: bool = False) -> Event:
    """A calendar event the user may read (and with `write`, manage), else 404."""
    event = get_object_or_404(Event.objects.select_related("mechanism", "created_by"), pk=pk)
    scope = event_scope(user)
    if (scope is not None and not scope.filter(pk=pk).exists()) or (write and not can_manage_events(user)):
        raise Http404
    return event


def can_review_suggestions(user: User) -> bool:
    """See the labels the model suggests, accept or reject them; ask for suggestions; train the model and
    rebuild the index of similar recommendations (Settings › Suggestions): the secretariat, who classify."""
    return can_manage_recommendations(user)


def can_group_recommendations(user: User) -> bool:
    """Group similar recommendations so that one follow-up plan covers them, change and ungroup groups."""
    return can_manage_recommendations(user)


def get_group_for_user(user: User, pk: int, *, write: bool = False):
    """A group of similar recommendations the user may read (one of its members is readable) and, with
    `write`, change; else 404."""
    from rectrack.recommendations.models import RecommendationGroup

    group = get_object_or_404(RecommendationGroup, pk=pk)
    if write and not can_group_recommendations(user):
        raise Http404
    if not (user.is_authenticated and user.is_active):
        raise Http404
    scope = recommendation_scope(user)
    if scope is not None and not scope.filter(group=group).exists():
        raise Http404
    return group
