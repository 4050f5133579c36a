from django import forms
from django.utils.translation import gettext_lazy as _

from rectrack.suggestions.models import SuggestionState
from rectrack.suggestions.selectors import KINDS
from rectrack.taxonomy.models import VocabularyKind

BULK_LIMIT = 5_000  # suggestions decided in one go


class ReviewFilterForm(forms.Form):
    """The filters of the review page; read with lib.filters.clean_leniently."""

    kind = forms.ChoiceField(label=_("Kind of label"), required=False)
    term = forms.TypedChoiceField(label=_("Label"), coerce=int, required=False, empty_value=None)
    min_percent = forms.IntegerField(
        label=_("Confidence at least (%)"), required=False, min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    state = forms.ChoiceField(label=_("Show"), required=False, choices=SuggestionState.choices)

    def __init__(self, *args, terms: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every kind")), *((kind, VocabularyKind(kind).label) for kind in KINDS)]
        self.fields["term"].choices = [("", _("Every label")), *terms]


class DecideForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    apply_to = forms.ChoiceField(
        label=_("Apply to"),
        choices=[("selected", _("the ticked suggestions")), ("all", _("every suggestion these filters show"))],
        initial="selected",
        widget=forms.RadioSelect,
    )
