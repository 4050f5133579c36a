"""Changes to user accounts."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rectrack.accounts.models import LoginFailure, User
from rectrack.audit.models import Action
from rectrack.audit.services import record_event


@transaction.atomic
def user_set_language(*, user: User, language: str) -> bool:
    """Save the user's interface language (one of settings.LANGUAGES); False when it was already that."""
    if user.language == language:
        return False
    old, user.language = user.language, language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["language"])
    record_event(actor=user, instance=user, action=Action.UPDATED, changes={"language": {"old": old, "new": language}})
    return True


# ---------------------------------------------------------------- sign-in throttling


def _recent(**lookup) -> int:
    since = timezone.now() - timedelta(minutes=settings.RECTRACK_LOGIN_LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(at__gte=since, **lookup).count()


def login_locked(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this user name, or from this address: refuse even a right password."""
    if _recent(username=username.strip().lower()) >= settings.RECTRACK_LOGIN_MAX_FAILURES:
        return True
    return bool(ip_address) and _recent(ip_address=ip_address) >= settings.RECTRACK_LOGIN_MAX_FAILURES_PER_ADDRESS


def login_failed(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username.strip().lower()[:150], ip_address=ip_address or None)
    # Keep the table small: failures older than a day tell nothing more.
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def login_succeeded(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.strip().lower()).delete()


def login_unlock(*, username: str, actor) -> int:
    """An administrator lifts a lockout; returns how many failures were forgotten."""
    count, _details = LoginFailure.objects.filter(username=username.strip().lower()).delete()
    user = User.objects.filter(username__iexact=username.strip()).first()
    if count and user is not None:
        record_event(
            actor=actor, instance=user, action=Action.UPDATED, changes={"sign-in pause": {"old": count, "new": 0}}
        )
    return count
