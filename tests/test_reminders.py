"""Daily digests: deadlines recalled before and after, unread notifications, one e-mail per person per day.

Sent through Django's mail outbox, and through a real SMTP conversation with
a small server listening on 127.0.0.1 for the test.
"""

import socketserver
import threading
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from rectrack.accounts.models import Role
from rectrack.collaboration import services as collaboration
from rectrack.collaboration import tasks
from rectrack.collaboration.models import Digest, Notification
from rectrack.collaboration.reminders import reminders_for, send_daily_digests
from rectrack.inquiries import services as inquiries
from rectrack.planning import services as planning


@pytest.fixture
def focal(world):
    user = world.user(Role.FOCAL_POINT)  # main focal point of the Ministry of Justice
    user.email = "focal@justice.example"
    user.save()
    return user


def _due_in(world, days):
    planning.activity_update(
        activity=world.activity, actor=world.admin, deadline=timezone.localdate() + timedelta(days)
    )


@pytest.mark.parametrize(("days", "reminded"), [(7, True), (3, False), (1, True), (0, True), (-1, True), (-7, True),
                                                (-10, False), (-28, True), (-29, False)])  # fmt: skip
def test_deadlines_are_recalled_on_set_days_before_and_after(world, focal, days, reminded):
    planning.activity_update(activity=world.activity, actor=world.admin, start_date=None)
    _due_in(world, days)
    found = reminders_for(focal, timezone.localdate())
    assert bool(found) == reminded
    if reminded:
        assert found[0].title == world.activity.title and found[0].days == days


def test_closed_activities_and_other_institutions_are_not_recalled(world, focal):
    _due_in(world, 1)
    planning.activity_update(activity=world.activity, actor=world.admin, status="completed")
    assert reminders_for(focal, timezone.localdate()) == []
    assert reminders_for(world.user(Role.COORDINATOR), timezone.localdate()) == []  # no institution


def test_one_digest_a_day_with_deadlines_requests_and_mentions(world, focal):
    _due_in(world, 1)
    inquiries.request_send(
        actor=world.admin, title="Mid-term report", instructions="Progress?", word_limit=100,
        deadline=timezone.localdate() + timedelta(days=7), activities=[world.activity], institutions=[world.justice],
    )  # fmt: skip
    collaboration.comment_add(activity=world.activity, actor=world.admin, body="@focal_point see the new budget")
    assert send_daily_digests() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["focal@justice.example"] and "4 things to look at today" in message.subject
    assert "Train teachers on inclusive education" in message.body and "due in 1 day" in message.body
    assert "Mid-term report" in message.body and "due in 7 days" in message.body
    assert "see the new budget" in message.body
    assert "http://127.0.0.1:8000/notifications/preferences/" in message.body
    html = message.alternatives[0][0]
    assert '<a href="http://127.0.0.1:8000/activities/' in html
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2  # the request and the mention
    # Later the same day: a new mention, but no second e-mail today.
    collaboration.comment_add(activity=world.activity, actor=world.admin, body="@focal_point and again")
    assert send_daily_digests() == 0 and len(mail.outbox) == 1
    # Tomorrow it goes, with only what is new.
    assert send_daily_digests(timezone.localdate() + timedelta(days=1)) == 1
    assert "and again" in mail.outbox[1].body and "see the new budget" not in mail.outbox[1].body


def test_nothing_to_say_sends_nothing_and_records_nothing(world, focal):
    assert send_daily_digests() == 0
    assert not mail.outbox and not Digest.objects.exists()


def test_whoever_turned_the_digest_off_gets_none(world, focal):
    _due_in(world, 0)
    focal.digest_emails = False
    focal.save()
    assert send_daily_digests() == 0 and not mail.outbox


def test_a_digest_is_written_in_the_persons_language(world, focal):
    focal.language = "fr"
    focal.save()
    _due_in(world, 0)
    send_daily_digests()
    assert "aujourd" in mail.outbox[0].body.lower()


def test_a_failed_sending_can_be_tried_again(world, focal, settings):
    _due_in(world, 0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    with pytest.raises(OSError):
        send_daily_digests()
    assert not Digest.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_daily_digests() == 1


def test_the_command_sends_the_digests(world, focal, capsys):
    _due_in(world, 0)
    call_command("send_reminders")
    assert "1 digest(s) sent." in capsys.readouterr().out and len(mail.outbox) == 1


def test_the_daily_run_is_queued_for_the_next_morning(settings):
    settings.RECTRACK_DIGEST_HOUR = 7
    now = timezone.make_aware(timezone.datetime(2026, 11, 29, 9, 30))
    assert tasks.next_run(now) == timezone.make_aware(timezone.datetime(2026, 11, 30, 7, 0))
    early = timezone.make_aware(timezone.datetime(2026, 11, 29, 6, 0))
    assert tasks.next_run(early) == timezone.make_aware(timezone.datetime(2026, 11, 29, 7, 0))


def test_scheduling_with_the_database_backend_queues_one_run(settings, db):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first = tasks.schedule()
    again = tasks.schedule()
    if first is None:
        pytest.skip("the task backend in use cannot defer tasks")
    assert again is None
    assert DBTaskResult.objects.filter(task_path=tasks.daily_digests.module_path).count() == 1


# A real SMTP conversation ----------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept messages and keep them."""

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self._reply("220 test.local ESMTP")
        envelope = {"to": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250 test.local")
            elif verb == "MAIL":
                envelope = {"from": command.split(":", 1)[1].strip(), "to": []}
                self._reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command.split(":", 1)[1].strip())
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.messages.append((envelope, b"".join(lines)))
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("250 OK")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_digests_go_through_a_real_smtp_server(world, focal, settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.server_address
    _due_in(world, -1)
    assert send_daily_digests() == 1
    envelope, raw = smtp_server.messages[0]
    assert envelope["to"] == ["<focal@justice.example>"]
    message = message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "focal@justice.example" and "1 thing to look at today" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "1 day late" in text and world.activity.title in text
    assert message.get_body(preferencelist=("html",)) is not None
    assert Digest.objects.get().items == 1
