from django.db import migrations


def move_search_index(apps, schema_editor):
    """PostgreSQL: the index moves from a generated column to a narrow side table."""
    from rectrack.recommendations.search import ensure_search_schema

    ensure_search_schema(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_id_status_index")]

    operations = [migrations.RunPython(move_search_index, migrations.RunPython.noop)]
