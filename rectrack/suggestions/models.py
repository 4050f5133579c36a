"""What the suggestion models leave in the database: trained models, the labels they suggest, and the index of
similar recommendations.

The models themselves (their weights) and the index's vectors are files in `RECTRACK_MODELS_DIR`, rebuilt from
the database whenever needed (`manage.py train_suggestions`, `manage.py index_recommendations`); the rows here
say which file is in use and how good it was measured to be.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rectrack.taxonomy.models import VocabularyKind


class ModelState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class LabelModel(models.Model):
    """One training of the label-suggestion model on the instance's labelled recommendations.

    The newest ready one is in use. `figures` holds, per vocabulary kind, what it learnt from and how it scored
    on the labelled recommendations kept aside while it was measured: {"theme": {"recommendations": 812,
    "labels": 54, "precision": 0.84, "recall": 0.79, "micro_f1": 0.81, "held_out": 203}, ...}.
    """

    state = models.CharField(_("state"), max_length=10, choices=ModelState.choices, default=ModelState.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked for by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True, editable=False)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    # Suggest for every recommendation lacking labels once trained (Settings, after an import).
    then_suggest = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("label model")
        verbose_name_plural = _("label models")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None


class SuggestionState(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Suggestion(models.Model):
    """A label the model suggests for a recommendation that lacks labels of its kind, with its confidence.

    Accepting it adds the term to the recommendation (an entry in its history says it was an accepted
    suggestion); a rejected one is kept so that it is not suggested again.
    """

    recommendation = models.ForeignKey(
        "recommendations.Recommendation", verbose_name=_("recommendation"), on_delete=models.CASCADE,
        related_name="suggestions",
    )  # fmt: skip
    term = models.ForeignKey("taxonomy.Term", verbose_name=_("term"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=30, choices=VocabularyKind.choices)
    confidence = models.FloatField(_("confidence"))
    model = models.ForeignKey(
        LabelModel, verbose_name=_("model"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["recommendation_id", "kind", "-confidence"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "term"], name="one_suggestion_per_term"),
        ]
        indexes = [
            # The review page: most confident first (read in this order until a page is full), recommendations
            # counted and grouped, the label filter's counts, each an index-only scan at 350,000 suggestions; the
            # same by kind.
            models.Index(fields=["state", "-confidence", "recommendation"], name="suggestion_best_idx"),
            models.Index(fields=["state", "recommendation", "confidence"], name="suggestion_by_rec_idx"),
            models.Index(fields=["state", "kind", "-confidence", "recommendation"], name="suggestion_review_idx"),
            models.Index(fields=["state", "kind", "recommendation", "confidence"], name="suggestion_kind_rec_idx"),
            models.Index(fields=["state", "term"], name="suggestion_term_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.percent}%)"

    @property
    def percent(self) -> int:
        """The confidence as a whole percentage, never shown as a certainty (0 or 100)."""
        return min(99, max(1, round(self.confidence * 100)))


class SimilarityIndex(models.Model):
    """One build of the index of similar recommendations (its vectors are a file); the newest ready one is used."""

    state = models.CharField(_("state"), max_length=10, choices=ModelState.choices, default=ModelState.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True, editable=False)
    recommendations = models.PositiveIntegerField(default=0)
    figures = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("similarity index")
        verbose_name_plural = _("similarity indexes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class SimilarPair(models.Model):
    """`similar` is among the recommendations most like `recommendation` (both directions are stored), with the
    similarity (0 to 1) of their texts. Derived from the texts: rebuilt by the index, never edited."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="similar_pairs"
    )
    similar = models.ForeignKey("recommendations.Recommendation", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        verbose_name = _("similar recommendation")
        verbose_name_plural = _("similar recommendations")
        constraints = [models.UniqueConstraint(fields=["recommendation", "similar"], name="one_pair_per_direction")]
        indexes = [models.Index(fields=["recommendation", "-score"], name="similar_pair_idx")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} ~ {self.similar_id} ({self.score:.2f})"


class PossibleDuplicate(models.Model):
    """A recommendation in a set of possible duplicates (texts that ask the same thing), offered to the secretariat
    to group. Derived by the index from the similar pairs; rebuilt with it."""

    number = models.PositiveIntegerField(db_index=True)
    recommendation = models.OneToOneField(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="possible_duplicate"
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self) -> str:
        return f"{self.number}: {self.recommendation_id}"
