"""Suggestions and similar recommendations in a real browser: a coordinator accepts a suggested theme on a
recommendation's page, rejects another in bulk on the review page, groups a recommendation with a similar one
(they share the group's follow-up plan), and finds a recommendation by meaning that has none of the words typed."""

from io import StringIO

import pytest
from django.core.management import call_command

from rectrack.recommendations import services as recs
from rectrack.recommendations.models import Recommendation, RecommendationGroup
from rectrack.suggestions import services
from rectrack.suggestions.models import Suggestion

from .conftest import pending_suggestion, tiny_label_model
from .test_browser import browser, live_world, page, shot  # noqa: F401 - fixtures shared with the main flow
from .test_browser_reporting import _log_in

pytestmark = pytest.mark.browser


def test_suggestions_are_decided_similar_ones_grouped_and_meaning_searched(live_server, live_world, page):  # noqa: F811
    world = live_world
    death_penalty = recs.recommendation_create(
        actor=world.admin, document=world.document, text="Abolish the death penalty and commute all death sentences"
    )
    repeat = recs.recommendation_create(
        actor=world.admin, document=world.cedaw_document,
        text="26. The Committee recommends that the State party adopt a strategy against violence on women.",
    )  # fmt: skip
    tiny_label_model(world)
    services.suggest()
    call_command("index_recommendations", stdout=StringIO(), stderr=StringIO())
    url = live_server.url
    _log_in(page, url, "coordinator", "Coordinator")

    # Accept a suggested theme on the recommendation's page.
    page.goto(f"{url}/recommendations/{world.women.pk}/")
    panel = page.get_by_role("region", name="Suggested labels")
    panel.get_by_text("% confident").first.wait_for()
    shot(page, "suggestions-1-recommendation")
    suggested = Suggestion.objects.filter(recommendation=world.women, kind="theme").order_by("-confidence").first()
    panel.get_by_role("button", name=f"Accept {suggested.term.display_label}").click()
    page.get_by_text(f"“{suggested.term.display_label}” was added.").wait_for()
    page.get_by_role("region", name="Updates").get_by_text("Accepted suggestions: added").wait_for()
    assert suggested.term in world.women.themes.all()

    # Reject one in bulk on the review page.
    other = pending_suggestion(world, recommendation=world.torture, term=world.education_theme, confidence=0.42)
    page.goto(f"{url}/suggestions/?kind=theme")
    page.locator(f"#s-{other.pk}").check()
    page.get_by_label("Reject").check()
    page.get_by_role("button", name="Decide").click()
    page.get_by_text("1 suggestion rejected").wait_for()
    other.refresh_from_db()
    assert other.state == "rejected"

    # Group the CEDAW recommendation with its similar one from the same Committee.
    page.goto(f"{url}/recommendations/{world.women.pk}/")
    similar = page.get_by_role("region", name="Similar recommendations")
    similar.get_by_label(f"Tick {repeat.reference}").check()
    similar.get_by_role("button", name="Group the ticked ones with this recommendation").click()
    page.get_by_role("heading", name="2 members").wait_for()
    shot(page, "suggestions-2-group")
    group = RecommendationGroup.objects.get()
    assert set(group.members.values_list("pk", flat=True)) == {world.women.pk, repeat.pk}

    # Search by meaning: no recommendation holds the word "executions".
    page.goto(f"{url}/recommendations/")
    page.get_by_label("Words in the text").fill("executions")
    page.get_by_label("what these words mean, in other words too").check()
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Found by meaning").wait_for()
    first = page.locator("ol.results li.result h3 a").first
    assert first.inner_text() == Recommendation.objects.get(pk=death_penalty.pk).reference
    shot(page, "suggestions-3-meaning")
