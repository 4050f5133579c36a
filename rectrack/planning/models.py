from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectrack.audit.models import Tracked
from rectrack.portal.models import publication_field


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


class Project(Tracked):
    """A thematic project or action plan grouping recommendations and activities."""

    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lead_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", verbose_name=_("recommendations"), blank=True, related_name="projects"
    )
    shared_with = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("shared with"),
        blank=True,
        related_name="shared_projects",
        help_text=_(
            "Contributors of these institutions (an NHRI, civil-society organisations) read the project, "
            "its recommendations and its activities."
        ),
    )
    publication = publication_field()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


# Work that is finished one way or the other is never overdue.
CLOSED_ACTIVITY_STATUSES = (ActivityStatus.COMPLETED, ActivityStatus.CANCELLED)


class ActivityQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status__in=CLOSED_ACTIVITY_STATUSES)

    def open(self):
        return self.exclude(status__in=CLOSED_ACTIVITY_STATUSES)


class Activity(Tracked):
    """A follow-up action that implements one or more recommendations."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    lead_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="led_activities",
    )
    implementing_partners = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("implementing partners"),
        blank=True,
        related_name="partner_activities",
    )
    budget_amount = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=250, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        verbose_name=_("linked recommendations"),
        blank=True,
        related_name="activities",
    )
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), blank=True, related_name="activities")
    publication = publication_field()
    budget_publication = publication_field(_("budget on the public portal"))

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(start_date__isnull=True) | Q(deadline__gte=F("start_date")),
                name="activity_deadline_after_start",
                violation_error_message=_("The deadline cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | ~Q(budget_currency=""),
                name="activity_budget_has_currency",
                violation_error_message=_("Choose the currency of the budget."),
            ),
        ]
        indexes = [
            models.Index(fields=["lead_institution", "status"], name="activity_lead_status_idx"),
            models.Index(fields=["status", "deadline"], name="activity_status_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.deadline and self.deadline < timezone.localdate() and self.status not in CLOSED_ACTIVITY_STATUSES
        )


class ProgressNote(models.Model):
    """A dated account of progress on an activity, in rich text (sanitised when saved, see lib.richtext)."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("note"))
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        from rectrack.lib.richtext import excerpt

        return excerpt(self.body, 80)
