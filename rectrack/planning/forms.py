from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rectrack.institutions.models import Institution, InstitutionKind
from rectrack.institutions.selectors import institution_choices
from rectrack.lib.currencies import currency_choices
from rectrack.planning.models import Activity, ActivityStatus, Project, ProjectStatus
from rectrack.planning.selectors import project_choices
from rectrack.recommendations.models import Recommendation
from rectrack.recommendations.selectors import parse_recommendation_references


class LinkedRecommendationsField(forms.ModelMultipleChoiceField):
    """The recommendations linked to an object, shown as checkboxes.

    Only the linked ones are rendered (an instance may hold 260,000); any
    posted id is validated against the whole table.
    """

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Recommendation.objects.select_related("document"), required=False, **kwargs)

    def label_from_instance(self, obj: Recommendation) -> str:
        body = obj.body
        return f"{obj.reference}: {body[:140]}{'…' if len(body) > 140 else ''}"

    def show_only(self, ids) -> None:
        self.widget.choices = forms.models.ModelChoiceIterator(self)
        self.widget.choices.queryset = self.queryset.filter(pk__in=list(ids))


class ActivityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recommendations = LinkedRecommendationsField(label=_("Linked recommendations"))
    add_recommendations = forms.CharField(
        label=_("Link more recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: paragraph and document symbol, for example “121.2 A/HRC/43/15”."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "status",
            "lead_institution",
            "implementing_partners",
            "budget_amount",
            "budget_currency",
            "funding_source",
            "start_date",
            "deadline",
            "expected_results",
            "means_of_verification",
            "projects",
            "recommendations",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "means_of_verification": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "implementing_partners": forms.CheckboxSelectMultiple,
            "projects": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, lead_institutions, default_currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_institution"].queryset = lead_institutions
        self.fields["implementing_partners"].queryset = Institution.objects.filter(is_active=True)
        self.fields["projects"].queryset = Project.objects.exclude(status=ProjectStatus.ARCHIVED).order_by("name")
        self.fields["budget_currency"] = forms.ChoiceField(
            label=_("Currency"), required=False, choices=[("", "—"), *currency_choices()]
        )
        if default_currency and not self.instance.pk:
            self.fields["budget_currency"].initial = default_currency
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        linked = self.initial.get("recommendations")
        if linked is None and self.instance.pk:
            linked = self.instance.recommendations.values_list("pk", flat=True)
        selected = [getattr(item, "pk", item) for item in (linked or [])]
        if self.is_bound:
            selected += [value for value in self.data.getlist("recommendations") if str(value).isdigit()]
        self.fields["recommendations"].show_only(selected)
        self.fields["budget_amount"].widget.attrs.update({"min": "0", "step": "0.01"})

    def clean_add_recommendations(self):
        found, unknown = parse_recommendation_references(self.cleaned_data["add_recommendations"])
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "No recommendation matches “%(lines)s”. Check the paragraph and the symbol.",
                    "No recommendation matches these lines: %(lines)s. Check the paragraphs and the symbols.",
                    len(unknown),
                )
                % {"lines": "; ".join(unknown)}
            )
        return found

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("budget_amount") is not None and not cleaned.get("budget_currency"):
            self.add_error("budget_currency", _("Choose the currency of the budget."))
        return cleaned

    def activity_fields(self) -> dict:
        """The cleaned values for the activity services."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        extra = data.pop("add_recommendations", []) or []
        data["recommendations"] = list({r.pk: r for r in [*data.get("recommendations", []), *extra]}.values())
        return data


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search activities"), required=False, max_length=200)
    lead = forms.TypedMultipleChoiceField(
        label=_("Lead institution"), choices=institution_choices, coerce=int, required=False
    )
    status = forms.MultipleChoiceField(label=_("Status"), choices=ActivityStatus.choices, required=False)
    project = forms.TypedMultipleChoiceField(label=_("Project"), choices=project_choices, coerce=int, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("My institutions only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline")),
            ("status", _("Implementation status")),
            ("updated", _("Recently updated")),
            ("title", _("Title")),
        ],
    )


SHARING_KINDS = (InstitutionKind.NHRI, InstitutionKind.CSO, InstitutionKind.UN_AGENCY, InstitutionKind.OTHER)


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = ["name", "description", "status", "start_date", "end_date", "lead_institution", "shared_with"]
        widgets = {
            "shared_with": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_institution"].queryset = Institution.objects.filter(is_active=True)
        # Sharing is for the institutions whose contributors otherwise see only what is published.
        self.fields["shared_with"].queryset = Institution.objects.filter(
            Q(is_active=True, kind__in=SHARING_KINDS)
            | Q(pk__in=self.instance.shared_with.all() if self.instance.pk else [])
        ).order_by("name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search projects"), required=False, max_length=200)
    status = forms.MultipleChoiceField(label=_("Status"), choices=ProjectStatus.choices, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("Name A–Z")), ("-name", _("Name Z–A")), ("newest", _("Newest first"))],
    )


class ProgressNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Progress note"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What was done, by whom, with what result. Paragraphs and line breaks are kept; text pasted from a "
            "document keeps its emphasis, lists and links, and nothing else."
        ),
    )


class ActivityBulkForm(forms.Form):
    """One change to many activities of the list: those ticked, or every one the filters match."""

    action = forms.ChoiceField(
        label=_("Change"),
        choices=[
            ("project", _("Put in a project")),
            ("lead", _("Set the lead institution")),
            ("partner", _("Add an implementing partner")),
            ("status", _("Set the status")),
        ],
    )
    apply_to = forms.ChoiceField(
        label=_("Apply to"),
        choices=[
            ("selected", _("The activities ticked on this page")),
            ("all", _("Every activity that matches the search and filters")),
        ],
        widget=forms.RadioSelect,
        initial="selected",
    )
    query = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)
    project = forms.ModelChoiceField(
        label=_("Project"), required=False, queryset=Project.objects.exclude(status=ProjectStatus.ARCHIVED)
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), required=False, queryset=Institution.objects.filter(is_active=True)
    )
    status = forms.ChoiceField(
        label=_("New status"), choices=[("", "---------"), *ActivityStatus.choices], required=False
    )

    NEEDS = {"project": "project", "lead": "institution", "partner": "institution", "status": "status"}

    def clean(self):
        data = super().clean()
        needed = self.NEEDS.get(data.get("action"))
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose one for this change."))
        return data
