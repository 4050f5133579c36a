"""Per-user request handling: the user's own language, and when a session ends."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation


class UserLanguageMiddleware:
    """Runs after authentication: a user who chose a language sees it on every device.

    LocaleMiddleware (earlier) has already picked the browser's or the
    cookie's language; this replaces it when the user has a saved choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class SessionExpiryMiddleware:
    """Ends a session after RECTRACK_SESSION_IDLE_MINUTES without a request, and
    RECTRACK_SESSION_MAX_HOURS after sign-in whatever the activity.

    The idle clock is refreshed at most once a minute, so reading pages does
    not write the session on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("signed_in_at", now)
            seen = session.get("seen_at", now)
            if now - seen > settings.RECTRACK_SESSION_IDLE_MINUTES * 60 or (
                now - started > settings.RECTRACK_SESSION_MAX_HOURS * 3600
            ):
                logout(request)
            elif now - seen >= 60 or "seen_at" not in session:
                session["seen_at"] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """When administrators must use a second factor, one without it can only set it up (or sign out)."""

    ALLOWED = ("accounts:two_factor", "accounts:logout", "accounts:language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import redirect

        from rectrack.accounts import services

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not services.two_factor_required(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.ALLOWED:
            return None
        if services.two_factor_enabled(user):
            return None
        return redirect("accounts:two_factor")
