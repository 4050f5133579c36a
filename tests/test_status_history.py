"""A recommendation's implementation status: dated changes with justification, status on any date, suggestion."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.audit.services import ConflictError
from rectrack.planning import services as planning
from rectrack.planning.models import ActivityStatus
from rectrack.recommendations import selectors
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import ImplementationStatus, Recommendation, StatusChange, suggested_status

SPRING = date(2021, 4, 1)
AUTUMN = date(2023, 10, 1)


def _change(world, status, day, **extra):
    return recs.recommendation_change_status(
        recommendation=world.education, actor=world.admin, status=status, effective_on=day,
        justification=extra.pop("justification", "Reported by the ministry"), **extra,
    )  # fmt: skip


def test_each_change_is_dated_justified_and_in_the_history(world):
    _change(world, ImplementationStatus.IN_PROGRESS, SPRING, evidence="https://gov.example/law")
    world.education.refresh_from_db()
    assert world.education.status == ImplementationStatus.IN_PROGRESS
    change = StatusChange.objects.get()
    assert (change.effective_on, change.justification, change.evidence) == (
        SPRING,
        "Reported by the ministry",
        "https://gov.example/law",
    )
    event = AuditEvent.objects.filter(object_id=world.education.pk).order_by("-pk").first()
    assert event.actor == world.admin
    assert event.changes["status"] == {"old": "not_started", "new": "in_progress"}
    assert event.changes["status_changes"]["added"] == ["In progress, 2021-04-01"]


def test_a_backdated_change_is_kept_without_replacing_the_current_status(world):
    _change(world, ImplementationStatus.PARTIALLY_IMPLEMENTED, AUTUMN)
    _change(world, ImplementationStatus.IN_PROGRESS, SPRING)
    world.education.refresh_from_db()
    assert world.education.status == ImplementationStatus.PARTIALLY_IMPLEMENTED
    assert StatusChange.objects.count() == 2
    # Still one history entry per change, though the current status did not move.
    assert AuditEvent.objects.filter(object_id=world.education.pk, changes__has_key="status_changes").count() == 2


def test_status_on_any_date(world):
    _change(world, ImplementationStatus.IN_PROGRESS, SPRING)
    _change(world, ImplementationStatus.FULLY_IMPLEMENTED, AUTUMN)
    on = {
        date(2019, 11, 1): None,  # before the recommendation was made (15 November 2019)
        date(2020, 1, 1): ImplementationStatus.NOT_STARTED,
        SPRING: ImplementationStatus.IN_PROGRESS,
        date(2022, 12, 31): ImplementationStatus.IN_PROGRESS,
        AUTUMN: ImplementationStatus.FULLY_IMPLEMENTED,
        timezone.localdate(): ImplementationStatus.FULLY_IMPLEMENTED,
    }
    for day, expected in on.items():
        assert selectors.status_on(world.education, day) == expected, day
    # Over a whole list in one query; a recommendation with no recorded change keeps its status throughout.
    statuses = dict(
        selectors.with_status_on(Recommendation.objects.all(), date(2022, 12, 31)).values_list("pk", "status_on")
    )
    assert statuses == {
        world.education.pk: ImplementationStatus.IN_PROGRESS,
        world.torture.pk: ImplementationStatus.IN_PROGRESS,  # set when created, no history
        world.women.pk: None,  # made on 1 March 2023
    }


@pytest.mark.parametrize(
    ("effective_on", "justification", "field"),
    [
        (timezone.localdate() + timedelta(days=1), "x", "effective_on"),
        (date(2019, 1, 1), "x", "effective_on"),
        (SPRING, "   ", "justification"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(world, effective_on, justification, field):
    with pytest.raises(ValidationError) as error:
        _change(world, ImplementationStatus.IN_PROGRESS, effective_on, justification=justification)
    assert field in error.value.message_dict
    assert StatusChange.objects.count() == 0
    world.education.refresh_from_db()
    assert world.education.status == ImplementationStatus.NOT_STARTED


def test_a_stale_page_cannot_overwrite_a_newer_change(world):
    version = world.education.version
    _change(world, ImplementationStatus.IN_PROGRESS, SPRING)
    with pytest.raises(ConflictError):
        _change(world, ImplementationStatus.NOT_IMPLEMENTED, AUTUMN, expected_version=version)
    world.education.refresh_from_db()
    assert world.education.status == ImplementationStatus.IN_PROGRESS
    assert StatusChange.objects.count() == 1


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], None),
        (["cancelled"], None),
        (["planned", "planned"], "not_started"),
        (["planned", "delayed"], "in_progress"),
        (["completed", "in_progress"], "partially_implemented"),
        (["completed", "completed", "cancelled"], "fully_implemented"),
    ],
)
def test_the_status_the_activities_suggest(statuses, expected):
    assert suggested_status(statuses) == expected


def test_the_page_records_a_change_and_answers_status_on_a_date(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    url = reverse("recommendations:detail", args=[world.education.pk])
    page = client.get(url)
    assert b"Record a status change" in page.content
    assert b"Its activities suggest: In progress" in page.content  # its one activity is in progress
    response = client.post(
        reverse("recommendations:status", args=[world.education.pk]),
        {"status": "in_progress", "effective_on": "2021-04-01", "justification": "Teachers hired",
         "evidence": "gov.example/report", "version": world.education.version},
        follow=True,
    )  # fmt: skip
    assert b"The status change was recorded." in response.content
    assert b"Teachers hired" in response.content
    assert StatusChange.objects.get().evidence == "https://gov.example/report"
    assert b"On April 1, 2021, its status was: In progress." in client.get(url, {"on": "2021-04-01"}).content
    assert b"had not been made yet" in client.get(url, {"on": "2019-01-01"}).content


def test_the_page_shows_why_a_change_was_refused(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(
        reverse("recommendations:status", args=[world.education.pk]),
        {
            "status": "in_progress",
            "effective_on": "2021-04-01",
            "justification": "",
            "version": world.education.version,
        },
    )
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert StatusChange.objects.count() == 0


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_the_secretariat_records_changes(world, client_for, role):
    planning.project_update(project=world.project, actor=None, shared_with=[world.nhri])
    client = client_for(world, role)
    page = client.get(reverse("recommendations:detail", args=[world.education.pk]))
    assert page.status_code == 200 and b"Record a status change" not in page.content
    response = client.post(
        reverse("recommendations:status", args=[world.education.pk]),
        {
            "status": "in_progress",
            "effective_on": "2021-04-01",
            "justification": "x",
            "version": world.education.version,
        },
    )
    assert response.status_code == 404
    assert StatusChange.objects.count() == 0


def test_the_suggestion_follows_the_activities(world, client_for):
    planning.activity_update(activity=world.activity, actor=world.admin, status=ActivityStatus.COMPLETED)
    page = client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[world.education.pk]))
    assert b"Its activities suggest: Fully implemented" in page.content
