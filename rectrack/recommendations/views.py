from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.indicators.selectors import linked_to as linked_indicators
from rectrack.lib import tabular
from rectrack.lib.bulk import chosen_ids, form_problems
from rectrack.lib.filters import clean_leniently, narrow_choices
from rectrack.lib.forms import submit
from rectrack.lib.languages import language_name
from rectrack.lib.search_query import parse_search_query
from rectrack.planning.models import Activity, Project
from rectrack.portal.panels import publication_panel
from rectrack.recommendations import exports, selectors, services, thematic
from rectrack.recommendations.forms import (
    MEANING,
    AssignToProjectForm,
    BulkForm,
    RecommendationFilterForm,
    RecommendationForm,
    StatusChangeForm,
    StatusOnForm,
    TranslationForm,
)
from rectrack.recommendations.models import (
    ImplementationStatus,
    Recommendation,
    RecommendationGroup,
    suggested_status,
)
from rectrack.suggestions import selectors as suggestion_selectors


def _filters_from(cleaned: dict) -> selectors.RecommendationFilters:
    return selectors.RecommendationFilters(
        search=parse_search_query(cleaned["q"]),
        mechanisms=cleaned["mechanism"],
        document_symbol=cleaned["symbol"],
        upr_cycles=cleaned["cycle"],
        upr_positions=cleaned["position"],
        kinds=cleaned["kind"],
        themes=cleaned["theme"],
        affected_persons=cleaned["affected"],
        sdg_goals=cleaned["sdg"],
        sdg_targets=cleaned["target"],
        clusters=cleaned["cluster"],
        lead_institutions=cleaned["lead"],
        projects=cleaned["project"],
        statuses=cleaned["status"],
        date_from=cleaned["date_from"],
        date_to=cleaned["date_to"],
        groups=[cleaned["group"]] if cleaned.get("group") else [],
        meaning=cleaned.get("mode") == MEANING,
    )


def _read_filters(request: HttpRequest) -> tuple[RecommendationFilterForm, dict, list[str]]:
    """The list's filter form for the request, its values read leniently, and the notes on values ignored."""
    form = RecommendationFilterForm(request.GET)
    narrow_choices(form, "project", permissions.project_scope(request.user))
    cleaned, notes = clean_leniently(form, request.GET)
    return form, cleaned, notes


def recommendation_list(request: HttpRequest) -> HttpResponse:
    form, cleaned, notes = _read_filters(request)
    filters = _filters_from(cleaned)
    scope = permissions.recommendation_scope(request.user)
    results = selectors.search_recommendations(filters, cleaned["sort"], within=scope)
    page = Paginator(results, settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    if results.too_many_to_rank:
        notes.append(
            _(
                "More than %(limit)s recommendations match, so they are shown newest first. "
                "Add words or filters to sort them by best match."
            )
            % {"limit": f"{selectors.RANKING_LIMIT:,}"}
        )
    if filters.meaning and filters.search.raw.strip() and not isinstance(results, selectors.MeaningResults):
        notes.append(
            _(
                "Searching by meaning needs the index of similar recommendations, which is not built yet "
                "(Settings › Suggestions): these are the recommendations with the words."
            )
        )
    group = None
    if filters.groups:
        group = RecommendationGroup.objects.filter(pk=filters.groups[0]).first()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recommendations/list.html",
        {
            "group": group,
            "meaning": isinstance(results, selectors.MeaningResults),
            "form": form,
            "page": page,
            "notes": notes + filters.search.notes,
            "ranked": results.sort == selectors.Sort.RELEVANCE and not results.too_many_to_rank,
            "query_string": query.urlencode(),
            "has_filters": any(v for k, v in cleaned.items() if k not in ("q", "sort", "mode")),
            "can_manage": permissions.can_manage_recommendations(request.user),
            "can_import": permissions.can_import(request.user),
            "bulk_form": BulkForm() if permissions.can_manage_recommendations(request.user) else None,
        },
    )


def _matching(request: HttpRequest, cleaned: dict):
    """The recommendations the list shows for these filters and search, within the reader's scope."""
    return selectors.search_recommendations(
        _filters_from(cleaned), within=permissions.recommendation_scope(request.user)
    ).queryset


def _detail_url(request: HttpRequest):
    return tabular.url_for_each(request.build_absolute_uri, "recommendations:detail")


def recommendation_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """The filtered list, every match (not only the page shown), as CSV, XLSX or JSON."""
    if fmt not in tabular.FORMATS or not permissions.can_read_statistics(request.user):
        raise Http404
    user = request.user
    _form, cleaned, _notes = _read_filters(request)
    rows = exports.recommendation_rows(
        _matching(request, cleaned),
        url=_detail_url(request),
        projects=permissions.project_scope(user),
        activities=permissions.activity_scope(user),
    )
    return tabular.download(
        fmt,
        exports.COLUMNS,
        rows,
        dataset="recommendations",
        sheet_name=_("Recommendations"),
    )


def thematic_matrix(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered recommendations grouped by theme, with positions, institutions and status (XLSX or DOCX)."""
    if fmt not in ("xlsx", "docx") or not permissions.can_read_statistics(request.user):
        raise Http404
    form, cleaned, _notes = _read_filters(request)
    matching = _matching(request, cleaned)
    groups = exports.thematic_groups(
        matching, url=_detail_url(request), projects=permissions.project_scope(request.user)
    )
    if fmt == "xlsx":
        columns = exports.MATRIX_COLUMNS
        return tabular.download(
            "xlsx",
            [column.key for column in columns],
            exports.matrix_rows(groups),
            headers=[str(column.label) for column in columns],
            widths=[column.width for column in columns],
            dataset="thematic-matrix",
            sheet_name=_("Thematic matrix"),
        )
    count = matching.count()
    if count > thematic.DOCX_LIMIT:
        messages.error(
            request,
            _(
                "%(count)s recommendations match: a Word thematic matrix holds at most %(limit)s. Narrow the filters, "
                "or download the matrix as a spreadsheet."
            )
            % {"count": f"{count:,}", "limit": f"{thematic.DOCX_LIMIT:,}"},
        )
        return redirect(f"{reverse('recommendations:list')}?{request.GET.urlencode()}")
    response = HttpResponse(
        thematic.matrix_docx(groups, count=count, filters=_described_filters(form, cleaned)),
        content_type=thematic.DOCX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="thematic-matrix-{timezone.localdate().isoformat()}.docx"'
    return response


def _described_filters(form: RecommendationFilterForm, cleaned: dict) -> list[str]:
    """The filters in use, as "Label: value" lines for a document's heading."""
    lines = []
    for name, field in form.fields.items():
        value = cleaned.get(name)
        if name == "sort" or value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        choices = {str(key): label for key, label in getattr(field, "choices", [])}
        shown = [str(choices.get(str(item), item)) for item in values]
        lines.append(f"{field.label}: {', '.join(shown)}")
    return lines


def recommendation_detail(request: HttpRequest, pk: int, status_form: StatusChangeForm | None = None) -> HttpResponse:
    user = request.user
    if not permissions.can_read_id(user, Recommendation, pk):
        raise Http404
    try:
        recommendation = selectors.recommendation_detail(
            pk,
            projects=permissions.scoped(Project.objects.all(), permissions.project_scope(user)),
            activities=permissions.scoped(Activity.objects.all(), permissions.activity_scope(user)),
        )
    except selectors.Recommendation.DoesNotExist as error:
        raise Http404 from error
    can_manage = permissions.can_manage_recommendations(user)
    if can_manage and status_form is None:
        status_form = StatusChangeForm(
            initial={
                "status": recommendation.status,
                "effective_on": timezone.localdate(),
                "version": recommendation.version,
            }
        )
    on_form = StatusOnForm(request.GET if "on" in request.GET else None)
    status_then = None
    if on_form.is_bound and on_form.is_valid():
        status_then = selectors.status_on(recommendation, on_form.cleaned_data["on"])
    suggested = suggested_status([activity.status for activity in recommendation.activities.all()])
    can_review = permissions.can_review_suggestions(user)
    return render(
        request,
        "recommendations/detail.html",
        {
            "recommendation": recommendation,
            "assign_form": AssignToProjectForm(),
            "history": history_for(recommendation) if permissions.can_read_history(user) else None,
            "status_changes": recommendation.status_changes.select_related("created_by"),
            "status_form": status_form if can_manage else None,
            "on_form": on_form,
            "status_then": status_then,
            "status_then_label": dict(ImplementationStatus.choices).get(status_then, ""),
            "suggested": suggested,
            "suggested_label": dict(ImplementationStatus.choices).get(suggested, ""),
            "publication": publication_panel(user, recommendation),
            "can_manage": can_manage,
            "can_create_activity": permissions.can_create_activities(user),
            "indicators": linked_indicators(recommendation) if permissions.can_read_indicators(user) else None,
            "label_suggestions": suggestion_selectors.pending_for(recommendation) if can_review else None,
            "can_review": can_review,
            "similar": suggestion_selectors.similar_to(recommendation, within=permissions.recommendation_scope(user)),
            "can_group": permissions.can_group_recommendations(user),
        },
    )


@require_POST
def recommendation_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a dated status change (the secretariat)."""
    recommendation = permissions.get_recommendation_for_user(request.user, pk, write=True)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.recommendation_change_status(
                recommendation=recommendation,
                actor=request.user,
                status=data["status"],
                effective_on=data["effective_on"],
                justification=data["justification"],
                evidence=data["evidence"],
                expected_version=data["version"],
            ),
        )
        if submission.ok:
            messages.success(request, _("The status change was recorded."))
            return redirect("recommendations:detail", pk=pk)
    return recommendation_detail(request, pk, status_form=form)


def _save_recommendation(request: HttpRequest, form: RecommendationForm, recommendation=None):
    data = dict(form.cleaned_data)
    symbol = data.pop("document_symbol")
    expected_version = data.pop("version")
    document = form.document
    if symbol and document is None:
        document = services.document_get_or_create(symbol=symbol, mechanism=data["mechanism"], date=data["issued_on"])
    data["document"] = document
    if recommendation is None:
        return services.recommendation_create(actor=request.user, **data)
    services.recommendation_update(
        recommendation=recommendation, actor=request.user, expected_version=expected_version, **data
    )
    return recommendation


def recommendation_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_recommendations(request.user):
        raise Http404
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission = submit(form, lambda: _save_recommendation(request, form))
        if submission.ok:
            messages.success(request, _("The recommendation was added."))
            return redirect("recommendations:detail", pk=submission.result.pk)
    return render(request, "recommendations/form.html", {"form": form})


def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = permissions.get_recommendation_for_user(request.user, pk, write=True)
    form = RecommendationForm(request.POST or None, instance=recommendation)
    submission = None
    if request.method == "POST" and form.is_valid():
        submission = submit(form, lambda: _save_recommendation(request, form, recommendation))
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("recommendations:detail", pk=recommendation.pk)
    return render(
        request,
        "recommendations/form.html",
        {"form": form, "recommendation": recommendation, "conflict": submission and submission.conflict},
    )


def recommendation_translations(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommendation's text in other languages: list, add, change, remove."""
    recommendation = permissions.get_recommendation_for_user(request.user, pk, write=True)
    form = TranslationForm(
        request.POST or None,
        recommendation=recommendation,
        initial={
            "language": request.GET.get("language"),
            "text": recommendation.translations.get(request.GET.get("language", ""), ""),
        },
    )
    submission = None
    if request.method == "POST" and form.is_valid():
        submission = submit(
            form,
            lambda: services.recommendation_set_translation(
                recommendation=recommendation,
                language=form.cleaned_data["language"],
                text=form.cleaned_data["text"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("recommendations:detail", pk=recommendation.pk)
    translations = sorted(
        (language_name(code), code, text) for code, text in recommendation.translations.items() if text
    )
    return render(
        request,
        "recommendations/translations.html",
        {
            "recommendation": recommendation,
            "form": form,
            "translations": translations,
            "conflict": submission and submission.conflict,
        },
    )


@require_POST
def recommendation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = permissions.get_recommendation_for_user(request.user, pk, write=True)
    form = AssignToProjectForm(request.POST)
    if form.is_valid():
        project = form.cleaned_data["project"]
        if services.recommendation_assign_to_projects(
            recommendation=recommendation, projects=[project], actor=request.user
        ):
            messages.success(request, _("Added to the project “%(project)s”.") % {"project": project})
        else:
            messages.info(request, _("It was already in the project “%(project)s”.") % {"project": project})
    else:
        messages.error(request, _("Choose a project to add the recommendation to."))
    return redirect("recommendations:detail", pk=recommendation.pk)


@require_POST
def recommendation_unassign(request: HttpRequest, pk: int, project_pk: int) -> HttpResponse:
    recommendation = permissions.get_recommendation_for_user(request.user, pk, write=True)
    project = get_object_or_404(Project, pk=project_pk)
    if services.recommendation_remove_from_project(recommendation=recommendation, project=project, actor=request.user):
        messages.success(request, _("Removed from the project “%(project)s”.") % {"project": project})
    return redirect("recommendations:detail", pk=recommendation.pk)


# An information request started from the list names its recommendations in its address.
ASK_LIMIT = 200


@require_POST
def recommendation_bulk(request: HttpRequest) -> HttpResponse:
    """One change to the ticked recommendations, or to every one the list's search and filters match."""
    user = request.user
    if not permissions.can_manage_recommendations(user):
        raise Http404
    form = BulkForm(request.POST)
    query = request.POST.get("query", "")
    back = reverse("recommendations:list") + (f"?{query}" if query else "")
    if not form.is_valid():
        messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": form_problems(form)})
        return redirect(back)
    data = form.cleaned_data
    params = QueryDict(data["query"])
    cleaned, _notes = clean_leniently(RecommendationFilterForm(params), params)
    matching = selectors.search_recommendations(
        _filters_from(cleaned), within=permissions.recommendation_scope(user)
    ).queryset
    ids = chosen_ids(request, matching, apply_to=data["apply_to"], limit=services.BULK_LIMIT)
    if not ids:
        messages.error(request, _("Nothing was changed: tick recommendations, or choose every matching one."))
        return redirect(back)
    if len(ids) > services.BULK_LIMIT:
        messages.error(
            request,
            _("Nothing was changed: more than %(limit)s recommendations match. Narrow the filters first.")
            % {"limit": f"{services.BULK_LIMIT:,}"},
        )
        return redirect(back)
    action = data["action"]
    if action == "ask":  # a new information request, about these recommendations
        if len(ids) > ASK_LIMIT:
            messages.error(
                request,
                _("One request can ask about at most %(limit)s recommendations: tick fewer, or narrow the filters.")
                % {"limit": ASK_LIMIT},
            )
            return redirect(back)
        return redirect(reverse("inquiries:create") + "?" + urlencode([("recommendation", pk) for pk in sorted(ids)]))
    chosen = Recommendation.objects.filter(pk__in=ids)
    try:
        if action == "project":
            count = services.project_add_recommendations(project=data["project"], recommendations=chosen, actor=user)
        elif action == "lead":
            count = services.recommendations_set_lead(recommendations=chosen, institution=data["lead"], actor=user)
        elif action == "term":
            count = services.recommendations_add_term(recommendations=chosen, term=data["term"], actor=user)
        else:
            count = services.recommendations_change_status(
                recommendations=chosen, actor=user, status=data["status"], effective_on=data["effective_on"],
                justification=data["justification"],
            )  # fmt: skip
    except ValidationError as error:
        messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": " ".join(error.messages)})
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)s recommendation was changed (of %(total)s chosen).",
            "%(count)s recommendations were changed (of %(total)s chosen).",
            count,
        )
        % {"count": count, "total": len(ids)},
    )
    return redirect(back)
