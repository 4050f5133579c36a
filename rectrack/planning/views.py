from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.collaboration.panels import collaboration_panels
from rectrack.indicators.selectors import linked_to as linked_indicators
from rectrack.instance import selectors as instance
from rectrack.lib import tabular
from rectrack.lib.bulk import chosen_ids, form_problems
from rectrack.lib.filters import clean_leniently, narrow_choices
from rectrack.lib.forms import submit, submit_edit
from rectrack.planning import exports, selectors, services
from rectrack.planning.forms import (
    ActivityBulkForm,
    ActivityFilterForm,
    ActivityForm,
    ProgressNoteForm,
    ProjectFilterForm,
    ProjectForm,
)
from rectrack.planning.models import Activity, Project
from rectrack.portal.panels import publication_panel
from rectrack.recommendations.models import Recommendation

PROJECTS_PER_PAGE = 12


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Activities ---------------------------------------------------------------


def _matching_activities(user, params) -> tuple:
    """The activities the list shows for these query parameters, within the reader's scope."""
    form = ActivityFilterForm(params)
    narrow_choices(form, "project", permissions.project_scope(user))
    cleaned, notes = clean_leniently(form, params)
    filters = selectors.ActivityFilters(
        search=cleaned["q"].strip(),
        lead_institutions=cleaned["lead"],
        statuses=cleaned["status"],
        projects=cleaned["project"],
        overdue=cleaned["overdue"],
        institution_ids=permissions.institution_ids(user) if cleaned["mine"] else None,
    )
    activities = permissions.scoped(
        selectors.activity_list(filters, cleaned["sort"] or "deadline"), permissions.activity_scope(user)
    )
    return form, notes, activities


def activity_list(request: HttpRequest) -> HttpResponse:
    form, notes, activities = _matching_activities(request.user, request.GET)
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
            "bulk_form": ActivityBulkForm() if permissions.can_manage_projects(request.user) else None,
        },
    )


def activity_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """The filtered list of activities, every match, as CSV, XLSX or JSON."""
    if fmt not in tabular.FORMATS or not permissions.can_read_statistics(request.user):
        raise Http404
    user = request.user
    _form, _notes, activities = _matching_activities(user, request.GET)
    rows = exports.activity_rows(
        activities,
        url=tabular.url_for_each(request.build_absolute_uri, "planning:activity_detail"),
        recommendations=permissions.recommendation_scope(user),
        projects=permissions.project_scope(user),
    )
    return tabular.download(
        fmt,
        exports.COLUMNS,
        rows,
        dataset="activities",
        sheet_name=_("Activities"),
    )


@require_POST
def activity_bulk(request: HttpRequest) -> HttpResponse:
    """One change to the ticked activities, or to every one the list's search and filters match (secretariat)."""
    user = request.user
    if not permissions.can_manage_projects(user):
        raise Http404
    form = ActivityBulkForm(request.POST)
    query = request.POST.get("query", "")
    back = reverse("planning:activity_list") + (f"?{query}" if query else "")
    if not form.is_valid():
        messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": form_problems(form)})
        return redirect(back)
    data = form.cleaned_data
    _form, _notes, matching = _matching_activities(user, QueryDict(data["query"]))
    ids = chosen_ids(request, matching, apply_to=data["apply_to"], limit=services.BULK_LIMIT)
    if not ids:
        messages.error(request, _("Nothing was changed: tick activities, or choose every matching one."))
        return redirect(back)
    if len(ids) > services.BULK_LIMIT:
        messages.error(
            request,
            _("Nothing was changed: more than %(limit)s activities match. Narrow the filters first.")
            % {"limit": f"{services.BULK_LIMIT:,}"},
        )
        return redirect(back)
    chosen = Activity.objects.filter(pk__in=ids)
    change = {
        "project": lambda: services.activities_add_to_project(activities=chosen, project=data["project"], actor=user),
        "lead": lambda: services.activities_set_lead(activities=chosen, institution=data["institution"], actor=user),
        "partner": lambda: services.activities_add_partner(
            activities=chosen, institution=data["institution"], actor=user
        ),
        "status": lambda: services.activities_set_status(activities=chosen, status=data["status"], actor=user),
    }[data["action"]]
    count = change()
    messages.success(
        request,
        ngettext(
            "%(count)s activity was changed (of %(total)s chosen).",
            "%(count)s activities were changed (of %(total)s chosen).",
            count,
        )
        % {"count": count, "total": len(ids)},
    )
    return redirect(back)


def activity_detail(
    request: HttpRequest,
    pk: int,
    note_form: ProgressNoteForm | None = None,
    attachment_form=None,
    comment_form=None,
) -> HttpResponse:
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
            **collaboration_panels(request.user, activity, attachment_form, comment_form),
            "indicators": linked_indicators(activity) if permissions.can_read_indicators(user) else None,
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
    """Recommendations and project to pre-link, from ?recommendation=&project=, or ?group= for every member of a
    group of similar recommendations."""
    initial = {}
    recommendation = request.GET.get("recommendation", "")
    if recommendation.isdigit() and Recommendation.objects.filter(pk=recommendation).exists():
        initial["recommendations"] = [int(recommendation)]
    group = request.GET.get("group", "")
    if group.isdigit():
        members = Recommendation.objects.filter(group_id=int(group)).values_list("pk", flat=True)
        initial["recommendations"] = sorted(members)
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
    submission = submit_edit(
        request,
        form,
        lambda expected: services.activity_update(
            activity=activity, actor=request.user, expected_version=expected, **form.activity_fields()
        ),
    )
    if submission and submission.ok:
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
            "indicators": linked_indicators(project) if permissions.can_read_indicators(user) else None,
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
