from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rectrack.inquiries.models import InformationRequest
from rectrack.institutions.models import Institution
from rectrack.planning.models import Activity
from rectrack.recommendations.selectors import parse_recommendation_references


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RequestForm(forms.ModelForm):
    """A new request: what is asked, about which items, of which institutions, by when."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recommendation_refs = forms.CharField(
        label=_("Recommendations asked about"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: paragraph and document symbol, for example “121.2 A/HRC/43/15”, or #id."),
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities asked about"),
        queryset=Activity.objects.open().select_related("lead_institution").order_by("title"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Open activities. Hold Ctrl (or ⌘) to choose several."),
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions asked"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = InformationRequest
        fields = ["title", "instructions", "deadline", "word_limit"]
        widgets = {"deadline": DateInput(), "instructions": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["word_limit"].widget.attrs.update(min=20, max=5000)
        if editing:
            for name in ("recommendation_refs", "activities", "institutions"):
                del self.fields[name]
        elif self.initial.get("recommendation_ids"):
            self.initial["recommendation_refs"] = "\n".join(f"#{pk}" for pk in self.initial["recommendation_ids"])

    def clean_recommendation_refs(self):
        found, unknown = parse_recommendation_references(self.cleaned_data["recommendation_refs"])
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "No recommendation matches this line: %(lines)s",
                    "No recommendation matches these lines: %(lines)s",
                    len(unknown),
                )
                % {"lines": "; ".join(unknown)}
            )
        return found

    def request_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("title", "instructions", "deadline", "word_limit")}
        if "institutions" in self.fields:
            fields.update(
                recommendations=data["recommendation_refs"],
                activities=data["activities"],
                institutions=data["institutions"],
            )
        return fields


class AnswersForm(forms.Form):
    """One text box per item of the request, each checked against the word limit."""

    def __init__(self, *args, items=(), answers=None, word_limit: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.items = []
        for item in items:
            name = f"{item._meta.model_name}-{item.pk}"
            self.fields[name] = forms.CharField(
                label=getattr(item, "reference", None) or item.title,
                required=False,
                widget=forms.Textarea(
                    attrs={
                        "rows": 5,
                        "data-word-limit": word_limit,
                        "data-word-count": _("%(count)s of %(limit)s words"),
                    }
                ),
                initial=answers.get((type(item), item.pk), ""),
                help_text=_("At most %(limit)d words.") % {"limit": word_limit},
            )
            self.items.append((item, name))

    def texts(self) -> dict:
        return {item: self.cleaned_data[name] for item, name in self.items}

    def rows(self):
        return [(item, self[name]) for item, name in self.items]
