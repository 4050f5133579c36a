from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectrack.accounts import permissions
from rectrack.accounts.models import Role
from rectrack.accounts.permissions import institution_ids
from rectrack.agenda.selectors import upcoming_days
from rectrack.dashboard import selectors
from rectrack.inquiries.selectors import open_requests_for
from rectrack.planning.models import Activity, Project
from rectrack.recommendations.models import Recommendation


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    scopes = None
    if not permissions.reads_everything(user):  # a contributor: what is published or shared
        scopes = {
            Project: permissions.project_scope(user),
            Recommendation: permissions.recommendation_scope(user),
            Activity: permissions.activity_scope(user),
        }
    return render(
        request,
        "dashboard/home.html",
        {
            "overview": selectors.overview(
                today,
                projects=scopes and scopes[Project],
                recommendations=scopes and scopes[Recommendation],
                activities=scopes and scopes[Activity],
            ),
            "my_activities": selectors.my_activities(institution_ids(user)),
            "my_counts": selectors.my_counts(institution_ids(user), today),
            "coming": selectors.coming(upcoming_days(user, today, selectors.COMING_DAYS)),
            "coming_days": selectors.COMING_DAYS,
            "has_institutions": bool(institution_ids(user)),
            "asked": open_requests_for(institution_ids(user))[:10] if user.role == Role.FOCAL_POINT else [],
            "recent_updates": selectors.recent_updates(scopes=scopes, kinds=permissions.history_kinds(user)),
            "can_read_history": permissions.can_read_history(user),
            "today": today,
        },
    )


# Sections whose capabilities are being built; each page says what will come.
UPCOMING = {
    "settings": (
        _("Settings"),
        _(
            "The instance's country, name and languages, users and their roles, institutions and focal points, "
            "and the management of themes, national clusters and vocabulary mappings. Until then, administrators "
            "use the administration site."
        ),
    ),
}


def upcoming(request: HttpRequest, section: str) -> HttpResponse:
    title, description = UPCOMING[section]
    return render(
        request,
        "dashboard/upcoming.html",
        {
            "title": title,
            "description": description,
            "section": section,
            "can_manage_users": permissions.can_manage_users(request.user),
            "can_review_suggestions": permissions.can_review_suggestions(request.user),
        },
    )
