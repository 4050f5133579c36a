import io
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectrack.accounts import permissions, services
from rectrack.accounts.forms import LoginForm, TwoFactorCodeForm, UserForm, client_address
from rectrack.accounts.models import User
from rectrack.audit.selectors import history_for
from rectrack.instance import selectors as instance
from rectrack.institutions.models import Membership, MembershipKind
from rectrack.lib.forms import submit


@login_not_required
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: saved on the user's account when signed in, in a cookie always."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


# ---------------------------------------------------------------- user management


def _require_user_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_users(request.user):
        raise Http404


def user_list(request: HttpRequest) -> HttpResponse:
    _require_user_manager(request)
    users = User.objects.order_by("-is_active", "last_name", "first_name", "username").prefetch_related(
        "memberships__institution"
    )
    paused = services.paused_usernames()
    rows = [
        {
            "user": user,
            "institutions": [m.institution for m in user.memberships.all() if m.is_current],
            "invited": not user.is_active and not user.has_usable_password(),
            "paused": user.username.lower() in paused,
        }
        for user in users
    ]
    return render(request, "accounts/user_list.html", {"rows": rows})


def user_invite(request: HttpRequest) -> HttpResponse:
    _require_user_manager(request)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.user_invite(
                actor=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                institutions=data["institutions"],
                kind=data["kind"],
                language=data["language"] or translation.get_language(),
                link_base=request.build_absolute_uri("/"),
            ),
        )
        if submission.ok:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": submission.result.email})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    target = get_object_or_404(User, pk=pk)
    current = list(Membership.objects.active().filter(user=target).select_related("institution"))
    form = UserForm(
        request.POST or None,
        instance=target,
        initial={
            "role": target.role,
            "institutions": [m.institution for m in current],
            "is_active": target.is_active,
            "kind": current[0].kind if current else MembershipKind.MEMBER,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = submit(
            form,
            lambda: services.user_update(
                actor=request.user,
                user=target,
                role=data["role"],
                institutions=data["institutions"],
                kind=data["kind"],
                is_active=data["is_active"],
            ),
        )
        if submission.ok:
            messages.success(request, _("Your changes were saved."))
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "invited": not target.is_active and not target.has_usable_password(),
            "paused": target.username.lower() in services.paused_usernames(),
            "has_two_factor": services.two_factor_enabled(target),
            "history": history_for(target),
        },
    )


@require_POST
def user_resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    target = get_object_or_404(User, pk=pk, is_active=False)
    if target.has_usable_password():
        raise Http404
    services.send_invitation(user=target, link_base=request.build_absolute_uri("/"), actor=request.user)
    messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": target.email})
    return redirect("accounts:user_edit", pk=target.pk)


@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    target = get_object_or_404(User, pk=pk)
    services.login_unlock(username=target.username, actor=request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": target})
    return redirect("accounts:user_edit", pk=target.pk)


@login_not_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation: the new user chooses a password and is signed in."""
    invited = services.user_for_invitation(token)
    if invited is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(invited, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.invitation_accept(user=invited, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(site)s. Your account is ready.") % {"site": instance.site_name()})
        return redirect("dashboard:home")
    return render(request, "accounts/invitation.html", {"form": form, "invited": invited})


# ---------------------------------------------------------------- two-factor sign-in


PENDING = "two_factor_pending"  # the session key of a sign-in waiting for its second factor
PENDING_SECONDS = 300


class SignInView(auth_views.LoginView):
    """The password step. With two-factor sign-in on, the user is signed in only after the code."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not services.two_factor_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {"user": user.pk, "next": self.get_success_url(), "at": int(time.time())}
        return redirect("accounts:two_factor_verify")


def _pending_user(request: HttpRequest) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or int(time.time()) - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    return User.objects.filter(pk=pending.get("user"), is_active=True).first(), pending


@login_not_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if services.login_locked(username=user.username, ip_address=address):
            form.add_error(
                None, LoginForm.error_messages["locked"] % {"minutes": settings.RECTRACK_LOGIN_LOCKOUT_MINUTES}
            )
        elif services.two_factor_verify(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.login_succeeded(username=user.username)
            return redirect(pending.get("next") or "dashboard:home")
        else:
            services.login_failed(username=user.username, ip_address=address)
            form.add_error(
                "code", _("That code is not right. Type the six digits your app shows now, or a recovery code.")
            )
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def two_factor(request: HttpRequest) -> HttpResponse:
    """The user's own two-factor page: whether it is on, how to turn it on or off."""
    context = {
        "enabled": services.two_factor_enabled(request.user),
        "required": services.two_factor_required(request.user),
    }
    if context["enabled"]:
        request.session.pop("two_factor_secret", None)
        return render(request, "accounts/two_factor.html", {**context, "disable_form": TwoFactorCodeForm(prefix="off")})
    # Setting up: the secret waits in the session until a code from the app confirms it.
    secret = request.session.get("two_factor_secret") or services.two_factor_new_secret()
    request.session["two_factor_secret"] = secret
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission = submit(
            form, lambda: services.two_factor_confirm(user=request.user, secret=secret, code=form.cleaned_data["code"])
        )
        if submission.ok:
            request.session.pop("two_factor_secret", None)
            return render(request, "accounts/two_factor_codes.html", {"codes": submission.result})
    qr = io.BytesIO()
    segno.make(services.two_factor_provisioning_uri(request.user, secret), error="m").save(
        qr, kind="svg", scale=4, xmldecl=False, svgns=True, title=_("QR code to scan")
    )
    return render(
        request,
        "accounts/two_factor.html",
        {
            **context,
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            # Made here from our own data: an SVG of paths, no script and no style.
            "qr": mark_safe(qr.getvalue().decode()),  # noqa: S308
        },
    )


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if not services.two_factor_enabled(request.user):
        raise Http404
    form = TwoFactorCodeForm(request.POST, prefix="off")
    if services.two_factor_required(request.user):
        messages.error(request, _("Administrators of this instance must keep two-factor sign-in on."))
    elif form.is_valid() and services.two_factor_verify(user=request.user, code=form.cleaned_data["code"]):
        services.two_factor_disable(user=request.user, actor=request.user)
        messages.success(request, _("Two-factor sign-in is off."))
    else:
        messages.error(request, _("That code is not right; two-factor sign-in stays on."))
    return redirect("accounts:two_factor")


@require_POST
def user_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator turns off another user's second factor (a lost phone); the user sets it up again."""
    _require_user_manager(request)
    target = get_object_or_404(User, pk=pk)
    if not services.two_factor_disable(user=target, actor=request.user):
        raise Http404
    messages.success(request, _("Two-factor sign-in is off for %(name)s.") % {"name": target})
    return redirect("accounts:user_edit", pk=target.pk)
