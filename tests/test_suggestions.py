"""Label suggestions: the model learns from the instance's labelled recommendations, suggests labels for those
lacking them (on demand, for all, after an import), and the secretariat accepts or rejects them, one by one or
in bulk, each accepted one recorded as such in the history."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import Recommendation
from rectrack.suggestions import services, training
from rectrack.suggestions.models import LabelModel, ModelState, Suggestion, SuggestionState
from rectrack.taxonomy.models import Term, Vocabulary

from .conftest import pending_suggestion, shared_data, tiny_label_model

EDUCATION = ["schools", "teachers", "pupils", "literacy", "classrooms", "curriculum", "school attendance"]
TORTURE = ["torture", "ill-treatment", "police custody", "interrogations", "confessions", "detainees"]


def _classified(world, count: int = 24) -> None:
    """`count` recommendations per theme, typed in and classified by hand, for the model to learn from."""
    for number in range(count):
        recs.recommendation_create(
            actor=world.admin, document=world.document, themes=[world.education_theme],
            text=f"{number}. Improve {EDUCATION[number % 7]} and {EDUCATION[(number + 2) % 7]} for Roma children",
        )  # fmt: skip
        recs.recommendation_create(
            actor=world.admin, document=world.document, themes=[world.torture_theme],
            text=f"{number}. Prevent {TORTURE[number % 6]} and investigate {TORTURE[(number + 3) % 6]} promptly",
        )  # fmt: skip


def _unclassified(world, text: str) -> Recommendation:
    return recs.recommendation_create(actor=world.admin, document=world.document, text=text)


def test_the_model_learns_from_the_instance_and_suggests_for_recommendations_lacking_labels(world):
    _classified(world)
    school = _unclassified(world, "Train more teachers and build classrooms so that every pupil attends school")
    out = StringIO()
    call_command("train_suggestions", stdout=out, stderr=StringIO())
    model = services.active_model()
    assert model.state == ModelState.READY and (training.models_dir() / model.file_name).exists()
    figures = model.figures["theme"]
    assert figures["recommendations"] == 50 and figures["labels"] == 2  # 48 typed in and the world's two
    assert figures["precision"] > 0.8 and figures["recall"] > 0.8
    assert "theme: 2 labels learnt from 50 recommendations" in out.getvalue()
    suggested = Suggestion.objects.get(recommendation=school, kind="theme")
    assert suggested.term == world.education_theme and suggested.state == SuggestionState.PENDING
    assert 0.5 < suggested.confidence < 1.0
    # Recommendations that have themes get no theme suggestion.
    assert not Suggestion.objects.filter(recommendation=world.education, kind="theme").exists()


def test_too_few_labelled_recommendations_give_a_clear_message_and_no_model(world):
    with pytest.raises(CommandError, match="too few labelled recommendations"):
        call_command("train_suggestions", stdout=StringIO(), stderr=StringIO())
    assert LabelModel.objects.get().state == ModelState.FAILED
    assert services.active_model() is None and not Suggestion.objects.exists()


def test_a_retired_or_legacy_term_is_learnt_as_the_current_term_it_maps_to(world):
    legacy = Term.objects.create(
        vocabulary=Vocabulary.objects.get(slug="uhri-affected-persons-legacy"),
        label="Pupils (old label)", maps_to=Term.objects.get(label="Children", vocabulary__is_current=True),
    )  # fmt: skip
    usable = training.suggestible_terms("affected_persons")
    assert usable[legacy.pk] == legacy.maps_to_id


def test_accepting_a_suggestion_adds_the_label_and_the_history_says_it_was_one(world, client_for):
    suggestion = pending_suggestion(world, confidence=0.873)
    version = world.women.version
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("suggestions:decide_one", args=[suggestion.pk, "accept"]))
    assert response.status_code == 302
    world.women.refresh_from_db()
    assert list(world.women.themes.all()) == [world.education_theme]
    assert world.women.version == version + 1
    event = AuditEvent.objects.filter(object_id=world.women.pk).latest("id")
    assert event.actor == world.user(Role.COORDINATOR)
    assert event.changes == {
        "themes": {"added": ["Right to education"], "removed": []},
        "accepted suggestions": {"added": ["Right to education (87%)"], "removed": []},
    }
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.decided_by) == (SuggestionState.ACCEPTED, world.user(Role.COORDINATOR))
    page = client.get(reverse("recommendations:detail", args=[world.women.pk]))
    assert "Accepted suggestions: added Right to education (87%)" in page.content.decode()


def test_a_suggestion_decided_meanwhile_is_not_decided_again(world, client_for):
    suggestion = pending_suggestion(world)
    services.suggestions_reject(suggestions=[suggestion], actor=world.admin)
    before = AuditEvent.objects.count()
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("suggestions:decide_one", args=[suggestion.pk, "accept"]), follow=True)
    assert f"{world.admin} already rejected this suggestion." in response.content.decode()
    assert AuditEvent.objects.count() == before and not world.women.themes.exists()


def test_a_rejected_label_is_not_suggested_again(world):
    tiny_label_model(world)
    services.suggest()
    suggested = Suggestion.objects.get(recommendation=world.women, kind="theme")
    services.suggestions_reject(suggestions=[suggested], actor=world.admin)
    services.suggest()
    kept = Suggestion.objects.filter(recommendation=world.women, term=suggested.term)
    assert [item.state for item in kept] == [SuggestionState.REJECTED]
    assert not world.women.themes.exists()


def test_suggesting_again_replaces_pending_suggestions_and_keeps_decided_ones(world):
    tiny_label_model(world)
    services.suggest()
    first = set(Suggestion.objects.filter(state="pending").values_list("recommendation_id", "term_id"))
    assert first
    services.suggest()
    assert set(Suggestion.objects.filter(state="pending").values_list("recommendation_id", "term_id")) == first


def test_suggestions_on_demand_for_one_recommendation(world, client_for):
    tiny_label_model(world)
    rec = _unclassified(world, "Ensure inclusive education and school attendance for all children in rural areas")
    client = client_for(world, Role.ADMINISTRATOR)
    response = client.post(reverse("suggestions:suggest_for", args=[rec.pk]), follow=True)
    assert "labels suggested" in response.content.decode()
    labels = {item.term for item in Suggestion.objects.filter(recommendation=rec)}
    assert world.education_theme in labels
    page = client.get(reverse("recommendations:detail", args=[rec.pk])).content.decode()
    assert "Suggested labels" in page and "Right to education" in page and "confident" in page


def test_asking_for_suggestions_without_a_model_says_what_to_do(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    response = client.post(reverse("suggestions:suggest_for", args=[world.women.pk]), follow=True)
    assert "No label model is trained yet" in response.content.decode()
    assert not Suggestion.objects.exists()


def _review_ids(client, **params) -> set[int]:
    response = client.get(reverse("suggestions:review"), params)
    assert response.status_code == 200
    return {item.pk for rec in response.context["page"].object_list for item in rec.shown_suggestions}


def test_the_review_page_filters_by_kind_label_and_confidence(world, client_for):
    women = Term.objects.get(vocabulary__slug="uhri-affected-persons-current", label="Women & girls")
    high = pending_suggestion(world, confidence=0.9)
    low = pending_suggestion(world, recommendation=world.torture, term=world.education_theme, confidence=0.4)
    group = Suggestion.objects.create(
        recommendation=world.education, term=women, kind="affected_persons", confidence=0.7
    )
    client = client_for(world, Role.COORDINATOR)
    assert _review_ids(client) == {high.pk, low.pk, group.pk}
    assert _review_ids(client, kind="theme") == {high.pk, low.pk}
    assert _review_ids(client, term=women.pk) == {group.pk}
    assert _review_ids(client, min_percent=60) == {high.pk, group.pk}
    assert _review_ids(client, min_percent="lots") == {high.pk, low.pk, group.pk}  # ignored, with a note


def test_accepting_every_match_of_the_filters_adds_them_all_with_one_entry_per_recommendation(world, client_for):
    women = Term.objects.get(vocabulary__slug="uhri-affected-persons-current", label="Women & girls")
    wanted = [
        pending_suggestion(world, confidence=0.9),
        Suggestion.objects.create(recommendation=world.women, term=women, kind="affected_persons", confidence=0.8),
    ]
    other = pending_suggestion(world, recommendation=world.torture, term=world.education_theme, confidence=0.3)
    before = AuditEvent.objects.count()
    client = client_for(world, Role.ADMINISTRATOR)
    response = client.post(
        reverse("suggestions:decide"), {"action": "accept", "apply_to": "all", "query": "min_percent=50"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before + 1  # both labels on one recommendation: one entry
    assert {item.state for item in Suggestion.objects.filter(pk__in=[s.pk for s in wanted])} == {"accepted"}
    other.refresh_from_db()
    assert other.state == SuggestionState.PENDING
    assert world.education_theme in world.women.themes.all()


def test_rejecting_the_ticked_suggestions_changes_no_recommendation(world, client_for):
    ticked = pending_suggestion(world)
    untouched = pending_suggestion(world, recommendation=world.torture, term=world.education_theme)
    versions = dict(Recommendation.objects.values_list("pk", "version"))
    client = client_for(world, Role.COORDINATOR)
    client.post(reverse("suggestions:decide"), {"action": "reject", "apply_to": "selected", "ids": [ticked.pk]})
    ticked.refresh_from_db()
    untouched.refresh_from_db()
    assert (ticked.state, untouched.state) == (SuggestionState.REJECTED, SuggestionState.PENDING)
    assert dict(Recommendation.objects.values_list("pk", "version")) == versions


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "accept", "apply_to": "selected"}, "Tick at least one suggestion"),
        ({"action": "approve", "apply_to": "all"}, "Decision: Select a valid choice"),
    ],
)
def test_a_bulk_decision_that_cannot_be_taken_says_why_and_changes_nothing(world, client_for, data, message):
    pending_suggestion(world)
    client = client_for(world, Role.COORDINATOR)
    response = client.post(reverse("suggestions:decide"), {**data, "query": ""}, follow=True)
    assert message in response.content.decode()
    assert Suggestion.objects.get().state == SuggestionState.PENDING


def test_accept_all_and_reject_all_on_a_recommendation(world, client_for):
    women = Term.objects.get(vocabulary__slug="uhri-affected-persons-current", label="Women & girls")
    pending_suggestion(world)
    Suggestion.objects.create(recommendation=world.women, term=women, kind="affected_persons", confidence=0.6)
    client = client_for(world, Role.ADMINISTRATOR)
    client.post(reverse("suggestions:decide_all_for", args=[world.women.pk, "accept"]))
    assert world.education_theme in world.women.themes.all()
    assert not Suggestion.objects.filter(state="pending").exists()


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_the_secretariat_sees_suggested_labels_on_a_recommendation(world, client_for, role):
    from rectrack.portal.models import Publication

    pending_suggestion(world)
    world.women.publication = Publication.PUBLISHED
    world.women.save(update_fields=["publication"])
    page = client_for(world, role).get(reverse("recommendations:detail", args=[world.women.pk]))
    assert page.status_code == 200
    assert "Suggested labels" not in page.content.decode()


def test_the_settings_page_shows_the_model_figures_and_what_waits(world, client_for):
    tiny_label_model(world)
    services.suggest()
    page = client_for(world, Role.COORDINATOR).get(reverse("suggestions:settings")).content.decode()
    assert "In use: trained on" in page and "100%" in page
    assert "To review" in page and "Train again" in page


def test_training_from_settings_queues_one_training_at_a_time(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    client.post(reverse("suggestions:train"))
    client.post(reverse("suggestions:train"))
    assert LabelModel.objects.filter(state=ModelState.QUEUED).count() == 1


def test_after_an_import_a_first_model_is_trained_and_labels_suggested(world, settings, tmp_path):
    """An import with labelled recommendations trains a first model; the next import's new recommendations lacking
    labels get suggestions, and the index of similar recommendations takes them in."""
    from rectrack.imports.services import import_path
    from rectrack.suggestions.models import SimilarPair
    from rectrack.suggestions.tasks import queue_after_import

    settings.RECTRACK_SUGGEST_AFTER_IMPORT = True
    labelled = shared_data("ohchr-upr-thematic-lists/docx/UPR34_Slovenia_Thematic_list_of_Recommendations.docx")
    run = import_path(labelled, format="ohchr-docx", actor=world.admin, countries=None, dry_run=False)
    queue_after_import(run)
    model = services.active_model()
    assert model is not None and {"theme", "affected_persons", "sdg"} <= set(model.figures)
    unlabelled = shared_data("ohchr-upr-thematic-lists/docx/UPR20__Slovenia_ThematicListRecommendations_E.docx")
    second = import_path(unlabelled, format="ohchr-docx", actor=world.admin, countries=None, dry_run=False)
    queue_after_import(second)
    new = Recommendation.objects.filter(document__symbol="A/HRC/28/15")
    assert new.count() == 163
    # Slovenia's 2014 list has no SDGs: its recommendations get SDG suggestions, and similar ones.
    with_sdg_suggestions = new.filter(suggestions__kind="sdg").distinct().count()
    assert with_sdg_suggestions > 100
    assert SimilarPair.objects.filter(recommendation__in=new).exists()


def test_the_review_page_reads_a_constant_number_of_queries(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world, Role.COORDINATOR)
    others = [_unclassified(world, f"Ensure school attendance for all children, plan {n}") for n in range(12)]
    pending_suggestion(world)
    client.get(reverse("suggestions:review"))  # caches what every page reads once
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("suggestions:review"))
    for number, rec in enumerate(others):
        pending_suggestion(world, recommendation=rec, confidence=0.5 + number / 100)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("suggestions:review"))
    assert len(response.context["page"].object_list) == 13
    assert len(many) == len(few), "the review page's queries grow with its rows"


def test_review_pages_read_off_the_confidence_index_keep_the_grouped_order(world, client_for, monkeypatch):
    """The first pages are read from the suggestions most confident first, deeper ones grouped in the database
    (and a shallow page whose scan stops short is grouped too): the same recommendations, in the same order,
    however the page is read, ties on confidence broken by recommendation."""
    from rectrack.suggestions import selectors

    others = [_unclassified(world, f"Ensure school attendance for all children, plan {n}") for n in range(9)]
    torture = Term.objects.get(pk=world.torture_theme.pk)
    for number, rec in enumerate(others):
        pending_suggestion(world, recommendation=rec, confidence=(0.9, 0.6, 0.75)[number % 3])
        if number % 2:
            pending_suggestion(world, recommendation=rec, term=torture, confidence=0.95 - number / 100)
    filters = selectors.ReviewFilters()

    def read(window: slice) -> list[int]:
        return selectors.ReviewPage(selectors.matching(filters))._ids(window)

    scanned = [read(slice(start, start + 4)) for start in (0, 4, 8)]
    monkeypatch.setattr(selectors, "SCAN_PAGES_UP_TO", 0)
    grouped = [read(slice(start, start + 4)) for start in (0, 4, 8)]
    monkeypatch.setattr(selectors, "SCAN_PAGES_UP_TO", 2_000)
    monkeypatch.setattr(selectors, "SCAN_LIMIT", 3)
    cut_short = [read(slice(start, start + 4)) for start in (0, 4, 8)]
    assert scanned == grouped == cut_short
    assert sum(len(ids) for ids in scanned) == 9
    expected = sorted(others, key=lambda rec: (-max(item.confidence for item in rec.suggestions.all()), rec.pk))
    assert [pk for ids in scanned for pk in ids] == [rec.pk for rec in expected]
    response = client_for(world, Role.COORDINATOR).get(reverse("suggestions:review"))
    assert [rec.pk for rec in response.context["page"].object_list] == [rec.pk for rec in expected]
