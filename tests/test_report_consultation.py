"""Consultation on a report draft: the secretariat shares it with institutions until a deadline; their focal points
and contributors read it and comment per section; the secretariat resolves the comments; all of it in the history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rectrack.accounts.models import Role
from rectrack.audit.models import AuditEvent
from rectrack.collaboration.models import Notification, NotificationKind
from rectrack.reporting import services
from rectrack.reporting.models import DraftComment, ReportDraft

from .conftest import written_draft


def _share(world, draft, *institutions, days=14):
    services.draft_share(
        actor=world.admin, draft=draft, institutions=list(institutions),
        deadline=timezone.localdate() + timedelta(days=days),
    )  # fmt: skip
    draft.refresh_from_db()
    return draft


def _events(draft):
    return list(AuditEvent.objects.filter(content_type__model="reportdraft", object_id=draft.pk).order_by("id"))


def test_the_secretariat_shares_a_draft_and_the_institutions_members_are_notified(world, client_for):
    draft = written_draft(world)
    client = client_for(world, Role.COORDINATOR)
    form = client.get(reverse("reporting:draft_share", args=[draft.pk])).content.decode()
    assert "Institutions consulted" in form and "Ombudsman" in form
    deadline = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("reporting:draft_share", args=[draft.pk]),
        {"shared_with": [world.justice.pk, world.nhri.pk], "consultation_deadline": deadline.isoformat(),
         "version": draft.version},
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert set(draft.shared_with.all()) == {world.justice, world.nhri} and draft.consultation_deadline == deadline
    notified = Notification.objects.filter(kind=NotificationKind.CONSULTATION)
    assert {note.recipient for note in notified} == {world.users[Role.FOCAL_POINT], world.users[Role.CONTRIBUTOR]}
    assert all(note.target_url == reverse("reporting:draft_detail", args=[draft.pk]) for note in notified)
    changes = _events(draft)[-1].changes
    assert changes["shared_with"]["added"] == ["Ministry of Justice", "Ombudsman"]
    page = client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    assert "Open for comment until" in page and "Shared with: Ministry of Justice, Ombudsman" in page
    listed = client_for(world, Role.CONTRIBUTOR).get(reverse("collaboration:notifications")).content.decode()
    assert "Administrator asks your institution to comment on" not in listed  # the coordinator shared it
    assert "Coordinator asks your institution to comment on" in listed

    # Adding an institution later notifies only its members.
    services.draft_share(actor=world.admin, draft=draft, institutions=[world.justice, world.nhri, world.interior],
                         deadline=deadline)  # fmt: skip
    assert Notification.objects.filter(kind=NotificationKind.CONSULTATION).count() == 2


def test_a_stale_share_form_is_refused_with_what_changed(world, client_for):
    draft = written_draft(world)
    version = draft.version
    _share(world, draft, world.nhri)
    response = client_for(world, Role.COORDINATOR).post(
        reverse("reporting:draft_share", args=[draft.pk]),
        {"shared_with": [world.interior.pk], "consultation_deadline": "2099-01-01", "version": version},
    )
    assert response.status_code == 200 and "changed" in response.content.decode().lower()
    draft.refresh_from_db()
    assert list(draft.shared_with.all()) == [world.nhri]


def test_a_deadline_in_the_past_or_an_unwritten_draft_cannot_be_shared(world, client_for):
    draft = written_draft(world)
    client = client_for(world, Role.COORDINATOR)
    response = client.post(
        reverse("reporting:draft_share", args=[draft.pk]),
        {"shared_with": [world.nhri.pk], "consultation_deadline": "2020-01-01"},
    )
    assert response.status_code == 200 and "The deadline for comments has passed already." in response.content.decode()
    assert not draft.shared_with.exists()
    queued = ReportDraft.objects.create(
        title="Queued", mechanism=world.upr, period_start="2020-01-01", period_end="2024-12-31"
    )
    assert client.get(reverse("reporting:draft_share", args=[queued.pk])).status_code == 404
    with pytest.raises(Exception, match="Only a written draft can be shared"):
        services.draft_share(actor=world.admin, draft=queued, institutions=[world.nhri],
                             deadline=timezone.localdate())  # fmt: skip


def test_a_contributor_reads_and_comments_on_a_draft_shared_with_their_institution(world, client_for):
    draft = _share(world, written_draft(world), world.nhri)
    client = client_for(world, Role.CONTRIBUTOR)
    listed = client.get(reverse("reporting:index")).content.decode()
    assert "Drafts shared with you for comment" in listed and draft.title in listed
    page = client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    assert "Add a comment" in page and "Share for comment" not in page and "Resolve" not in page
    assert "Updates" not in page  # the history is the secretariat's and the ministries'
    assert client.get(reverse("reporting:draft_download", args=[draft.pk])).status_code == 200

    section = draft.outline[0]
    response = client.post(
        reverse("reporting:draft_comment", args=[draft.pk]),
        {"section": section, "text": "The Ombudsman's 2024 report gives the number of complaints."},
    )
    comment = DraftComment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert (comment.section, comment.author, comment.institution) == (
        section, world.users[Role.CONTRIBUTOR], world.nhri
    )  # fmt: skip
    assert _events(draft)[-1].changes == {
        "comments": {"added": [f"Ombudsman · {section}: {comment.text}"], "removed": []}
    }
    # The secretariat member who asked for the draft hears of it.
    note = Notification.objects.get(recipient=draft.created_by, kind=NotificationKind.DRAFT_COMMENT)
    assert note.excerpt == comment.text and note.target_url.endswith(f"#comment-{comment.pk}")
    page = client_for(world, Role.COORDINATOR).get(reverse("reporting:draft_detail", args=[draft.pk]))
    assert comment.text.replace("'", "&#x27;") in page.content.decode() and "1 comment to resolve." in (
        page.content.decode()
    )


def test_who_may_comment(world, client_for):
    draft = _share(world, written_draft(world), world.nhri)  # not the Ministry of Justice
    url = reverse("reporting:draft_comment", args=[draft.pk])
    for role in (Role.FOCAL_POINT, Role.VIEWER):
        client = client_for(world, role)
        assert "Add a comment" not in client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
        assert client.post(url, {"section": "", "text": "x"}).status_code == 404, role
    for role in (Role.ADMINISTRATOR, Role.COORDINATOR, Role.CONTRIBUTOR):
        assert client_for(world, role).post(url, {"section": "", "text": f"From {role}"}).status_code == 302
    assert DraftComment.objects.count() == 3
    assert DraftComment.objects.get(text="From coordinator").institution is None


def test_the_deadline_closes_the_consultation(world, client_for):
    draft = _share(world, written_draft(world), world.nhri)
    ReportDraft.objects.filter(pk=draft.pk).update(consultation_deadline=timezone.localdate() - timedelta(days=1))
    client = client_for(world, Role.CONTRIBUTOR)
    page = client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    assert "Closed on" in page and "Add a comment" not in page
    response = client.post(reverse("reporting:draft_comment", args=[draft.pk]), {"section": "", "text": "Late"})
    assert response.status_code == 404 and not DraftComment.objects.exists()
    # The secretariat still notes what it hears.
    client_for(world, Role.COORDINATOR).post(reverse("reporting:draft_comment", args=[draft.pk]), {"text": "Noted"})
    assert DraftComment.objects.count() == 1


def test_a_contributor_reads_no_draft_that_is_not_shared_with_them(world, client_for):
    draft = _share(world, written_draft(world), world.justice)
    client = client_for(world, Role.CONTRIBUTOR)
    assert draft.title not in client.get(reverse("reporting:index")).content.decode()
    for name in ("reporting:draft_detail", "reporting:draft_download"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert client.post(reverse("reporting:draft_comment", args=[draft.pk]), {"text": "x"}).status_code == 404


def test_a_comment_on_an_unknown_section_or_an_empty_one_changes_nothing(world, client_for):
    draft = _share(world, written_draft(world), world.nhri)
    client = client_for(world, Role.CONTRIBUTOR)
    before = len(_events(draft))
    for data in ({"section": "No such section", "text": "x"}, {"section": "", "text": "   "}):
        response = client.post(reverse("reporting:draft_comment", args=[draft.pk]), data, follow=True)
        assert response.status_code == 200 and 'class="message error"' in response.content.decode()
    assert not DraftComment.objects.exists() and len(_events(draft)) == before


def test_the_secretariat_resolves_a_comment_once(world, client_for):
    draft = _share(world, written_draft(world), world.nhri)
    comment = services.draft_comment_add(
        actor=world.users[Role.CONTRIBUTOR], draft=draft, section="", text="Cite the March consultation.",
        institution=world.nhri,
    )  # fmt: skip
    url = reverse("reporting:comment_resolve", args=[comment.pk])
    for role in (Role.FOCAL_POINT, Role.VIEWER, Role.CONTRIBUTOR):
        assert client_for(world, role).post(url, {"resolution": "x"}).status_code == 404
    client = client_for(world, Role.COORDINATOR)
    response = client.post(url, {"resolution": "Added in the introduction."})
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == world.users[Role.COORDINATOR]
    assert comment.resolution == "Added in the introduction."
    assert _events(draft)[-1].changes == {
        "resolved comments": {
            "added": ["Whole draft: Cite the March consultation. → Added in the introduction."],
            "removed": [],
        }
    }
    again = client.post(url, {"resolution": "Twice"}, follow=True).content.decode()
    assert "This comment was resolved already." in again
    comment.refresh_from_db()
    assert comment.resolution == "Added in the introduction."
    page = client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    assert "0 comments to resolve." in page and "Resolved by Coordinator" in page
    listed = client.get(reverse("reporting:index")).content.decode()
    assert "Comments until" in listed


def test_the_history_feed_lists_drafts_and_templates(world, client_for):
    draft = _share(world, written_draft(world), world.nhri)
    page = client_for(world, Role.ADMINISTRATOR).get(reverse("audit:feed"), {"kind": "reportdraft"})
    text = page.content.decode()
    assert reverse("reporting:draft_detail", args=[draft.pk]) in text and "Report drafts" in text
    assert "Report templates" in text  # a kind administrators may filter on
    viewer = client_for(world, Role.VIEWER).get(reverse("audit:feed")).content.decode()
    assert "Report drafts" in viewer and "Report templates" not in viewer


def test_the_secretariat_deletes_a_draft_with_its_file_and_comments(
    world, client_for, django_capture_on_commit_callbacks
):
    draft = _share(world, written_draft(world), world.nhri)
    services.draft_comment_add(actor=world.users[Role.CONTRIBUTOR], draft=draft, section="", text="Noted.")
    path = draft.file.name
    url = reverse("reporting:draft_delete", args=[draft.pk])
    for role in (Role.FOCAL_POINT, Role.VIEWER, Role.CONTRIBUTOR):
        assert client_for(world, role).post(url).status_code == 404
    client = client_for(world, Role.COORDINATOR)
    assert "Delete the draft" in client.get(reverse("reporting:draft_detail", args=[draft.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("reporting:index")
    assert not ReportDraft.objects.exists() and not DraftComment.objects.exists()
    assert not draft.file.storage.exists(path)
    deleted = AuditEvent.objects.get(content_type__model="reportdraft", object_id=draft.pk, action="deleted")
    assert deleted.changes["title"] == {"old": draft.title, "new": None} and deleted.changes["comments"]["old"] == 1


def test_a_draft_being_written_is_not_deleted(world, client_for):
    queued = ReportDraft.objects.create(
        title="Queued", mechanism=world.upr, period_start="2020-01-01", period_end="2024-12-31"
    )
    response = client_for(world, Role.COORDINATOR).post(
        reverse("reporting:draft_delete", args=[queued.pk]), follow=True
    )
    assert "cannot be deleted" in response.content.decode() and ReportDraft.objects.filter(pk=queued.pk).exists()
