"""Daily e-mail digests: reminders of deadlines and unread notifications, at most one per person per day.

Who gets what:

- focal points, for the institutions they belong to: open activities those
  institutions lead whose deadline is REMIND_BEFORE days ahead or
  REMIND_AFTER days past, and open information requests not fully answered
  by those institutions, on the same days around their deadline;
- everyone: notifications not yet read nor e-mailed (mentions, requests,
  answers, handovers).

A person who turned the digest off (`User.digest_emails`), or has no
e-mail address, gets nothing. `Digest` (unique per person and day) is
written in the same transaction as the sending, so a digest that failed to
go can be sent again and one that went is never sent twice.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rectrack.accounts.models import Role, User
from rectrack.collaboration.models import Digest, Notification
from rectrack.institutions.models import Membership
from rectrack.planning.models import Activity

# Days before and after a deadline on which it is recalled.
REMIND_BEFORE = (7, 1, 0)
REMIND_AFTER = (1, 7, 14, 28)


@dataclass(frozen=True)
class Reminder:
    kind: str  # "activity" or "request"
    title: str
    institution: str
    deadline: date
    days: int  # days until the deadline; negative once it has passed
    path: str

    @property
    def when(self) -> str:
        if self.days == 0:
            return _("due today")
        if self.days > 0:
            return ngettext("due in %(days)d day", "due in %(days)d days", self.days) % {"days": self.days}
        late = -self.days
        return ngettext("%(days)d day late", "%(days)d days late", late) % {"days": late}


def reminder_days(today: date) -> list[date]:
    return [today + timedelta(days=d) for d in REMIND_BEFORE] + [today - timedelta(days=d) for d in REMIND_AFTER]


def _institutions(user: User, today: date) -> list[int]:
    if user.role != Role.FOCAL_POINT:
        return []
    return list(Membership.objects.active(today).filter(user=user).values_list("institution_id", flat=True))


def reminders_for(user: User, today: date) -> list[Reminder]:
    """The deadlines to recall to this person today, soonest first."""
    from rectrack.inquiries.selectors import open_requests_for

    ids = _institutions(user, today)
    if not ids:
        return []
    days = reminder_days(today)
    found = [
        Reminder(
            "activity",
            activity.title,
            str(activity.lead_institution),
            activity.deadline,
            (activity.deadline - today).days,
            reverse("planning:activity_detail", args=[activity.pk]),
        )
        for activity in Activity.objects.open()
        .filter(lead_institution_id__in=ids, deadline__in=days)
        .select_related("lead_institution")
    ]
    found += [
        Reminder(
            "request",
            recipient.request.title,
            str(recipient.institution),
            recipient.request.deadline,
            (recipient.request.deadline - today).days,
            reverse("inquiries:answer", args=[recipient.request_id, recipient.institution_id]),
        )
        for recipient in open_requests_for(ids).filter(request__deadline__in=days)
    ]
    return sorted(found, key=lambda r: (r.deadline, r.kind, r.title))


def _pending_notifications(user: User):
    return Notification.objects.filter(recipient=user, read_at__isnull=True, emailed_at__isnull=True).select_related(
        "actor"
    )


def recipients(today: date):
    """People who may get a digest today: opted in, with an address, and something to be told."""
    unread = Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True, emailed_at__isnull=True)
    member = Membership.objects.active(today).filter(user=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True, digest_emails=True)
        .exclude(email="")
        .filter(Q(Exists(unread)) | Q(role=Role.FOCAL_POINT, pk__in=member.values("user")))
        .exclude(digests__day=today)
        .order_by("pk")
    )


def _absolute(path: str) -> str:
    return settings.RECTRACK_SITE_URL.rstrip("/") + path


def send_digest(user: User, today: date, connection=None) -> bool:
    """Send this person's digest for `today` if there is anything in it and none went today."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = Digest.objects.create(recipient=user, day=today)
        except IntegrityError:
            return False  # already sent today (perhaps by another worker)
        reminders = reminders_for(user, today)
        notices = list(_pending_notifications(user))
        if not reminders and not notices:
            transaction.set_rollback(True)
            return False
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "reminders": [(r, _absolute(r.path)) for r in reminders],
                "notices": [(n, _absolute(n.target_url)) for n in notices],
                "preferences": _absolute(reverse("collaboration:preferences")),
                "site": settings.RECTRACK_SITE_URL,
            }
            count = len(reminders) + len(notices)
            subject = ngettext(
                "RecTrack: %(count)d thing to look at today", "RecTrack: %(count)d things to look at today", count
            ) % {"count": count}
            text = render_to_string("collaboration/email/digest.txt", context)
            html = render_to_string("collaboration/email/digest.html", context)
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection
        )
        message.attach_alternative(html, "text/html")
        message.send()
        digest.items = count
        digest.save(update_fields=["items"])
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
    return True


def send_daily_digests(today: date | None = None) -> int:
    """Send today's digests to everyone who has something to be told; returns how many went."""
    today = today or timezone.localdate()
    sent = 0
    with get_connection() as connection:
        for user in recipients(today).iterator(chunk_size=200):
            sent += send_digest(user, today, connection=connection)
    return sent
