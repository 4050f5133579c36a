from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rectrack.agenda.models import Event
from rectrack.agenda.selectors import kind_choices
from rectrack.institutions.models import Institution
from rectrack.recommendations.models import Mechanism


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "location",
            "mechanism",
            "audience",
            "description",
            "institutions",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "institutions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        linked = self.instance.institutions.all() if self.instance.pk else Institution.objects.none()
        self.fields["institutions"].queryset = Institution.objects.filter(
            Q(is_active=True) | Q(pk__in=linked.values("pk"))
        ).order_by("name")
        self.fields["mechanism"].queryset = Mechanism.objects.order_by("position", "acronym")
        self.fields["mechanism"].label_from_instance = lambda mechanism: (
            f"{mechanism.acronym}: {mechanism.localized_name}"
            if mechanism.localized_name != mechanism.acronym
            else mechanism.acronym
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if end_time and not start_time and "start_time" not in self.errors:
            self.add_error("start_time", _("Give the start time too, or leave the end time empty."))
        single_day = not ends_on or ends_on == starts_on
        if start_time and end_time and single_day and end_time < start_time:
            self.add_error("end_time", _("The end time cannot be before the start time."))
        return cleaned

    def event_fields(self) -> dict:
        """The cleaned values for the event services."""
        fields = dict(self.cleaned_data)
        fields.pop("version", None)
        return fields


class CalendarFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(label=_("Kind"), choices=kind_choices, required=False)
    mine = forms.BooleanField(label=_("My institutions only"), required=False)
