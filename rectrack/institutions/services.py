"""Writing institutions, with history."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
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


@transaction.atomic
def focal_point_handover(*, actor, institution: Institution, leaving, taking_over, end_membership: bool = True) -> int:
    """Hand an institution's work from one focal point to another (usually the alternate).

    From today `taking_over` is the main focal point; `leaving` stops being a
    member (or, with end_membership=False, becomes the alternate). Their
    memberships keep their dates, so the roster shows who was responsible
    when. Open information requests assigned to `leaving` move to
    `taking_over`, who is notified. Returns the number of requests moved.
    """
    from rectrack.accounts.models import Role
    from rectrack.collaboration.models import NotificationKind
    from rectrack.collaboration.services import notify
    from rectrack.inquiries.services import assignments_move
    from rectrack.institutions.models import Membership, MembershipKind

    current = {m.user_id: m for m in Membership.objects.active().filter(institution=institution)}
    if leaving.pk == taking_over.pk:
        raise ValidationError(_("Choose two different people."))
    if leaving.pk not in current:
        raise ValidationError(_("%(person)s is not a member of this institution.") % {"person": leaving})
    if taking_over.pk not in current or not taking_over.is_active or taking_over.role != Role.FOCAL_POINT:
        raise ValidationError(
            _("%(person)s must be an active focal point and a member of this institution.") % {"person": taking_over}
        )
    today = timezone.localdate()
    _change_kind(current[taking_over.pk], MembershipKind.MAIN_FOCAL_POINT, today)
    if end_membership:
        _end(current[leaving.pk], today)
    else:
        _change_kind(current[leaving.pk], MembershipKind.ALTERNATE_FOCAL_POINT, today)
    moved = assignments_move(from_user=leaving, to_user=taking_over, institution_id=institution.pk, actor=actor)
    record_event(
        actor=actor,
        instance=institution,
        action=Action.UPDATED,
        changes={
            "main focal point": {"old": str(leaving), "new": str(taking_over)},
            "open requests handed over": {"old": None, "new": moved},
        },
    )
    notify(
        recipients=[taking_over],
        kind=NotificationKind.HANDOVER,
        actor=actor,
        target_label=str(institution),
        target_url=reverse("inquiries:list"),
    )
    return moved


def _end(membership, today) -> None:
    """End a membership before today (or remove today's, which never took effect)."""
    if membership.start_date and membership.start_date >= today:
        membership.delete()
        return
    membership.end_date = today - timedelta(days=1)
    membership.save(update_fields=["end_date"])


def _change_kind(membership, kind: str, today) -> None:
    """A membership of another kind from today; the old one keeps its dates."""
    from rectrack.institutions.models import Membership

    if membership.kind == kind:
        return
    if membership.start_date and membership.start_date >= today:
        membership.kind = kind
        membership.save(update_fields=["kind"])
        return
    until = membership.end_date
    _end(membership, today)
    Membership.objects.create(
        user=membership.user,
        institution=membership.institution,
        kind=kind,
        start_date=today,
        end_date=until,
    )
