"""The public portal (anonymous), its open data, and the administrators' publication controls."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.instance import selectors as instance
from rectrack.instance import services as instance_services
from rectrack.lib import tabular
from rectrack.lib.filters import clean_leniently
from rectrack.lib.forms import submit
from rectrack.lib.search_query import parse_search_query
from rectrack.planning.models import Activity, Project
from rectrack.portal import opendata, selectors, services
from rectrack.portal.forms import PortalRulesForm, PublicationForm, PublicFilterForm
from rectrack.recommendations.models import Recommendation
from rectrack.recommendations.selectors import RecommendationFilters, search_recommendations

PROJECT_RECOMMENDATIONS_SHOWN = 20


def public_page(view):
    """Open to anyone, signed in or not, while the portal is open; "not found" when it is closed."""

    @login_not_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.rules().enabled:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {**selectors.overview(), "country": instance.country()})


@public_page
def recommendation_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET)
    cleaned, notes = clean_leniently(form, request.GET)
    search = parse_search_query(cleaned["q"])
    filters = RecommendationFilters(
        search=search,
        mechanisms=cleaned["mechanism"],
        upr_cycles=cleaned["cycle"],
        themes=cleaned["theme"],
        affected_persons=cleaned["affected"],
        sdg_goals=cleaned["sdg"],
        lead_institutions=cleaned["lead"],
        projects=cleaned["project"],
        statuses=cleaned["status"],
    )
    results = search_recommendations(filters, within=selectors.public_recommendations())
    page = Paginator(results, settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/recommendation_list.html",
        {
            "form": form,
            "page": page,
            "notes": notes + search.notes,
            "query_string": query.urlencode(),
            "has_filters": any(v for k, v in cleaned.items() if k != "q"),
        },
    )


@public_page
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        recommendation = selectors.recommendation_detail(pk)
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "portal/recommendation_detail.html",
        {"recommendation": recommendation, "activities": _with_budgets(recommendation.activities.all())},
    )


@public_page
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A file marked public, of a published activity, as a download."""
    from rectrack.collaboration.models import Attachment
    from rectrack.collaboration.views import serve_attachment

    try:
        return serve_attachment(selectors.public_attachment(pk))
    except Attachment.DoesNotExist as error:
        raise Http404 from error


def _with_budgets(activities) -> list[Activity]:
    activities = list(activities)
    for activity in activities:
        activity.public_budget = selectors.budget_is_public(activity)
    return activities


@public_page
def project_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.project_rows(), settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/project_list.html", {"page": page})


@public_page
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        project = selectors.project_detail(pk)
    except Project.DoesNotExist as error:
        raise Http404 from error
    recommendations = selectors.project_recommendations(project)
    activities = selectors.project_activities(project)
    return render(
        request,
        "portal/project_detail.html",
        {
            "project": project,
            "recommendation_count": recommendations.count(),
            "recommendations": recommendations.select_related("document", "mechanism").order_by(
                "-issued_on", "paragraph_key", "pk"
            )[:PROJECT_RECOMMENDATIONS_SHOWN],
            "recommendation_statuses": selectors.recommendation_status_counts(recommendations),
            "activities": _with_budgets(activities),
            "activity_statuses": selectors.activity_status_counts(activities),
        },
    )


@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/open_data.html", {"datasets": opendata.DATASETS.values()})


@public_page
def download(request: HttpRequest, dataset: str, fmt: str) -> StreamingHttpResponse:
    chosen = opendata.DATASETS.get(dataset)
    if chosen is None or fmt not in ("csv", "json"):
        raise Http404
    return tabular.download(
        fmt,
        chosen.columns,
        chosen.rows(request.build_absolute_uri),
        dataset=dataset,
        meta={"publisher": instance.site_name()},
    )


# Administrators -------------------------------------------------------------

PUBLISHABLE = {"recommendation": Recommendation, "project": Project, "activity": Activity}
DETAIL_URLS = {
    "recommendation": "recommendations:detail",
    "project": "planning:project_detail",
    "activity": "planning:activity_detail",
}


@require_POST
def publication_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Publish or withhold one recommendation, project or activity (administrators)."""
    model = PUBLISHABLE.get(kind)
    if model is None or not permissions.can_publish(request.user):
        raise Http404
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    form = PublicationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.publication_set(
                obj=obj,
                actor=request.user,
                publication=data["publication"],
                budget_publication=data["budget_publication"] or None,
                expected_version=data["version"],
            ),
        )
        if submission.ok:
            if selectors.is_public(obj):
                messages.success(request, _("It is on the public portal."))
            else:
                messages.success(request, _("It is not on the public portal."))
        else:
            messages.error(request, " ".join(str(error) for error in form.non_field_errors()) or _("Nothing changed."))
    else:
        messages.error(request, _("Choose whether to publish it."))
    return redirect(reverse(DETAIL_URLS[kind], args=[pk]))


def portal_settings(request: HttpRequest) -> HttpResponse:
    """Settings › Public portal: open or close it, and the default rules (administrators)."""
    if not permissions.can_publish(request.user):
        raise Http404
    current = instance.current()
    form = PortalRulesForm(
        request.POST if request.method == "POST" else None,  # all boxes cleared posts nothing else
        initial={name: getattr(current, name) for name in instance_services.PORTAL_RULES},
    )
    if request.method == "POST" and form.is_valid():
        submission = submit(
            form, lambda: instance_services.portal_rules_update(actor=request.user, **form.cleaned_data)
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("portal:settings")
    return render(
        request,
        "portal/settings.html",
        {
            "form": form,
            "figures": [
                (_("Recommendations"), selectors.public_recommendations().count(), Recommendation.objects.count()),
                (_("Projects"), selectors.public_projects().count(), Project.objects.count()),
                (_("Activities"), selectors.public_activities().count(), Activity.objects.count()),
            ],
            "history": history_for(current) if current.pk and current.updated_at else [],
        },
    )
