"""Suggest labels, with the model in use, for every recommendation lacking labels of a kind it knows.

manage.py suggest_labels
"""

from django.core.management.base import BaseCommand, CommandError

from rectrack.suggestions import services


class Command(BaseCommand):
    help = "Suggest themes, affected persons, SDGs and clusters for the recommendations lacking them."

    def handle(self, *args, **options):
        model = services.active_model()
        if model is None:
            raise CommandError("No label model is trained yet: run manage.py train_suggestions first.")
        count = services.suggest(model=model)
        self.stdout.write(f"{count:,} labels suggested; review them at /suggestions/.")
