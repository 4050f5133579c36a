"""Rebuild an empty instance from a backup archive: `manage.py restore FILE`.

The database is migrated first; the archive may come from SQLite or
PostgreSQL, whichever this instance uses. Nothing changes if anything is
wrong with the archive or if the instance already holds data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rectrack.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            summary = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {summary.rows:,} rows and {summary.files:,} files from {summary.path}.")
        self.stdout.write(
            "The label model and the index of similar recommendations are rebuilt from the data: run "
            "manage.py train_suggestions and manage.py index_recommendations (or Settings › Suggestions)."
        )
