from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectrack.institutions.models import Institution
from rectrack.planning.models import Project
from rectrack.recommendations.models import Mechanism
from rectrack.reporting.models import ReportDraft
from rectrack.taxonomy.models import Term, VocabularyKind


class DraftForm(forms.ModelForm):
    """What a draft covers: a mechanism, a period, optionally a project or a national cluster."""

    class Meta:
        model = ReportDraft
        fields = ["title", "report", "mechanism", "period_start", "period_end", "project", "cluster", "group_by"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "title": _("For example: UPR mid-term report, fourth cycle."),
            "report": _("The draft is written into this report's template."),
            "period_end": _("Statuses are those of this day; the draft covers the recommendations made by then."),
            "project": _("Only the recommendations of this project."),
            "cluster": _("Only the recommendations of this national cluster."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].queryset = Mechanism.objects.order_by("position", "acronym")
        self.fields["project"].queryset = Project.objects.order_by("name")
        self.fields["cluster"].queryset = Term.objects.filter(
            vocabulary__kind=VocabularyKind.NATIONAL_CLUSTER, vocabulary__is_current=True
        ).order_by("label")


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Word template (.docx)"),
        help_text=_("At most 10 MB. Start from the current template so that its styles and placeholders are there."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )


class ShareForm(forms.Form):
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Institutions consulted"),
        queryset=Institution.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their focal points and contributors read the whole draft, published or not, and comment on it "
            "until the deadline."
        ),
    )
    consultation_deadline = forms.DateField(label=_("Comments by"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation_deadline"].widget.attrs["min"] = timezone.localdate().isoformat()


class DraftCommentForm(forms.Form):
    section = forms.ChoiceField(label=_("About"), required=False)
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, outline: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("The whole draft"))] + [(title, title) for title in outline]


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was taken into account"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
