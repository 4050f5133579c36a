from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.indicators import exports, selectors, services
from rectrack.indicators.forms import IndicatorFilterForm, IndicatorForm, MeasurementForm
from rectrack.indicators.models import Indicator, Measurement
from rectrack.lib import tabular
from rectrack.lib.filters import clean_leniently
from rectrack.lib.forms import submit, submit_edit
from rectrack.planning.models import Activity, Project
from rectrack.recommendations.models import Recommendation


def _matching(request: HttpRequest) -> tuple[IndicatorFilterForm, list[str], QuerySet[Indicator]]:
    if not permissions.can_read_indicators(request.user):
        raise Http404
    form = IndicatorFilterForm(request.GET)
    cleaned, notes = clean_leniently(form, request.GET)
    filters = selectors.IndicatorFilters(
        search=cleaned["q"].strip(), kinds=cleaned["kind"], institutions=cleaned["institution"]
    )
    return form, notes, selectors.indicator_list(filters)


def indicator_list(request: HttpRequest) -> HttpResponse:
    form, notes, indicators = _matching(request)
    page = Paginator(indicators, settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_sparklines(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "form": form,
            "page": page,
            "notes": notes,
            "query_string": query.urlencode(),
            "can_manage": permissions.can_manage_indicators(request.user),
        },
    )


def indicator_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """The filtered list of indicators as CSV, XLSX or JSON."""
    if fmt not in tabular.FORMATS:
        raise Http404
    _form, _notes, indicators = _matching(request)
    return tabular.download(
        fmt,
        exports.COLUMNS,
        exports.indicator_rows(indicators, url=tabular.url_for_each(request.build_absolute_uri, "indicators:detail")),
        dataset="indicators",
        sheet_name=_("Indicators"),
    )


def indicator_detail(request: HttpRequest, pk: int, measurement_form: MeasurementForm | None = None) -> HttpResponse:
    user = request.user
    if not permissions.can_read_indicators(user):
        raise Http404
    try:
        indicator = selectors.indicator_detail(
            pk,
            recommendations=permissions.scoped(Recommendation.objects.all(), permissions.recommendation_scope(user)),
            activities=permissions.scoped(Activity.objects.all(), permissions.activity_scope(user)),
            projects=permissions.scoped(Project.objects.all(), permissions.project_scope(user)),
        )
    except Indicator.DoesNotExist as error:
        raise Http404 from error
    measurements = list(indicator.measurements.all())
    can_record = permissions.can_record_measurement(user, indicator)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "chart": selectors.indicator_chart(indicator, measurements),
            "groups": selectors.measurement_groups(measurements),
            # A source is shown when it is not the indicator's own data source.
            "show_notes": any(m.note or (m.source and m.source != indicator.data_source) for m in measurements),
            "history": history_for(indicator) if permissions.can_read_history(user) else None,
            "can_manage": permissions.can_manage_indicators(user),
            "measurement_form": measurement_form or (MeasurementForm() if can_record else None),
        },
    )


@require_POST
def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a value (the secretariat, and focal points of the responsible institution)."""
    indicator = permissions.get_indicator_for_user(request.user, pk)
    if not permissions.can_record_measurement(request.user, indicator):
        raise Http404
    form = MeasurementForm(request.POST)
    if form.is_valid():
        submission = submit(
            form, lambda: services.measurement_add(indicator=indicator, actor=request.user, **form.cleaned_data)
        )
        if submission.ok:
            messages.success(request, _("The value was recorded."))
            return redirect(reverse("indicators:detail", args=[pk]) + "#measurements-title")
    return indicator_detail(request, pk, measurement_form=form)


@require_POST
def measurement_remove(request: HttpRequest, pk: int, measurement_pk: int) -> HttpResponse:
    indicator = permissions.get_indicator_for_user(request.user, pk, write=True)
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator"), pk=measurement_pk, indicator=indicator
    )
    services.measurement_remove(measurement=measurement, actor=request.user)
    messages.success(request, _("The value was removed; the Updates keep what it was."))
    return redirect(reverse("indicators:detail", args=[pk]) + "#measurements-title")


def _initial_links(request: HttpRequest) -> dict:
    """Recommendation, activity or project to pre-link, from ?recommendation=&activity=&project=."""
    initial = {}
    for name, model, field in (
        ("recommendation", Recommendation, "recommendations"),
        ("activity", Activity, "activities"),
        ("project", Project, "projects"),
    ):
        value = request.GET.get(name, "")
        if value.isdigit() and model.objects.filter(pk=value).exists():
            initial[field] = [int(value)]
    return initial


def indicator_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_indicators(request.user):
        raise Http404
    form = IndicatorForm(request.POST or None, initial=_initial_links(request))
    if request.method == "POST" and form.is_valid():
        submission = submit(form, lambda: services.indicator_create(actor=request.user, **form.indicator_fields()))
        if submission.ok:
            messages.success(request, _("The indicator was created."))
            return redirect("indicators:detail", pk=submission.result.pk)
    return render(request, "indicators/indicator_form.html", {"form": form})


def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = permissions.get_indicator_for_user(request.user, pk, write=True)
    form = IndicatorForm(request.POST or None, instance=indicator)
    submission = submit_edit(
        request,
        form,
        lambda expected: services.indicator_update(
            indicator=indicator, actor=request.user, expected_version=expected, **form.indicator_fields()
        ),
    )
    if submission and submission.ok:
        messages.success(request, _("Your changes were saved."))
        return redirect("indicators:detail", pk=indicator.pk)
    return render(
        request,
        "indicators/indicator_form.html",
        {"form": form, "indicator": indicator, "conflict": submission and submission.conflict},
    )
