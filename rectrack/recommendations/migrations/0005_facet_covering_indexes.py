"""Indexes that answer the list filters without reading the recommendations themselves.

A filtered search checks each candidate's status, mechanism, document and
position. Read from the table, that is one wide row (with its text) per
candidate; read from a covering index, a few narrow pages. PostgreSQL gets
one covering index per leading filter column (INCLUDE holds the others, so
any combination is checked from the index); SQLite, which passes its
benchmark without them and has no INCLUDE, keeps its single-column indexes.

Both get (term, recommendation) indexes on the tagging tables, so "tagged
with theme 40" is read from the index alone.
"""

from django.db import migrations

TABLE = "recommendations_recommendation"
FACETS = ["status", "mechanism_id", "document_id", "upr_position", "lead_institution_id", "kind", "issued_on", "id"]
# name: key columns; every other facet column is included.
COVERING = {
    "rec_facet_status_idx": ["status", "mechanism_id"],
    "rec_facet_mechanism_idx": ["mechanism_id"],
    "rec_facet_document_idx": ["document_id"],
    "rec_facet_position_idx": ["upr_position"],
    "rec_facet_lead_idx": ["lead_institution_id"],
}
TAGGING = ["themes", "affected_persons", "sdgs", "clusters"]


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for relation in TAGGING:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS rec_{relation}_term_rec_idx "
                f"ON {TABLE}_{relation} (term_id, recommendation_id)"
            )
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, keys in COVERING.items():
            included = ", ".join(column for column in FACETS if column not in keys)
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({', '.join(keys)}) INCLUDE ({included})")


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in [*COVERING, *(f"rec_{relation}_term_rec_idx" for relation in TAGGING)]:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_search_side_table")]

    operations = [migrations.RunPython(create, drop)]
