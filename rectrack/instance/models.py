"""The settings an administrator changes in the application: one row for the instance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstanceSettings(models.Model):
    """Name, country, logo, default currency and the languages offered.

    Empty values fall back to the environment (SITE_NAME, RECTRACK_COUNTRY,
    RECTRACK_DEFAULT_CURRENCY, every configured language), so a new instance
    works before anyone opens the page.
    """

    name = models.CharField(_("name of this instance"), max_length=100, blank=True)
    country = models.CharField(
        _("country"),
        max_length=150,
        blank=True,
        help_text=_("The State whose recommendations this instance follows; imports keep only its recommendations."),
    )
    default_currency = models.CharField(_("default currency"), max_length=3, blank=True)
    languages = models.JSONField(_("languages offered"), default=list, blank=True)
    logo = models.CharField(_("logo"), max_length=200, blank=True, editable=False)  # a file name in MEDIA_ROOT/instance
    # The public portal and what it shows of an object that follows the default rule.
    portal_enabled = models.BooleanField(_("public portal open"), default=True)
    publish_recommendations = models.BooleanField(_("publish recommendations by default"), default=False)
    publish_projects = models.BooleanField(_("publish projects by default"), default=False)
    publish_activities = models.BooleanField(_("publish activities by default"), default=False)
    publish_budgets = models.BooleanField(_("publish activities' budgets by default"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("instance settings")
        verbose_name_plural = _("instance settings")

    def __str__(self) -> str:
        return str(_("Instance settings"))
