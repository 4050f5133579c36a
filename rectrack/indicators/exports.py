"""Indicators as rows for the filtered list's export (CSV, XLSX, JSON)."""

from collections.abc import Callable, Iterator

from django.db.models import Count, QuerySet

COLUMNS = (
    "id", "name", "kind", "unit", "description", "baseline_value", "baseline_date", "target_value", "target_date",
    "latest_value", "latest_date", "measurements", "data_source", "disaggregation", "responsible_institution",
    "recommendations", "activities", "projects", "url",
)  # fmt: skip


def indicator_rows(indicators: QuerySet, *, url: Callable[[int], str]) -> Iterator[dict]:
    """Rows of `indicators` (from `selectors.indicator_list`, with their totals), with their latest total value."""
    counted = indicators.annotate(
        n_measurements=Count("measurements", distinct=True),
        n_recommendations=Count("recommendations", distinct=True),
        n_activities=Count("activities", distinct=True),
        n_projects=Count("projects", distinct=True),
    )
    for indicator in counted.iterator(chunk_size=500):
        latest = indicator.totals[-1] if indicator.totals else None
        yield {
            "id": indicator.pk,
            "name": indicator.name,
            "kind": indicator.kind,
            "unit": indicator.unit,
            "description": indicator.description,
            "baseline_value": indicator.baseline_value,
            "baseline_date": indicator.baseline_date,
            "target_value": indicator.target_value,
            "target_date": indicator.target_date,
            "latest_value": latest.value if latest else None,
            "latest_date": latest.measured_on if latest else None,
            "measurements": indicator.n_measurements,
            "data_source": indicator.data_source,
            "disaggregation": indicator.disaggregation,
            "responsible_institution": str(indicator.responsible_institution or ""),
            "recommendations": indicator.n_recommendations,
            "activities": indicator.n_activities,
            "projects": indicator.n_projects,
            "url": url(indicator.pk),
        }
