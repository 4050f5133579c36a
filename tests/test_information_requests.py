"""Information requests: sent by the secretariat, answered by institutions within a word limit, tracked."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role, User
from rectrack.audit.models import AuditEvent
from rectrack.collaboration.models import Notification
from rectrack.inquiries import selectors, services
from rectrack.inquiries.models import Answer, InformationRequest, Recipient
from rectrack.institutions.models import Membership, MembershipKind


def _send(world, **changes):
    fields = {
        "actor": world.user(Role.COORDINATOR),
        "title": "Mid-term report 2026",
        "instructions": "What was done since the last review?",
        "deadline": timezone.localdate() + timedelta(days=14),
        "word_limit": 20,
        "recommendations": [world.education],
        "activities": [world.activity],
        "institutions": [world.justice, world.interior],
    }
    return services.request_send(**{**fields, **changes})


def _history(obj):
    events = AuditEvent.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
    return [e.changes for e in events.order_by("id")]


def test_words_are_counted_in_every_script():
    assert services.count_words("Forty  teachers\ntrained.") == 3
    assert services.count_words("已培训四十名教师") == 8
    assert services.count_words("") == 0


def test_sending_assigns_each_institution_to_its_focal_point_and_notifies_it(world):
    request = _send(world)
    justice = Recipient.objects.get(request=request, institution=world.justice)
    assert justice.assignee == world.user(Role.FOCAL_POINT)
    assert Recipient.objects.get(request=request, institution=world.interior).assignee is None
    notice = Notification.objects.get()
    assert notice.recipient == world.user(Role.FOCAL_POINT) and notice.kind == "request"
    assert notice.target_url == reverse("inquiries:detail", args=[request.pk])
    assert any("institutions asked" in changes for changes in _history(request))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": timezone.localdate() - timedelta(days=1)}, "deadline"),
        ({"recommendations": [], "activities": []}, "recommendations"),
        ({"institutions": []}, "institutions"),
    ],
)
def test_a_request_missing_what_it_needs_is_refused(world, changes, field):
    with pytest.raises(ValidationError) as error:
        _send(world, **changes)
    assert field in error.value.message_dict
    assert not InformationRequest.objects.exists() and not Notification.objects.exists()


def test_answers_become_updates_of_their_objects_and_complete_the_institution(world):
    request = _send(world)
    recipient = Recipient.objects.get(request=request, institution=world.justice)
    focal = world.user(Role.FOCAL_POINT)
    services.answers_save(recipient=recipient, actor=focal, texts={world.education: "Roma mediators in 40 schools."})
    recipient.refresh_from_db()
    assert recipient.completed_at is None
    added = _history(world.education)[-1]["answers to information requests"]["added"]
    assert added == ["Ministry of Justice (Mid-term report 2026): Roma mediators in 40 schools."]
    services.answers_save(recipient=recipient, actor=focal, texts={world.activity: "Done: 300 teachers."})
    recipient.refresh_from_db()
    assert recipient.completed_at is not None
    answered = Notification.objects.get(kind="answer")
    assert answered.recipient == world.user(Role.COORDINATOR)
    # A revision replaces the answer, and the history keeps both.
    services.answers_save(recipient=recipient, actor=focal, texts={world.activity: "Done: 320 teachers."})
    assert Answer.objects.get(recipient=recipient, activity=world.activity).text == "Done: 320 teachers."
    change = _history(world.activity)[-1]["answers to information requests"]
    assert change["removed"] == ["Ministry of Justice (Mid-term report 2026): Done: 300 teachers."]


def test_answers_over_the_word_limit_change_nothing(world):
    request = _send(world)
    recipient = Recipient.objects.get(request=request, institution=world.justice)
    version = world.education.version
    with pytest.raises(ValidationError, match="has 21 words; the limit is 20"):
        services.answers_save(
            recipient=recipient,
            actor=world.user(Role.FOCAL_POINT),
            texts={world.education: "Fine.", world.activity: " ".join(["word"] * 21)},
        )
    assert not Answer.objects.exists()
    world.education.refresh_from_db()
    assert world.education.version == version


def test_a_closed_request_takes_no_answer(world):
    request = _send(world)
    services.request_set_status(request=request, actor=world.admin, status="closed")
    recipient = Recipient.objects.get(request=request, institution=world.justice)
    with pytest.raises(ValidationError, match="closed"):
        services.answers_save(recipient=recipient, actor=world.admin, texts={world.education: "x"})


def test_the_secretariat_sees_who_answered_and_who_is_late(world):
    request = _send(world)
    recipient = Recipient.objects.get(request=request, institution=world.justice)
    services.answers_save(
        recipient=recipient, actor=world.user(Role.FOCAL_POINT), texts={world.education: "a", world.activity: "b"}
    )
    after = request.deadline + timedelta(days=1)
    rows = {row.recipient.institution.name: row for row in selectors.progress(request, today=after)}
    assert rows["Ministry of Justice"].complete and not rows["Ministry of Justice"].late
    assert rows["Ministry of the Interior"].late and rows["Ministry of the Interior"].answered == 0


# Pages -------------------------------------------------------------------------


def _form(world):
    return {
        "title": "Follow-up on education",
        "instructions": "Report on school attendance of Roma children.",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "word_limit": "50",
        "recommendation_refs": f"#{world.education.pk}\n121.10 A/HRC/43/15",
        "activities": [world.activity.pk],
        "institutions": [world.justice.pk, world.interior.pk],
    }


@pytest.mark.parametrize("role", list(Role))
def test_who_may_send_a_request(world, client_for, role):
    response = client_for(world, role).post(reverse("inquiries:create"), _form(world))
    sent = InformationRequest.objects.first()
    assert (sent is not None) == (role in {Role.ADMINISTRATOR, Role.COORDINATOR})
    if sent:
        assert response.status_code == 302
        assert set(sent.recommendations.all()) == {world.education, world.torture}
    else:
        assert response.status_code == 404


def test_an_unknown_recommendation_reference_is_named(world, client_for):
    data = {**_form(world), "recommendation_refs": "999.9 A/HRC/00/1"}
    response = client_for(world, Role.COORDINATOR).post(reverse("inquiries:create"), data)
    assert "No recommendation matches this line: 999.9 A/HRC/00/1" in response.content.decode()
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_who_may_answer_for_the_ministry_of_justice(world, client_for, role):
    request = _send(world)
    url = reverse("inquiries:answer", args=[request.pk, world.justice.pk])
    item = f"recommendation-{world.education.pk}"
    response = client_for(world, role).post(url, {item: "Roma mediators hired."})
    answered = Answer.objects.exists()
    assert answered == (role == Role.FOCAL_POINT)
    if not answered:
        assert response.status_code == 404


def test_a_focal_point_answers_only_for_their_own_institution(world, client_for):
    request = _send(world)
    client = client_for(world, Role.FOCAL_POINT)
    url = reverse("inquiries:answer", args=[request.pk, world.interior.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"recommendation-{world.education.pk}": "x"}).status_code == 404
    assert not Answer.objects.exists()


def test_the_answer_page_enforces_the_word_limit(world, client_for):
    request = _send(world)
    client = client_for(world, Role.FOCAL_POINT)
    url = reverse("inquiries:answer", args=[request.pk, world.justice.pk])
    response = client.post(url, {f"activity-{world.activity.pk}": "too " * 30})
    assert response.status_code == 200 and "has 30 words; the limit is 20" in response.content.decode()
    assert not Answer.objects.exists()


def test_focal_points_see_only_requests_to_their_institutions(world, client_for):
    ours = _send(world, title="To both")
    theirs = _send(world, title="Interior only", institutions=[world.interior])
    client = client_for(world, Role.FOCAL_POINT)
    listing = client.get(reverse("inquiries:list")).content.decode()
    assert "To both" in listing and "Interior only" not in listing
    assert client.get(reverse("inquiries:detail", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("inquiries:detail", args=[ours.pk])).content.decode()
    assert "Answer for Ministry of Justice" in page and "Ministry of the Interior" not in page


@pytest.mark.parametrize("role", list(Role))
def test_who_reads_requests(world, client_for, role):
    request = _send(world)
    client = client_for(world, role)
    expected = 404 if role == Role.CONTRIBUTOR else 200
    assert client.get(reverse("inquiries:list")).status_code == expected
    assert client.get(reverse("inquiries:detail", args=[request.pk])).status_code == expected


@pytest.mark.parametrize("role", list(Role))
def test_who_may_close_a_request(world, client_for, role):
    request = _send(world)
    client_for(world, role).post(reverse("inquiries:status", args=[request.pk]), {"status": "closed"})
    request.refresh_from_db()
    assert (request.status == "closed") == (role in {Role.ADMINISTRATOR, Role.COORDINATOR})


def test_editing_a_stale_request_shows_what_changed(world, client_for):
    request = _send(world)
    client = client_for(world, Role.COORDINATOR)
    url = reverse("inquiries:edit", args=[request.pk])
    data = {
        "title": "Mid-term report",
        "instructions": "x",
        "deadline": request.deadline.isoformat(),
        "word_limit": "20",
        "version": request.version,
    }
    services.request_update(request=request, actor=world.admin, word_limit=40)
    response = client.post(url, data)
    assert response.status_code == 200 and "changed" in response.content.decode()
    request.refresh_from_db()
    assert request.word_limit == 40 and request.title == "Mid-term report 2026"


def test_another_focal_point_takes_over_open_assignments(world):
    request = _send(world)
    alternate = User.objects.create_user(username="alt", role=Role.FOCAL_POINT, password="x" * 20)
    Membership.objects.create(user=alternate, institution=world.justice, kind=MembershipKind.ALTERNATE_FOCAL_POINT)
    moved = services.assignments_move(
        from_user=world.user(Role.FOCAL_POINT), to_user=alternate, institution_id=world.justice.pk
    )
    assert moved == 1
    assert Recipient.objects.get(request=request, institution=world.justice).assignee == alternate


def test_the_dashboard_names_no_request_to_other_institutions(world, client_for):
    _send(world, title="Interior only", institutions=[world.interior])
    page = client_for(world, Role.FOCAL_POINT).get(reverse("dashboard:home")).content.decode()
    assert "Interior only" not in page
    assert "Interior only" in client_for(world, Role.COORDINATOR).get(reverse("dashboard:home")).content.decode()
