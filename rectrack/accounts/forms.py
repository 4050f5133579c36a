from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from rectrack.accounts import services


def client_address(request) -> str | None:
    """The client's IP address; behind a trusted proxy (RECTRACK_TRUSTED_PROXY), the one it forwarded."""
    if request is None:
        return None
    if settings.RECTRACK_TRUSTED_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message for a wrong user name and a wrong password alike, so the
        # form does not tell which accounts exist.
        "invalid_login": _("The user name or the password is not right. Both are case-sensitive."),
        "inactive": _("The user name or the password is not right. Both are case-sensitive."),
        # Said for any user name, existing or not, for the same reason.
        "locked": _(
            "Too many failed attempts. Sign-in is paused for %(minutes)s minutes; "
            "an administrator can lift the pause sooner."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if username and services.login_locked(username=username, ip_address=address):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.RECTRACK_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.login_failed(username=username, ip_address=address)
            raise
        services.login_succeeded(username=username)
        return cleaned
