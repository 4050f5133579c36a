"""Reads for information requests: lists, who answered and who is late."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from rectrack.inquiries.models import Answer, InformationRequest, Recipient, RequestStatus


def request_list(*, status: str = "", institution_ids=None) -> QuerySet[InformationRequest]:
    requests = InformationRequest.objects.annotate(
        recipient_count=Count("recipients", distinct=True),
        completed_count=Count("recipients", filter=Q(recipients__completed_at__isnull=False), distinct=True),
    ).order_by("status", "deadline", "id")
    if status:
        requests = requests.filter(status=status)
    if institution_ids is not None:
        requests = requests.filter(recipients__institution_id__in=institution_ids).distinct()
    return requests


@dataclass
class RecipientProgress:
    recipient: Recipient
    answered: int
    total: int
    late: bool  # past the deadline and not complete
    answered_late: bool  # completed after the deadline

    @property
    def complete(self) -> bool:
        return self.recipient.completed_at is not None


def progress(request: InformationRequest, *, today: date | None = None) -> list[RecipientProgress]:
    """Each institution asked: how many items it answered, whether it is late."""
    today = today or timezone.localdate()
    total = request.recommendations.count() + request.activities.count()
    rows = []
    recipients = request.recipients.select_related("institution", "assignee").annotate(answered=Count("answers"))
    for recipient in recipients:
        done = recipient.completed_at
        rows.append(
            RecipientProgress(
                recipient=recipient,
                answered=recipient.answered,
                total=total,
                late=done is None and request.deadline < today and request.status == RequestStatus.OPEN,
                answered_late=done is not None and timezone.localtime(done).date() > request.deadline,
            )
        )
    return rows


def answers_by_item(request: InformationRequest, institution_ids=None) -> dict:
    """Answers keyed by (model, pk) of their item, each a list ordered by institution."""
    answers = Answer.objects.filter(recipient__request=request).select_related("recipient__institution", "author")
    if institution_ids is not None:
        answers = answers.filter(recipient__institution_id__in=institution_ids)
    grouped: dict = {}
    for answer in answers.order_by("recipient__institution__name"):
        key = (
            ("recommendation", answer.recommendation_id)
            if answer.recommendation_id
            else ("activity", answer.activity_id)
        )
        grouped.setdefault(key, []).append(answer)
    return grouped


def open_requests_for(institution_ids) -> QuerySet[Recipient]:
    """What is still asked of these institutions: open requests they have not fully answered."""
    return (
        Recipient.objects.filter(
            institution_id__in=institution_ids, request__status=RequestStatus.OPEN, completed_at__isnull=True
        )
        .select_related("request", "institution")
        .order_by("request__deadline")
    )


def with_recipients(requests: QuerySet) -> QuerySet:
    return requests.prefetch_related(Prefetch("recipients", queryset=Recipient.objects.select_related("institution")))
