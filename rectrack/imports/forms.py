from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from rectrack.imports.formats import FORMATS
from rectrack.lib.languages import content_language_choices

AUTO = "auto"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("UHRI export (JSON or Excel), OHCHR thematic list (Word), UPR Info (CSV), or any spreadsheet."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(AUTO, _("Recognise it from the file")), *FORMATS.items()],
        initial=AUTO,
    )
    all_countries = forms.BooleanField(
        label=_("Import the recommendations to every State, not only to this country"), required=False
    )
    translation_of = forms.ChoiceField(
        label=_("The texts in this file are"),
        required=False,
        help_text=_(
            "Choose a language when the file is the same export in another language (UHRI publishes several): "
            "its texts are added to the recommendations already imported, and nothing else changes."
        ),
    )
    skip_rejected = forms.BooleanField(
        label=_("If some rows cannot be read, import the others and list the rejected rows"),
        required=False,
        help_text=_("Without this, a file with a single bad row imports nothing."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["translation_of"].choices = [
            ("", _("The original texts: import the recommendations")),
            *[
                (code, _("A translation into %(language)s") % {"language": name})
                for code, name in content_language_choices()
            ],
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.RECTRACK_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file this instance accepts is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class MappingForm(forms.Form):
    """One choice of column per recommendation field, for a spreadsheet of any shape."""

    separator = forms.ChoiceField(
        label=_("Several values in one cell are separated by"),
        choices=[(";", _("semicolons (;)")), (",", _("commas (,)")), ("|", _("vertical bars (|)"))],
        initial=";",
    )
    date_order = forms.ChoiceField(
        label=_("Dates written with slashes are"),
        choices=[("dmy", _("day/month/year")), ("mdy", _("month/day/year"))],
        initial="dmy",
    )

    def __init__(self, *args, fields, headers: list[str], samples: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in this file)"))] + [
            (header, f"{header} — {samples[header]}" if samples.get(header) else header) for header in headers
        ]
        self.mapped = []
        for spec in fields:
            self.fields[f"map_{spec.key}"] = forms.ChoiceField(
                label=spec.label, choices=choices, required=spec.required
            )
            self.mapped.append(spec.key)

    def clean(self):
        cleaned = super().clean()
        used = {}
        for key in self.mapped:
            header = cleaned.get(f"map_{key}")
            if not header:
                continue
            if header in used:
                self.add_error(
                    f"map_{key}",
                    _("The column “%(header)s” is already used for “%(field)s”.")
                    % {"header": header, "field": self.fields[f"map_{used[header]}"].label},
                )
            used[header] = key
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"map_{key}"] for key in self.mapped if self.cleaned_data.get(f"map_{key}")}

    def reader_options(self) -> dict:
        return {"multi_value_separator": self.cleaned_data["separator"], "date_order": self.cleaned_data["date_order"]}
