"""Build the index of similar recommendations (similar ones, possible duplicates, search by meaning).

manage.py index_recommendations [--refresh]
"""

import json

from django.core.management.base import BaseCommand, CommandError

from rectrack.suggestions import services
from rectrack.suggestions.models import ModelState


class Command(BaseCommand):
    help = "Compare every recommendation's text with the others: similar recommendations and possible duplicates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Only take in the recommendations added or changed since the index was built.",
        )

    def handle(self, *args, refresh, **options):
        index = services.index_run(
            rebuild=not refresh, on_progress=lambda step, fraction: self.stderr.write(f"  {step}…")
        )
        if index.state != ModelState.READY:
            raise CommandError(index.message)
        self.stdout.write(
            f"{index.recommendations:,} recommendations indexed; "
            f"{index.figures.get('in_duplicate_sets', 0):,} in sets of possible duplicates."
        )
        self.stdout.write(json.dumps(index.figures))
