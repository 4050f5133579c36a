"""The recommendations list: full-text search, filters, sorting and paging."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.lib.search_query import parse_search_query
from rectrack.recommendations import selectors
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import ImplementationStatus, Recommendation, UprPosition

from .conftest import listed_ids

LIST = reverse("recommendations:list")


def found(client, **params) -> set[int]:
    return listed_ids(client, LIST, **params)


@pytest.fixture
def viewer(world, client_for):
    return client_for(world, Role.VIEWER)


def search(text: str) -> set[int]:
    filters = selectors.RecommendationFilters(search=parse_search_query(text))
    return {rec.pk for rec in selectors.search_recommendations(filters)[0:100]}


def test_a_word_finds_its_other_forms(world):
    # "investigations" and "investigate" share the stem "investig".
    assert search("investigations") == {world.torture.pk}
    assert search("schools") == {world.education.pk}


def test_words_are_combined_with_and(world):
    assert search("roma education") == {world.education.pk}
    assert search("roma torture") == set()


def test_or_finds_either(world):
    assert search("roma OR torture") == {world.education.pk, world.torture.pk}


def test_not_and_minus_exclude(world):
    assert search("ensure NOT roma") == set()
    assert search("NOT roma") == {world.torture.pk, world.women.pk}
    assert search("-torture -roma") == {world.women.pk}


def test_phrases_match_words_in_order(world):
    assert search('"inclusive education"') == {world.education.pk}
    assert search('"education inclusive"') == set()


def test_prefix_search(world):
    assert search("ill-treat*") == {world.torture.pk}
    assert search("viol*") == {world.women.pk}


def test_search_is_case_and_accent_insensitive(world):
    recs.recommendation_create(
        actor=world.admin, document=world.document, text="121.50 Améliorer l'accès à la santé des Roms."
    )
    assert len(search("ameliorer")) == 1
    assert len(search("AMÉLIORER")) == 1


def test_edited_text_is_searched_at_once(world):
    recs.recommendation_update(recommendation=world.women, actor=world.admin, text="Protect journalists.")
    assert search("journalists") == {world.women.pk}
    assert search("violence") == set()


def test_deleted_recommendations_leave_the_index(world):
    pk = world.women.pk
    world.women.delete()
    assert pk not in search("violence")


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced quote',
        "(((roma",
        "AND",
        "OR OR",
        "NOT",
        "*",
        "NEAR(torture prison, 3)",
        "text:torture",
        "^torture",
        "torture AND",
        "'; DROP TABLE recommendations_recommendation; --",
        "x" * 10_000,
        "word " * 2_000,
        "\u202e\u0000",
    ],
)
def test_any_search_text_returns_a_page(viewer, text):
    response = viewer.get(LIST, {"q": text})
    assert response.status_code == 200


def test_a_search_of_operators_alone_says_so_and_shows_everything(viewer, world):
    response = viewer.get(LIST, {"q": "AND OR"})
    assert "Your search has no words to look for" in response.content.decode()
    assert response.context["page"].paginator.count == 3


def test_a_very_long_search_is_shortened_with_a_message(viewer):
    response = viewer.get(LIST, {"q": "torture " * 1_000})
    assert "Your search was shortened" in response.content.decode()


def test_count_of_results_is_shown(viewer, world):
    response = viewer.get(LIST, {"q": "roma OR torture"})
    assert "2 recommendations" in response.content.decode()


def test_filter_by_mechanism(viewer, world):
    assert found(viewer, mechanism="CEDAW") == {world.women.pk}
    assert found(viewer, mechanism=["CEDAW", "UPR"]) == {world.women.pk, world.education.pk, world.torture.pk}


def test_filter_by_document_symbol_prefix(viewer, world):
    assert found(viewer, symbol="CEDAW/C/SVN") == {world.women.pk}
    assert found(viewer, symbol="a/hrc/43/15") == {world.education.pk, world.torture.pk}


def test_filter_by_upr_cycle_and_position(viewer, world):
    assert found(viewer, cycle="3") == {world.education.pk, world.torture.pk}
    assert found(viewer, cycle="2") == set()
    assert found(viewer, position="noted") == {world.torture.pk}


def test_filter_by_theme_and_affected_persons(viewer, world):
    assert found(viewer, theme=world.torture_theme.pk) == {world.torture.pk}
    women = world.women.affected_persons.get()
    assert found(viewer, affected=women.pk) == {world.women.pk}


def test_an_sdg_goal_finds_recommendations_tagged_with_its_targets(viewer, world):
    goal_4 = world.sdg_4_1.parent
    assert found(viewer, sdg=goal_4.pk) == {world.education.pk}
    assert found(viewer, sdg=world.sdg_16.pk) == {world.torture.pk}
    assert found(viewer, target=world.sdg_4_1.pk) == {world.education.pk}


def test_filter_by_lead_institution_project_and_status(viewer, world):
    assert found(viewer, lead=world.interior.pk) == {world.torture.pk}
    assert found(viewer, project=world.project.pk) == {world.education.pk}
    assert found(viewer, status="fully_implemented") == {world.women.pk}


def test_filter_by_date_range(viewer, world):
    assert found(viewer, date_from="2020-01-01") == {world.women.pk}
    assert found(viewer, date_to="2019-12-31") == {world.education.pk, world.torture.pk}


def test_filters_combine_with_search(viewer, world):
    assert found(viewer, q="torture OR roma", position="supported", cycle="3") == {world.education.pk}


def test_unknown_filter_values_are_ignored_with_a_message(viewer, world):
    response = viewer.get(LIST, {"mechanism": "NOPE", "status": "bogus", "theme": "999999", "date_from": "yesterday"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("so it was ignored") == 4
    assert response.context["page"].paginator.count == 3


def test_a_known_value_still_applies_beside_an_unknown_one(viewer, world):
    assert found(viewer, mechanism=["NOPE", "CEDAW"]) == {world.women.pk}


def test_newest_first_by_default_and_oldest_on_request(viewer, world):
    response = viewer.get(LIST)
    assert [r.pk for r in response.context["page"].object_list] == [
        world.women.pk,
        world.education.pk,
        world.torture.pk,
    ]
    response = viewer.get(LIST, {"sort": "oldest"})
    assert [r.pk for r in response.context["page"].object_list] == [
        world.education.pk,
        world.torture.pk,
        world.women.pk,
    ]


def test_paragraphs_sort_as_numbers_within_a_document(world):
    for paragraph in ("121.9", "121.11", "121.3"):
        recs.recommendation_create(actor=world.admin, document=world.document, text=f"{paragraph} Ratify the treaty.")
    filters = selectors.RecommendationFilters(search=parse_search_query("ratify"))
    page = selectors.search_recommendations(filters, "newest")[0:10]
    assert [r.paragraph for r in page] == ["121.3", "121.9", "121.11"]


# With a filter, all the ids are ranked in one query; without, one page is.
@pytest.mark.parametrize("filtered", [False, True])
def test_best_match_first_when_searching(world, filtered):
    strong = recs.recommendation_create(
        actor=world.admin, document=world.document, text="121.40 Torture: prevent torture, punish torture."
    )
    filters = selectors.RecommendationFilters(
        search=parse_search_query("torture"), date_from=date(1990, 1, 1) if filtered else None
    )
    results = selectors.search_recommendations(filters)
    assert results.sort == "relevance"
    assert results.count() == 2
    assert [r.pk for r in results[0:10]] == [strong.pk, world.torture.pk]
    assert [r.pk for r in results[1:2]] == [world.torture.pk]


def test_pages_hold_the_page_size_and_report_the_total(viewer, world, settings):
    settings.RECTRACK_PAGE_SIZE = 2
    response = viewer.get(LIST)
    assert len(response.context["page"].object_list) == 2
    assert response.context["page"].paginator.num_pages == 2
    response = viewer.get(LIST, {"page": "2"})
    assert len(response.context["page"].object_list) == 1
    response = viewer.get(LIST, {"page": "not-a-number"})
    assert response.status_code == 200


def _many(world, count: int):
    for n in range(count):
        recs.recommendation_create(
            actor=world.admin,
            document=world.document,
            text=f"122.{n} Strengthen education and torture prevention programmes.",
            themes=[world.education_theme, world.torture_theme],
            sdgs=[world.sdg_4_1],
            recommending_states=[world.country],
            lead_institution=world.justice,
            status=ImplementationStatus.IN_PROGRESS,
            upr_position=UprPosition.SUPPORTED,
        )


@pytest.mark.parametrize(
    "params", [{}, {"q": "education"}, {"q": "education", "theme": "THEME", "position": "supported"}]
)
def test_the_list_query_count_does_not_grow_with_the_rows_shown(viewer, world, django_assert_max_num_queries, params):
    params = {k: (world.education_theme.pk if v == "THEME" else v) for k, v in params.items()}
    with CaptureQueriesContext(connection) as few:
        viewer.get(LIST, params)
    _many(world, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = viewer.get(LIST, params)
    assert len(response.context["page"].object_list) > 3


def test_recommendation_date_defaults_to_the_document_date(world):
    rec = recs.recommendation_create(actor=world.admin, document=world.cedaw_document, text="26. Ratify OP-CEDAW.")
    assert rec.issued_on == date(2023, 3, 1)
    assert rec.paragraph == "26"
    assert Recommendation.objects.get(pk=rec.pk).mechanism == world.cedaw


@pytest.mark.parametrize("extra", [{}, {"date_from": "1990-01-01"}])
def test_a_search_matching_too_many_to_rank_is_shown_newest_first_with_a_note(viewer, world, monkeypatch, extra):
    monkeypatch.setattr(selectors, "RANKING_LIMIT", 1)
    response = viewer.get(LIST, {"q": "roma OR torture", **extra})
    content = response.content.decode()
    assert "so they are shown newest first" in content
    assert "best match first" not in content
    assert [r.pk for r in response.context["page"].object_list] == [world.education.pk, world.torture.pk]


def test_counts_with_filters_and_exclusions_agree_with_the_rows(world):
    filters = selectors.RecommendationFilters(
        search=parse_search_query("education OR torture NOT police"), upr_positions=["supported", "noted"]
    )
    results = selectors.search_recommendations(filters)
    assert results.count() == len(results[0:50]) == 1
