"""Writing institutions, with history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rectrack.audit.models import Action
from rectrack.audit.services import diff, record_event
from rectrack.institutions.models import Institution

FIELDS = ("name", "acronym", "kind", "level", "parent", "is_active")


def _state(institution: Institution) -> dict:
    return {
        "name": institution.name,
        "acronym": institution.acronym,
        "kind": institution.kind,
        "level": institution.level,
        "parent": str(institution.parent) if institution.parent_id else None,
        "is_active": institution.is_active,
    }


def _check_parent(institution: Institution) -> None:
    seen, parent = {institution.pk}, institution.parent
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError(_("An institution cannot sit under itself or under one of its own units."))
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def institution_create(*, actor, **fields) -> Institution:
    institution = Institution(**{name: fields[name] for name in FIELDS if name in fields})
    institution.full_clean()
    institution.save()
    record_event(
        actor=actor,
        instance=institution,
        action=Action.CREATED,
        changes={key: {"old": None, "new": value} for key, value in _state(institution).items() if value},
    )
    return institution


@transaction.atomic
def institution_update(*, actor, institution: Institution, **fields) -> dict:
    institution = Institution.objects.select_for_update(of=("self",)).select_related("parent").get(pk=institution.pk)
    before = _state(institution)
    for name in FIELDS:
        if name in fields:
            setattr(institution, name, fields[name])
    _check_parent(institution)
    institution.full_clean()
    changes = diff(before, _state(institution))
    if changes:
        institution.save()
        record_event(actor=actor, instance=institution, action=Action.UPDATED, changes=changes)
    return changes
