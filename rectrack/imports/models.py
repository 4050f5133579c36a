"""Import runs (who imported which file, when, with what result) and remembered column mappings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    PREVIEWED = "previewed", _("Preview ready")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")
    DISCARDED = "discarded", _("Discarded")


class ImportRun(models.Model):
    """One file, previewed (a dry run) and then, if confirmed, imported.

    The uploaded file is kept in private storage (DATA_DIR/imports) until the
    run is imported or discarded; the per-row report stays for the history.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    stored_file = models.CharField(max_length=255, blank=True)  # relative to DATA_DIR/imports
    format = models.CharField(_("format"), max_length=30)
    # Country scope, "all countries", the spreadsheet column mapping, "skip rejected rows".
    options = models.JSONField(_("options"), default=dict, blank=True)
    dry_run = models.BooleanField(_("preview only"), default=True)
    state = models.CharField(_("state"), max_length=20, choices=ImportState.choices, default=ImportState.QUEUED)
    message = models.TextField(_("message"), blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    out_of_scope = models.PositiveIntegerField(_("other countries"), default=0)
    flagged = models.PositiveIntegerField(_("gone from the source"), default=0)
    new_terms = models.PositiveIntegerField(_("labels to review"), default=0)
    # The first rejected rows, for the page; the whole report is a download.
    problems = models.JSONField(_("rejected rows"), default=list, blank=True)
    seconds = models.FloatField(_("duration in seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.PREVIEWED, ImportState.SUCCEEDED, ImportState.FAILED, ImportState.DISCARDED)


class ColumnMapping(models.Model):
    """How the columns of one spreadsheet shape map to recommendation fields, remembered for the next file."""

    signature = models.CharField(max_length=64, unique=True)  # from the normalised headers
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("mapping"), default=dict)  # field key -> header
    options = models.JSONField(_("options"), default=dict, blank=True)  # separator, date order
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return ", ".join(f"{field} ← {header}" for field, header in self.mapping.items())
