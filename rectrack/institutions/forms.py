from django import forms
from django.utils.translation import gettext_lazy as _

from rectrack.institutions.models import Institution


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "acronym", "kind", "level", "parent", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Institution.objects.filter(is_active=True).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class HandoverForm(forms.Form):
    leaving = forms.ModelChoiceField(label=_("Focal point leaving"), queryset=None)
    taking_over = forms.ModelChoiceField(
        label=_("Taking over"), queryset=None, help_text=_("Usually the alternate focal point.")
    )
    end_membership = forms.BooleanField(
        label=_("The person leaving no longer belongs to the institution"),
        required=False,
        initial=True,
        help_text=_("Otherwise they stay as the alternate focal point."),
    )

    def __init__(self, *args, institution, **kwargs):
        from rectrack.accounts.models import Role, User
        from rectrack.institutions.models import Membership, MembershipKind

        super().__init__(*args, **kwargs)
        members = Membership.objects.active().filter(institution=institution)
        people = User.objects.filter(pk__in=members.values("user_id")).order_by("first_name", "username")
        self.fields["leaving"].queryset = people
        self.fields["taking_over"].queryset = people.filter(is_active=True, role=Role.FOCAL_POINT)
        main = members.filter(kind=MembershipKind.MAIN_FOCAL_POINT).values_list("user_id", flat=True).first()
        alternate = members.filter(kind=MembershipKind.ALTERNATE_FOCAL_POINT).values_list("user_id", flat=True).first()
        self.initial.setdefault("leaving", main)
        self.initial.setdefault("taking_over", alternate)
