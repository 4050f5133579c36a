from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.institutions import services
from rectrack.institutions.forms import HandoverForm, InstitutionForm
from rectrack.institutions.models import Institution, Membership
from rectrack.lib.forms import submit


def _require_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_institutions(request.user):
        raise Http404


def institution_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    institutions = (
        Institution.objects.select_related("parent")
        .annotate(members=Count("memberships", filter=Q(memberships__end_date__isnull=True), distinct=True))
        .order_by("-is_active", "name")
    )
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission = submit(form, lambda: services.institution_create(actor=request.user, **form.cleaned_data))
        if submission.ok:
            messages.success(request, _("“%(name)s” was added.") % {"name": submission.result})
            return redirect("institutions:list")
    return render(request, "institutions/list.html", {"institutions": institutions, "form": form})


def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    institution = get_object_or_404(Institution, pk=pk)
    form = InstitutionForm(request.POST or None, instance=Institution.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        submission = submit(
            form,
            lambda: services.institution_update(actor=request.user, institution=institution, **form.cleaned_data),
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("institutions:edit", pk=institution.pk)
    roster = Membership.objects.filter(institution=institution).select_related("user").order_by("end_date", "kind")
    return render(
        request,
        "institutions/form.html",
        {"institution": institution, "form": form, "roster": roster, "history": history_for(institution)},
    )


def handover(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand an institution's work from its focal point to another (the secretariat)."""
    if not permissions.can_hand_over(request.user):
        raise Http404
    institution = get_object_or_404(Institution, pk=pk)
    form = HandoverForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.focal_point_handover(
                actor=request.user,
                institution=institution,
                leaving=data["leaving"],
                taking_over=data["taking_over"],
                end_membership=data["end_membership"],
            ),
        )
        if submission.ok:
            messages.success(
                request,
                _("%(person)s is now the main focal point; %(count)d open request(s) moved to them.")
                % {"person": data["taking_over"], "count": submission.result},
            )
            return redirect("institutions:handover", pk=pk)
    roster = Membership.objects.filter(institution=institution).select_related("user").order_by("end_date", "kind")
    return render(request, "institutions/handover.html", {"institution": institution, "form": form, "roster": roster})
