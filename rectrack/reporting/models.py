import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectrack.audit.models import Tracked
from rectrack.collaboration.models import private_storage


class DraftState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportKind(models.TextChoices):
    """The reports the Reporting section serves, each with its Word template (built in, or uploaded)."""

    UPR_NATIONAL = "upr_national", _("UPR national report")
    UPR_MIDTERM = "upr_midterm", _("UPR mid-term report")
    COMMON_CORE = "common_core", _("Common core document")
    PERIODIC = "periodic", _("State periodic report")
    LIST_OF_ISSUES = "list_of_issues", _("Reply to a list of issues")
    FOLLOW_UP = "follow_up", _("Follow-up report")
    PARLIAMENT = "parliament", _("Annual report to parliament")


class Grouping(models.TextChoices):
    CLUSTER = "cluster", _("By national cluster")
    THEME = "theme", _("By theme")


def _draft_path(instance: "ReportDraft", filename: str) -> str:
    return f"reports/{uuid.uuid4().hex}.docx"


def _template_path(instance: "ReportTemplate", filename: str) -> str:
    return f"report-templates/{uuid.uuid4().hex}.docx"


class ReportTemplate(Tracked):
    """An administrator's Word template for one kind of report, in place of the built-in one."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices, unique=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_template_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ReportDraft(Tracked):
    """A report draft generated from the database, as a Word document kept in private storage."""

    title = models.CharField(_("title"), max_length=300)
    report = models.CharField(_("report"), max_length=20, choices=ReportKind.choices, default=ReportKind.PARLIAMENT)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    mechanism = models.ForeignKey(
        "recommendations.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "planning.Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    cluster = models.ForeignKey(
        "taxonomy.Term", verbose_name=_("national cluster"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    group_by = models.CharField(_("grouping"), max_length=10, choices=Grouping.choices, default=Grouping.CLUSTER)
    state = models.CharField(_("state"), max_length=10, choices=DraftState.choices, default=DraftState.QUEUED)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_draft_path, max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    template_used = models.CharField(_("template"), max_length=300, blank=True)
    # The sections' titles, written with the file: what consultation comments are about.
    outline = models.JSONField(_("sections"), default=list, blank=True)
    # Consultation: the institutions whose members read and comment on the draft until the deadline.
    shared_with = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("shared with"), blank=True, related_name="+"
    )
    consultation_deadline = models.DateField(_("comments by"), null=True, blank=True)

    class Meta:
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The period ends before it starts.")})

    @property
    def is_pending(self) -> bool:
        return self.state in (DraftState.QUEUED, DraftState.RUNNING)

    def get_absolute_url(self) -> str:
        return reverse("reporting:draft_detail", args=[self.pk])

    @property
    def consultation_open(self) -> bool:
        deadline = self.consultation_deadline
        return deadline is not None and timezone.localdate() <= deadline


class DraftComment(models.Model):
    """A comment on one section of a draft (or on the whole of it), until the secretariat resolves it."""

    draft = models.ForeignKey(ReportDraft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=300, blank=True, help_text=_("Blank: the whole draft."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    resolution = models.TextField(_("how it was taken into account"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("draft comment")
        verbose_name_plural = _("draft comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.section or _('Whole draft')}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:draft_detail", args=[self.draft_id]) + f"#comment-{self.pk}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
