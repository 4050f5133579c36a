"""The real files of ../shared/data through the import command, end to end, and again (a no-op)."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from rectrack.imports.models import ImportRun, ImportState
from rectrack.recommendations.models import Document, Recommendation, RecommendationKind, Source, UprPosition
from rectrack.taxonomy.models import TermStatus, VocabularyKind
from tests.conftest import shared_data

DOCX = {
    "UPR20__Slovenia_ThematicListRecommendations_E.docx": ("A/HRC/28/15", "Slovenia", 163),
    "UPR34_Slovenia_Thematic_list_of_Recommendations.docx": ("A/HRC/43/15", "Slovenia", 215),
    "upr48-slovenia-thematic-list-of-recommendatio.docx": ("A/HRC/59/15", "Slovenia", 254),
    "China_UPR17_2013_Matrix_recommendations_2013.docx": ("A/HRC/25/5", "China", 252),
    "China_UPR31_2018_Matrix_recommendations_2018.docx": ("A/HRC/40/6", "China", 346),
}


def _import(path, *args) -> ImportRun:
    call_command("import_recommendations", str(path), *args, verbosity=0)
    return ImportRun.objects.order_by("-id").first()


@pytest.mark.django_db
def test_the_five_thematic_lists_import_exactly_and_reimport_as_a_no_op():
    for name, (symbol, country, count) in DOCX.items():
        path = shared_data(f"ohchr-upr-thematic-lists/docx/{name}")
        run = _import(path, "--all-countries")
        assert run.state == ImportState.SUCCEEDED, run.message
        assert (run.created, run.rejected) == (count, 0), name
        document = Document.objects.get(symbol=symbol)
        assert document.country.name == country
        assert document.recommendations.count() == count
    recs = Recommendation.objects.filter(source=Source.OHCHR_LIST)
    assert recs.count() == 1230
    positions = Counter(recs.values_list("upr_position", flat=True))
    assert positions == {UprPosition.SUPPORTED: 1029, UprPosition.NOTED: 201}
    # Every recommendation is classified and attributed, as the documents are.
    assert not recs.filter(themes=None).exists()
    assert not recs.filter(recommending_states=None).exists()
    assert recs.filter(sdgs__isnull=False).distinct().count() == 753
    joint = recs.get(document__symbol="A/HRC/43/15", paragraph="121.2")
    assert sorted(joint.recommending_states.values_list("name", flat=True)) == ["Slovakia", "Ukraine"]
    assert joint.sdgs.get().code == "16"
    # Legacy coded themes are kept as labels to review, not dropped.
    legacy = recs.get(document__symbol="A/HRC/25/5", paragraph="186.1")
    assert legacy.themes.filter(status=TermStatus.UNREVIEWED, vocabulary__kind=VocabularyKind.THEME).exists()
    for name in DOCX:
        run = _import(shared_data(f"ohchr-upr-thematic-lists/docx/{name}"), "--all-countries")
        assert (run.created, run.updated, run.unchanged, run.flagged) == (0, 0, DOCX[name][2], 0), name


@pytest.mark.django_db
def test_a_national_instance_imports_only_its_country(settings):
    settings.RECTRACK_COUNTRY = "Slovenia"
    run = _import(shared_data("ohchr-upr-thematic-lists/docx/China_UPR31_2018_Matrix_recommendations_2018.docx"))
    assert (run.created, run.out_of_scope) == (0, 346)
    run = _import(shared_data("ohchr-upr-thematic-lists/docx/UPR34_Slovenia_Thematic_list_of_Recommendations.docx"))
    assert run.created == 215


@pytest.mark.django_db
def test_a_preview_from_the_command_changes_nothing():
    path = shared_data("ohchr-upr-thematic-lists/docx/UPR34_Slovenia_Thematic_list_of_Recommendations.docx")
    run = _import(path, "--dry-run", "--all-countries")
    assert run.state == ImportState.PREVIEWED and run.created == 215
    assert not Recommendation.objects.filter(source=Source.OHCHR_LIST).exists()


@pytest.mark.django_db
def test_the_command_refuses_a_damaged_file_with_a_message(tmp_path):
    real = shared_data("ohchr-upr-thematic-lists/docx/UPR34_Slovenia_Thematic_list_of_Recommendations.docx")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(real.read_bytes()[:20_000])
    with pytest.raises(CommandError, match="damaged|not a valid"):
        _import(broken, "--format", "ohchr-docx", "--all-countries")
    assert not Recommendation.objects.filter(source=Source.OHCHR_LIST).exists()
    assert ImportRun.objects.get().state == ImportState.FAILED


@pytest.mark.django_db
def test_the_upr_info_export_imports_every_row_joint_recommendations_once_and_pledges_marked():
    files = ["1-5.csv", "6-9.csv", "10-13.csv", "14-17.csv", "voluntary.csv"]
    runs = [_import(shared_data(f"upr-info-s01-17/raw/{name}"), "--all-countries") for name in files]
    assert all(run.state == ImportState.SUCCEEDED for run in runs), [run.message for run in runs]
    assert sum(run.rows_read for run in runs[:4]) == 33_082 and runs[4].rows_read == 947
    recs = Recommendation.objects.filter(source=Source.UPR_INFO)
    # A joint recommendation (one row per recommending State) is one recommendation with several States.
    assert recs.exclude(kind=RecommendationKind.PLEDGE).count() == 32_096
    assert recs.filter(kind=RecommendationKind.PLEDGE).count() == 945
    states = Recommendation.recommending_states.through.objects.filter(recommendation__source=Source.UPR_INFO)
    assert states.count() == 33_069  # every row's State, less 9 "(Unknown)" and 4 repeated rows
    joint = recs.annotate(n=Count("recommending_states")).filter(n__gt=1)
    assert joint.count() == 607
    assert set(recs.values_list("upr_position", flat=True)) == {UprPosition.SUPPORTED, UprPosition.NOTED, ""}
    # One document per review: every State in cycle 1, sessions 13-17, and two sessions of pledges only.
    assert Document.objects.filter(recommendations__source=Source.UPR_INFO).distinct().count() == 282
    # UPR Info's own issue labels are kept, to be mapped to UHRI themes by an administrator.
    assert recs.filter(themes__vocabulary__slug__startswith="theme-observed").exists()
    for name in ("1-5.csv", "voluntary.csv"):
        run = _import(shared_data(f"upr-info-s01-17/raw/{name}"), "--all-countries")
        assert (run.created, run.updated, run.flagged) == (0, 0, 0) and run.unchanged > 0, name
