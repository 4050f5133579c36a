from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.lib.forms import submit
from rectrack.taxonomy import services
from rectrack.taxonomy.forms import ClusterForm, MergeForm, TermForm, translations_from
from rectrack.taxonomy.models import Term, TermStatus, Vocabulary, VocabularyKind


def _require_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_taxonomy(request.user):
        raise Http404


def overview(request: HttpRequest) -> HttpResponse:
    """Every vocabulary with its terms counted, the national clusters, and the labels waiting for review."""
    _require_manager(request)
    vocabularies = Vocabulary.objects.annotate(
        term_count=Count("terms", filter=~Q(terms__status=TermStatus.RETIRED)),
        unreviewed=Count("terms", filter=Q(terms__status=TermStatus.UNREVIEWED)),
    ).order_by("kind", "-is_current", "name")
    clusters = Term.objects.filter(vocabulary__kind=VocabularyKind.NATIONAL_CLUSTER).order_by("status", "position")
    form = ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission = submit(
            form,
            lambda: services.cluster_create(
                actor=request.user,
                label=form.cleaned_data["label"],
                description=form.cleaned_data["description"],
                translations=translations_from(form.cleaned_data),
            ),
        )
        if submission.ok:
            messages.success(request, _("The cluster “%(name)s” was added.") % {"name": submission.result})
            return redirect("taxonomy:overview")
    return render(
        request,
        "taxonomy/overview.html",
        {
            "vocabularies": vocabularies,
            "clusters": clusters,
            "form": form,
            "unreviewed": Term.objects.filter(status=TermStatus.UNREVIEWED).count(),
        },
    )


def review(request: HttpRequest) -> HttpResponse:
    """Labels met in imported data that no vocabulary held: map each to a term, or keep it."""
    _require_manager(request)
    terms = (
        Term.objects.filter(status=TermStatus.UNREVIEWED)
        .select_related("vocabulary")
        .order_by("vocabulary__kind", "vocabulary__name", "label")
    )
    rows = [{"term": term, "uses": services.usage_count(term), "form": MergeForm(term=term, prefix=f"t{term.pk}")}
            for term in terms[:200]]  # fmt: skip
    return render(request, "taxonomy/review.html", {"rows": rows, "total": terms.count()})


def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    term = get_object_or_404(Term.objects.select_related("vocabulary", "maps_to"), pk=pk)
    editable = services.label_editable(term)
    form = TermForm(request.POST or None, term=term, label_editable=editable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.term_update(
                actor=request.user,
                term=term,
                label=data["label"],
                description=data["description"],
                translations=translations_from(data),
                status=data["status"],
            ),
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("taxonomy:term_edit", pk=term.pk)
    return render(
        request,
        "taxonomy/term_form.html",
        {
            "term": term,
            "form": form,
            "merge_form": MergeForm(term=term, prefix=f"t{term.pk}"),
            "uses": services.usage_count(term),
            "history": history_for(term),
        },
    )


@require_POST
def term_merge(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    term = get_object_or_404(Term.objects.select_related("vocabulary"), pk=pk)
    back = (
        redirect("taxonomy:review") if request.POST.get("back") == "review" else redirect("taxonomy:term_edit", pk=pk)
    )
    form = MergeForm(request.POST, term=term, prefix=f"t{term.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose the term to merge “%(name)s” into.") % {"name": term})
        return back
    target = form.cleaned_data["target"]
    submission = submit(form, lambda: services.term_merge(actor=request.user, source=term, target=target))
    if submission.ok:
        messages.success(
            request,
            _("“%(source)s” was merged into “%(target)s”: %(count)s recommendations moved.")
            % {"source": term, "target": target, "count": submission.result},
        )
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return back
