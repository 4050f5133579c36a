from django import forms
from django.utils.translation import gettext_lazy as _

from rectrack.portal import selectors
from rectrack.portal.models import Publication
from rectrack.recommendations.forms import UPR_CYCLES
from rectrack.recommendations.models import ImplementationStatus
from rectrack.recommendations.selectors import filter_choices


class PublicFilterForm(forms.Form):
    """The portal's search and filters: public vocabularies, and only published projects and their leads."""

    q = forms.CharField(label=_("Search"), required=False, max_length=1_000)
    mechanism = forms.MultipleChoiceField(label=_("Mechanism"), required=False)
    cycle = forms.TypedMultipleChoiceField(label=_("UPR cycle"), choices=UPR_CYCLES, coerce=int, required=False)
    theme = forms.TypedMultipleChoiceField(label=_("Theme"), coerce=int, required=False)
    affected = forms.TypedMultipleChoiceField(label=_("Affected persons"), coerce=int, required=False)
    sdg = forms.TypedMultipleChoiceField(label=_("SDG goal"), coerce=int, required=False)
    lead = forms.TypedMultipleChoiceField(label=_("Lead institution"), coerce=int, required=False)
    project = forms.TypedMultipleChoiceField(label=_("Project"), coerce=int, required=False)
    status = forms.MultipleChoiceField(
        label=_("Implementation status"), choices=ImplementationStatus.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shared = filter_choices()  # vocabularies and mechanisms: public in themselves
        for name in ("mechanism", "theme", "affected", "sdg"):
            self.fields[name].choices = shared[name]
        self.fields["lead"].choices = selectors.public_institution_choices()
        self.fields["project"].choices = selectors.public_project_choices()


class PublicationForm(forms.Form):
    publication = forms.ChoiceField(label=_("On the public portal"), choices=Publication.choices)
    budget_publication = forms.ChoiceField(
        label=_("Budget on the public portal"), choices=Publication.choices, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PortalRulesForm(forms.Form):
    portal_enabled = forms.BooleanField(
        label=_("The public portal is open"),
        required=False,
        help_text=_("Closed, every public page and download answers “not found”."),
    )
    publish_recommendations = forms.BooleanField(
        label=_("Publish recommendations unless one is marked “Not published”"), required=False
    )
    publish_projects = forms.BooleanField(
        label=_("Publish projects unless one is marked “Not published”"), required=False
    )
    publish_activities = forms.BooleanField(
        label=_("Publish activities unless one is marked “Not published”"), required=False
    )
    publish_budgets = forms.BooleanField(
        label=_("Publish the budgets of published activities unless one is marked “Not published”"),
        required=False,
        help_text=_("A budget is shown only with its activity; funding sources are shown with the budget."),
    )
