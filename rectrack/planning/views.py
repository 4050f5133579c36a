from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.instance import selectors as instance
from rectrack.lib.filters import clean_leniently, narrow_choices
from rectrack.lib.forms import submit
from rectrack.planning import selectors, services
from rectrack.planning.forms import ActivityFilterForm, ActivityForm, ProgressNoteForm, ProjectFilterForm, ProjectForm
from rectrack.planning.models import Activity, Project
from rectrack.portal.panels import publication_panel
from rectrack.recommendations.models import Recommendation

PROJECTS_PER_PAGE = 12


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Activities ---------------------------------------------------------------


def activity_list(request: HttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET)
    narrow_choices(form, "project", permissions.project_scope(request.user))
    cleaned, notes = clean_leniently(form, request.GET)
    filters = selectors.ActivityFilters(
        search=cleaned["q"].strip(),
        lead_institutions=cleaned["lead"],
        statuses=cleaned["status"],
        projects=cleaned["project"],
        overdue=cleaned["overdue"],
        institution_ids=permissions.institution_ids(request.user) if cleaned["mine"] else None,
    )
    activities = permissions.scoped(
        selectors.activity_list(filters, cleaned["sort"] or "deadline"), permissions.activity_scope(request.user)
    )
    page = Paginator(activities, settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/activity_list.html",
        {
            "form": form,
            "page": page,
            "notes": notes,
            "query_string": _query_without_page(request),
            "can_create": permissions.can_create_activities(request.user),
        },
    )


def activity_detail(request: HttpRequest, pk: int, note_form: ProgressNoteForm | None = None) -> HttpResponse:
    user = request.user
    if not permissions.can_read_id(user, Activity, pk):
        raise Http404
    try:
        activity = selectors.activity_detail(
            pk,
            projects=permissions.scoped(Project.objects.all(), permissions.project_scope(user)),
            recommendations=permissions.scoped(Recommendation.objects.all(), permissions.recommendation_scope(user)),
        )
    except Activity.DoesNotExist as error:
        raise Http404 from error
    can_edit = permissions.can_edit_activity(request.user, activity)
    return render(
        request,
        "planning/activity_detail.html",
        {
            "activity": activity,
            "history": history_for(activity) if permissions.can_read_history(request.user) else None,
            "publication": publication_panel(request.user, activity),
            "can_edit": can_edit,
            "notes": activity.notes.select_related("created_by"),
            "note_form": note_form or (ProgressNoteForm() if can_edit else None),
        },
    )


@require_POST
def activity_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a progress note (the secretariat, and focal points of the lead institution)."""
    activity = permissions.get_activity_for_user(request.user, pk, write=True)
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        submission = submit(
            form,
            lambda: services.activity_add_note(activity=activity, actor=request.user, body=form.cleaned_data["body"]),
        )
        if submission.ok:
            messages.success(request, _("The note was added."))
            return redirect("planning:activity_detail", pk=pk)
    return activity_detail(request, pk, note_form=form)


def _initial_links(request: HttpRequest) -> dict:
    """Recommendation and project to pre-link, from ?recommendation=&project=."""
    initial = {}
    recommendation = request.GET.get("recommendation", "")
    if recommendation.isdigit() and Recommendation.objects.filter(pk=recommendation).exists():
        initial["recommendations"] = [int(recommendation)]
    project = request.GET.get("project", "")
    if project.isdigit() and Project.objects.filter(pk=project).exists():
        initial["projects"] = [int(project)]
    return initial


def activity_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_activities(request.user):
        raise Http404
    form = ActivityForm(
        request.POST or None,
        initial=_initial_links(request),
        lead_institutions=permissions.lead_institution_choices(request.user),
        default_currency=instance.default_currency(),
    )
    if request.method == "POST" and form.is_valid():
        submission = submit(form, lambda: services.activity_create(actor=request.user, **form.activity_fields()))
        if submission.ok:
            messages.success(request, _("The activity was created."))
            return redirect("planning:activity_detail", pk=submission.result.pk)
    return render(request, "planning/activity_form.html", {"form": form})


def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = permissions.get_activity_for_user(request.user, pk, write=True)
    form = ActivityForm(
        request.POST or None, instance=activity, lead_institutions=permissions.lead_institution_choices(request.user)
    )
    submission = None
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version")
        submission = submit(
            form,
            lambda: services.activity_update(
                activity=activity, actor=request.user, expected_version=expected, **form.activity_fields()
            ),
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("planning:activity_detail", pk=activity.pk)
    return render(
        request,
        "planning/activity_form.html",
        {"form": form, "activity": activity, "conflict": submission and submission.conflict},
    )


# Projects -----------------------------------------------------------------


def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET)
    cleaned, notes = clean_leniently(form, request.GET)
    projects = permissions.scoped(
        selectors.project_list(search=cleaned["q"].strip(), statuses=cleaned["status"], sort=cleaned["sort"] or "name"),
        permissions.project_scope(request.user),
    )
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/project_list.html",
        {
            "form": form,
            "page": page,
            "notes": notes,
            "query_string": _query_without_page(request),
            "can_manage": permissions.can_manage_projects(request.user),
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not permissions.can_read_id(user, Project, pk):
        raise Http404
    try:
        project = selectors.project_detail(pk)
    except Project.DoesNotExist as error:
        raise Http404 from error
    linked = permissions.scoped(selectors.project_recommendations(project), permissions.recommendation_scope(user))
    recommendations = Paginator(linked, settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/project_detail.html",
        {
            "project": project,
            "recommendations": recommendations,
            "activities": permissions.scoped(selectors.project_activities(project), permissions.activity_scope(user)),
            "history": history_for(project) if permissions.can_read_history(request.user) else None,
            "publication": publication_panel(request.user, project),
            "can_manage": permissions.can_manage_projects(request.user),
            "can_create_activity": permissions.can_create_activities(request.user),
        },
    )


def project_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_projects(request.user):
        raise Http404
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        submission = submit(form, lambda: services.project_create(actor=request.user, **fields))
        if submission.ok:
            messages.success(request, _("The project was created."))
            return redirect("planning:project_detail", pk=submission.result.pk)
    return render(request, "planning/project_form.html", {"form": form})


def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.get_project_for_user(request.user, pk, write=True)
    form = ProjectForm(request.POST or None, instance=project)
    submission = None
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        expected = form.cleaned_data.get("version")
        submission = submit(
            form,
            lambda: services.project_update(project=project, actor=request.user, expected_version=expected, **fields),
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("planning:project_detail", pk=project.pk)
    return render(
        request,
        "planning/project_form.html",
        {"form": form, "project": project, "conflict": submission and submission.conflict},
    )
