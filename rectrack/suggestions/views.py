from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.lib.bulk import form_problems
from rectrack.lib.filters import clean_leniently
from rectrack.suggestions import index, selectors, services, tasks
from rectrack.suggestions.forms import BULK_LIMIT, DecideForm, ReviewFilterForm
from rectrack.suggestions.models import LabelModel, ModelState, SimilarityIndex, Suggestion, SuggestionState
from rectrack.taxonomy.models import VocabularyKind

SETS_PER_PAGE = 10


def _secretariat(request: HttpRequest) -> None:
    if not permissions.can_review_suggestions(request.user):
        raise Http404


def _review_filters(params: QueryDict) -> tuple[ReviewFilterForm, selectors.ReviewFilters, list[str]]:
    state = params.get("state") if params.get("state") in SuggestionState.values else SuggestionState.PENDING
    form = ReviewFilterForm(params, terms=selectors.term_choices_with_suggestions(state))
    cleaned, notes = clean_leniently(form, params)
    filters = selectors.ReviewFilters(
        kind=cleaned["kind"] or "",
        term=cleaned["term"],
        min_percent=cleaned["min_percent"] or 0,
        state=cleaned["state"] or SuggestionState.PENDING,
    )
    return form, filters, notes


def review(request: HttpRequest) -> HttpResponse:
    """The suggestions to review, by recommendation, most confident first, to accept or reject in bulk."""
    _secretariat(request)
    form, filters, notes = _review_filters(request.GET)
    matching = selectors.matching(filters)
    page = Paginator(selectors.ReviewPage(matching), settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "suggestions/review.html",
        {
            "form": form,
            "page": page,
            "notes": notes,
            "suggestion_count": matching.count(),
            "pending": filters.state == SuggestionState.PENDING,
            "decide_form": DecideForm(),
            "query_string": query.urlencode(),
            "model": services.active_model(),
        },
    )


@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """Accept or reject the ticked suggestions, or every one the review page's filters show."""
    _secretariat(request)
    query = QueryDict(request.POST.get("query", ""))
    back = f"{reverse('suggestions:review')}?{query.urlencode()}"
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(back)
    _form, filters, _notes = _review_filters(query)
    filters.state = SuggestionState.PENDING
    matching = selectors.matching(filters)
    if form.cleaned_data["apply_to"] == "selected":
        matching = matching.filter(pk__in=[int(value) for value in request.POST.getlist("ids") if value.isdigit()])
    ids = list(matching.order_by().values_list("pk", flat=True)[: BULK_LIMIT + 1])
    if not ids:
        messages.error(request, _("Tick at least one suggestion, or choose every suggestion these filters show."))
        return redirect(back)
    if len(ids) > BULK_LIMIT:
        messages.error(
            request,
            _("More than %(limit)s suggestions match: narrow the filters (a label, a confidence) and decide again.")
            % {"limit": f"{BULK_LIMIT:,}"},
        )
        return redirect(back)
    chosen = Suggestion.objects.filter(pk__in=ids)
    if form.cleaned_data["action"] == "accept":
        count = services.suggestions_accept(suggestions=chosen, actor=request.user)
        message = ngettext(
            "%(count)s suggestion accepted: its label was added, and the history says it was a suggestion.",
            "%(count)s suggestions accepted: their labels were added, and the history says they were suggestions.",
            count,
        )
    else:
        count = services.suggestions_reject(suggestions=chosen, actor=request.user)
        message = ngettext(
            "%(count)s suggestion rejected; it will not be suggested again.",
            "%(count)s suggestions rejected; they will not be suggested again.",
            count,
        )
    messages.success(request, message % {"count": f"{count:,}"})
    return redirect(back)


@require_POST
def decide_one(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept or reject one suggestion, from its recommendation's page."""
    _secretariat(request)
    if action not in ("accept", "reject"):
        raise Http404
    suggestion = get_object_or_404(Suggestion.objects.select_related("term"), pk=pk)
    permissions.get_recommendation_for_user(request.user, suggestion.recommendation_id, write=True)
    decide_with = services.suggestions_accept if action == "accept" else services.suggestions_reject
    try:
        decide_with(suggestions=[suggestion], actor=request.user)
    except services.AlreadyDecided as error:
        messages.error(request, str(error))
    else:
        if action == "accept":
            messages.success(request, _("“%(label)s” was added.") % {"label": suggestion.term})
        else:
            messages.success(request, _("“%(label)s” will not be suggested again.") % {"label": suggestion.term})
    return redirect(f"{reverse('recommendations:detail', args=[suggestion.recommendation_id])}#suggestions-title")


@require_POST
def decide_all_for(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept or reject every suggestion still to review on one recommendation."""
    _secretariat(request)
    if action not in ("accept", "reject"):
        raise Http404
    recommendation = permissions.get_recommendation_for_user(request.user, pk, write=True)
    pending = Suggestion.objects.filter(recommendation=recommendation, state=SuggestionState.PENDING)
    if action == "accept":
        count = services.suggestions_accept(suggestions=pending, actor=request.user)
        messages.success(
            request, ngettext("%(count)s label added.", "%(count)s labels added.", count) % {"count": count}
        )
    else:
        count = services.suggestions_reject(suggestions=pending, actor=request.user)
        messages.success(
            request,
            ngettext("%(count)s suggestion rejected.", "%(count)s suggestions rejected.", count) % {"count": count},
        )
    return redirect(f"{reverse('recommendations:detail', args=[pk])}#suggestions-title")


@require_POST
def suggest_for(request: HttpRequest, pk: int) -> HttpResponse:
    """Suggest labels for one recommendation now."""
    _secretariat(request)
    recommendation = permissions.get_recommendation_for_user(request.user, pk, write=True)
    if services.active_model() is None:
        messages.error(
            request, _("No label model is trained yet: train one at Settings › Suggestions, then ask again.")
        )
    else:
        count = services.suggest_for(recommendation=recommendation)
        if count:
            messages.success(
                request, ngettext("%(count)s label suggested.", "%(count)s labels suggested.", count) % {"count": count}
            )
        else:
            messages.info(
                request,
                _("Nothing to suggest: the recommendation has labels of every kind the model knows, or only "
                  "labels you rejected came up."),
            )  # fmt: skip
    return redirect(f"{reverse('recommendations:detail', args=[pk])}#suggestions-title")


def settings_page(request: HttpRequest) -> HttpResponse:
    """Settings › Suggestions: the model in use and how well it did, its training history, the index of similar
    recommendations, and what is waiting for review."""
    _secretariat(request)
    training = LabelModel.objects.filter(state__in=[ModelState.QUEUED, ModelState.RUNNING]).first()
    building = SimilarityIndex.objects.filter(state__in=[ModelState.QUEUED, ModelState.RUNNING]).first()
    model = services.active_model()
    return render(
        request,
        "suggestions/settings.html",
        {
            "model": model,
            "model_figures": [(VocabularyKind(kind).label, figures) for kind, figures in model.figures.items()]
            if model
            else [],
            "history": selectors.training_history(),
            "training": training,
            "training_progress": services.progress("model", training.pk) if training else None,
            "index": index.active(),
            "building": building,
            "building_progress": services.progress("index", building.pk) if building else None,
            "counts": selectors.counts(),
            "lacking": selectors.lacking_counts(),
        },
    )


@require_POST
def train(request: HttpRequest) -> HttpResponse:
    _secretariat(request)
    with transaction.atomic():
        model = services.model_request(actor=request.user)
        if model.state == ModelState.QUEUED:
            transaction.on_commit(lambda: tasks.queue_training(model))
    messages.success(request, _("The model is being trained; this page shows its progress."))
    return redirect("suggestions:settings")


@require_POST
def suggest_all(request: HttpRequest) -> HttpResponse:
    _secretariat(request)
    if services.active_model() is None:
        messages.error(request, _("No label model is trained yet: train one first."))
    else:
        tasks.suggest_all.enqueue()
        messages.success(
            request, _("Labels are being suggested for every recommendation lacking them; review them as they come.")
        )
    return redirect("suggestions:settings")


@require_POST
def reindex(request: HttpRequest) -> HttpResponse:
    _secretariat(request)
    with transaction.atomic():
        built = services.index_request()
        if built.state == ModelState.QUEUED:
            transaction.on_commit(lambda: tasks.queue_index(built, rebuild=True))
    messages.success(request, _("The index of similar recommendations is being rebuilt; this page shows its progress."))
    return redirect("suggestions:settings")


def duplicates(request: HttpRequest) -> HttpResponse:
    """Sets of recommendations that seem to ask the same thing, to group (the secretariat)."""
    if not permissions.can_group_recommendations(request.user):
        raise Http404
    sets = selectors.duplicate_sets()
    page = Paginator(sets, SETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/duplicates.html",
        {
            "page": page,
            "sets": selectors.with_rows(list(page.object_list)),
            "index": index.active(),
        },
    )
