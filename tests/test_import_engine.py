"""The import engine, through a reader of records given in the test: matching, idempotence, all-or-nothing."""

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from rectrack.audit.models import AuditEvent
from rectrack.imports import services
from rectrack.imports.models import ImportState
from rectrack.imports.records import FileRejected, RowProblem, SourceRecord
from rectrack.imports.services import ImportOptions, import_file
from rectrack.recommendations.models import (
    Document,
    ImplementationStatus,
    Recommendation,
    RecommendationKind,
    Source,
    UprPosition,
)
from rectrack.taxonomy.models import Term, TermStatus


class ListReader:
    """A format reader over records held in memory."""

    format = "test"
    source = Source.UHRI

    def __init__(self, items, fail_after: int | None = None):
        self.items = list(items)
        self.fail_after = fail_after
        self.progress = 0.0

    def records(self, path: Path):
        for n, item in enumerate(self.items):
            if self.fail_after is not None and n == self.fail_after:
                raise FileRejected("The file ends in the middle of a record (after 2 records).")
            self.progress = (n + 1) / len(self.items)
            yield item


def record(n: int, **changes) -> SourceRecord:
    values = {
        "row": n + 1,
        "external_id": f"uhri-{n}",
        "text": f"121.{n} Ratify the Optional Protocol number {n} (Ukraine);",
        "paragraph": f"121.{n}",
        "document_symbol": "A/HRC/43/15",
        "mechanism": "UPR",
        "countries": ["Slovenia"],
        "issued_on": date(2019, 11, 15),
        "session": 34,
        "themes": ["Right to education", "A12 Acceptance of international norms"],
        "affected_persons": ["Women & girls"],
        "sdgs": ["16.2 - Protect children from abuse", "S4 SDG 4 - quality education"],
        "recommending_states": ["Ukraine", "Slovakia"],
        "position": "Supported",
        "kind": "- Recommendations",
    }
    values.update(changes)
    return SourceRecord(**values)


def run(world, items, **options):
    defaults = {"dry_run": False, "countries": None}
    return import_file(
        path=Path("export.json"),
        reader=ListReader(items),
        actor=world.admin,
        options=ImportOptions(**{**defaults, **options}),
        label="export.json (import 1)",
    )


def imported():
    return Recommendation.objects.filter(source=Source.UHRI)


def history_count() -> int:
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Recommendation)).count()


def test_records_become_recommendations_with_their_classification(world):
    result = run(world, [record(1), record(2, kind="Concerns/Observations", position="Noted")])
    assert not result.failed, result.message
    assert (result.created, result.updated, result.unchanged, result.rejected) == (2, 0, 0, 0)
    first = imported().get(external_id="uhri-1")
    assert first.document == world.document  # matched by symbol, not duplicated
    assert first.mechanism == world.upr
    assert first.paragraph == "121.1"
    assert first.upr_position == UprPosition.SUPPORTED
    assert first.kind == RecommendationKind.RECOMMENDATION
    assert first.issued_on == date(2019, 11, 15)
    assert [c.name for c in first.recommending_states.order_by("name")] == ["Slovakia", "Ukraine"]
    assert set(first.themes.values_list("label", flat=True)) == {
        "Right to education",
        "Acceptance of international norms",
    }
    legacy = first.themes.get(label="Acceptance of international norms")
    assert legacy.status == TermStatus.UNREVIEWED and legacy.code == "A12"
    assert set(first.sdgs.values_list("code", flat=True)) == {"16.2", "4"}
    assert first.affected_persons.get().label == "Women & girls"
    second = imported().get(external_id="uhri-2")
    assert (second.kind, second.upr_position) == (RecommendationKind.CONCERN, UprPosition.NOTED)
    event = AuditEvent.objects.filter(object_id=first.pk, content_type__model="recommendation").get()
    assert event.actor == world.admin and event.changes == {"import": {"old": None, "new": "export.json (import 1)"}}


def test_reimporting_the_same_records_changes_nothing(world):
    run(world, [record(1), record(2)])
    versions = dict(imported().values_list("pk", "version"))
    events = history_count()
    result = run(world, [record(1), record(2)])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert dict(imported().values_list("pk", "version")) == versions
    assert history_count() == events


def test_a_newer_export_updates_un_fields_and_keeps_national_work(world):
    run(world, [record(1)])
    rec = imported().get()
    rec.status = ImplementationStatus.IN_PROGRESS
    rec.lead_institution = world.justice
    rec.save()
    rec.clusters.add(world.education_theme)
    world.project.recommendations.add(rec)
    result = run(
        world,
        [
            record(
                1,
                text="121.1 Ratify the Optional Protocol (Ukraine, Slovakia);",
                themes=["Right to education"],
                position="Noted",
            )
        ],
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    rec.refresh_from_db()
    assert rec.text.startswith("121.1 Ratify the Optional Protocol (")
    assert rec.upr_position == UprPosition.NOTED
    assert list(rec.themes.values_list("label", flat=True)) == ["Right to education"]
    assert rec.version == 2
    # National fields are the NMIRF's: untouched.
    assert rec.status == ImplementationStatus.IN_PROGRESS
    assert rec.lead_institution == world.justice
    assert list(rec.clusters.all()) == [world.education_theme]
    assert list(rec.projects.all()) == [world.project]
    event = AuditEvent.objects.filter(object_id=rec.pk, content_type__model="recommendation").first()
    assert event.changes["upr_position"] == {"old": "supported", "new": "noted"}
    assert event.changes["themes"] == {"added": [], "removed": ["A12 Acceptance of international norms"]}
    assert event.object_version == 2


def test_a_record_gone_from_a_newer_export_is_flagged_not_deleted_and_unflagged_when_back(world):
    run(world, [record(1), record(2)])
    result = run(world, [record(1)])
    assert result.flagged == 1
    gone = imported().get(external_id="uhri-2")
    assert gone.missing_from_source_since is not None
    result = run(world, [record(1), record(2)])
    assert (result.updated, result.unchanged, result.flagged) == (1, 1, 0)
    gone.refresh_from_db()
    assert gone.missing_from_source_since is None


def test_only_the_instance_country_is_imported_unless_told_otherwise(world):
    items = [record(1), record(2, countries=["China"], document_symbol="A/HRC/40/6", external_id="cn-2")]
    result = run(world, items, countries=["SVN", "Slovenia"])
    assert (result.created, result.out_of_scope) == (1, 1)
    result = run(world, items, countries=None)
    assert (result.created, result.unchanged) == (1, 1)
    assert Document.objects.get(symbol="A/HRC/40/6").country.name == "China"


def test_a_preview_counts_exactly_and_changes_nothing(world):
    run(world, [record(1)])
    before = (Recommendation.objects.count(), Term.objects.count(), Document.objects.count(), history_count())
    items = [record(1, position="Noted"), record(2), record(3, document_symbol="A/HRC/99/1", themes=["Brand new"])]
    result = run(world, items, dry_run=True)
    assert not result.failed
    assert (result.created, result.updated, result.unchanged, result.new_terms) == (2, 1, 0, 1)
    after = (Recommendation.objects.count(), Term.objects.count(), Document.objects.count(), history_count())
    assert after == before


def test_rejected_rows_fail_the_import_unless_skipped(world):
    items = [record(1), RowProblem(2, "Document Publication Date", "Not a date: “soon”."), record(3)]
    result = run(world, items)
    assert result.failed and "1 rows were rejected" in result.message
    assert not imported().exists()
    assert result.problems[0].column == "Document Publication Date"
    result = run(world, items, skip_rejected=True)
    assert not result.failed
    assert (result.created, result.rejected) == (2, 1)


def test_a_file_that_breaks_half_way_leaves_the_database_as_it_was(world):
    before = (Recommendation.objects.count(), Document.objects.count(), Term.objects.count(), history_count())
    items = [record(1), record(2, document_symbol="A/HRC/98/1", themes=["Another new label"]), record(3)]
    result = import_file(
        path=Path("x.json"),
        reader=ListReader(items, fail_after=2),
        actor=world.admin,
        options=ImportOptions(dry_run=False),
    )
    assert result.failed and "ends in the middle" in result.message
    assert (Recommendation.objects.count(), Document.objects.count(), Term.objects.count(), history_count()) == before


def test_the_same_record_twice_in_one_file_is_rejected(world):
    result = run(world, [record(1), record(1, row=7)], skip_rejected=True)
    assert result.created == 1
    assert result.rejected == 1 and "first in row 2" in result.problems[0].reason


def test_a_record_with_no_date_anywhere_is_rejected(world):
    result = run(world, [record(1, issued_on=None, document_symbol="", session=None)])
    assert result.failed and result.problems[0].column == "date"


def test_a_run_keeps_the_file_then_the_report_and_counts(world, monkeypatch):
    monkeypatch.setattr(
        services,
        "reader_for",
        lambda format, **options: ListReader([record(1), RowProblem(3, "Text", "=cmd|' /C calc'!A0")]),
    )
    import io

    upload = io.BytesIO(b"[]")
    run_ = services.run_create(
        upload=upload, file_name="../../etc/export.json", format="uhri-json", options={}, actor=world.admin
    )
    assert run_.file_name == "export.json" and run_.file_size == 2
    assert (services.imports_dir() / run_.stored_file).exists()
    run_ = services.run_execute(run_)
    assert run_.state == ImportState.FAILED  # a rejected row, not skipped
    assert run_.rejected == 1 and run_.problems == [{"row": 3, "column": "Text", "reason": "=cmd|' /C calc'!A0"}]
    report = services.report_path(run_).read_text(encoding="utf-8-sig")
    assert "3,Text,'=cmd|' /C calc'!A0" in report  # a spreadsheet will not run it
    assert not (services.imports_dir() / run_.stored_file).exists() if run_.stored_file else True
    assert not imported().exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Supported", UprPosition.SUPPORTED),
        ("Accepted", UprPosition.SUPPORTED),
        ("- Supported", UprPosition.SUPPORTED),
        ("Noted", UprPosition.NOTED),
        ("Supported/Noted", UprPosition.PARTIALLY_SUPPORTED),
        ("Partially supported", UprPosition.PARTIALLY_SUPPORTED),
        ("", ""),
    ],
)
def test_positions_are_normalised(raw, expected):
    from rectrack.imports.mapping import upr_position

    assert upr_position(raw) == expected


def test_source_hash_ignores_label_order_but_not_content():
    a = record(1)
    assert services.source_hash(a) == services.source_hash(dataclasses.replace(a, themes=list(reversed(a.themes))))
    assert services.source_hash(a) != services.source_hash(dataclasses.replace(a, text=a.text + "!"))


def test_an_edit_begun_before_a_newer_import_is_refused_not_lost(world):
    from rectrack.audit.services import ConflictError
    from rectrack.recommendations.services import recommendation_update

    run(world, [record(1)])
    rec = imported().get()
    opened_version = rec.version
    run(world, [record(1, position="Noted")])
    with pytest.raises(ConflictError) as refused:
        recommendation_update(
            recommendation=rec, actor=world.admin, expected_version=opened_version, upr_position=UprPosition.SUPPORTED
        )
    assert "changed this recommendation after you opened it" in str(refused.value)
    rec.refresh_from_db()
    assert rec.upr_position == UprPosition.NOTED


def test_a_flagged_recommendation_says_so_on_its_page(world, client_for):
    from django.urls import reverse

    from rectrack.accounts.models import Role

    run(world, [record(1), record(2)])
    run(world, [record(1)])
    gone = imported().get(external_id="uhri-2")
    page = client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[gone.pk])).content.decode()
    assert "no longer holds this recommendation" in page and "uhri-2" in page
    kept = imported().get(external_id="uhri-1")
    page = client_for(world, Role.VIEWER).get(reverse("recommendations:detail", args=[kept.pk])).content.decode()
    assert "no longer holds" not in page
