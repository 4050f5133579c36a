from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectrack.accounts import permissions
from rectrack.lib.forms import submit
from rectrack.recommendations.models import Mechanism, MechanismKind
from rectrack.reporting import services
from rectrack.reporting.documents import DOCX_CONTENT_TYPE
from rectrack.reporting.forms import DraftForm
from rectrack.reporting.models import DraftState, ReportDraft

# The reports each tab offers: (title, what it is and when it is due).
REPORTS = {
    "upr": [
        (gettext_lazy("UPR national report"), gettext_lazy(
            "Submitted before each review (at most 10,700 words): the follow-up to the previous cycle's "
            "recommendations, by cluster, with the changes since and the challenges that remain.")),
        (gettext_lazy("UPR mid-term report"), gettext_lazy(
            "Voluntary, about two and a half years after the review: the status of each supported "
            "recommendation and what was done.")),
        (gettext_lazy("Annual report to parliament"), gettext_lazy(
            "Progress on every mechanism's recommendations over the year, for the parliament and the public.")),
    ],
    "treaty_bodies": [
        (gettext_lazy("Common core document"), gettext_lazy(
            "The general part shared by every treaty report: the country, its legal framework and its "
            "institutions; updated when they change.")),
        (gettext_lazy("State periodic report"), gettext_lazy(
            "The treaty-specific report, article by article, answering the previous concluding observations.")),
        (gettext_lazy("Reply to a list of issues"), gettext_lazy(
            "The answers to the committee's questions, before the dialogue or in place of a report (simplified "
            "reporting procedure).")),
        (gettext_lazy("Follow-up report"), gettext_lazy(
            "Within one or two years, on the few recommendations the committee chose for follow-up.")),
        (gettext_lazy("Annual report to parliament"), gettext_lazy(
            "Progress on every mechanism's recommendations over the year, for the parliament and the public.")),
    ],
}  # fmt: skip
TABS = {"upr": gettext_lazy("Universal Periodic Review"), "treaty_bodies": gettext_lazy("Treaty bodies")}


def _require_reader(request: HttpRequest) -> None:
    if not permissions.can_read_reports(request.user):
        raise Http404


def reporting(request: HttpRequest, tab: str = "upr") -> HttpResponse:
    _require_reader(request)
    drafts = ReportDraft.objects.select_related("mechanism", "created_by")
    if tab == "upr":
        drafts = drafts.filter(mechanism__kind=MechanismKind.UPR)
    else:
        drafts = drafts.exclude(mechanism__kind=MechanismKind.UPR)
    return render(
        request,
        "reporting/index.html",
        {
            "tab": tab,
            "tabs": TABS.items(),
            "reports": REPORTS[tab],
            "drafts": drafts[:50],
            "can_draft": permissions.can_draft_reports(request.user),
            "upr": Mechanism.objects.filter(acronym="UPR").first(),
        },
    )


def draft_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_draft_reports(request.user):
        raise Http404
    initial = {"period_end": timezone.localdate()}
    chosen = request.GET.get("mechanism", "")
    if chosen.isdigit() and (mechanism := Mechanism.objects.filter(pk=chosen).first()):
        initial["mechanism"] = mechanism
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = submit(form, lambda: services.draft_create(actor=request.user, **form.cleaned_data))
        if done.ok:
            messages.success(request, _("The draft is being written. This page shows when it is ready."))
            return redirect("reporting:draft_detail", done.result.pk)
    return render(request, "reporting/draft_form.html", {"form": form})


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    draft = get_object_or_404(
        ReportDraft.objects.select_related("mechanism", "project", "cluster", "created_by"), pk=pk
    )
    return render(
        request,
        "reporting/draft_detail.html",
        {"draft": draft, "progress": services.draft_progress(draft) if draft.is_pending else None},
    )


def draft_download(request: HttpRequest, pk: int) -> FileResponse:
    _require_reader(request)
    draft = get_object_or_404(ReportDraft, pk=pk, state=DraftState.DONE)
    if not draft.file:
        raise Http404
    name = f"{_('draft')}-{draft.mechanism.acronym}-{draft.period_end.isoformat()}.docx".replace("/", "-")
    return FileResponse(draft.file.open("rb"), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE)
