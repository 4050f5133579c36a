from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    PARLIAMENT = "parliament", _("Parliament")
    JUDICIARY = "judiciary", _("Judiciary")
    NHRI = "nhri", _("National human rights institution")
    CSO = "cso", _("Civil society organisation")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    STATISTICS_OFFICE = "statistics_office", _("Statistics office")
    UN_AGENCY = "un_agency", _("UN agency")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=250, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices, default=InstitutionKind.MINISTRY)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.NATIONAL)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipKind(models.TextChoices):
    MAIN_FOCAL_POINT = "main", _("Main focal point")
    ALTERNATE_FOCAL_POINT = "alternate", _("Alternate focal point")
    MEMBER = "member", _("Member")


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Membership(models.Model):
    """A user's place in an institution, with dates: the focal-point roster.

    Active memberships decide which institutions' work a focal point may edit.
    Ended memberships stay, so the roster keeps who was responsible when.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="memberships"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MembershipKind.choices, default=MembershipKind.MEMBER)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["institution__name", "kind", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution} ({self.get_kind_display()})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )
