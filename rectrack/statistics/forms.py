from django import forms
from django.utils.translation import gettext_lazy as _

from rectrack.recommendations.forms import UPR_CYCLES
from rectrack.recommendations.selectors import filter_choices


class StatisticsFilterForm(forms.Form):
    """The filters of every statistics page: mechanism, UPR cycle and period (the recommendations' dates).

    The names are the recommendations list's, so a figure links to the list
    that holds what it counts.
    """

    mechanism = forms.MultipleChoiceField(label=_("Mechanism"), required=False)
    cycle = forms.TypedMultipleChoiceField(label=_("UPR cycle"), choices=UPR_CYCLES, coerce=int, required=False)
    date_from = forms.DateField(label=_("Made from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Made until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].choices = filter_choices()["mechanism"]
