from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rectrack.lib.languages import language_name
from rectrack.taxonomy.models import Term, TermStatus


def _translation_fields(form: forms.Form, values: dict) -> None:
    """One optional field per interface language but the first (the labels' own language)."""
    for code, _name in settings.LANGUAGES[1:]:
        form.fields[f"label_{code}"] = forms.CharField(
            label=_("Label in %(language)s") % {"language": language_name(code)},
            max_length=1000,
            required=False,
            initial=values.get(code, ""),
        )


def translations_from(cleaned: dict) -> dict[str, str]:
    return {code: cleaned.get(f"label_{code}", "").strip() for code, _name in settings.LANGUAGES[1:]}


class ClusterForm(forms.Form):
    label = forms.CharField(label=_("Name of the cluster"), max_length=1000)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _translation_fields(self, {})


class TermForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=1000)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=TermStatus.choices)

    def __init__(self, *args, term: Term, label_editable: bool, **kwargs):
        kwargs.setdefault("initial", {"label": term.label, "description": term.description, "status": term.status})
        super().__init__(*args, **kwargs)
        if not label_editable:
            self.fields["label"].disabled = True
            self.fields["label"].help_text = _(
                "The label as its source publishes it; give it in other languages below."
            )
        _translation_fields(self, term.translations)


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Term.objects.none())

    def __init__(self, *args, term: Term, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Term.objects.filter(vocabulary__kind=term.vocabulary.kind)
            .exclude(pk=term.pk)
            .exclude(status__in=[TermStatus.RETIRED, TermStatus.UNREVIEWED])
            .select_related("vocabulary")
            .order_by("-vocabulary__is_current", "vocabulary__name", "position", "label")
        )
        self.fields["target"].label_from_instance = lambda target: f"{target.display_label} ({target.vocabulary.name})"
