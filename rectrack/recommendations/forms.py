from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rectrack.institutions.models import Institution
from rectrack.lib.languages import content_language_choices
from rectrack.planning.models import Project, ProjectStatus
from rectrack.recommendations.models import (
    Country,
    Document,
    ImplementationStatus,
    Recommendation,
    RecommendationGroup,
    RecommendationKind,
    UprPosition,
)
from rectrack.recommendations.selectors import Sort, filter_choices
from rectrack.taxonomy.models import Term, TermStatus, VocabularyKind


def _terms(kind: str, **filters):
    return (
        Term.objects.filter(vocabulary__kind=kind, **filters)
        .exclude(status=TermStatus.RETIRED)
        .select_related("vocabulary")
        .order_by("-vocabulary__is_current", "vocabulary__name", "position", "label")
    )


UPR_CYCLES = [(str(n), _("Cycle %(number)d") % {"number": n}) for n in range(1, 6)]


MEANING = "meaning"


class RecommendationFilterForm(forms.Form):
    """The filters of the recommendations list; read with lib.filters.clean_leniently.

    Option lists come from selectors.filter_choices (cached); the cleaned
    values are ids, acronyms and codes, which is all the selectors need.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=10_000)
    mode = forms.ChoiceField(
        label=_("Find"),
        required=False,
        choices=[("", _("these words")), (MEANING, _("what these words mean, in other words too"))],
        widget=forms.RadioSelect(attrs={"class": "inline"}),
    )
    group = forms.IntegerField(
        label=_("Group of similar recommendations"), required=False, min_value=1, widget=forms.HiddenInput
    )
    mechanism = forms.MultipleChoiceField(label=_("Mechanism"), required=False)
    symbol = forms.CharField(label=_("Document symbol"), required=False, max_length=100)
    cycle = forms.TypedMultipleChoiceField(label=_("UPR cycle"), choices=UPR_CYCLES, coerce=int, required=False)
    position = forms.MultipleChoiceField(label=_("UPR position"), choices=UprPosition.choices, required=False)
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=RecommendationKind.choices, required=False)
    theme = forms.TypedMultipleChoiceField(label=_("Theme"), coerce=int, required=False)
    affected = forms.TypedMultipleChoiceField(label=_("Affected persons"), coerce=int, required=False)
    sdg = forms.TypedMultipleChoiceField(label=_("SDG goal"), coerce=int, required=False)
    target = forms.TypedMultipleChoiceField(label=_("SDG target"), coerce=int, required=False)
    cluster = forms.TypedMultipleChoiceField(label=_("National cluster"), coerce=int, required=False)
    lead = forms.TypedMultipleChoiceField(label=_("Lead institution"), coerce=int, required=False)
    project = forms.TypedMultipleChoiceField(label=_("Project"), coerce=int, required=False)
    status = forms.MultipleChoiceField(
        label=_("Implementation status"), choices=ImplementationStatus.choices, required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Best match, then newest")),
            (Sort.RELEVANCE, _("Best match")),
            (Sort.NEWEST, _("Newest first")),
            (Sort.OLDEST, _("Oldest first")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in filter_choices().items():
            self.fields[name].choices = choices


class RecommendationForm(forms.ModelForm):
    """Create or edit a recommendation: its UN-side details and national follow-up."""

    document_symbol = forms.CharField(
        label=_("Document symbol"),
        required=False,
        max_length=100,
        help_text=_("For example A/HRC/43/15 or CEDAW/C/SVN/CO/7. A new symbol creates the document."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Recommendation
        fields = [
            "mechanism",
            "document_symbol",
            "paragraph",
            "text",
            "language",
            "kind",
            "issued_on",
            "recommending_states",
            "upr_position",
            "themes",
            "affected_persons",
            "sdgs",
            "clusters",
            "priority",
            "lead_institution",
            "supporting_institutions",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "recommending_states": forms.SelectMultiple(attrs={"size": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "affected_persons": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "clusters": forms.CheckboxSelectMultiple,
            "supporting_institutions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "paragraph": _("Left empty, it is read from the start of the text (for example 121.2)."),
            "issued_on": _("Left empty, the document's date is used."),
        }

    field_order = Meta.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].required = False
        languages = content_language_choices()
        if self.instance.language and self.instance.language not in dict(languages):
            languages.append((self.instance.language, self.instance.language))
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the text"), choices=languages, initial=self.instance.language or "en", required=False
        )
        self.fields["recommending_states"].queryset = Country.objects.order_by("name")
        for name, kind in (
            ("themes", VocabularyKind.THEME),
            ("affected_persons", VocabularyKind.AFFECTED_PERSONS),
            ("sdgs", VocabularyKind.SDG),
            ("clusters", VocabularyKind.NATIONAL_CLUSTER),
        ):
            field = self.fields[name]
            field.queryset = _terms(kind)
            field.label_from_instance = lambda term: term.display_label
        active = Institution.objects.filter(is_active=True)
        self.fields["lead_institution"].queryset = active
        self.fields["supporting_institutions"].queryset = active
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.document_id:
                self.fields["document_symbol"].initial = self.instance.document.symbol

    def clean(self):
        cleaned = super().clean()
        symbol = " ".join((cleaned.get("document_symbol") or "").split())
        self.document = Document.objects.select_related("mechanism").filter(symbol=symbol).first() if symbol else None
        mechanism = cleaned.get("mechanism")
        if self.document and mechanism and self.document.mechanism_id != mechanism.pk:
            self.add_error(
                "document_symbol",
                _("Document %(symbol)s belongs to %(mechanism)s; choose that mechanism or another document.")
                % {"symbol": symbol, "mechanism": self.document.mechanism.acronym},
            )
        if not cleaned.get("issued_on"):
            if self.document and self.document.date:
                # The date is required on the model; fill it before model validation.
                cleaned["issued_on"] = self.document.date
            else:
                self.add_error("issued_on", _("Give the date of the recommendation; its document has no date."))
        return cleaned

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or "en"


class StatusChangeForm(forms.Form):
    """Record a dated change of a recommendation's implementation status."""

    status = forms.ChoiceField(label=_("New status"), choices=ImplementationStatus.choices)
    effective_on = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the status changed; a report for a period reads the status at its end."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened: the law adopted, the measure taken, the decision."),
    )
    evidence = forms.URLField(
        label=_("Evidence (a link)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For example the official gazette or a ministry's page."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatusOnForm(forms.Form):
    on = forms.DateField(label=_("Status on"), widget=forms.DateInput(attrs={"type": "date"}))


class TranslationForm(forms.Form):
    """The text of a recommendation in one more language; an empty text removes that language."""

    language = forms.ChoiceField(label=_("Language"))
    text = forms.CharField(
        label=_("Text in this language"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Leave empty to remove the text in this language."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        original = recommendation.language.lower()
        self.fields["language"].choices = [
            (code, name) for code, name in content_language_choices() if code.lower() != original
        ]
        self.fields["version"].initial = recommendation.version


class AssignToProjectForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.exclude(status=ProjectStatus.ARCHIVED).order_by("name"),
        empty_label=_("Choose a project"),
    )


def _kind_and_label(term: Term) -> str:
    return f"{term.vocabulary.get_kind_display()}: {term.display_label}"


class BulkForm(forms.Form):
    """One change to many recommendations of the list: those ticked, or every one the filters match."""

    action = forms.ChoiceField(
        label=_("Change"),
        choices=[
            ("project", _("Assign to a project")),
            ("lead", _("Set the lead institution")),
            ("term", _("Add a theme, affected group or national cluster")),
            ("status", _("Record a status change")),
            ("ask", _("Ask institutions for information about them")),
        ],
    )
    apply_to = forms.ChoiceField(
        label=_("Apply to"),
        choices=[
            ("selected", _("The recommendations ticked on this page")),
            ("all", _("Every recommendation that matches the search and filters")),
        ],
        widget=forms.RadioSelect,
        initial="selected",
    )
    query = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)
    project = forms.ModelChoiceField(
        label=_("Project"), required=False, queryset=Project.objects.exclude(status=ProjectStatus.ARCHIVED)
    )
    lead = forms.ModelChoiceField(
        label=_("Lead institution"), required=False, queryset=Institution.objects.filter(is_active=True)
    )
    term = forms.ModelChoiceField(
        label=_("Theme, affected group or cluster"), required=False, queryset=Term.objects.none()
    )
    status = forms.ChoiceField(label=_("New status"), choices=ImplementationStatus.choices, required=False)
    effective_on = forms.DateField(
        label=_("Effective date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    justification = forms.CharField(
        label=_("Justification"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    NEEDS = {
        "project": ("project",),
        "lead": ("lead",),
        "term": ("term",),
        "status": ("status", "effective_on", "justification"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = Q(vocabulary__kind__in=[VocabularyKind.THEME, VocabularyKind.AFFECTED_PERSONS])
        current &= Q(vocabulary__is_current=True)
        self.fields["term"].queryset = (
            Term.objects.filter(current | Q(vocabulary__kind=VocabularyKind.NATIONAL_CLUSTER))
            .exclude(status=TermStatus.RETIRED)
            .select_related("vocabulary")
            .order_by("vocabulary__kind", "label")
        )
        self.fields["term"].label_from_instance = _kind_and_label

    def clean(self):
        cleaned = super().clean()
        for name in self.NEEDS.get(cleaned.get("action"), ()):
            if not cleaned.get(name):
                self.add_error(name, _("This field is required for the change you chose."))
        return cleaned


class GroupForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RecommendationGroup
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GroupAddForm(forms.Form):
    references = forms.CharField(
        label=_("Add recommendations"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: paragraph and document symbol, for example “121.2 A/HRC/43/15”, or #id."),
    )
