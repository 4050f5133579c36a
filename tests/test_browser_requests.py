"""An information request in a real browser, from sending to answering; the Updates show every change.

The coordinator asks the Ministry of Justice about a recommendation and an
activity; its focal point is notified, answers (the word limit refuses a
long answer first), and the answers appear in the Updates of the
recommendation, the activity and the request, with who answered.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from rectrack.audit.models import AuditEvent
from rectrack.inquiries.models import Answer, InformationRequest

from .test_browser import browser, live_world, page, shot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def _log_in(page, base: str, username: str) -> None:  # noqa: F811
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def _updates(page) -> str:  # noqa: F811
    return page.locator("section[aria-labelledby=history-title]").inner_text()


def test_an_information_request_from_sending_to_answering(live_server, live_world, page):  # noqa: F811
    world, base = live_world, live_server.url
    deadline = timezone.localdate() + timedelta(days=10)

    # The coordinator asks, from the recommendation's page.
    _log_in(page, base, "coordinator")
    page.goto(f"{base}/recommendations/{world.education.pk}/")
    page.get_by_role("link", name="Ask for information").click()
    page.get_by_role("heading", name="New information request").wait_for()
    assert page.get_by_label("Recommendations asked about").input_value() == f"#{world.education.pk}"
    page.get_by_label("Title").fill("Mid-term report 2026")
    page.get_by_label("What is asked").fill("What was done since the review, with figures?")
    page.get_by_label("Deadline").fill(deadline.isoformat())
    page.get_by_label("Word limit per answer").fill("20")
    page.get_by_label("Activities asked about").select_option(label=world.activity.title)
    page.get_by_label("Ministry of Justice").check()
    shot(page, "request-1-form")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("The request was sent.").wait_for()
    request = InformationRequest.objects.get()
    assert page.get_by_role("cell", name="Ministry of Justice").first.is_visible()
    assert page.get_by_text("Waiting").is_visible()

    # The focal point of the Ministry of Justice is notified and answers.
    _log_in(page, base, "focal_point")
    page.get_by_role("link", name="Notifications (1 new)").click()
    page.get_by_role("link", name="Mid-term report 2026").click()
    page.get_by_role("link", name="Answer for Ministry of Justice").click()
    page.get_by_role("heading", name="Answer for Ministry of Justice").wait_for()
    recommendation_box = page.get_by_label("121.2 (A/HRC/43/15)")
    recommendation_box.fill(
        "Roma teaching assistants work in 46 schools; attendance rose by six points since 2022, "
        "and the ministry funds twelve more from next September."
    )
    page.get_by_text("23 of 20 words").wait_for()  # counted as one types
    page.get_by_role("button", name="Save the answers").click()
    page.get_by_text("has 23 words; the limit is 20").wait_for()
    assert not Answer.objects.exists()
    shot(page, "request-2-word-limit")
    recommendation_box = page.get_by_label("121.2 (A/HRC/43/15)")
    recommendation_box.fill("Roma teaching assistants work in 46 schools.")
    page.get_by_label(world.activity.title).fill("300 teachers trained in 2026.")
    page.get_by_role("button", name="Save the answers").click()
    page.get_by_text("Your answers were saved.").wait_for()
    assert page.get_by_text("Roma teaching assistants work in 46 schools.").is_visible()
    shot(page, "request-3-answered")

    # Each answer is an update of its recommendation and of its activity.
    page.goto(f"{base}/recommendations/{world.education.pk}/")
    updates = _updates(page)
    assert "Answers to information requests: added Ministry of Justice (Mid-term report 2026): Roma teaching" in updates
    page.goto(f"{base}/activities/{world.activity.pk}/")
    assert "300 teachers trained in 2026." in _updates(page)

    # The coordinator sees who answered, and every change in the request's Updates.
    _log_in(page, base, "coordinator")
    page.get_by_role("link", name="Notifications (1 new)").click()
    page.get_by_role("link", name="Mid-term report 2026 · Ministry of Justice").click()
    page.get_by_role("cell", name="2 of 2").wait_for()
    assert page.get_by_text("Answered", exact=True).first.is_visible()
    updates = _updates(page)
    events = AuditEvent.objects.filter(content_type__model="informationrequest", object_id=request.pk)
    assert events.count() == 4  # sent, institutions asked, two answers
    assert updates.count("Coordinator") >= 2 and updates.count("Focal point") == 2
    assert "created this" in updates
    assert "Institutions asked: added Ministry of Justice" in updates
    assert (
        "Answers: added Ministry of Justice · 121.2 (A/HRC/43/15): Roma teaching assistants work in 46 schools."
        in updates
    )
    assert f"Answers: added Ministry of Justice · {world.activity.title}: 300 teachers trained in 2026." in updates
    shot(page, "request-4-who-answered")
