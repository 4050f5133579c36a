"""Import recommendations from a file: UHRI (JSON, Excel), OHCHR thematic lists (Word), UPR Info (CSV), spreadsheets."""

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rectrack.accounts.models import User
from rectrack.imports.formats import FORMATS, detect_format
from rectrack.imports.models import ImportState
from rectrack.imports.records import FileRejected
from rectrack.imports.services import import_path, report_path
from rectrack.imports.spreadsheets import remembered_mapping
from rectrack.instance import selectors as instance
from rectrack.suggestions.tasks import queue_after_import


class Progress:
    """A one-line progress bar on stderr, redrawn at most a few times a second."""

    def __init__(self, stream, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, fraction: float, result) -> None:
        if not self.enabled or (time.monotonic() - self.last < 0.2 and fraction < 1):
            return
        self.last = time.monotonic()
        filled = int(fraction * 30)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}  {result.rows_read:,} rows, "
            f"{result.created:,} new, {result.updated:,} updated, {result.unchanged:,} unchanged, "
            f"{result.rejected:,} rejected"
        )
        if fraction >= 1:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        self.add_import_options(parser)

    def add_import_options(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), help="Default: recognised from the content.")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument(
            "--country",
            action="append",
            help="Import only what concerns this State (name or ISO3; repeatable). Default: the instance's country.",
        )
        scope.add_argument("--all-countries", action="store_true", help="Import every State's recommendations.")
        parser.add_argument("--dry-run", action="store_true", help="Preview: count, change nothing.")
        parser.add_argument("--skip-rejected", action="store_true", help="Import the valid rows of a file with errors.")
        parser.add_argument(
            "--translation-of",
            metavar="LANGUAGE",
            choices=[code for code, _name in settings.LANGUAGES],
            help="The file holds the texts, in this language (fr, es, ...), of recommendations already imported "
            "from the same source: add them as translations and change nothing else.",
        )
        parser.add_argument("--mapping", help='Spreadsheets: JSON {"text": "Recommendation", ...} (field -> column).')
        parser.add_argument("--user", help="Username the history records the import under.")
        parser.add_argument("--report", type=Path, help="Write the rejected rows (CSV) here.")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        self.import_file(file, options)

    def import_file(self, file: Path, options: dict) -> None:
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            format = options["format"] or detect_format(file)
            reader_options = {}
            if format == "spreadsheet":
                reader_options = self._mapping(file, options["mapping"])
        except FileRejected as error:
            raise CommandError(str(error)) from error
        countries = None
        if not options["all_countries"]:
            countries = options["country"] or ([instance.country()] if instance.country() else None)
        interactive = sys.stderr.isatty() and options["verbosity"] >= 1
        run = import_path(
            file,
            format=format,
            actor=actor,
            countries=countries,
            dry_run=options["dry_run"],
            skip_rejected=options["skip_rejected"],
            translation_of=options.get("translation_of") or "",
            reader_options=reader_options,
            on_progress=Progress(self.stderr, interactive),
        )
        self._summary(run, countries)
        queue_after_import(run)
        if options["report"] and run.rejected:
            options["report"].write_bytes(report_path(run).read_bytes())
        if run.state == ImportState.FAILED:
            raise CommandError(run.message)

    def _mapping(self, file: Path, given: str | None) -> dict:
        if given:
            try:
                mapping = json.loads(given)
            except json.JSONDecodeError as error:
                raise CommandError(f"--mapping is not valid JSON: {error}") from error
            return {"mapping": mapping}
        remembered = remembered_mapping(file)
        if remembered is None:
            raise CommandError(
                "This spreadsheet has no saved column mapping: pass --mapping, or import it once from the web page."
            )
        return remembered

    def _summary(self, run, countries) -> None:
        verb = "Would import" if run.dry_run else "Imported"
        scope = ", ".join(countries) if countries else "all countries"
        self.stdout.write(
            f"{verb} {run.file_name} ({FORMATS[run.format]}; {scope}) in {run.seconds or 0:.1f} s: "
            f"{run.rows_read:,} rows read, {run.created:,} new, {run.updated:,} updated, "
            f"{run.unchanged:,} unchanged, {run.rejected:,} rejected, {run.out_of_scope:,} about other countries, "
            f"{run.flagged:,} gone from the source (flagged), {run.new_terms:,} new labels to review."
        )
        for problem in run.problems[:20]:
            column = f", column {problem['column']}" if problem["column"] else ""
            self.stdout.write(f"  row {problem['row']}{column}: {problem['reason']}")
        if run.rejected > 20:
            self.stdout.write(f"  … and {run.rejected - 20:,} more rejected rows (see --report).")
