"""Content in the user's language: recommendation texts, States, mechanisms, vocabularies and amounts."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.audit.selectors import describe
from rectrack.imports.samples import write_uhri_json
from rectrack.imports.services import ImportOptions, import_file
from rectrack.lib.countries import iso3_for_name, localized_name
from rectrack.lib.currencies import format_money
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import Country, Mechanism, Recommendation, Source
from rectrack.taxonomy.models import Term
from tests.test_import_engine import ListReader, record

FRENCH = "121.2 Garantir une éducation inclusive aux enfants roms et améliorer leur assiduité scolaire (Ukraine);"


def in_language(client, language: str):
    """The client's pages in this language, as the switcher would set it."""
    client.cookies["django_language"] = language
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- States


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Slovenia", "SVN"),
        ("Germany", "DEU"),  # not East Germany (DDR), which CLDR still maps to DE
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("DPR Korea", "PRK"),  # UPR Info's spelling
        ("Republic of Korea", "KOR"),
        ("St Vincent & the Grenadines", "VCT"),
        ("Cote d'Ivoire", "CIV"),
        ("Macedonia FYR", "MKD"),
        ("Viet Nam", "VNM"),
        ("Atlantis", ""),
    ],
)
def test_states_are_recognised_under_their_usual_names(name, iso3):
    assert iso3_for_name(name) == iso3


def test_state_names_follow_the_language_and_keep_the_un_name_in_english():
    assert localized_name("SVN", "Slovenia", "fr") == "Slovénie"
    assert localized_name("SVN", "Slovenia", "ar") == "سلوفينيا"
    assert localized_name("SVN", "Slovenia", "zh-hans") == "斯洛文尼亚"
    assert localized_name("KOR", "Republic of Korea", "en") == "Republic of Korea"
    assert localized_name("", "Atlantis", "fr") == "Atlantis"


def test_one_state_is_one_row_whatever_the_source_called_it(db):
    turkey = recs.country_get_or_create(name="Turkey")
    assert turkey.iso3 == "TUR"
    assert recs.country_get_or_create(name="Türkiye") == turkey
    assert Country.objects.filter(iso3="TUR").count() == 1


def test_detail_page_names_states_and_mechanisms_in_the_users_language(world, client_for):
    client = client_for(world, Role.VIEWER)
    french = page(in_language(client, "fr"), reverse("recommendations:detail", args=[world.education.pk]))
    assert "Slovénie" in french  # the country concerned
    assert "Examen périodique universel" in french
    spanish = page(in_language(client, "es"), reverse("recommendations:detail", args=[world.women.pk]))
    assert "Comité para la Eliminación de la Discriminación contra la Mujer" in spanish
    assert "Eslovenia" in spanish
    english = page(in_language(client, "en"), reverse("recommendations:detail", args=[world.education.pk]))
    assert "Universal Periodic Review" in english and "Slovenia" in english


# ---------------------------------------------------------------- vocabularies


def test_every_seeded_mechanism_and_uhri_label_has_the_five_other_un_languages(db):
    languages = {"fr", "es", "ar", "ru", "zh-hans"}
    for mechanism in Mechanism.objects.all():
        assert set(mechanism.translations) == languages, mechanism.acronym
    uhri = Term.objects.filter(vocabulary__slug__startswith="uhri-")
    assert uhri.count() > 100
    for term in uhri:
        assert set(term.translations) == languages, term.label
        assert all(term.translations.values()), term.label


def test_themes_and_affected_persons_show_in_the_users_language(world, client_for):
    client = in_language(client_for(world, Role.VIEWER), "fr")
    detail = page(client, reverse("recommendations:detail", args=[world.education.pk]))
    assert "Droit à l&#x27;éducation" in detail or "Droit à l'éducation" in detail
    women = page(client, reverse("recommendations:detail", args=[world.women.pk]))
    assert world.women.affected_persons.get().translations["fr"].replace("'", "&#x27;") in women
    listing = page(client, reverse("recommendations:list"))
    assert world.education_theme.translations["fr"].replace("'", "&#x27;") in listing


# ---------------------------------------------------------------- recommendation texts


def test_a_user_reads_the_text_in_their_language_with_the_original_a_click_away(world, client_for):
    recs.recommendation_set_translation(recommendation=world.education, language="fr", text=FRENCH, actor=world.admin)
    client = client_for(world, Role.VIEWER)
    url = reverse("recommendations:detail", args=[world.education.pk])
    french = page(in_language(client, "fr"), url)
    assert f'lang="fr" dir="auto">{FRENCH}' in french
    with translation.override("fr"):
        note = translation.gettext("Translation. The original text is in %(language)s.")
        note %= {"language": translation.gettext("English")}
    assert note != "Translation. The original text is in English."
    assert note in french  # marked as a translation
    assert "Ensure inclusive education for Roma children" in french  # the original, in <details>
    listing = page(client, reverse("recommendations:list"))
    assert "Garantir une éducation inclusive" in listing


def test_without_a_translation_the_original_is_shown_and_marked(world, client_for):
    client = in_language(client_for(world, Role.VIEWER), "ru")
    url = reverse("recommendations:detail", args=[world.education.pk])
    with translation.override("ru"):
        note = translation.gettext("Original text, in %(language)s: there is no translation into your language yet.")
        language = translation.gettext("English")
    russian = page(client, url)
    assert 'lang="en" dir="auto">121.2 Ensure inclusive education' in russian
    assert note % {"language": language} in russian
    english = page(in_language(client, "en"), url)
    assert "there is no translation" not in english and "Translation." not in english


def test_translations_page_adds_changes_and_removes_a_language_with_history(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    url = reverse("recommendations:translations", args=[world.education.pk])
    assert 'name="language"' in page(client, url)
    response = client.post(url, {"language": "fr", "text": FRENCH, "version": world.education.version})
    assert response.status_code == 302
    rec = Recommendation.objects.get(pk=world.education.pk)
    assert rec.translations == {"fr": FRENCH}
    # A second translator works from the stored row: the French text stays.
    client.post(url, {"language": "es", "text": "121.2 Garantizar una educación inclusiva;", "version": rec.version})
    rec.refresh_from_db()
    assert set(rec.translations) == {"fr", "es"}
    assert FRENCH in page(client, url + "?language=fr")  # the edit link fills the form
    client.post(url, {"language": "es", "text": "  ", "version": rec.version})
    rec.refresh_from_db()
    assert set(rec.translations) == {"fr"}
    events = AuditEvent.objects.filter(object_id=rec.pk, changes__has_key="translations").order_by("id")
    assert events.count() == 3
    lines = [line for event in events for line in describe(event)]
    assert [(line.old, line.new) for line in lines] == [
        (None, FRENCH),
        (None, "121.2 Garantizar una educación inclusiva;"),
        ("121.2 Garantizar una educación inclusiva;", None),
    ]
    assert lines[0].label.endswith("(French)")
    history = page(client, reverse("recommendations:detail", args=[rec.pk]))
    assert "Translations (Spanish)" in history


def test_a_stale_translation_form_is_refused_and_shows_what_changed(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    url = reverse("recommendations:translations", args=[world.education.pk])
    stale = world.education.version
    recs.recommendation_set_translation(recommendation=world.education, language="fr", text=FRENCH, actor=world.admin)
    response = client.post(url, {"language": "fr", "text": "Autre texte", "version": stale})
    assert response.status_code == 200
    assert "What changed since you opened this page" in response.content.decode()
    assert Recommendation.objects.get(pk=world.education.pk).translations == {"fr": FRENCH}


def test_the_original_language_is_not_a_translation(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    url = reverse("recommendations:translations", args=[world.education.pk])
    response = client.post(url, {"language": "en", "text": "Another text", "version": world.education.version})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Recommendation.objects.get(pk=world.education.pk).translations == {}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.COORDINATOR, True),
        (Role.FOCAL_POINT, False),
        (Role.CONTRIBUTOR, False),
        (Role.VIEWER, False),
        (None, False),
    ],
)
def test_only_the_secretariat_edits_translations(world, client_for, role, allowed):
    client = client_for(world, role)
    url = reverse("recommendations:translations", args=[world.education.pk])
    response = client.post(url, {"language": "fr", "text": FRENCH, "version": world.education.version})
    assert response.status_code == (302 if allowed else 404 if role else 302)
    if role is None:
        assert reverse("accounts:login") in response["Location"]
    assert bool(Recommendation.objects.get(pk=world.education.pk).translations) is allowed
    assert client.get(url).status_code == (200 if allowed else 404 if role else 302)


def test_the_original_language_is_set_in_the_recommendation_form(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    form = page(client, reverse("recommendations:edit", args=[world.education.pk]))
    assert 'name="language"' in form and '<option value="en" selected>' in form


# ---------------------------------------------------------------- imports


def test_an_import_keeps_the_sources_translations_and_the_nmirfs(db, tmp_path):
    reader = ListReader([record(1, translations={"fr": "121.1 Ratifier le Protocole facultatif;"})])
    result = import_file(path=tmp_path / "x", reader=reader, actor=None, options=ImportOptions(dry_run=False))
    assert result.created == 1
    rec = Recommendation.objects.get(external_id="uhri-1")
    assert rec.translations == {"fr": "121.1 Ratifier le Protocole facultatif;"}
    recs.recommendation_set_translation(recommendation=rec, language="ru", text="121.1 Ратифицировать", actor=None)
    newer = ListReader([record(1, translations={"fr": "121.1 Ratifier le Protocole facultatif n° 1;"})])
    result = import_file(path=tmp_path / "x", reader=newer, actor=None, options=ImportOptions(dry_run=False))
    assert result.updated == 1
    rec.refresh_from_db()
    assert rec.translations == {"fr": "121.1 Ratifier le Protocole facultatif n° 1;", "ru": "121.1 Ратифицировать"}


@pytest.fixture
def uhri_files(tmp_path, annotation):
    english = tmp_path / "uhri-en.json"
    french = tmp_path / "uhri-fr.json"
    write_uhri_json(english, [annotation])
    write_uhri_json(french, [{**annotation, "Text": FRENCH, "Themes": ["Droit à l'éducation"]}])
    return english, french


@pytest.fixture
def annotation():
    from tests.test_import_uhri import ANNOTATION

    return dict(ANNOTATION)


def test_uhri_in_another_language_adds_translations_and_changes_nothing_else(db, uhri_files):
    english, french = uhri_files
    call_command("import_recommendations", english, "--all-countries", stdout=io.StringIO())
    rec = Recommendation.objects.get(source=Source.UHRI)
    before = (rec.text, rec.version, sorted(rec.themes.values_list("label", flat=True)))
    out = io.StringIO()
    call_command("import_recommendations", french, "--all-countries", "--translation-of", "fr", stdout=out)
    rec.refresh_from_db()
    assert rec.translations == {"fr": FRENCH}
    assert (rec.text, sorted(rec.themes.values_list("label", flat=True))) == (before[0], before[2])
    assert rec.version == before[1] + 1
    assert rec.missing_from_source_since is None
    assert not Term.objects.filter(label="Droit à l'éducation").exists()  # the French labels are not read
    # Again: nothing to do.
    call_command("import_recommendations", french, "--all-countries", "--translation-of", "fr", stdout=out)
    rec.refresh_from_db()
    assert rec.version == before[1] + 1


def test_a_translation_of_unknown_recommendations_imports_nothing(db, uhri_files, annotation, tmp_path):
    english, _french = uhri_files
    call_command("import_recommendations", english, "--all-countries", stdout=io.StringIO())
    stranger = tmp_path / "other-fr.json"
    write_uhri_json(
        stranger,
        [
            {**annotation, "Text": FRENCH},
            {**annotation, "AnnotationId": "00000000-0000-0000-0000-000000000000", "Text": "Texte inconnu"},
        ],
    )
    with pytest.raises(CommandError, match="rows were rejected"):
        call_command(
            "import_recommendations", stranger, "--all-countries", "--translation-of", "fr", stdout=io.StringIO()
        )
    assert Recommendation.objects.get(source=Source.UHRI).translations == {}


def test_the_upload_form_offers_translation_imports(world, client_for):
    content = page(client_for(world, Role.COORDINATOR), reverse("imports:new"))
    assert 'name="translation_of"' in content and '<option value="fr">' in content


# ---------------------------------------------------------------- amounts


def test_amounts_and_currencies_follow_the_users_locale(world, client_for):
    with translation.override("fr"):
        assert format_money(Decimal("150000"), "USD") == "150\u202f000,00\xa0$US"
    with translation.override("en"):
        assert format_money(Decimal("150000"), "EUR") == "€150,000.00"
        assert format_money(Decimal("1234.5"), "") == "1,234.5"
    client = client_for(world, Role.VIEWER)
    url = reverse("planning:activity_detail", args=[world.activity.pk])
    assert "100\u202f000,00\xa0€" in page(in_language(client, "fr"), url)
    assert "€100,000.00" in page(in_language(client, "en"), url)
