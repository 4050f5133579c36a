from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rectrack.indicators.models import VALUE_DIGITS, Indicator, IndicatorKind
from rectrack.institutions.models import Institution
from rectrack.institutions.selectors import institution_choices
from rectrack.planning.forms import LinkedRecommendationsField
from rectrack.planning.models import Activity, Project, ProjectStatus
from rectrack.recommendations.selectors import parse_recommendation_references
from rectrack.taxonomy.models import Term, VocabularyKind


def _still_offered(queryset, instance: Indicator, relation: str):
    """`queryset`, plus what the indicator is already linked to (an archived project, a retired cluster)."""
    if not instance.pk:
        return queryset
    linked = getattr(instance, relation).values("pk")
    return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=linked))


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recommendations = LinkedRecommendationsField(label=_("Linked recommendations"))
    add_recommendations = forms.CharField(
        label=_("Link more recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: paragraph and document symbol, for example “121.2 A/HRC/43/15”."),
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "kind",
            "description",
            "unit",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "data_source",
            "disaggregation",
            "responsible_institution",
            "activities",
            "projects",
            "clusters",
            "recommendations",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}),
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "activities": forms.CheckboxSelectMultiple,
            "projects": forms.CheckboxSelectMultiple,
            "clusters": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = self.instance
        institutions = Q(is_active=True) | Q(pk=indicator.responsible_institution_id or 0)
        self.fields["responsible_institution"].queryset = Institution.objects.filter(institutions).order_by("name")
        self.fields["activities"].queryset = Activity.objects.order_by("title", "id")
        self.fields["projects"].queryset = _still_offered(
            Project.objects.exclude(status=ProjectStatus.ARCHIVED), indicator, "projects"
        ).order_by("name", "id")
        # The same choice of national clusters as a recommendation's form: those not retired.
        clusters = self.fields["clusters"]
        clusters.queryset = _still_offered(
            Term.objects.of_kind(VocabularyKind.NATIONAL_CLUSTER).usable(), indicator, "clusters"
        ).order_by("position", "label")
        clusters.label_from_instance = lambda term: term.display_label
        for name in ("baseline_value", "target_value"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        if indicator.pk:
            self.fields["version"].initial = indicator.version
        linked = self.initial.get("recommendations")
        if linked is None and indicator.pk:
            linked = indicator.recommendations.values_list("pk", flat=True)
        selected = [getattr(item, "pk", item) for item in (linked or [])]
        if self.is_bound:
            selected += [value for value in self.data.getlist("recommendations") if str(value).isdigit()]
        self.fields["recommendations"].show_only(selected)

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

    def indicator_fields(self) -> dict:
        """The cleaned values for the indicator services."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        extra = data.pop("add_recommendations", []) or []
        data["recommendations"] = list({r.pk: r for r in [*data.get("recommendations", []), *extra]}.values())
        return data


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(label=_("Date measured"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), **VALUE_DIGITS)
    breakdown = forms.CharField(
        label=_("Breakdown"),
        max_length=120,
        required=False,
        help_text=_("Leave empty for the total; else the group measured, for example Women or Region: North."),
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["value"].widget.attrs.update({"step": "any", "inputmode": "decimal"})


class IndicatorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search indicators"), required=False, max_length=200)
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=IndicatorKind.choices, required=False)
    institution = forms.TypedMultipleChoiceField(
        label=_("Responsible institution"), choices=institution_choices, coerce=int, required=False
    )
