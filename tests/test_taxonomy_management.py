"""Settings › Taxonomy: national clusters, editing and merging terms, mapping labels met in imports."""

import pytest
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.recommendations.models import Recommendation
from rectrack.taxonomy import services
from rectrack.taxonomy.models import Term, TermStatus, VocabularyKind


@pytest.fixture
def admin(world, client_for):
    return client_for(world, Role.ADMINISTRATOR)


def test_an_administrator_adds_a_national_cluster_with_its_names(world, admin):
    response = admin.post(
        reverse("taxonomy:overview"),
        {"label": "Roma inclusion", "description": "Housing, schooling and work", "label_fr": "Inclusion des Roms"},
    )
    assert response.status_code == 302
    cluster = Term.objects.get(vocabulary__kind=VocabularyKind.NATIONAL_CLUSTER, label="Roma inclusion")
    assert cluster.translations == {"fr": "Inclusion des Roms"}
    assert AuditEvent.objects.filter(object_id=cluster.pk, content_type__model="term").exists()
    # It can be chosen for recommendations at once.
    form = admin.get(reverse("recommendations:edit", args=[world.education.pk])).content.decode()
    assert "Roma inclusion" in form
    again = admin.post(reverse("taxonomy:overview"), {"label": "roma  inclusion"})
    assert "already exists" in again.content.decode()


def test_un_labels_keep_their_text_but_take_translations_and_a_status(world, admin):
    theme = world.education_theme
    response = admin.post(
        reverse("taxonomy:term_edit", args=[theme.pk]),
        {"label": "Something else", "status": TermStatus.REVIEWED, "label_es": "Derecho a la educación (revisado)"},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.label == "Right to education"  # the published label stays
    assert theme.translations == {"es": "Derecho a la educación (revisado)"}  # every other language left empty


def test_mapping_an_imported_label_moves_its_recommendations_and_teaches_later_imports(world, admin):
    stray = services.resolve_term(VocabularyKind.THEME, "Right to educaton", source="UHRI")  # a typo in the data
    assert stray.status == TermStatus.UNREVIEWED
    world.torture.themes.add(stray)
    world.education.themes.add(stray)  # already has the right term
    before = {rec.pk: rec.version for rec in Recommendation.objects.all()}
    review = admin.get(reverse("taxonomy:review")).content.decode()
    assert "Right to educaton" in review
    response = admin.post(
        reverse("taxonomy:term_merge", args=[stray.pk]),
        {f"t{stray.pk}-target": world.education_theme.pk, "back": "review"},
    )
    assert response["Location"] == reverse("taxonomy:review")
    stray.refresh_from_db()
    assert stray.status == TermStatus.RETIRED and stray.maps_to == world.education_theme
    assert set(world.torture.themes.all()) == {world.torture_theme, world.education_theme}
    assert list(world.education.themes.all()) == [world.education_theme]
    for rec in (world.torture, world.education):
        rec.refresh_from_db()
        assert rec.version == before[rec.pk] + 1
        event = AuditEvent.objects.filter(object_id=rec.pk, content_type__model="recommendation").latest("id")
        assert event.changes["themes"]["removed"] == ["Right to educaton"]
    # The next import that meets the typo gets the right term.
    assert services.resolve_term(VocabularyKind.THEME, "Right to educaton", source="UHRI") == world.education_theme
    assert "Nothing to review" in admin.get(reverse("taxonomy:review")).content.decode()


def test_terms_of_different_kinds_are_not_merged(world, admin):
    women = Term.objects.get(vocabulary__slug="uhri-affected-persons-current", label="Women & girls")
    theme = world.education_theme
    admin.post(reverse("taxonomy:term_merge", args=[theme.pk]), {f"t{theme.pk}-target": women.pk})
    theme.refresh_from_db()
    assert theme.status == TermStatus.REVIEWED and theme.maps_to is None
    with pytest.raises(Exception, match="different kinds"):
        services.term_merge(actor=world.admin, source=theme, target=women)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_administrators_manage_the_taxonomy(world, client_for, role):
    client = client_for(world, role)
    assert client.get(reverse("taxonomy:overview")).status_code == 404
    assert client.post(reverse("taxonomy:overview"), {"label": "Sneaky"}).status_code == 404
    assert not Term.objects.filter(label="Sneaky").exists()
