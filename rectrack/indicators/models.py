"""Human rights indicators and their measurements over time.

The kinds follow OHCHR's framework (Human Rights Indicators: A Guide to
Measurement and Implementation, 2012): structural, process and outcome.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rectrack.audit.models import Tracked
from rectrack.taxonomy.models import VocabularyKind

# Wide enough for counts in the millions and shares with decimals.
VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}


class IndicatorKind(models.TextChoices):
    STRUCTURAL = "structural", _("Structural")
    PROCESS = "process", _("Process")
    OUTCOME = "outcome", _("Outcome")


class Indicator(Tracked):
    """A measure of progress on recommendations, with a baseline, a target and a series of measurements."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=IndicatorKind.choices,
        default=IndicatorKind.OUTCOME,
        help_text=_(
            "OHCHR's framework. Structural: laws, institutions and policies in place. "
            "Process: what the State does to apply them (programmes, budgets, training). "
            "Outcome: the results people see in the enjoyment of their rights."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(
        _("unit"),
        max_length=60,
        blank=True,
        help_text=_(
            "For example %, cases, EUR. Leave it empty for a structural indicator measured as 1 (yes) or 0 (no)."
        ),
    )
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE_DIGITS)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target value"), null=True, blank=True, **VALUE_DIGITS)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    data_source = models.CharField(
        _("data source"), max_length=300, blank=True, help_text=_("For example the Statistical Office's survey.")
    )
    disaggregation = models.CharField(
        _("disaggregation"),
        max_length=300,
        blank=True,
        help_text=_("The dimensions measured, for example sex, age, region."),
    )
    responsible_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("responsible institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Its focal points record the measurements."),
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", verbose_name=_("recommendations"), blank=True, related_name="indicators"
    )
    activities = models.ManyToManyField(
        "planning.Activity", verbose_name=_("activities"), blank=True, related_name="indicators"
    )
    projects = models.ManyToManyField(
        "planning.Project", verbose_name=_("projects"), blank=True, related_name="indicators"
    )
    clusters = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("national clusters"),
        blank=True,
        related_name="indicators",
        limit_choices_to={"vocabulary__kind": VocabularyKind.NATIONAL_CLUSTER},
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(baseline_date__isnull=True)
                | Q(target_date__gte=F("baseline_date")),
                name="indicator_target_after_baseline",
                violation_error_message=_("The target date cannot be before the baseline date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


def plain_number(value: Decimal) -> str:
    """A stored value without trailing zeros, in no language's format: 45.5000 -> "45.5", 1E+2 -> "100"."""
    return format(value.normalize(), "f")


class Measurement(models.Model):
    """One value of an indicator on a date, for the total (no breakdown) or one group ("Women")."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="measurements"
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    breakdown = models.CharField(
        _("breakdown"),
        max_length=120,
        blank=True,
        help_text=_("Empty for the total; else the group measured, for example Women or Region: North."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "breakdown", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on", "breakdown"],
                name="unique_measurement_per_date_and_breakdown",
                violation_error_message=_("A value is already recorded for this date and breakdown."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How the history names it: "2024-12-31: 45.5 % (Women)", the same in every language."""
        unit = self.indicator.unit if self.indicator_id else ""
        text = f"{self.measured_on.isoformat()}: {plain_number(self.value)}{' ' + unit if unit else ''}"
        return f"{text} ({self.breakdown})" if self.breakdown else text
