from django.core.management.base import BaseCommand
from django.db import transaction

from rectrack.recommendations.seed import seed_mechanisms
from rectrack.taxonomy.seed import seed_taxonomy


class Command(BaseCommand):
    help = "Create or refresh the UHRI vocabularies, the SDGs and the mechanisms from the data files. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        counts = seed_taxonomy()
        counts["mechanisms"] = seed_mechanisms()
        for name, count in counts.items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count}")
