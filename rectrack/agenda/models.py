"""The calendar's own dates: events, and each user's calendar feed.

Activity deadlines (and later other dated work) are not copied here: the
calendar reads them where they live (see selectors.SOURCES).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rectrack.audit.models import Tracked


class EventKind(models.TextChoices):
    REVIEW = "review", _("Review")  # a UPR review, a treaty body's dialogue with the State
    REPORT_DUE = "report_due", _("Report due")
    VISIT = "visit", _("Special Procedures visit")
    MEETING = "meeting", _("NMIRF meeting")
    CONSULTATION = "consultation", _("Consultation")  # with civil society and other stakeholders
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone signed in")
    ADMINISTRATION = "administration", _("Administration only (not contributors)")


class Event(Tracked):
    """A dated event of the follow-up: a review, a report's due date, a visit, a meeting, a consultation.

    `ends_on` is the last day of an event lasting several days (inclusive);
    times are optional and read in the instance's time zone.
    """

    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.MEETING)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For an event lasting several days; leave empty otherwise.")
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    mechanism = models.ForeignKey(
        "recommendations.Mechanism",
        verbose_name=_("mechanism"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("institutions"),
        blank=True,
        related_name="events",
        help_text=_("The institutions taking part or responsible; their focal points find it under “mine”."),
    )
    audience = models.CharField(
        _("who sees it"), max_length=20, choices=Audience.choices, default=Audience.ADMINISTRATION
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_on", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="event_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="event_end_time_needs_start_time",
                violation_error_message=_("Give the start time too, or leave the end time empty."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(ends_on__isnull=False, ends_on__gt=F("starts_on"))
                | Q(end_time__gte=F("start_time")),
                name="event_end_time_after_start_time",
                violation_error_message=_("The end time cannot be before the start time."),
            ),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="event_dates_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agenda:event_detail", args=[self.pk])

    @property
    def last_day(self):
        return self.ends_on or self.starts_on


class CalendarFeed(models.Model):
    """A user's personal calendar address (an iCalendar feed for Outlook, Google Calendar, a phone).

    The address carries a random token (256 bits, `secrets.token_urlsafe(32)`)
    that stands in for a sign-in, since calendar programs cannot sign in. Only
    its SHA-256 digest is stored, like a password: a copy of the database or
    of a backup does not reveal anyone's address. The price is that the
    address is shown once, when it is created or reset; a user who lost it
    resets it, which also stops the old one. A plain (unsalted) digest is
    enough because the token is random and long: there is nothing to guess.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("address created"))
    last_used_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)
