from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.lib.forms import submit, submit_edit
from rectrack.recommendations.models import Mechanism, MechanismKind
from rectrack.reporting import services, templating
from rectrack.reporting.documents import DOCX_CONTENT_TYPE
from rectrack.reporting.forms import DraftCommentForm, DraftForm, ResolveForm, ShareForm, TemplateUploadForm
from rectrack.reporting.models import DraftComment, DraftState, ReportDraft, ReportKind, ReportTemplate

# What each report is and when it is due.
DESCRIPTIONS = {
    ReportKind.UPR_NATIONAL: gettext_lazy(
        "Submitted before each review (at most 10,700 words): the follow-up to the previous cycle's "
        "recommendations, by cluster, with the changes since and the challenges that remain."),
    ReportKind.UPR_MIDTERM: gettext_lazy(
        "Voluntary, about two and a half years after the review: the status of each supported "
        "recommendation and what was done."),
    ReportKind.PARLIAMENT: gettext_lazy(
        "Progress on every mechanism's recommendations over the year, for the parliament and the public."),
    ReportKind.COMMON_CORE: gettext_lazy(
        "The general part shared by every treaty report: the country, its legal framework and its "
        "institutions; updated when they change."),
    ReportKind.PERIODIC: gettext_lazy(
        "The treaty-specific report, article by article, answering the previous concluding observations."),
    ReportKind.LIST_OF_ISSUES: gettext_lazy(
        "The answers to the committee's questions, before the dialogue or in place of a report (simplified "
        "reporting procedure)."),
    ReportKind.FOLLOW_UP: gettext_lazy(
        "Within one or two years, on the few recommendations the committee chose for follow-up."),
}  # fmt: skip
# The reports each tab offers.
REPORTS = {
    "upr": [ReportKind.UPR_NATIONAL, ReportKind.UPR_MIDTERM, ReportKind.PARLIAMENT],
    "treaty_bodies": [
        ReportKind.COMMON_CORE, ReportKind.PERIODIC, ReportKind.LIST_OF_ISSUES, ReportKind.FOLLOW_UP,
        ReportKind.PARLIAMENT,
    ],
}  # fmt: skip
TABS = {"upr": gettext_lazy("Universal Periodic Review"), "treaty_bodies": gettext_lazy("Treaty bodies")}


def _require_reader(request: HttpRequest) -> None:
    if not permissions.can_read_reports(request.user):
        raise Http404


def _kind(value: str) -> ReportKind:
    if value not in ReportKind.values:
        raise Http404
    return ReportKind(value)


def reporting(request: HttpRequest, tab: str = "upr") -> HttpResponse:
    """The tab's guide, reports and drafts; contributors see only the drafts shared with them for comment."""
    user = request.user
    drafts = permissions.scoped(
        ReportDraft.objects.select_related("mechanism", "created_by"), permissions.draft_scope(user)
    )
    if tab == "upr":
        drafts = drafts.filter(mechanism__kind=MechanismKind.UPR)
    else:
        drafts = drafts.exclude(mechanism__kind=MechanismKind.UPR)
    reads = permissions.can_read_reports(user)
    return render(
        request,
        "reporting/index.html",
        {
            "tab": tab,
            "tabs": TABS.items(),
            "reports": [(kind, kind.label, DESCRIPTIONS[kind]) for kind in REPORTS[tab]] if reads else [],
            # Newest first, said again: a grouped query ignores Meta.ordering.
            "drafts": drafts.annotate(
                open_comments=Count("comments", filter=Q(comments__resolved_at__isnull=True))
            ).order_by("-created_at", "-id")[:50],
            "reads_reports": reads,
            "can_draft": permissions.can_draft_reports(user),
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
    if request.GET.get("report") in ReportKind.values:
        initial["report"] = request.GET["report"]
        initial["title"] = ReportKind(request.GET["report"]).label
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = submit(form, lambda: services.draft_create(actor=request.user, **form.cleaned_data))
        if done.ok:
            messages.success(request, _("The draft is being written. This page shows when it is ready."))
            return redirect("reporting:draft_detail", done.result.pk)
    return render(request, "reporting/draft_form.html", {"form": form})


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    draft = permissions.get_draft_for_user(user, pk)
    can_comment = permissions.can_comment_on_draft(user, draft)
    comments = list(draft.comments.select_related("author", "institution", "resolved_by"))
    by_section: dict[str, list] = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    sections = [("", _("The whole draft"), by_section.pop("", []))]
    sections += [(title, title, by_section.pop(title, [])) for title in draft.outline]
    # Comments on a section the draft no longer has (none today: a draft's outline is fixed once written).
    sections += [(title, title, rest) for title, rest in by_section.items()]
    return render(
        request,
        "reporting/draft_detail.html",
        {
            "draft": draft,
            "progress": services.draft_progress(draft) if draft.is_pending else None,
            "sections": sections,
            "open_comments": sum(1 for comment in comments if not comment.is_resolved),
            "comment_count": len(comments),
            "shared_with": list(draft.shared_with.order_by("name")),
            "comment_form": DraftCommentForm(outline=draft.outline) if can_comment else None,
            "can_share": permissions.can_draft_reports(user) and draft.state == DraftState.DONE,
            "can_resolve": permissions.can_draft_reports(user),
            "can_delete": permissions.can_draft_reports(user) and not draft.is_pending,
            "history": history_for(draft) if permissions.can_read_reports(user) else None,
        },
    )


def draft_download(request: HttpRequest, pk: int) -> FileResponse:
    draft = permissions.get_draft_for_user(request.user, pk)
    if draft.state != DraftState.DONE or not draft.file:
        raise Http404
    name = f"{_('draft')}-{draft.mechanism.acronym}-{draft.period_end.isoformat()}.docx".replace("/", "-")
    return FileResponse(draft.file.open("rb"), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE)


def draft_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share a written draft with institutions for comment, until a deadline (the secretariat)."""
    if not permissions.can_draft_reports(request.user):
        raise Http404
    draft = get_object_or_404(ReportDraft, pk=pk, state=DraftState.DONE)
    initial = {
        "shared_with": draft.shared_with.all(),
        "consultation_deadline": draft.consultation_deadline or timezone.localdate() + timedelta(days=14),
        "version": draft.version,
    }
    form = ShareForm(request.POST or None, initial=initial)
    done = submit_edit(
        request,
        form,
        lambda expected: services.draft_share(
            actor=request.user,
            draft=draft,
            institutions=form.cleaned_data["shared_with"],
            deadline=form.cleaned_data["consultation_deadline"],
            expected_version=expected,
        ),
    )
    if done and done.ok:
        messages.success(request, _("The draft is shared. The institutions' members were notified."))
        return redirect("reporting:draft_detail", draft.pk)
    return render(request, "reporting/draft_share.html", {"draft": draft, "form": form})


@require_POST
def draft_comment(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_draft_for_user(request.user, pk)
    if not permissions.can_comment_on_draft(request.user, draft):
        raise Http404
    form = DraftCommentForm(request.POST, outline=draft.outline)
    if form.is_valid():
        done = submit(
            form,
            lambda: services.draft_comment_add(
                actor=request.user,
                draft=draft,
                section=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
                institution=permissions.consulted_institution(request.user, draft),
            ),
        )
        if done.ok:
            messages.success(request, _("Your comment is recorded."))
            return redirect(done.result.get_absolute_url())
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("reporting:draft_detail", draft.pk)


@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_draft_reports(request.user):
        raise Http404
    comment = get_object_or_404(DraftComment.objects.select_related("draft"), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        done = submit(
            form,
            lambda: services.draft_comment_resolve(
                actor=request.user, comment=comment, resolution=form.cleaned_data["resolution"]
            ),
        )
        if done.ok:
            messages.success(request, _("The comment is resolved."))
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(comment.get_absolute_url())


@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_draft_reports(request.user):
        raise Http404
    draft = get_object_or_404(ReportDraft, pk=pk)
    if draft.is_pending:
        messages.error(request, _("A draft being written cannot be deleted; wait until it is ready."))
        return redirect("reporting:draft_detail", draft.pk)
    is_upr = draft.mechanism.kind == MechanismKind.UPR
    services.draft_delete(actor=request.user, draft=draft)
    messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": draft.title})
    return redirect("reporting:index" if is_upr else "reporting:treaty_bodies")


# Templates.

# What reporting/placeholders.html documents.
PLACEHOLDER_DOCS = {
    "placeholders": templating.PLACEHOLDERS,
    "placeholder_help": templating.PLACEHOLDER_HELP,
    "kind_labels": templating.KIND_LABELS,
}


def template_list(request: HttpRequest) -> HttpResponse:
    """Each report's template (built in, or uploaded), and the placeholders a template may use."""
    _require_reader(request)
    uploaded = {template.kind: template for template in ReportTemplate.objects.select_related("created_by")}
    return render(
        request,
        "reporting/templates.html",
        {
            "kinds": [(kind, kind.label, uploaded.get(kind.value)) for kind in ReportKind],
            "can_manage": permissions.can_manage_report_templates(request.user),
            **PLACEHOLDER_DOCS,
        },
    )


def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The template drafts of this kind are written into: the uploaded one, else the built-in one in the reader's
    language."""
    _require_reader(request)
    content, _label = templating.template_for(_kind(kind))
    name = f"{_('template')}-{kind}.docx"
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def template_upload(request: HttpRequest, kind: str) -> HttpResponse:
    if not permissions.can_manage_report_templates(request.user):
        raise Http404
    chosen = _kind(kind)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > templating.MAX_TEMPLATE_BYTES:
            form.add_error("file", _("The template is larger than 10 MB."))
        else:
            content = upload.read()
            done = submit(
                form,
                lambda: services.template_upload(actor=request.user, kind=chosen, name=upload.name, content=content),
            )
            if done.ok:
                messages.success(request, _("The template is saved: new drafts of this report are written into it."))
                return redirect("reporting:templates")
    return render(
        request,
        "reporting/template_upload.html",
        {
            "form": form,
            "kind": chosen,
            **PLACEHOLDER_DOCS,
        },
    )


@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    if not permissions.can_manage_report_templates(request.user):
        raise Http404
    template = get_object_or_404(ReportTemplate, kind=_kind(kind))
    services.template_reset(actor=request.user, template=template)
    messages.success(request, _("Drafts of this report are written into the built-in template again."))
    return redirect("reporting:templates")
