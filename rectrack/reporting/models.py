import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rectrack.audit.models import Tracked
from rectrack.collaboration.models import private_storage


class DraftState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Grouping(models.TextChoices):
    CLUSTER = "cluster", _("By national cluster")
    THEME = "theme", _("By theme")


def _draft_path(instance: "ReportDraft", filename: str) -> str:
    return f"reports/{uuid.uuid4().hex}.docx"


class ReportDraft(Tracked):
    """A report draft generated from the database, as a Word document kept in private storage."""

    title = models.CharField(_("title"), max_length=300)
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
