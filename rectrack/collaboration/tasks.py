"""The daily digests run as a background task that queues its next run (no broker, no cron needed).

`manage.py send_reminders --schedule` (run by `make demo`) queues the first
run; each run queues the next one for the next day at RECTRACK_DIGEST_HOUR.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from rectrack.collaboration.reminders import send_daily_digests


def next_run(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(now.date(), time(settings.RECTRACK_DIGEST_HOUR)))
    return at if at > now else at + timedelta(days=1)


def _already_queued() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover (another backend)
        return False
    return DBTaskResult.objects.filter(task_path=daily_digests.module_path, status="READY").exists()


def schedule(now: datetime | None = None) -> datetime | None:
    """Queue the next daily run unless one is queued; None when the backend cannot defer tasks."""
    if not default_task_backend.supports_defer or _already_queued():
        return None
    when = next_run(now)
    daily_digests.using(run_after=when).enqueue()
    return when


@task()
def daily_digests() -> int:
    sent = send_daily_digests()
    schedule()
    return sent
