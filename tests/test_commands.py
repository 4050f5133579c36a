"""The management commands: seeding, the demo, demo users, synthetic data."""

import filecmp
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rectrack.accounts.models import Role, User
from rectrack.audit.models import AuditEvent
from rectrack.demo.loaders import DATA_FILE
from rectrack.planning.models import Activity, Project
from rectrack.recommendations.models import Document, Mechanism, Recommendation, Source
from rectrack.taxonomy.models import Term, TermStatus, Vocabulary

from .conftest import shared_data


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_taxonomy_reports_counts_and_is_idempotent():
    first = run("seed_taxonomy")
    terms, vocabularies, mechanisms = Term.objects.count(), Vocabulary.objects.count(), Mechanism.objects.count()
    second = run("seed_taxonomy")
    assert first == second
    assert (Term.objects.count(), Vocabulary.objects.count(), Mechanism.objects.count()) == (
        terms,
        vocabularies,
        mechanisms,
    )
    for line in ("themes: 76", "affected persons: 26", "sdg goals: 17", "sdg targets: 169", "mechanisms: 51"):
        assert line in first


@pytest.mark.django_db
def test_load_demo_loads_slovenias_three_cycles_once():
    out = run("load_demo")
    assert "recommendations added: 632" in out
    demo = Recommendation.objects.filter(source=Source.DEMO)
    assert demo.count() == 632
    assert set(Document.objects.filter(recommendations__in=demo).values_list("symbol", flat=True).distinct()) == {
        "A/HRC/28/15",
        "A/HRC/43/15",
        "A/HRC/59/15",
    }
    assert set(Document.objects.filter(symbol__startswith="A/HRC/").values_list("upr_cycle", flat=True)) == {2, 3, 4}
    assert demo.filter(upr_position="noted").count() == 91  # Slovenia's noted recommendations, as in the source rows
    rec = demo.get(paragraph="121.2", document__symbol="A/HRC/43/15")
    assert sorted(rec.recommending_states.values_list("name", flat=True)) == ["Slovakia", "Ukraine"]
    assert rec.sdgs.get().code == "16"
    assert Project.objects.count() == 7 and Activity.objects.count() == 22
    assert AuditEvent.objects.filter(action="created").count() >= 632 + 7 + 22
    assert "recommendations added: 0" in run("load_demo")
    assert demo.count() == 632


@pytest.mark.django_db
def test_legacy_labels_are_kept_as_unreviewed_terms():
    run("load_demo")
    legacy = Term.objects.get(code="A12", label="Acceptance of international norms")
    assert legacy.status == TermStatus.UNREVIEWED
    # The uncoded form used in 2019 is the same term.
    assert Recommendation.objects.filter(themes=legacy, document__symbol="A/HRC/43/15").exists()
    assert Recommendation.objects.filter(themes=legacy, document__symbol="A/HRC/28/15").exists()


@pytest.mark.django_db
def test_create_demo_users_prints_one_login_per_role_and_keeps_passwords(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    run("load_demo")
    first = run("create_demo_users")
    for role in Role:
        assert str(role.label) in first
        assert User.objects.filter(role=role).exists()
    assert first == run("create_demo_users")
    password = next(line.split()[2] for line in first.splitlines() if line.split()[1:2] == ["admin"])
    assert User.objects.get(username="admin").check_password(password)
    assert User.objects.get(username="focalpoint").memberships.get().institution.name == "Ministry of Justice"


@pytest.mark.django_db
def test_generate_recommendations_writes_realistic_rows():
    out = run("generate_recommendations", "600", "--seed", "3")
    assert "recommendations: 600" in out
    generated = Recommendation.objects.filter(source=Source.GENERATED)
    assert generated.count() == 600
    assert generated.filter(themes__isnull=False).distinct().count() > 500
    assert generated.exclude(paragraph="").count() == 600
    assert Project.objects.exists() and Activity.objects.exists()
    # A second run adds more without clashing.
    run("generate_recommendations", "50", "--seed", "4")
    assert generated.count() == 650


@pytest.mark.django_db
def test_generated_recommendations_are_searchable():
    run("generate_recommendations", "300")
    from rectrack.lib.search_query import parse_search_query
    from rectrack.recommendations.selectors import RecommendationFilters, search_recommendations

    results = search_recommendations(RecommendationFilters(search=parse_search_query("rights")))
    assert results.count() > 10


@pytest.mark.django_db
def test_generate_recommendations_refuses_a_bad_count():
    with pytest.raises(CommandError, match="between 1 and"):
        run("generate_recommendations", "0")


def test_the_demo_data_is_the_shared_original():
    """The repository's copy of the thematic lists is byte-for-byte the research data."""
    original = shared_data("ohchr-upr-thematic-lists/upr_thematic_lists_SVN_CHN.csv")
    assert filecmp.cmp(original, DATA_FILE, shallow=False)


def test_the_vocabularies_are_the_shared_originals():
    from rectrack.taxonomy.seed import DATA_DIR

    for name in ("themes-current.txt", "affected-persons-current.txt", "affected-persons-legacy.txt"):
        assert filecmp.cmp(shared_data(f"uhri-taxonomy/{name}"), DATA_DIR / "uhri" / name, shallow=False)
    for language in ("en", "fr", "es", "ar", "ru", "zh-Hans"):
        for name in ("global_goals.yml", "global_targets.yml", "global_indicators.yml"):
            assert filecmp.cmp(shared_data(f"sdg/{language}/{name}"), DATA_DIR / "sdg" / language / name, shallow=False)


@pytest.mark.django_db
def test_the_generator_names_each_state_once_whatever_the_data_calls_it():
    """The pool holds "Turkey" and "Türkiye", "Czechia" and "Czech Republic": one State each, so a
    recommendation never lists the same recommending State twice (which the database refuses)."""
    from rectrack.demo.synthetic import Generator

    generator = Generator(count=0, seed=1, progress=lambda message: None)
    generator.setup()
    pks = [country.pk for country in generator.countries]
    assert len(pks) == len(set(pks)) > 100
