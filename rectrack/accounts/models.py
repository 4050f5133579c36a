from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do. Institution scoping narrows the focal point role."""

    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    FOCAL_POINT = "focal_point", _("Focal point")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    # The interface language this user chose; blank follows the browser.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # The daily e-mail of reminders and notifications (at most one a day); the person may turn it off.
    digest_emails = models.BooleanField(
        _("daily e-mail of reminders"),
        default=True,
        help_text=_(
            "At most one e-mail a day: deadlines of your institutions' activities and information requests "
            "coming up or passed, and your unread notifications."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LoginFailure(models.Model):
    """One failed sign-in, kept a short while to slow down password guessing.

    `username` is as typed (folded to lower case), whether or not such an
    account exists, so a lockout says nothing about which accounts exist.
    """

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class TwoFactorDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238) and their unused recovery codes (hashed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = models.CharField(_("secret"), max_length=64)
    confirmed_at = models.DateTimeField(_("turned on at"), null=True, blank=True)
    # The last time step accepted: a code is never accepted twice.
    last_step = models.BigIntegerField(default=0)
    recovery_codes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return str(self.user)
