from django.db import migrations


def create_search_index(apps, schema_editor):
    from rectrack.recommendations.search import ensure_search_schema

    ensure_search_schema(schema_editor.connection)


def drop_search_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS recommendation_fts_{trigger}")
            cursor.execute("DROP TABLE IF EXISTS recommendations_recommendation_fts")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS recommendation_search_rows ON recommendations_recommendation")
            cursor.execute("DROP TRIGGER IF EXISTS recommendation_search_truncate ON recommendations_recommendation")
            cursor.execute("DROP FUNCTION IF EXISTS recommendation_search_sync()")
            cursor.execute("DROP TABLE IF EXISTS recommendations_recommendation_search")
            cursor.execute("ALTER TABLE recommendations_recommendation DROP COLUMN IF EXISTS search_vector")
            cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS rectrack")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
