"""Every write to information requests and their answers goes through here."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rectrack.accounts.models import Role, User
from rectrack.audit.models import Action
from rectrack.audit.services import create_tracked, record_event, save_tracked
from rectrack.collaboration.models import NotificationKind
from rectrack.collaboration.services import notify
from rectrack.inquiries.models import Answer, InformationRequest, Recipient, RequestStatus
from rectrack.institutions.models import Membership, MembershipKind

# Chinese and Japanese characters count one word each; anything else is split on white space.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_RE = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text or ""))


def focal_points(institution_id: int):
    """Active focal points of an institution: main first, then alternates, then other members."""
    order = {MembershipKind.MAIN_FOCAL_POINT: 0, MembershipKind.ALTERNATE_FOCAL_POINT: 1, MembershipKind.MEMBER: 2}
    memberships = (
        Membership.objects.active()
        .filter(institution_id=institution_id, user__is_active=True, user__role=Role.FOCAL_POINT)
        .select_related("user")
    )
    return [m.user for m in sorted(memberships, key=lambda m: (order.get(m.kind, 3), m.user.username))]


def _request_url(request: InformationRequest) -> str:
    return reverse("inquiries:detail", args=[request.pk])


def _check(*, deadline: date, recommendations, activities, institutions) -> None:
    errors = {}
    if deadline < timezone.localdate():
        errors["deadline"] = _("The deadline cannot be in the past.")
    if not recommendations and not activities:
        errors["recommendations"] = _("Choose at least one recommendation or activity to ask about.")
    if not institutions:
        errors["institutions"] = _("Choose at least one institution to ask.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_send(
    *,
    actor,
    title: str,
    instructions: str,
    deadline: date,
    word_limit: int,
    recommendations=(),
    activities=(),
    institutions=(),
) -> InformationRequest:
    """Ask institutions about recommendations and activities; their focal points are notified.

    Each institution's request is assigned to its main focal point (else an
    alternate, else any focal point).
    """
    recommendations, activities, institutions = list(recommendations), list(activities), list(institutions)
    _check(deadline=deadline, recommendations=recommendations, activities=activities, institutions=institutions)
    request = create_tracked(
        model=InformationRequest,
        actor=actor,
        fields={
            "title": title,
            "instructions": instructions,
            "deadline": deadline,
            "word_limit": word_limit,
            "recommendations": recommendations,
            "activities": activities,
        },
    )
    for institution in institutions:
        people = focal_points(institution.pk)
        Recipient.objects.create(request=request, institution=institution, assignee=people[0] if people else None)
        notify(
            recipients=people,
            kind=NotificationKind.REQUEST,
            actor=actor,
            target_label=title,
            target_url=_request_url(request),
            excerpt=instructions[:300],
        )
    record_event(
        actor=actor,
        instance=request,
        action=Action.UPDATED,
        changes={"institutions asked": {"added": [str(i) for i in institutions], "removed": []}},
    )
    return request


def request_update(*, request: InformationRequest, actor, expected_version: int | None = None, **fields) -> dict:
    """Change the title, what is asked, the deadline or the word limit (ConflictError when stale)."""
    if "deadline" in fields and fields["deadline"] != request.deadline and fields["deadline"] < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    return save_tracked(instance=request, actor=actor, fields=fields, expected_version=expected_version)


def request_set_status(*, request: InformationRequest, actor, status: str) -> dict:
    """Close a request (no more answers) or open it again."""
    return save_tracked(instance=request, actor=actor, fields={"status": status})


def items_of(request: InformationRequest) -> list:
    """The recommendations, then the activities, a request is about."""
    return [*request.recommendations.select_related("document"), *request.activities.all()]


@transaction.atomic
def answers_save(*, recipient: Recipient, actor, texts: dict) -> int:
    """Save an institution's answers, all or none: `texts` maps each item (a recommendation or an
    activity of the request) to its answer; a blank one is left unanswered.

    Each new or changed answer is an entry in its object's history and in the
    request's. Refuses answers over the word limit or to a closed request.
    """
    request = recipient.request
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is closed: answers can no longer be given or changed."))
    allowed = {(type(item), item.pk) for item in items_of(request)}
    too_long = []
    for item, text in texts.items():
        if (type(item), item.pk) not in allowed:
            raise ValidationError(_("“%(item)s” is not part of this request.") % {"item": item})
        words = count_words(text)
        if words > request.word_limit:
            too_long.append((item, words))
    if too_long:
        raise ValidationError(
            [
                ngettext(
                    "The answer about “%(item)s” has %(count)d word; the limit is %(limit)d.",
                    "The answer about “%(item)s” has %(count)d words; the limit is %(limit)d.",
                    words,
                )
                % {"item": _short(item), "count": words, "limit": request.word_limit}
                for item, words in too_long
            ]
        )
    changed = 0
    for item, text in texts.items():
        changed += _save_answer(recipient=recipient, actor=actor, item=item, text=text.strip())
    if changed:
        _after_answers(recipient, actor)
    return changed


def _short(item) -> str:
    label = getattr(item, "reference", None) or str(item)
    return label if len(label) <= 80 else label[:79] + "…"


def _save_answer(*, recipient: Recipient, actor, item, text: str) -> int:
    key = {"recommendation": item} if item._meta.model_name == "recommendation" else {"activity": item}
    answer = Answer.objects.filter(recipient=recipient, **key).first()
    old = answer.text if answer else ""
    if text == old:
        return 0
    label = f"{recipient.institution} ({recipient.request.title})"
    if not text:
        answer.delete()
    elif answer:
        answer.text, answer.author = text, actor if actor and actor.pk else None
        answer.save(update_fields=["text", "author", "answered_at"])
    else:
        Answer.objects.create(recipient=recipient, text=text, author=actor if actor and actor.pk else None, **key)
    change = {"added": [f"{label}: {text}"] if text else [], "removed": [f"{label}: {old}"] if old else []}
    save_tracked(instance=item, actor=actor, fields={}, also={"answers to information requests": change})
    record_event(
        actor=actor,
        instance=recipient.request,
        action=Action.UPDATED,
        changes={"answers": {"added": [f"{recipient.institution} · {_short(item)}: {text}"] if text else [],
                             "removed": [f"{recipient.institution} · {_short(item)}: {old}"] if old else []}},
    )  # fmt: skip
    return 1


def _after_answers(recipient: Recipient, actor) -> None:
    """Mark the institution's part complete when every item is answered, and tell who asked."""
    total = recipient.request.recommendations.count() + recipient.request.activities.count()
    complete = recipient.answers.count() >= total
    if complete and recipient.completed_at is None:
        recipient.completed_at = timezone.now()
        recipient.save(update_fields=["completed_at"])
        asker = recipient.request.created_by
        notify(
            recipients=[asker] if asker else [],
            kind=NotificationKind.ANSWER,
            actor=actor,
            target_label=f"{recipient.request.title} · {recipient.institution}",
            target_url=_request_url(recipient.request),
        )
    elif not complete and recipient.completed_at is not None:
        recipient.completed_at = None
        recipient.save(update_fields=["completed_at"])


def assignments_move(*, from_user: User, to_user: User, institution_id: int, actor=None) -> int:
    """Give `to_user` the open requests of an institution assigned to `from_user` (a handover)."""
    moving = list(
        Recipient.objects.filter(
            assignee=from_user,
            institution_id=institution_id,
            request__status=RequestStatus.OPEN,
            completed_at__isnull=True,
        ).select_related("request", "institution")
    )
    for recipient in moving:
        recipient.assignee = to_user
        recipient.save(update_fields=["assignee"])
        record_event(
            actor=actor,
            instance=recipient.request,
            action=Action.UPDATED,
            changes={f"assigned to ({recipient.institution})": {"old": str(from_user), "new": str(to_user)}},
        )
    return len(moving)
