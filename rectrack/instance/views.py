from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rectrack.accounts import permissions
from rectrack.audit.selectors import history_for
from rectrack.instance import selectors, services
from rectrack.instance.forms import InstanceSettingsForm
from rectrack.lib.forms import submit


def settings_edit(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_instance(request.user):
        raise Http404
    current = selectors.current()
    form = InstanceSettingsForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "name": current.name,
            "country": current.country,
            "default_currency": current.default_currency,
            "languages": current.languages,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.settings_update(
                actor=request.user,
                name=data["name"],
                country=data["country"],
                default_currency=data["default_currency"],
                languages=data["languages"],
                logo=data["logo"],
                remove_logo=data["remove_logo"],
            ),
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("instance:edit")
    return render(
        request,
        "instance/settings_form.html",
        {
            "form": form,
            "current": current,
            "history": history_for(current) if current.pk and current.updated_at else [],
        },
    )


@login_not_required
def logo(request: HttpRequest) -> HttpResponse:
    """The instance's logo, shown on every page including the login page; never anything but an image."""
    path = selectors.logo_path()
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/png" if path.suffix == ".png" else "image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
