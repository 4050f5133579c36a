import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rectrack.audit.models import Tracked
from rectrack.lib.countries import localized_name
from rectrack.lib.languages import current_language, in_language, language_name
from rectrack.portal.models import publication_field
from rectrack.taxonomy.models import VocabularyKind


class Country(models.Model):
    """A State: under review, party to a treaty, or recommending (UPR)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["iso3"], condition=~Q(iso3=""), name="unique_country_iso3")]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the user's language (CLDR), or as stored when unknown or in English."""
        return localized_name(self.iso3, self.name)


class MechanismKind(models.TextChoices):
    UPR = "upr", _("Universal Periodic Review")
    TREATY_BODY = "treaty_body", _("Treaty body")
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")
    REGIONAL = "regional", _("Regional mechanism")
    NATIONAL = "national", _("National body")
    ILO = "ilo", _("ILO supervisory body")
    OTHER = "other", _("Other")


class Mechanism(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=MechanismKind.choices)
    name = models.CharField(_("name"), max_length=250)
    # The name in other languages: {"fr": "Comité des droits de l'enfant", ...}.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    acronym = models.CharField(_("acronym"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")
        ordering = ["position", "acronym"]

    def __str__(self) -> str:
        return self.acronym

    @property
    def localized_name(self) -> str:
        return in_language(self.translations, self.name)


def upr_cycle_for_session(session: int | None) -> int | None:
    """The UPR cycle of a Working Group session: 1-12 -> 1, 13-26 -> 2, ...

    Cycles 1 to 4 are 12, 14, 14 and 14 sessions long; later cycles are
    assumed to keep 14 sessions.
    """
    if not session or session < 1:
        return None
    if session <= 12:
        return 1
    return 2 + (session - 13) // 14


class Document(models.Model):
    """A UN or national document that issues recommendations, by its symbol."""

    symbol = models.CharField(_("symbol"), max_length=100, unique=True, help_text=_("For example A/HRC/43/15."))
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="documents"
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=400, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    session = models.CharField(_("session"), max_length=30, blank=True)
    upr_session = models.PositiveSmallIntegerField(_("UPR session"), null=True, blank=True)
    upr_cycle = models.PositiveSmallIntegerField(_("UPR cycle"), null=True, blank=True, db_index=True)
    url = models.URLField(_("link"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True, default="en")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "symbol"]

    def __str__(self) -> str:
        return self.symbol


class RecommendationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    CONCERN = "concern", _("Concern / observation")
    PLEDGE = "pledge", _("Voluntary pledge")


class UprPosition(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    NOTED = "noted", _("Noted")
    PARTIALLY_SUPPORTED = "partially_supported", _("Partially supported")
    PENDING = "pending", _("Pending")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    FULLY_IMPLEMENTED = "fully_implemented", _("Fully implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NO_LONGER_APPLICABLE = "no_longer_applicable", _("No longer applicable")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Source(models.TextChoices):
    MANUAL = "manual", pgettext_lazy("data source", "Typed in")
    UHRI = "uhri", _("Universal Human Rights Index")
    OHCHR_LIST = "ohchr_list", _("OHCHR thematic list")
    UPR_INFO = "upr_info", _("UPR Info")
    SPREADSHEET = "spreadsheet", _("Spreadsheet")
    DEMO = "demo", _("Demonstration data")
    GENERATED = "generated", _("Generated for benchmarks")


# "121.2 Ratify", "12) Adopt", and "4.The Committee" (UHRI texts may lack the space).
_PARAGRAPH_RE = re.compile(r"^\s*(\d{1,4}(?:\.\d{1,4}){0,3})(?:[.)]?\s+|[.)](?=[A-Z]))")


def parse_paragraph(text: str) -> str:
    """The paragraph reference at the start of a recommendation, "121.2"."""
    match = _PARAGRAPH_RE.match(text or "")
    return match.group(1) if match else ""


def paragraph_sort_key(paragraph: str) -> str:
    """A key that sorts "121.2" before "121.10" as text."""
    parts = re.findall(r"\d+", paragraph or "")
    return ".".join(part.zfill(5) for part in parts[:4])


def reference_for(pk: int, paragraph: str, symbol: str) -> str:
    """A recommendation's reference from plain values (Recommendation.reference, exports)."""
    if paragraph and symbol:
        return f"{paragraph} ({symbol})"
    return paragraph or symbol or f"#{pk}"


class RecommendationGroup(Tracked):
    """Recommendations that ask the same thing (the same ask from many States, or repeated by another mechanism
    or in the next cycle), followed up by one plan: the group's activities implement every member. Members stay
    recommendations of their own, listed, counted and reported as such."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("group of similar recommendations")
        verbose_name_plural = _("groups of similar recommendations")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:group_detail", args=[self.pk])


class Recommendation(Tracked):
    # UN-side fields: set by import or entry, refreshed by a newer export.
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="recommendations"
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    paragraph = models.CharField(_("paragraph"), max_length=32, blank=True)
    paragraph_key = models.CharField(max_length=32, blank=True, editable=False)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=16, default="en", help_text=_("The language of the text."))
    # The text in other languages, {"fr": "...", "zh-hans": "..."}: from the
    # source (UHRI publishes several) or added by the NMIRF.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=RecommendationKind.choices, default=RecommendationKind.RECOMMENDATION
    )
    recommending_states = models.ManyToManyField(
        Country, verbose_name=_("recommending States"), blank=True, related_name="recommendations_made"
    )
    upr_position = models.CharField(_("UPR position"), max_length=30, choices=UprPosition.choices, blank=True)
    position_source = models.CharField(
        _("source of the position"), max_length=200, blank=True, help_text=_("For example A/HRC/43/15/Add.1, para. 4.")
    )
    # The document's date, copied here so lists sort and filter on one table.
    issued_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(
        _("external identifier"), max_length=100, blank=True, help_text=_("For example the UHRI annotation id.")
    )
    # A digest of the UN-side fields as the source last gave them: a re-import
    # compares it to skip what has not changed without reading the rest.
    source_hash = models.CharField(max_length=40, blank=True, editable=False)
    # Set when a newer export of the same source no longer holds the record:
    # it is flagged for review, never deleted.
    missing_from_source_since = models.DateTimeField(_("gone from the source since"), null=True, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("themes"),
        blank=True,
        related_name="theme_of",
        limit_choices_to={"vocabulary__kind": VocabularyKind.THEME},
    )
    affected_persons = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("affected persons"),
        blank=True,
        related_name="affected_persons_of",
        limit_choices_to={"vocabulary__kind": VocabularyKind.AFFECTED_PERSONS},
    )
    sdgs = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("SDG goals and targets"),
        blank=True,
        related_name="sdg_of",
        limit_choices_to={"vocabulary__kind": VocabularyKind.SDG},
    )

    # National fields: set by the NMIRF, never touched by a re-import.
    clusters = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("national clusters"),
        blank=True,
        related_name="cluster_of",
        limit_choices_to={"vocabulary__kind": VocabularyKind.NATIONAL_CLUSTER},
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    lead_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("lead institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_recommendations",
    )
    supporting_institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("supporting institutions"),
        blank=True,
        related_name="supported_recommendations",
    )
    status = models.CharField(
        _("implementation status"),
        max_length=30,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    group = models.ForeignKey(
        RecommendationGroup, verbose_name=_("group of similar recommendations"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )  # fmt: skip
    publication = publication_field()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-issued_on", "document_id", "paragraph_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""), name="unique_recommendation_external_id"
            )
        ]
        # The two list orderings (selectors.ORDERINGS), so a page is read
        # from an index instead of sorting every match.
        indexes = [
            models.Index(fields=["-issued_on", "document", "paragraph_key", "id"], name="rec_newest_idx"),
            models.Index(fields=["issued_on", "document", "paragraph_key", "id"], name="rec_oldest_idx"),
            models.Index(fields=["status"], name="rec_status_idx"),
            # Progress figures count implemented recommendations per project
            # from this index alone, without reading the rows.
            models.Index(fields=["id", "status"], name="rec_id_status_idx"),
            models.Index(fields=["upr_position"], name="rec_position_idx"),
            models.Index(fields=["publication"], name="rec_publication_idx"),
            # Statistics count by mechanism and by lead institution, and status, from these alone.
            models.Index(fields=["mechanism", "status"], name="rec_mechanism_status_idx"),
            models.Index(fields=["lead_institution", "status"], name="rec_lead_status_idx"),
            models.Index(fields=["issued_on", "status"], name="rec_issued_status_idx"),  # status over time
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """ "121.2 (A/HRC/43/15)", or the id when there is neither."""
        return reference_for(self.pk, self.paragraph, self.document.symbol if self.document_id else "")

    @property
    def body(self) -> str:
        """The shown text without the leading paragraph number, for excerpts."""
        text = self.shown.text
        return _PARAGRAPH_RE.sub("", text, count=1) if self.paragraph else text

    def shown_text(self, language: str | None = None) -> "ShownText":
        """The text in the language (default: the user's) when there is one, else the original."""
        language = current_language(language)
        for code in (language, language.split("-")[0]):
            if code == self.language.lower():
                break
            if self.translations.get(code):
                return ShownText(self.translations[code], code, self.language, is_original=False)
        return ShownText(self.text, self.language, self.language, is_original=True)

    @property
    def shown(self) -> "ShownText":
        return self.shown_text()


@dataclass(frozen=True)
class ShownText:
    """A recommendation's text as one user sees it, and whether it is the original."""

    text: str
    language: str
    original_language: str
    is_original: bool

    @property
    def original_language_name(self) -> str:
        return language_name(self.original_language)

    @property
    def in_other_language(self) -> bool:
        """The user reads the original in a language that is not theirs."""
        return self.is_original and self.language.split("-")[0] != current_language().split("-")[0]


class StatusChange(models.Model):
    """One dated change of a recommendation's implementation status, with why and its evidence.

    The recommendation's `status` is the status of its latest change by
    effective date; the changes answer "what was its status on date X".
    """

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("implementation status"), max_length=30, choices=ImplementationStatus.choices)
    effective_on = models.DateField(_("effective date"))
    justification = models.TextField(_("justification"))
    evidence = models.URLField(_("evidence (a link)"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["recommendation", "effective_on"], name="status_change_rec_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_status_display()}, {self.effective_on.isoformat()}"


def suggested_status(activity_statuses: list[str]) -> str | None:
    """The implementation status the linked activities suggest, or None when they suggest nothing.

    Cancelled activities do not count. All completed: fully implemented; some
    completed: partially implemented; any under way or delayed: in progress;
    all planned: not started.
    """
    counted = [status for status in activity_statuses if status != "cancelled"]
    if not counted:
        return None
    completed = counted.count("completed")
    if completed == len(counted):
        return ImplementationStatus.FULLY_IMPLEMENTED
    if completed:
        return ImplementationStatus.PARTIALLY_IMPLEMENTED
    if any(status in ("in_progress", "delayed") for status in counted):
        return ImplementationStatus.IN_PROGRESS
    return ImplementationStatus.NOT_STARTED
