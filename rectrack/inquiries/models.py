"""Information requests: the secretariat asks institutions about recommendations and activities.

A request names the recommendations and activities it is about and the
institutions asked (`Recipient`, one per institution, with the focal point
it is assigned to); each institution answers each item once (`Answer`,
revisable until the request is closed), within a word limit. Every answer
is also an entry in the history of the recommendation or activity it is about.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectrack.audit.models import Tracked


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class InformationRequest(Tracked):
    title = models.CharField(_("title"), max_length=250)
    instructions = models.TextField(
        _("what is asked"), help_text=_("What the institutions should report, for which period, in what detail.")
    )
    deadline = models.DateField(_("deadline"))
    word_limit = models.PositiveIntegerField(
        _("word limit per answer"), default=300, validators=[MinValueValidator(20), MaxValueValidator(5000)]
    )
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", verbose_name=_("recommendations"), blank=True, related_name="+"
    )
    activities = models.ManyToManyField("planning.Activity", verbose_name=_("activities"), blank=True, related_name="+")
    institutions = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("institutions asked"), through="Recipient", related_name="+"
    )

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-deadline", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def is_past_deadline(self) -> bool:
        return self.deadline < timezone.localdate()


class Recipient(models.Model):
    """One institution asked, and the focal point the request is assigned to there."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="recipients")
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request_assignments",
    )
    completed_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("institution asked")
        verbose_name_plural = _("institutions asked")
        ordering = ["institution__name"]
        constraints = [models.UniqueConstraint(fields=["request", "institution"], name="one_recipient_per_institution")]

    def __str__(self) -> str:
        return f"{self.request} · {self.institution}"


class Answer(models.Model):
    """An institution's answer about one recommendation or one activity of a request."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="answers")
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey("planning.Activity", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("answer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=True, activity__isnull=False)
                | Q(recommendation__isnull=False, activity__isnull=True),
                name="answer_is_about_one_item",
            ),
            models.UniqueConstraint(fields=["recipient", "recommendation"], name="one_answer_per_recommendation"),
            models.UniqueConstraint(fields=["recipient", "activity"], name="one_answer_per_activity"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
