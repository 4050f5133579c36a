from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rectrack.lib.countries import iso3_for_name
from rectrack.lib.currencies import currency_choices


class InstanceSettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this instance"),
        max_length=100,
        required=False,
        help_text=_("Shown in the header and in e-mails."),
    )
    country = forms.CharField(
        label=_("Country"),
        max_length=150,
        required=False,
        help_text=_("The State whose recommendations this instance follows; imports keep only its recommendations."),
    )
    default_currency = forms.ChoiceField(label=_("Default currency for budgets"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages users may choose. None ticked: all of them."),
    )
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("A PNG or JPEG image of at most 512 kB, shown in the header.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_currency"].choices = [("", _("As configured on the server")), *currency_choices()]
        self.fields["name"].help_text = gettext("Shown in the header and in e-mails. Empty: %(default)s.") % {
            "default": settings.SITE_NAME
        }

    def clean_country(self) -> str:
        country = " ".join(self.cleaned_data["country"].split())
        if country and not iso3_for_name(country) and not (len(country) == 3 and country.isalpha()):
            raise forms.ValidationError(
                _("“%(name)s” is not a State RecTrack knows. Write its name in English, as the UN does."),
                params={"name": country},
            )
        return country
