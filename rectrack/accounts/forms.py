from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from rectrack.accounts import services
from rectrack.accounts.models import Role, User
from rectrack.institutions.models import Institution, MembershipKind


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


class UserForm(forms.Form):
    """Invite a user, or change one: role, institutions, and (editing) whether they may sign in."""

    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A focal point edits the activities of these institutions."),
    )
    kind = forms.ChoiceField(label=_("As"), choices=MembershipKind.choices, initial=MembershipKind.MEMBER)
    language = forms.ChoiceField(label=_("Language of the invitation"), required=False)
    is_active = forms.BooleanField(label=_("May sign in"), required=False, initial=True)

    def __init__(self, *args, instance: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["language"].choices = [("", _("The language I use now")), *settings.LANGUAGES]
        if instance is None:
            del self.fields["is_active"]
        else:
            for name in ("email", "first_name", "last_name", "language"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.FOCAL_POINT and not cleaned.get("institutions"):
            self.add_error("institutions", _("A focal point belongs to at least one institution."))
        return cleaned


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
    )
