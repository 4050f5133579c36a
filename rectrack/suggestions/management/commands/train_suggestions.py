"""Train the label model on the instance's labelled recommendations, then suggest labels for those lacking them.

manage.py train_suggestions [--no-suggest]
"""

import json

from django.core.management.base import BaseCommand, CommandError

from rectrack.suggestions import services
from rectrack.suggestions.models import ModelState


class Command(BaseCommand):
    help = "Train the label-suggestion model on the recommendations already classified, then suggest labels."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-suggest", action="store_true", help="Only train: do not suggest labels for recommendations."
        )

    def handle(self, *args, no_suggest, **options):
        model = services.model_request(actor=None, then_suggest=not no_suggest)
        if model.state != ModelState.QUEUED:
            raise CommandError("A training is already running; wait for it to finish.")
        model = services.model_train(model, on_progress=lambda step, fraction: self.stderr.write(f"  {step}…"))
        if model.state != ModelState.READY:
            raise CommandError(model.message)
        for kind, figures in model.figures.items():
            self.stdout.write(
                f"{kind}: {figures['labels']} labels learnt from {figures['recommendations']:,} recommendations; "
                f"on {figures['held_out']:,} kept aside, precision {figures['precision']:.2f}, "
                f"recall {figures['recall']:.2f}"
            )
        self.stdout.write(f"Trained in {model.seconds} s.")
        self.stdout.write(json.dumps(model.figures))
