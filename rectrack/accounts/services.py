"""Changes to user accounts."""

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime, timedelta

import pyotp
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rectrack.accounts.models import LoginFailure, Role, TwoFactorDevice, User
from rectrack.audit.models import Action
from rectrack.audit.services import record_event
from rectrack.instance import selectors as instance
from rectrack.institutions.models import Membership


@transaction.atomic
def user_set_digest_emails(*, user: User, enabled: bool) -> bool:
    """Turn the user's daily e-mail of reminders on or off; False when it already was."""
    if user.digest_emails == enabled:
        return False
    user.digest_emails = enabled
    user.save(update_fields=["digest_emails"])
    record_event(
        actor=user,
        instance=user,
        action=Action.UPDATED,
        changes={"digest_emails": {"old": not enabled, "new": enabled}},
    )
    return True


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


def paused_usernames() -> set[str]:
    """The user names whose sign-in is paused now."""
    since = timezone.now() - timedelta(minutes=settings.RECTRACK_LOGIN_LOCKOUT_MINUTES)
    counts: dict[str, int] = {}
    for username in LoginFailure.objects.filter(at__gte=since).values_list("username", flat=True):
        counts[username] = counts.get(username, 0) + 1
    return {name for name, count in counts.items() if count >= settings.RECTRACK_LOGIN_MAX_FAILURES}


# ---------------------------------------------------------------- user management


INVITATION_SALT = "rectrack.accounts.invitation"


def _invitation_fingerprint(user: User) -> str:
    """Changes once the invitation is used (a password is set), so a link works once."""
    return hashlib.sha256(f"{user.pk}:{user.password}:{user.last_login}".encode()).hexdigest()[:20]


def invitation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _invitation_fingerprint(user)}, salt=INVITATION_SALT, compress=True)


def user_for_invitation(token: str) -> User | None:
    """The invited user, or None for a link that is unknown, expired or already used."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT, max_age=settings.RECTRACK_INVITATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=value.get("u"), is_active=False).first()
    if user is None or user.has_usable_password() or value.get("f") != _invitation_fingerprint(user):
        return None
    return user


def _send(*, user: User, template: str, context: dict) -> None:
    """An e-mail to one user, in their language (else the sender's)."""
    with translation.override(user.language or translation.get_language() or settings.LANGUAGE_CODE):
        context = {"user": user, "site_name": instance.site_name(), **context}
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_invitation(*, user: User, link_base: str, actor) -> None:
    """E-mail the invitation link; `link_base` is the site's address ("https://rectrack.example.org")."""
    from django.urls import reverse

    link = link_base.rstrip("/") + reverse("accounts:invitation", args=[invitation_token(user)])
    _send(
        user=user,
        template="invitation",
        context={"link": link, "inviter": actor, "days": settings.RECTRACK_INVITATION_DAYS},
    )
    record_event(
        actor=actor, instance=user, action=Action.UPDATED, changes={"invitation": {"old": None, "new": user.email}}
    )


def _set_memberships(*, user: User, institutions, kind: str) -> tuple[list[str], list[str]]:
    """Make the user's current memberships exactly these institutions; ended ones keep their dates."""
    today = timezone.localdate()
    wanted = {institution.pk: institution for institution in institutions}
    current = {m.institution_id: m for m in Membership.objects.active().filter(user=user).select_related("institution")}
    removed = []
    for institution_id, membership in current.items():
        if institution_id not in wanted:
            removed.append(str(membership.institution))
            if membership.start_date and membership.start_date >= today:
                membership.delete()  # begun today and taken back: a correction, not a period of service
            else:
                membership.end_date = today - timedelta(days=1)
                membership.save(update_fields=["end_date"])
    added = []
    for institution_id, institution in wanted.items():
        if institution_id not in current:
            Membership.objects.create(user=user, institution=institution, kind=kind, start_date=today)
            added.append(str(institution))
    return added, removed


@transaction.atomic
def user_invite(
    *,
    actor,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    institutions,
    kind: str,
    language: str,
    link_base: str,
) -> User:
    """Create an account that signs in only once its owner has chosen a password through the e-mailed link."""
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise ValidationError(_("An account with this e-mail address already exists."))
    user = User(
        username=email.lower(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        language=language,
        is_active=False,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    added, _removed = _set_memberships(user=user, institutions=institutions, kind=kind)
    record_event(
        actor=actor,
        instance=user,
        action=Action.CREATED,
        changes={"role": {"old": None, "new": role}, "institutions": {"added": added, "removed": []}},
    )
    send_invitation(user=user, link_base=link_base, actor=actor)
    return user


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    """The invited user chose a password: the account is active from now on."""
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    record_event(actor=user, instance=user, action=Action.UPDATED, changes={"is_active": {"old": False, "new": True}})
    return user


def _last_administrator(user: User) -> bool:
    return (
        user.role == Role.ADMINISTRATOR
        and user.is_active
        and not User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).exclude(pk=user.pk).exists()
    )


@transaction.atomic
def user_update(*, actor, user: User, role: str, institutions, kind: str, is_active: bool) -> dict:
    """Change a user's role, institutions and whether they may sign in, with history.

    Nobody deactivates or demotes themselves, and the last active
    administrator stays one, so the instance is never left without one.
    """
    if user.pk == actor.pk and (not is_active or role != user.role):
        raise ValidationError(_("You cannot change your own role or deactivate yourself; ask another administrator."))
    if _last_administrator(user) and (not is_active or role != Role.ADMINISTRATOR):
        raise ValidationError(_("This is the last active administrator; make someone else an administrator first."))
    changes = {}
    if role != user.role:
        changes["role"] = {"old": user.role, "new": role}
    if is_active != user.is_active and user.has_usable_password():
        changes["is_active"] = {"old": user.is_active, "new": is_active}
    added, removed = _set_memberships(user=user, institutions=institutions, kind=kind)
    if added or removed:
        changes["institutions"] = {"added": added, "removed": removed}
    if not changes:
        return {}
    user.role = role
    if "is_active" in changes:
        user.is_active = is_active
    user.save(update_fields=["role", "is_active"])
    if "is_active" in changes and not is_active:
        _end_sessions(user)
    record_event(actor=actor, instance=user, action=Action.UPDATED, changes=changes)
    return changes


def _end_sessions(user: User) -> None:
    """Sign a deactivated user out everywhere at once."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


# ---------------------------------------------------------------- two-factor sign-in (TOTP)


RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").replace(" ", "").encode()).hexdigest()


def two_factor_enabled(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def two_factor_required(user: User) -> bool:
    """Administrators must use a second factor when the instance says so."""
    return bool(settings.RECTRACK_REQUIRE_2FA_FOR_ADMINS) and user.role == Role.ADMINISTRATOR


def two_factor_new_secret() -> str:
    return pyotp.random_base32()


def two_factor_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=instance.site_name())


def _totp_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to (this one or a neighbour, for clock drift), or None."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    for offset in (0, -1, 1):
        moment = now + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(datetime.fromtimestamp(moment, tz=UTC))
    return None


@transaction.atomic
def two_factor_confirm(*, user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor sign-in on with a secret the user's app holds; returns one-time recovery codes."""
    step = _totp_step(secret, code)
    if step is None:
        raise ValidationError(_("That code is not right. Type the six digits your app shows now."))
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]
    TwoFactorDevice.objects.update_or_create(
        user=user,
        defaults={
            "secret": secret,
            "confirmed_at": timezone.now(),
            "last_step": step,
            "recovery_codes": [_hash_code(c) for c in codes],
        },
    )
    record_event(
        actor=user, instance=user, action=Action.UPDATED, changes={"two-factor sign-in": {"old": False, "new": True}}
    )
    return codes


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> bool:
    """A code from the app (each used once) or an unused recovery code."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _totp_step(device.secret, code)
    if step is not None and step > device.last_step:
        device.last_step = step
        device.save(update_fields=["last_step"])
        return True
    hashed = _hash_code(code)
    if hashed in device.recovery_codes:
        device.recovery_codes = [c for c in device.recovery_codes if c != hashed]
        device.save(update_fields=["recovery_codes"])
        record_event(
            actor=user,
            instance=user,
            action=Action.UPDATED,
            changes={"recovery codes left": {"old": len(device.recovery_codes) + 1, "new": len(device.recovery_codes)}},
        )
        return True
    return False


@transaction.atomic
def two_factor_disable(*, user: User, actor) -> bool:
    deleted, _details = TwoFactorDevice.objects.filter(user=user).delete()
    if deleted:
        record_event(
            actor=actor,
            instance=user,
            action=Action.UPDATED,
            changes={"two-factor sign-in": {"old": True, "new": False}},
        )
    return bool(deleted)
