from django import forms
from django.utils.translation import gettext_lazy as _

from rectrack.planning.models import Project
from rectrack.recommendations.models import Mechanism
from rectrack.reporting.models import ReportDraft
from rectrack.taxonomy.models import Term, VocabularyKind


class DraftForm(forms.ModelForm):
    """What a draft covers: a mechanism, a period, optionally a project or a national cluster."""

    class Meta:
        model = ReportDraft
        fields = ["title", "mechanism", "period_start", "period_end", "project", "cluster", "group_by"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "title": _("For example: UPR mid-term report, fourth cycle."),
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
