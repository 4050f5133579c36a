from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.inquiries import selectors, services
from rectrack.inquiries.forms import AnswersForm, RequestForm
from rectrack.inquiries.models import InformationRequest, Recipient, RequestStatus
from rectrack.lib.forms import submit, submit_edit


def _get_request(user, pk: int, scope=None) -> InformationRequest:
    """The request `pk` if the user reads it (`scope`: their `request_scope`, when the caller has it already)."""
    scope = permissions.request_scope(user) if scope is None else scope
    queryset = InformationRequest.objects.all() if scope is None else scope
    return get_object_or_404(queryset, pk=pk)


def _manager_only(user) -> None:
    if not permissions.can_manage_requests(user):
        raise Http404


def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.reads_everything(user):
        raise Http404
    status = request.GET.get("status", "open")
    status = status if status in RequestStatus.values else ""
    focal = permissions.request_scope(user) is not None
    mine = sorted(permissions.institution_ids(user)) if focal else None
    requests = selectors.with_recipients(selectors.request_list(status=status, institution_ids=mine))
    page = Paginator(requests, settings.RECTRACK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inquiries/list.html",
        {
            "page": page,
            "status": status,
            "statuses": RequestStatus.choices,
            "query_string": f"status={status}",
            "can_manage": permissions.can_manage_requests(user),
            "mine": set(mine or ()),
        },
    )


def request_create(request: HttpRequest) -> HttpResponse:
    _manager_only(request.user)
    ids = [int(v) for v in request.GET.getlist("recommendation") if v.isdigit()][:200]
    activities = [int(v) for v in request.GET.getlist("activity") if v.isdigit()][:200]
    form = RequestForm(
        request.POST or None, initial={"recommendation_ids": ids, "activities": activities, "word_limit": 300}
    )
    if request.method == "POST" and form.is_valid():
        submission = submit(form, lambda: services.request_send(actor=request.user, **form.request_fields()))
        if submission.ok:
            messages.success(request, _("The request was sent. The institutions' focal points were notified."))
            return redirect("inquiries:detail", pk=submission.result.pk)
    return render(request, "inquiries/form.html", {"form": form})


def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request.user)
    info = _get_request(request.user, pk)
    form = RequestForm(request.POST or None, instance=info, editing=True)
    submission = submit_edit(
        request,
        form,
        lambda expected: services.request_update(
            request=info, actor=request.user, expected_version=expected, **form.request_fields()
        ),
    )
    if submission and submission.ok:
        messages.success(request, _("Your changes were saved."))
        return redirect("inquiries:detail", pk=pk)
    return render(
        request,
        "inquiries/form.html",
        {"form": form, "info": info, "conflict": submission and submission.conflict},
    )


@require_POST
def request_status(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request.user)
    info = _get_request(request.user, pk)
    status = request.POST.get("status")
    if status in RequestStatus.values:
        services.request_set_status(request=info, actor=request.user, status=status)
        if status == RequestStatus.CLOSED:
            messages.success(request, _("The request is closed: no more answers can be given."))
        else:
            messages.success(request, _("The request is open again."))
    return redirect("inquiries:detail", pk=pk)


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    scope = permissions.request_scope(user)
    info = _get_request(user, pk, scope)
    focal = scope is not None
    mine = permissions.institution_ids(user) if focal else None
    rows = selectors.progress(info)
    if focal:
        rows = [row for row in rows if row.recipient.institution_id in mine]
    answers = selectors.answers_by_item(info, institution_ids=mine)
    items = [(item, answers.get((item._meta.model_name, item.pk), [])) for item in services.items_of(info)]
    return render(
        request,
        "inquiries/detail.html",
        {
            "info": info,
            "rows": rows,
            "items": items,
            "answerable": [row for row in rows if permissions.can_answer_for(user, row.recipient.institution_id)],
            "can_manage": permissions.can_manage_requests(user),
            "history": history_for(info) if permissions.can_read_history(user) and not focal else None,
            "late_count": sum(1 for row in rows if row.late),
        },
    )


def answer(request: HttpRequest, pk: int, institution: int) -> HttpResponse:
    """An institution's answers, one box per item (its focal points)."""
    info = _get_request(request.user, pk)
    recipient = get_object_or_404(
        Recipient.objects.select_related("institution", "request"), request=info, institution_id=institution
    )
    if not permissions.can_answer_for(request.user, recipient.institution_id):
        raise Http404
    existing = {
        (type(a.recommendation or a.activity), (a.recommendation or a.activity).pk): a.text
        for a in recipient.answers.select_related("recommendation", "activity")
    }
    form = AnswersForm(
        request.POST or None, items=services.items_of(info), answers=existing, word_limit=info.word_limit
    )
    if request.method == "POST" and info.status == RequestStatus.OPEN and form.is_valid():
        submission = submit(
            form, lambda: services.answers_save(recipient=recipient, actor=request.user, texts=form.texts())
        )
        if submission.ok:
            if submission.result:
                messages.success(request, _("Your answers were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("inquiries:detail", pk=pk)
    return render(request, "inquiries/answer.html", {"info": info, "recipient": recipient, "form": form})
