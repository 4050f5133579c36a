"""Progress notes on activities: rich text reduced to a safe subset, with history and permissions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.lib.richtext import excerpt, sanitize
from rectrack.planning import services as planning
from rectrack.planning.models import ProgressNote


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Trained 40 teachers.\n\nNext: the north.", "<p>Trained 40 teachers.</p>\n\n<p>Next: the north.</p>"),
        ("<p><b>Done</b> <script>alert(1)</script></p>", "<p><b>Done</b> </p>"),
        ('<a href="javascript:alert(1)" onclick="x()">see</a>', '<a rel="noopener noreferrer nofollow">see</a>'),
        (
            '<a href="https://gov.example/r">report</a>',
            '<a href="https://gov.example/r" rel="noopener noreferrer nofollow">report</a>',
        ),
        ('<img src=x onerror="alert(1)"><ul><li style="color:red">one</li></ul>', "<ul><li>one</li></ul>"),
        ("<div><span>a &amp; b</span></div>", "a &amp; b"),
        ("<script>only script</script>", ""),
    ],
)
def test_what_is_kept_of_rich_text(written, stored):
    assert sanitize(written) == stored


def test_an_excerpt_is_plain_text():
    assert excerpt("<p>One &amp; two</p><p>three</p>") == "One & two three"


def test_a_note_is_added_with_a_history_entry(world):
    version = world.activity.version
    note = planning.activity_add_note(activity=world.activity, actor=world.admin, body="<p>Forty <em>teachers</em></p>")
    assert note.body == "<p>Forty <em>teachers</em></p>" and note.created_by == world.admin
    world.activity.refresh_from_db()
    assert world.activity.version == version + 1
    event = AuditEvent.objects.filter(object_id=world.activity.pk, content_type__model="activity").latest("id")
    assert event.changes == {"notes": {"added": ["Forty teachers"], "removed": []}}


def test_an_empty_note_is_refused(world):
    with pytest.raises(ValidationError):
        planning.activity_add_note(activity=world.activity, actor=world.admin, body="<script>x</script>  ")
    assert ProgressNote.objects.count() == 0


def test_the_page_adds_and_shows_notes_safely(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)  # of the Ministry of Justice, which leads the activity
    url = reverse("planning:activity_note", args=[world.activity.pk])
    response = client.post(url, {"body": 'Done <script>alert("x")</script><b>well</b>'}, follow=True)
    assert b"The note was added." in response.content
    page = response.content.decode()
    assert "<b>well</b>" in page and 'alert("x")' not in page
    response = client.post(url, {"body": "   "})
    assert response.status_code == 200 and b"This field is required." in response.content
    assert ProgressNote.objects.count() == 1


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.VIEWER])
def test_readers_cannot_add_notes(world, client_for, role):
    response = client_for(world, role).post(reverse("planning:activity_note", args=[world.activity.pk]), {"body": "x"})
    assert response.status_code == 404
    assert ProgressNote.objects.count() == 0


def test_a_focal_point_adds_notes_only_to_their_institutions_activities(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    response = client.post(reverse("planning:activity_note", args=[world.interior_activity.pk]), {"body": "x"})
    assert response.status_code == 404
    page = client.get(reverse("planning:activity_detail", args=[world.interior_activity.pk])).content
    assert b"Add the note" not in page
