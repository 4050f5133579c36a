from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions
from rectrack.collaboration import selectors, services
from rectrack.collaboration.forms import AttachmentForm, CommentForm, DigestPreferenceForm
from rectrack.collaboration.models import Attachment
from rectrack.lib.forms import submit


def attachment_form(user, data=None, files=None) -> AttachmentForm:
    return AttachmentForm(
        data, files, can_publish=permissions.can_publish(user), max_bytes=settings.RECTRACK_ATTACHMENT_MAX_BYTES
    )


def _activity_page(request, pk, **forms):
    from rectrack.planning.views import activity_detail

    return activity_detail(request, pk, **forms)


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file to an activity (whoever may edit it)."""
    activity = permissions.get_activity_for_user(request.user, pk)
    if not permissions.can_attach(request.user, activity):
        raise Http404
    form = attachment_form(request.user, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.attachment_add(
                activity=activity,
                actor=request.user,
                upload=data["file"],
                description=data["description"],
                is_public=data.get("is_public", False),
            ),
        )
        if submission.ok:
            messages.success(request, _("The file was attached."))
            return redirect("planning:activity_detail", pk=pk)
    return _activity_page(request, pk, attachment_form=form)


def _attachment_for(user, pk: int) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("activity"), pk=pk)
    if not permissions.can_read_attachment(user, attachment):
        raise Http404
    return attachment


def serve_attachment(attachment: Attachment) -> FileResponse:
    """The file as a download, with the type checked at upload; never rendered by the browser."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    return serve_attachment(_attachment_for(request.user, pk))


@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment_for(request.user, pk)
    if not permissions.can_attach(request.user, attachment.activity):
        raise Http404
    services.attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.name})
    return redirect("planning:activity_detail", pk=attachment.activity_id)


@require_POST
def attachment_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an attachment on the public portal, or stop showing it (administrators)."""
    attachment = _attachment_for(request.user, pk)
    if not permissions.can_publish(request.user):
        raise Http404
    is_public = request.POST.get("is_public") == "true"
    services.attachment_set_public(attachment=attachment, actor=request.user, is_public=is_public)
    if is_public:
        messages.success(
            request, _("“%(name)s” is shown on the public portal with its activity.") % {"name": attachment.name}
        )
    else:
        messages.success(request, _("“%(name)s” is no longer shown on the public portal.") % {"name": attachment.name})
    return redirect("planning:activity_detail", pk=attachment.activity_id)


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Comment on an activity; @mentioned people are notified."""
    activity = permissions.get_activity_for_user(request.user, pk)
    if not permissions.can_comment(request.user):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        submission = submit(
            form,
            lambda: services.comment_add(activity=activity, actor=request.user, body=form.cleaned_data["body"]),
        )
        if submission.ok:
            messages.success(request, _("Your comment was added."))
            return redirect(f"{activity_url(pk)}#comment-{submission.result.pk}")
    return _activity_page(request, pk, comment_form=form)


def activity_url(pk: int) -> str:
    return reverse("planning:activity_detail", args=[pk])


def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first; unread ones marked."""
    page = Paginator(selectors.notifications_for(request.user), settings.RECTRACK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "collaboration/notifications.html", {"page": page})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    count = services.notifications_mark_read(user=request.user, ids=ids or None)
    if count:
        messages.success(request, _("Notifications marked as read."))
    return redirect("collaboration:notifications")


def preferences(request: HttpRequest) -> HttpResponse:
    """One's own e-mail preferences: the daily digest of reminders on or off."""
    from rectrack.accounts.services import user_set_digest_emails

    form = DigestPreferenceForm(
        request.POST if request.method == "POST" else None, initial={"digest_emails": request.user.digest_emails}
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["digest_emails"]
        user_set_digest_emails(user=request.user, enabled=enabled)
        if enabled:
            messages.success(
                request, _("You will receive a daily e-mail of reminders when there is something to remind.")
            )
        else:
            messages.success(request, _("You will no longer receive the daily e-mail of reminders."))
        return redirect("collaboration:preferences")
    return render(request, "collaboration/preferences.html", {"form": form})
