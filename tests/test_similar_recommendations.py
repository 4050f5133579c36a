"""Similar recommendations: the index finds duplicates and near-duplicates across mechanisms and cycles, each
recommendation's page shows its similar ones, the secretariat groups them so that one follow-up plan covers the
group (its members still listed and reported), and the recommendations list searches by meaning."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.planning.models import Activity
from rectrack.portal.models import Publication
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import Recommendation, RecommendationGroup
from rectrack.suggestions import index, services
from rectrack.suggestions.models import PossibleDuplicate, SimilarPair

from .conftest import listed_ids, plain_group

FILLER = [
    "Adopt a national action plan on business and human rights",
    "Strengthen the independence of the judiciary and the training of judges",
    "Guarantee freedom of expression and protect journalists from harassment",
    "Improve access to clean drinking water in rural settlements",
    "Raise the minimum age of marriage to 18 years for girls and boys",
    "Ensure adequate housing for families evicted from informal settlements",
    "Abolish the death penalty and commute all death sentences",
    "Provide free legal aid to asylum seekers and migrants in detention",
]


def _rec(world, text: str, *, document=None) -> Recommendation:
    return recs.recommendation_create(actor=world.admin, document=document or world.document, text=text)


@pytest.fixture
def repeated(world):
    """The same ask from two States at the UPR and from CEDAW in the next cycle, among unrelated ones."""
    for text in FILLER:
        _rec(world, text)
    upr = recs.document_get_or_create(
        symbol="A/HRC/59/15", mechanism=world.upr, country=world.country, date=date(2025, 3, 1), upr_session=48
    )
    asks = [
        _rec(world, "140.3 Ratify the Istanbul Convention on violence against women (Spain);"),
        _rec(world, "140.4 Ratify the Istanbul Convention on preventing violence against women (Chile);"),
        _rec(
            world,
            "32. The Committee recommends that the State ratify the Istanbul Convention on violence against women.",
            document=world.cedaw_document,
        ),  # fmt: skip
        _rec(
            world, "140.9 Ratify without delay the Istanbul Convention on violence against women (Peru);", document=upr
        ),
    ]
    call_command("index_recommendations", stdout=StringIO(), stderr=StringIO())
    return asks


def test_the_index_finds_the_same_ask_across_mechanisms_and_cycles(world, repeated):
    first, *others = repeated
    similar = list(SimilarPair.objects.filter(recommendation=first).order_by("-score"))
    assert {pair.similar_id for pair in similar[:3]} == {rec.pk for rec in others}
    assert all(pair.score > 0.6 for pair in similar[:3])
    unrelated = {pair.similar_id: pair.score for pair in similar[3:]}
    assert all(score < similar[2].score for score in unrelated.values())
    numbers = set(PossibleDuplicate.objects.filter(recommendation__in=repeated).values_list("number", flat=True))
    assert len(numbers) == 1 and PossibleDuplicate.objects.filter(number=numbers.pop()).count() == 4


def test_a_recommendation_page_shows_its_similar_ones(world, repeated, client_for):
    page = client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[repeated[0].pk]))
    similar = [rec.pk for rec in page.context["similar"]]
    assert similar[:3] and set(similar[:3]) == {rec.pk for rec in repeated[1:]}
    text = page.content.decode()
    assert "Similar recommendations" in text and "% alike" in text
    assert "Group the ticked ones" not in text  # viewers do not group


def test_a_contributor_sees_only_the_similar_recommendations_it_may_read(world, repeated, client_for):
    for rec in (repeated[0], repeated[2]):
        rec.publication = Publication.PUBLISHED
        rec.save(update_fields=["publication"])
    page = client_for(world, Role.CONTRIBUTOR).get(reverse("recommendations:detail", args=[repeated[0].pk]))
    assert [rec.pk for rec in page.context["similar"]] == [repeated[2].pk]


def test_a_recommendation_added_since_the_index_was_built_is_compared_on_the_spot(world, repeated, client_for):
    late = _rec(world, "Ratify the Istanbul Convention on combating violence against women and girls")
    page = client_for(world, Role.COORDINATOR).get(reverse("recommendations:detail", args=[late.pk]))
    assert {rec.pk for rec in page.context["similar"][:4]} == {rec.pk for rec in repeated}
    assert not SimilarPair.objects.filter(recommendation=late).exists()  # a page changes nothing


def test_a_refresh_takes_in_new_and_changed_recommendations_only(world, repeated):
    built = index.active()
    assert services.index_run(rebuild=False).pk == built.pk  # nothing changed: the same index
    late = _rec(world, "Ratify the Istanbul Convention on combating violence against women and girls")
    refreshed = services.index_run(rebuild=False)
    assert refreshed.figures["refreshed"] == 1 and refreshed.recommendations == built.recommendations + 1
    assert {pair.similar_id for pair in SimilarPair.objects.filter(recommendation=late)} >= {r.pk for r in repeated}
    assert SimilarPair.objects.filter(recommendation=repeated[0], similar=late).exists()  # both ways


def test_the_secretariat_groups_possible_duplicates_and_one_plan_covers_them(world, repeated, client_for):
    first, second, cedaw, later = repeated
    activity = Activity.objects.get(title="Train teachers on inclusive education")
    activity.recommendations.add(second)
    client = client_for(world, Role.COORDINATOR)
    page = client.get(reverse("suggestions:duplicates"))
    assert page.status_code == 200 and first.reference in page.content.decode()
    response = client.post(
        reverse("recommendations:group_create"),
        {"ids": [first.pk, second.pk, cedaw.pk], "title": "Istanbul Convention"},
    )
    group = RecommendationGroup.objects.get(title="Istanbul Convention")
    assert response["Location"] == group.get_absolute_url()
    assert set(group.members.values_list("pk", flat=True)) == {first.pk, second.pk, cedaw.pk}
    # One plan: the activity of one member now implements every member, and says so in its history.
    assert set(activity.recommendations.values_list("pk", flat=True)) >= {first.pk, second.pk, cedaw.pk}
    assert AuditEvent.objects.filter(object_id=activity.pk, changes__has_key="recommendations").exists()
    member_event = AuditEvent.objects.filter(object_id=cedaw.pk).latest("id")
    assert member_event.changes == {"group": {"old": None, "new": "Istanbul Convention"}}
    # The members stay recommendations of their own, in the list (filtered by group) and the page.
    assert listed_ids(client, reverse("recommendations:list"), group=group.pk) == {first.pk, second.pk, cedaw.pk}
    detail = client.get(group.get_absolute_url()).content.decode()
    assert "Train teachers on inclusive education" in detail and cedaw.reference in detail
    # The later repeat joins from its own page's similar recommendations.
    client.post(reverse("recommendations:group_add", args=[group.pk]), {"ids": [later.pk]})
    assert later in group.members.all() and later in activity.recommendations.all()
    # A set whose members are all in one group is no longer offered.
    assert first.reference not in client.get(reverse("suggestions:duplicates")).content.decode()


def test_an_activity_for_the_whole_group_is_prefilled_with_its_members(world, client_for):
    group = plain_group(world)
    page = client_for(world, Role.COORDINATOR).get(reverse("planning:activity_create"), {"group": group.pk})
    assert sorted(page.context["form"].initial["recommendations"]) == sorted([world.education.pk, world.torture.pk])


def test_linking_every_member_to_every_activity_of_the_group(world, client_for):
    group = plain_group(world)
    client = client_for(world, Role.ADMINISTRATOR)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "not yet linked to 1 member" in page
    client.post(reverse("recommendations:group_link", args=[group.pk]))
    for activity in Activity.objects.filter(recommendations__in=[world.education, world.torture]).distinct():
        assert set(activity.recommendations.values_list("pk", flat=True)) >= {world.education.pk, world.torture.pk}


def test_a_group_left_with_one_member_is_ungrouped(world, client_for):
    group = plain_group(world)
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("recommendations:group_remove", args=[group.pk, world.education.pk]), follow=True)
    assert "one member left, so it was ungrouped" in response.content.decode()
    assert not RecommendationGroup.objects.exists()
    assert not Recommendation.objects.filter(group__isnull=False).exists()
    deleted = AuditEvent.objects.filter(action="deleted").latest("id")
    assert deleted.object_repr == "Children in school"


def test_adding_an_unknown_recommendation_to_a_group_says_which_and_changes_nothing(world, client_for):
    group = plain_group(world)
    before = AuditEvent.objects.count()
    response = client_for(world, Role.COORDINATOR).post(
        reverse("recommendations:group_add", args=[group.pk]), {"references": f"#{world.women.pk}\n999.9 A/HRC/1/1"}
    )
    assert response.status_code == 200
    assert "No recommendation was found for: 999.9 A/HRC/1/1." in response.content.decode()
    assert AuditEvent.objects.count() == before and group.members.count() == 2


def test_a_group_needs_two_recommendations(world, client_for):
    response = client_for(world, Role.COORDINATOR).post(
        reverse("recommendations:group_create"), {"ids": [world.education.pk], "title": "Alone"}, follow=True
    )
    assert "A group needs at least two recommendations." in response.content.decode()
    assert not RecommendationGroup.objects.exists()


def test_renaming_a_group_from_a_stale_page_is_refused(world, client_for):
    group = plain_group(world)
    recs.group_update(group=group, actor=world.admin, title="Renamed meanwhile")
    response = client_for(world, Role.COORDINATOR).post(
        reverse("recommendations:group_edit", args=[group.pk]),
        {"title": "My name", "description": "", "version": group.version - 1},
    )
    assert response.status_code == 200 and "changed this" in response.content.decode()
    group.refresh_from_db()
    assert group.title == "Renamed meanwhile"


def test_a_contributor_reads_a_group_only_through_members_it_may_read(world, client_for):
    group = plain_group(world)
    client = client_for(world, Role.CONTRIBUTOR)
    assert client.get(group.get_absolute_url()).status_code == 404
    world.education.publication = Publication.PUBLISHED
    world.education.save(update_fields=["publication"])
    page = client.get(group.get_absolute_url())
    assert page.status_code == 200 and [rec.pk for rec in page.context["members"]] == [world.education.pk]


def test_search_by_meaning_finds_recommendations_without_the_words(world, client_for):
    for text in FILLER:
        _rec(world, text)
    call_command("index_recommendations", stdout=StringIO(), stderr=StringIO())
    client = client_for(world, Role.VIEWER)
    url = reverse("recommendations:list")
    death_penalty = Recommendation.objects.get(text__startswith="Abolish the death penalty")
    assert listed_ids(client, url, q="executions") == set()  # no recommendation has the word
    response = client.get(url, {"q": "executions", "mode": "meaning"})
    assert response.context["page"].object_list[0].pk == death_penalty.pk
    assert "Found by meaning" in response.content.decode()
    # The other filters still apply.
    assert death_penalty.pk not in listed_ids(client, url, q="executions", mode="meaning", mechanism="CEDAW")


def test_search_by_meaning_without_an_index_searches_the_words_and_says_so(world, client_for):
    response = client_for(world, Role.VIEWER).get(reverse("recommendations:list"), {"q": "torture", "mode": "meaning"})
    assert "index of similar recommendations, which is not built yet" in response.content.decode()
    assert {rec.pk for rec in response.context["page"].object_list} == {world.torture.pk}


def test_the_index_command_reports_what_it_did(world):
    out = StringIO()
    call_command("index_recommendations", stdout=out, stderr=StringIO())
    assert "3 recommendations indexed" in out.getvalue()
