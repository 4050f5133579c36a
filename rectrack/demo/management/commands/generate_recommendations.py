import time

from django.core.management.base import BaseCommand, CommandError

from rectrack.demo.synthetic import generate_recommendations

MAXIMUM = 1_000_000


class Command(BaseCommand):
    help = "Generate N realistic synthetic recommendations (with documents, projects and activities) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many recommendations, for example 260000.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed; the same seed gives the same data.")

    def handle(self, *args, count, seed, **options):
        if not 1 <= count <= MAXIMUM:
            raise CommandError(f"Give a count between 1 and {MAXIMUM:,}.")
        started = time.monotonic()
        result = generate_recommendations(count, seed=seed, progress=lambda line: self.stdout.write(line))
        for name, value in result.items():
            self.stdout.write(f"{name}: {value:,}")
        self.stdout.write(f"seconds: {time.monotonic() - started:.1f}")
