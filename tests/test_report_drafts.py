"""Report drafts read from the database: grouping, references, status at the end of the period, activities,
indicator values, gaps; their figures agree with the statistics; the command writes a Word document."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.core.management import CommandError, call_command

from rectrack.indicators import services as indicators
from rectrack.planning import services as planning
from rectrack.planning.models import ActivityStatus
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import ImplementationStatus, Recommendation
from rectrack.reporting.drafts import DraftRequest, Item, build_draft, references
from rectrack.reporting.templating import draft_docx
from rectrack.statistics import selectors as statistics
from rectrack.taxonomy.models import Term, Vocabulary, VocabularyKind

START, END = date(2020, 1, 1), date(2024, 12, 31)


def _request(world, **changes) -> DraftRequest:
    return DraftRequest(**{"mechanism": world.upr, "period_start": START, "period_end": END, **changes})


def _item(paragraph: str, symbol: str = "A/HRC/43/15") -> Item:
    return Item(pk=0, paragraph=paragraph, symbol=symbol, text="", status=ImplementationStatus.NOT_STARTED)


def test_references_name_the_paragraphs_of_each_document():
    assert references([_item("121.5"), _item("121.2")]) == ["Recommendations 121.2 and 121.5 (A/HRC/43/15)"]
    assert references([_item("121.10"), _item("121.2"), _item("121.5")]) == [
        "Recommendations 121.2, 121.5 and 121.10 (A/HRC/43/15)"
    ]
    assert references([_item("25", "CEDAW/C/SVN/CO/7"), _item("121.2")]) == [
        "Recommendation 121.2 (A/HRC/43/15)",
        "Recommendation 25 (CEDAW/C/SVN/CO/7)",
    ]
    assert references([_item(""), _item("")]) == ["2 recommendations without a paragraph number (A/HRC/43/15)"]


def test_a_draft_groups_by_theme_with_status_at_the_end_of_the_period(world):
    # Education: in progress during the period, implemented after it; the draft says "in progress".
    recs.recommendation_change_status(
        recommendation=world.education, actor=world.admin, status=ImplementationStatus.IN_PROGRESS,
        effective_on=date(2023, 5, 1), justification="Started",
    )  # fmt: skip
    recs.recommendation_change_status(
        recommendation=world.education, actor=world.admin, status=ImplementationStatus.FULLY_IMPLEMENTED,
        effective_on=date(2025, 6, 1), justification="Done",
    )  # fmt: skip
    draft = build_draft(_request(world, group_by="theme"))
    assert [section.title for section in draft.sections] == [world.torture_theme.display_label, "Right to education"]
    education = draft.sections[1]
    assert education.references == ["Recommendation 121.2 (A/HRC/43/15)"]
    assert [(item.pk, item.status) for item in education.items] == [(world.education.pk, "in_progress")]
    assert draft.totals["in_progress"] == 2 and draft.count == 2  # the CEDAW recommendation is another mechanism's


def test_activities_of_the_period_and_indicator_values_by_its_end(world):
    planning.activity_create(
        actor=world.admin, title="Finished before the period", lead_institution=world.justice,
        status=ActivityStatus.COMPLETED, start_date=date(2018, 1, 1), deadline=date(2019, 6, 1),
        recommendations=[world.education],
    )  # fmt: skip
    indicator = indicators.indicator_create(
        actor=world.admin, name="Roma pupils in school", kind="outcome", unit="%", target_value=Decimal("90")
    )
    indicator.recommendations.set([world.education])
    for day, value in ((date(2022, 6, 30), "61.5"), (date(2024, 6, 30), "70"), (date(2025, 6, 30), "80")):
        indicators.measurement_add(indicator=indicator, actor=world.admin, measured_on=day, value=Decimal(value))
    education = next(
        s for s in build_draft(_request(world, group_by="theme")).sections if s.title == "Right to education"
    )
    assert [activity.title for activity in education.activities] == ["Train teachers on inclusive education"]
    [line] = education.indicators
    assert (line.value, line.measured_on, line.target_value) == (Decimal("70"), date(2024, 6, 30), Decimal("90"))


def test_gaps_list_recommendations_with_no_activity_or_no_information(world):
    silent = recs.recommendation_create(actor=world.admin, document=world.document, text="121.30 Silent one;")
    recs.recommendation_change_status(
        recommendation=world.torture, actor=world.admin, status=ImplementationStatus.IN_PROGRESS,
        effective_on=date(2021, 1, 1), justification="Investigations opened",
    )  # fmt: skip
    # The police complaints body's deadline is in the past but after the period began: it ran in the period.
    draft = build_draft(_request(world, period_end=date.today()))
    assert {item.pk for item in draft.without_activity} == {silent.pk}
    assert {item.pk for item in draft.without_information} == {silent.pk}
    # A period after every deadline: no activity runs in it.
    later = build_draft(
        _request(world, period_start=date.today() + timedelta(days=60), period_end=date.today() + timedelta(days=90))
    )
    assert {item.pk for item in later.without_activity} == {world.education.pk, world.torture.pk, silent.pk}
    assert {item.pk for item in later.without_information} == {world.education.pk, silent.pk}  # torture has a status


def test_a_project_or_a_cluster_narrows_the_draft_and_sections_follow_clusters(world):
    vocabulary = Vocabulary.objects.get(kind=VocabularyKind.NATIONAL_CLUSTER)
    roma = Term.objects.create(vocabulary=vocabulary, label="Roma inclusion", key="roma inclusion")
    world.education.clusters.add(roma)
    by_cluster = build_draft(_request(world))
    assert [section.title for section in by_cluster.sections] == ["Roma inclusion", "No national cluster"]
    assert [item.pk for item in build_draft(_request(world, cluster=roma)).sections[0].items] == [world.education.pk]
    in_project = build_draft(_request(world, project=world.project))
    assert in_project.count == 1 and in_project.sections[0].items[0].pk == world.education.pk


def test_the_draft_figures_agree_with_the_statistics(world):
    """The draft's totals are the statistics' status over time, for the same mechanism, on the period's last day."""
    recs.recommendation_change_status(
        recommendation=world.torture, actor=world.admin, status=ImplementationStatus.NOT_IMPLEMENTED,
        effective_on=date(2022, 3, 1), justification="Refused",
    )  # fmt: skip
    for end in (date(2019, 12, 31), date(2022, 2, 28), END):
        draft = build_draft(_request(world, period_end=end))
        upr = Recommendation.objects.filter(mechanism=world.upr)
        assert draft.totals == statistics.status_over_time(upr, [end])[end], end


def test_the_word_draft_holds_the_sections_references_and_gaps(world):
    document = docx.Document(BytesIO(draft_docx(build_draft(_request(world, group_by="theme")))))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Draft report: UPR, Jan. 1, 2020 to Dec. 31, 2024" in text
    assert "Recommendation 121.2 (A/HRC/43/15)." in text
    assert "Train teachers on inclusive education (Ministry of Justice): In progress" in text
    assert "Gaps" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Investigate all allegations of torture" in " ".join(cells)


def test_the_command_writes_a_draft_and_refuses_bad_input(world, tmp_path, capsys):
    out = tmp_path / "draft.docx"
    call_command("draft_report", "--mechanism", "upr", "--from", "2020-01-01", "--to", "2024-12-31", "--out", str(out))
    assert "2 recommendations in 1 sections" in capsys.readouterr().out
    assert docx.Document(str(out)).core_properties.title.startswith("Draft report: UPR")
    with pytest.raises(CommandError, match="No mechanism “XYZ”"):
        call_command(
            "draft_report", "--mechanism", "XYZ", "--from", "2020-01-01", "--to", "2024-12-31", "--out", str(out)
        )
    with pytest.raises(CommandError, match="is not a date"):
        call_command(
            "draft_report", "--mechanism", "UPR", "--from", "2020-13-01", "--to", "2024-12-31", "--out", str(out)
        )
    with pytest.raises(CommandError, match="ends before it starts"):
        call_command(
            "draft_report", "--mechanism", "UPR", "--from", "2024-01-01", "--to", "2020-12-31", "--out", str(out)
        )
    with pytest.raises(CommandError, match="No project with id 999"):
        call_command("draft_report", "--mechanism", "UPR", "--from", "2020-01-01", "--to", "2024-12-31",
                     "--project", "999", "--out", str(out))  # fmt: skip


def test_the_word_draft_carries_the_chart_of_its_sections(world, monkeypatch):
    document = docx.Document(BytesIO(draft_docx(build_draft(_request(world, group_by="theme")))))
    assert len(document.inline_shapes) == 1
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions and captions[0].startswith("Status at the end of the period, by section.")

    def broken(svg, **options):
        raise OSError("no renderer")

    monkeypatch.setattr("rectrack.statistics.charts.as_png", broken)
    document = docx.Document(BytesIO(draft_docx(build_draft(_request(world, group_by="theme")))))
    assert len(document.inline_shapes) == 0
    assert any("The chart could not be drawn" in p.text for p in document.paragraphs)


def test_references_are_listed_as_each_language_lists():
    from django.utils import translation

    items = [_item("121.10"), _item("121.2"), _item("121.5")]
    with translation.override("zh-hans"):
        assert "121.2、121.5" in references(items)[0]
    with translation.override("fr"):
        assert "121.2, 121.5 et 121.10" in references(items)[0]
