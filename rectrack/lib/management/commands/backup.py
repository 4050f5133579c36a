"""Write one archive with the database and the files: `manage.py backup [--output FILE]`."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rectrack.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive to write (default: DATA_DIR/backups/rectrack-<date and time>.zip).",
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.DATA_DIR) / "backups" / f"rectrack-{stamp}.zip"
        try:
            summary = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {summary.rows:,} rows and {summary.files:,} files to {summary.path} "
            f"({summary.bytes / 1024 / 1024:.1f} MB)."
        )
