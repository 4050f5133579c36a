import re
import unicodedata

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rectrack.lib.languages import in_language


class VocabularyKind(models.TextChoices):
    THEME = "theme", _("Themes")
    AFFECTED_PERSONS = "affected_persons", _("Affected persons")
    SDG = "sdg", _("Sustainable Development Goals")
    NATIONAL_CLUSTER = "national_cluster", _("National clusters")


class Vocabulary(models.Model):
    """One version of one classification scheme.

    UHRI has changed its vocabularies several times; each generation is its own
    Vocabulary of the same kind, and only one per kind is current. Terms of
    older versions map to current terms (Term.maps_to).
    """

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=VocabularyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=50, blank=True)
    is_current = models.BooleanField(_("current"), default=False)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")
        ordering = ["kind", "-is_current", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_current=True), name="one_current_vocabulary_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})" if self.version else self.name


class TermStatus(models.TextChoices):
    REVIEWED = "reviewed", _("Reviewed")
    UNREVIEWED = "unreviewed", _("Unreviewed")
    RETIRED = "retired", _("Retired")


def label_key(label: str) -> str:
    """Normalise a label for matching: case, accents, spacing, "&" versus "and"."""
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode() or label
    text = text.casefold().replace("&", " and ")
    return re.sub(r"[\W_]+", " ", text).strip()


def format_label(code: str, label: str, translations: dict, language: str | None = None) -> str:
    """A term as users see it: in their language when available, with its code."""
    text = in_language(translations, label, language)
    return f"{code} {text}" if code and not text.startswith(code) else text


class TermQuerySet(models.QuerySet):
    def of_kind(self, kind: str):
        return self.filter(vocabulary__kind=kind)

    def usable(self):
        """Terms that can be chosen when classifying: not retired."""
        return self.exclude(status=TermStatus.RETIRED)


class Term(models.Model):
    """A label of a vocabulary, up to two levels deep (SDG goal > target)."""

    vocabulary = models.ForeignKey(
        Vocabulary, verbose_name=_("vocabulary"), on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=30, blank=True, help_text=_("For example 16.2 or A12."))
    label = models.CharField(_("label"), max_length=1000)
    key = models.CharField(max_length=1000, editable=False)
    # Labels in other languages, by language code ("fr", "ar", "zh-hans").
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    maps_to = models.ForeignKey(
        "self",
        verbose_name=_("maps to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mapped_from",
        help_text=_("The current term this legacy or unreviewed term corresponds to."),
    )
    status = models.CharField(_("status"), max_length=20, choices=TermStatus.choices, default=TermStatus.REVIEWED)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["vocabulary", "position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "key"], name="unique_term_label_per_vocabulary"),
            models.UniqueConstraint(
                fields=["vocabulary", "code"], condition=~Q(code=""), name="unique_term_code_per_vocabulary"
            ),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def localized_label(self) -> str:
        return in_language(self.translations, self.label)

    @property
    def display_label(self) -> str:
        """What users see: "16.2 End abuse ..." for coded terms, else the label."""
        return format_label(self.code, self.label, self.translations)
