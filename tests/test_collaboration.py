"""Attachments, comments with @mentions and notifications on activities."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectrack.accounts.models import Role, User
from rectrack.audit.models import AuditEvent
from rectrack.collaboration import services
from rectrack.collaboration.mentions import find_mentions, mark_mentions
from rectrack.collaboration.models import Attachment, Comment, Notification
from rectrack.portal.services import publication_set

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _last_change(activity):
    return AuditEvent.objects.filter(object_id=activity.pk, content_type__model="activity").latest("id").changes


# Attachments ---------------------------------------------------------------


def test_an_attachment_is_kept_privately_and_recorded(world, settings):
    attachment = services.attachment_add(activity=world.activity, actor=world.admin, upload=_pdf(), description="Q3")
    assert attachment.name == "report.pdf" and attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF) and len(attachment.sha256) == 64
    path = attachment.file.path
    assert path.startswith(str(settings.PRIVATE_FILES_ROOT)) and "report" not in path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert _last_change(world.activity) == {"attachments": {"added": ["report.pdf"], "removed": []}}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "cannot be attached"),
        ("image.svg", b"<svg onload='alert(1)'/>", "cannot be attached"),
        ("run.exe", b"MZ\x90\x00", "cannot be attached"),
        ("fake.pdf", b"<html><body>not a pdf</body></html>", "not a PDF file"),
        ("notes.txt", b"<!DOCTYPE html><html><script>x</script>", "not a TXT file"),
        ("data.csv", b"a,b\x00\x01", "not a CSV file"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_files_of_other_types_or_disguised_are_refused(world, client_for, name, content, message):
    client = client_for(world, Role.COORDINATOR)
    url = reverse("collaboration:attachment_add", args=[world.activity.pk])
    version = world.activity.version
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert Attachment.objects.count() == 0
    world.activity.refresh_from_db()
    assert world.activity.version == version


def test_a_file_over_the_size_limit_is_refused(world, client_for, settings):
    settings.RECTRACK_ATTACHMENT_MAX_BYTES = 100
    client = client_for(world, Role.COORDINATOR)
    response = client.post(
        reverse("collaboration:attachment_add", args=[world.activity.pk]), {"file": _pdf(content=PDF * 10)}
    )
    assert "attachments may be at most 100" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_a_download_is_never_rendered_inline(world, client_for):
    attachment = services.attachment_add(
        activity=world.activity, actor=world.admin, upload=SimpleUploadedFile("minutes.txt", b"Meeting of 3 May")
    )
    response = client_for(world, Role.VIEWER).get(reverse("collaboration:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;") and "minutes.txt" in response["Content-Disposition"]
    )
    assert response["Content-Type"] == "text/plain"
    assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"Meeting of 3 May"


ATTACHERS = {Role.ADMINISTRATOR, Role.COORDINATOR, Role.FOCAL_POINT}


@pytest.mark.parametrize("role", list(Role))
def test_who_may_attach_files(world, client_for, role):
    client = client_for(world, role)
    response = client.post(reverse("collaboration:attachment_add", args=[world.activity.pk]), {"file": _pdf()})
    attached = Attachment.objects.filter(activity=world.activity).exists()
    assert attached == (role in ATTACHERS)
    if role not in ATTACHERS:
        assert response.status_code == 404


def test_a_focal_point_of_another_institution_may_not_attach(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)  # Ministry of Justice; the Interior leads this one
    response = client.post(reverse("collaboration:attachment_add", args=[world.interior_activity.pk]), {"file": _pdf()})
    assert response.status_code == 404 and not Attachment.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_who_may_remove_an_attachment(world, client_for, role):
    attachment = services.attachment_add(activity=world.activity, actor=world.admin, upload=_pdf())
    client_for(world, role).post(reverse("collaboration:attachment_remove", args=[attachment.pk]))
    removed = not Attachment.objects.filter(pk=attachment.pk).exists()
    assert removed == (role in ATTACHERS)
    if removed:
        assert _last_change(world.activity) == {"attachments": {"added": [], "removed": ["report.pdf"]}}


def test_the_file_goes_when_its_attachment_is_removed(world, django_capture_on_commit_callbacks):
    attachment = services.attachment_add(activity=world.activity, actor=world.admin, upload=_pdf())
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, actor=world.admin)
    assert not storage.exists(name)


def test_contributors_download_only_public_attachments_of_what_they_read(world, client_for):
    private = services.attachment_add(activity=world.activity, actor=world.admin, upload=_pdf("internal.pdf"))
    public = services.attachment_add(
        activity=world.activity, actor=world.admin, upload=_pdf("summary.pdf"), is_public=True
    )
    client = client_for(world, Role.CONTRIBUTOR)
    download = lambda a: client.get(reverse("collaboration:attachment_download", args=[a.pk])).status_code  # noqa: E731
    assert download(private) == 404 and download(public) == 404  # the activity is not published
    publication_set(obj=world.activity, actor=world.admin, publication="published")
    assert download(private) == 404 and download(public) == 200
    page = client.get(reverse("planning:activity_detail", args=[world.activity.pk])).content.decode()
    assert "summary.pdf" in page and "internal.pdf" not in page


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_put_an_attachment_on_the_portal(world, client_for, role):
    attachment = services.attachment_add(activity=world.activity, actor=world.admin, upload=_pdf())
    client_for(world, role).post(
        reverse("collaboration:attachment_public", args=[attachment.pk]), {"is_public": "true"}
    )
    attachment.refresh_from_db()
    assert attachment.is_public == (role == Role.ADMINISTRATOR)


def test_the_portal_serves_public_attachments_of_published_activities_only(world, client):
    from rectrack.instance.services import portal_rules_update

    portal_rules_update(actor=world.admin, portal_enabled=True)
    public = services.attachment_add(
        activity=world.activity, actor=world.admin, upload=_pdf("plan.pdf"), is_public=True
    )
    private = services.attachment_add(activity=world.activity, actor=world.admin, upload=_pdf("draft.pdf"))
    url = lambda a: reverse("portal:attachment", args=[a.pk])  # noqa: E731
    assert client.get(url(public)).status_code == 404  # activity not published yet
    publication_set(obj=world.activity, actor=world.admin, publication="published")
    publication_set(obj=world.education, actor=world.admin, publication="published")
    response = client.get(url(public))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert client.get(url(private)).status_code == 404
    page = client.get(reverse("portal:recommendation", args=[world.education.pk])).content.decode()
    assert "plan.pdf" in page and "draft.pdf" not in page


# Comments and mentions ---------------------------------------------------------


def test_mentions_find_people_by_user_name_or_the_start_of_an_e_mail(world):
    maria = User.objects.create_user(username="maria.novak@gov.example", role=Role.FOCAL_POINT, password="x" * 20)
    found = find_mentions("Thanks @viewer, and @maria.novak: see the report. Mail me at someone@gov.example.")
    assert {user.pk for user in found} == {world.user(Role.VIEWER).pk, maria.pk}
    assert find_mentions("@Maria.Novak@gov.example") == [maria]


@pytest.mark.parametrize(("text", "message"), [("Hello @nobody", "@nobody"), ("@contributor please", "@contributor")])
def test_a_mention_of_no_one_who_reads_comments_is_refused(world, text, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        services.comment_add(activity=world.activity, actor=world.admin, body=text)
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_mentions_are_shown_escaped_and_emphasised():
    html = mark_mentions("<b>hi</b> @viewer\nnext")
    assert html == '&lt;b&gt;hi&lt;/b&gt; <strong class="mention">@viewer</strong><br>next'


def test_a_comment_notifies_the_people_it_mentions(world, client_for):
    client = client_for(world, Role.FOCAL_POINT)
    url = reverse("collaboration:comment_add", args=[world.activity.pk])
    response = client.post(url, {"body": "@coordinator the training report is attached. cc @focal_point"}, follow=True)
    assert b"Your comment was added." in response.content
    comment = Comment.objects.get()
    assert set(comment.mentions.all()) == {world.user(Role.COORDINATOR), world.user(Role.FOCAL_POINT)}
    notice = Notification.objects.get()  # not to the author
    assert notice.recipient == world.user(Role.COORDINATOR) and notice.kind == "mention"
    assert notice.target_url.endswith(f"#comment-{comment.pk}")
    assert _last_change(world.activity)["comments"]["added"][0].startswith("@coordinator the training")

    coordinator = client_for(world, Role.COORDINATOR)
    page = coordinator.get(reverse("dashboard:home")).content.decode()
    assert "Notifications (1 new)" in page
    listing = coordinator.get(reverse("collaboration:notifications")).content.decode()
    assert "mentioned you on" in listing and world.activity.title in listing
    coordinator.post(reverse("collaboration:notifications_read"))
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Notifications (1 new)" not in coordinator.get(reverse("dashboard:home")).content.decode()


COMMENTERS = {Role.ADMINISTRATOR, Role.COORDINATOR, Role.FOCAL_POINT}


@pytest.mark.parametrize("role", list(Role))
def test_who_may_comment(world, client_for, role):
    response = client_for(world, role).post(
        reverse("collaboration:comment_add", args=[world.interior_activity.pk]), {"body": "Any news?"}
    )
    assert Comment.objects.exists() == (role in COMMENTERS)
    if role not in COMMENTERS:
        assert response.status_code == 404


def test_contributors_do_not_see_comments(world, client_for):
    services.comment_add(activity=world.activity, actor=world.admin, body="Internal: budget cut likely")
    publication_set(obj=world.activity, actor=world.admin, publication="published")
    page = client_for(world, Role.CONTRIBUTOR).get(reverse("planning:activity_detail", args=[world.activity.pk]))
    assert page.status_code == 200 and "budget cut" not in page.content.decode()
    viewer_page = client_for(world, Role.VIEWER).get(reverse("planning:activity_detail", args=[world.activity.pk]))
    assert "budget cut" in viewer_page.content.decode()


def test_an_empty_or_too_long_comment_is_refused(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    url = reverse("collaboration:comment_add", args=[world.activity.pk])
    assert "This field is required" in client.post(url, {"body": "  "}).content.decode()
    assert "at most 5000" in client.post(url, {"body": "x" * 5001}).content.decode()
    assert not Comment.objects.exists()


def test_one_may_only_mark_ones_own_notifications_read(world, client_for):
    services.notify(
        recipients=[world.user(Role.VIEWER)], kind="mention", actor=world.admin, target_label="x", target_url="/"
    )
    notice = Notification.objects.get()
    client_for(world, Role.COORDINATOR).post(reverse("collaboration:notifications_read"), {"id": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize("role", list(Role))
def test_everyone_turns_their_own_digest_e_mails_off(world, client_for, role):
    client = client_for(world, role)
    response = client.post(reverse("collaboration:preferences"), {}, follow=True)
    assert b"no longer receive" in response.content
    user = world.user(role)
    user.refresh_from_db()
    assert user.digest_emails is False
    client.post(reverse("collaboration:preferences"), {"digest_emails": "on"})
    user.refresh_from_db()
    assert user.digest_emails is True
