from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from rectrack.accounts import permissions
from rectrack.lib.filters import clean_leniently
from rectrack.recommendations.selectors import RecommendationFilters
from rectrack.statistics import selectors
from rectrack.statistics.figures import FIGURES, PAGES, Reading, figure
from rectrack.statistics.forms import StatisticsFilterForm


def _reading(request: HttpRequest) -> tuple[Reading, StatisticsFilterForm, list[str]]:
    if not permissions.can_read_statistics(request.user):
        raise Http404
    form = StatisticsFilterForm(request.GET)
    cleaned, notes = clean_leniently(form, request.GET)
    if cleaned["date_from"] and cleaned["date_to"] and cleaned["date_from"] > cleaned["date_to"]:
        notes.append(_("The period ended before it started, so its end was ignored."))
        cleaned["date_to"] = None
    filters = RecommendationFilters(
        mechanisms=cleaned["mechanism"],
        upr_cycles=cleaned["cycle"],
        date_from=cleaned["date_from"],
        date_to=cleaned["date_to"],
    )
    query = urlencode(
        [("mechanism", value) for value in cleaned["mechanism"]]
        + [("cycle", value) for value in cleaned["cycle"]]
        + [(name, cleaned[name].isoformat()) for name in ("date_from", "date_to") if cleaned[name]]
    )
    return Reading(request.user, filters, timezone.localdate(), query), form, notes


def statistics(request: HttpRequest, tab: str = "progress") -> HttpResponse:
    reading, form, notes = _reading(request)
    title, names = PAGES[tab]
    fingerprint = selectors.fingerprint()
    return render(
        request,
        "statistics/page.html",
        {
            "tab": tab,
            "tabs": [(slug, page_title) for slug, (page_title, _names) in PAGES.items()],
            "title": title,
            "form": form,
            "notes": notes,
            "query": reading.query,
            "has_filters": bool(reading.query),
            "figures": [figure(name, reading, fingerprint) for name in names],
            "scoped": reading.scope is not None,
        },
    )


def chart_svg(request: HttpRequest, name: str) -> HttpResponse:
    """One figure's chart as an SVG file, for reports."""
    reading, _form, _notes = _reading(request)
    if name not in FIGURES:
        raise Http404
    chart = figure(name, reading, selectors.fingerprint())
    response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + chart.svg, content_type="image/svg+xml")
    stamp = reading.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.svg"'
    return response
