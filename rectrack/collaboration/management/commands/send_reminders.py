from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rectrack.collaboration import tasks
from rectrack.collaboration.reminders import send_daily_digests


class Command(BaseCommand):
    help = (
        "Send today's e-mail digests of reminders and notifications (at most one per person per day), "
        "or, with --schedule, queue the daily run for the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the daily run instead of sending now.")
        parser.add_argument("--date", help="Send as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, schedule=False, date=None, **options):
        if schedule:
            when = tasks.schedule()
            if when is None:
                self.stdout.write("The daily digests are already queued (or the task backend cannot defer tasks).")
            else:
                self.stdout.write(f"The daily digests are queued for {when:%Y-%m-%d %H:%M}.")
            return
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        sent = send_daily_digests(today)
        self.stdout.write(f"{sent} digest(s) sent.")


def _parse(value: str) -> date:
    return date.fromisoformat(value)
