"""The public portal: what is published, the default rules, open data, and that nothing else leaks."""

import csv
import io
import json
import re
from decimal import Decimal
from urllib.parse import urljoin, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from rectrack.accounts.models import Role, User
from rectrack.audit.models import AuditEvent
from rectrack.collaboration import services as collaboration
from rectrack.instance import services as instance_services
from rectrack.instance.models import InstanceSettings
from rectrack.institutions.models import Institution
from rectrack.planning import services as planning
from rectrack.planning.models import ActivityStatus
from rectrack.portal import selectors
from rectrack.portal.models import Publication
from rectrack.portal.services import publication_set
from rectrack.recommendations import services as recs

MARK = "qxleak"  # in every unpublished thing; must never reach an anonymous reader
SECRET_WORD = "kangaroo"  # only in the withheld recommendation's text
SECRET_BUDGET = "987654"


def publish_by_default(**overrides):
    rules = {"publish_recommendations": True, "publish_projects": True, "publish_activities": True, **overrides}
    instance_services.portal_rules_update(actor=None, **rules)


class Leaky:
    """The world, published by default, beside unpublished things that carry MARK."""

    def __init__(self, world):
        self.world = world
        publish_by_default()
        person = User.objects.create_user(
            username=f"{MARK}-person", email=f"{MARK}@gov.example", first_name=f"{MARK.title()} Person",
            password="a-long-test-password", role=Role.COORDINATOR,
        )  # fmt: skip
        self.person = person
        self.hidden_institution = Institution.objects.create(name=f"Institute {MARK} of secrets", acronym="QXL")
        self.withheld = recs.recommendation_create(
            actor=person,
            document=world.document,
            text=f"121.99 Draft {MARK} text about the {SECRET_WORD} programme;",
            lead_institution=self.hidden_institution,
            themes=[world.education_theme],
        )
        publication_set(obj=self.withheld, actor=person, publication=Publication.WITHHELD)
        recs.recommendation_assign_to_projects(recommendation=self.withheld, projects=[world.project], actor=person)
        self.withheld_project = planning.project_create(actor=person, name=f"Secret {MARK} plan")
        publication_set(obj=self.withheld_project, actor=person, publication=Publication.WITHHELD)
        recs.recommendation_assign_to_projects(
            recommendation=world.education, projects=[self.withheld_project], actor=person
        )
        self.withheld_activity = planning.activity_create(
            actor=person,
            title=f"Unannounced {MARK} activity",
            description=f"Internal {MARK} notes",
            lead_institution=world.justice,
            recommendations=[world.education],
            projects=[world.project],
        )
        publication_set(obj=self.withheld_activity, actor=person, publication=Publication.WITHHELD)
        # Published, made by the marked person, with a budget that is not published.
        self.costed = planning.activity_create(
            actor=person,
            title="Public awareness campaign",
            lead_institution=world.justice,
            status=ActivityStatus.PLANNED,
            budget_amount=Decimal(SECRET_BUDGET + ".50"),
            budget_currency="EUR",
            funding_source=f"{MARK} fund",
            means_of_verification=f"{MARK} internal verification",
            recommendations=[world.education],
            projects=[world.project],
        )
        # Internal follow-up on published objects: a progress note and a status change's justification.
        planning.activity_add_note(activity=self.costed, actor=person, body=f"Internal {MARK} progress note")
        recs.recommendation_change_status(
            recommendation=world.torture, actor=person, status="in_progress",
            effective_on=world.torture.issued_on, justification=f"Internal {MARK} justification",
            evidence=f"https://{MARK}.example/evidence",
        )  # fmt: skip
        # Attachments and comments: only a file marked public, of a published activity, is served.
        pdf = b"%PDF-1.4 published summary"
        self.public_file = collaboration.attachment_add(
            activity=self.costed, actor=person, upload=SimpleUploadedFile("summary.pdf", pdf), is_public=True
        )
        collaboration.attachment_add(
            activity=self.costed, actor=person, description=f"{MARK} internal",
            upload=SimpleUploadedFile(f"{MARK}-draft.pdf", b"%PDF-1.4 " + MARK.encode()),
        )  # fmt: skip
        collaboration.attachment_add(
            activity=self.withheld_activity, actor=person, is_public=True,
            upload=SimpleUploadedFile(f"{MARK}-plan.pdf", b"%PDF-1.4 " + MARK.encode()),
        )  # fmt: skip
        collaboration.comment_add(activity=self.costed, actor=person, body=f"Internal {MARK} comment")
        self.published_recommendations = {world.education.pk, world.torture.pk, world.women.pk}


@pytest.fixture
def leaky(world) -> Leaky:
    return Leaky(world)


def _crawl(client, start: str, limit: int = 300) -> dict[str, str]:
    """Every portal page reachable from `start` by links, with its text."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig")
        seen[url] = text
        if "html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'href="([^"]+)"', text):
            target = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(target)
            if parsed.path.startswith("/public/") and target not in seen:
                queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return seen


def _assert_clean(text: str, where: str) -> None:
    lowered = text.lower()
    assert MARK not in lowered, f"unpublished content or personal data at {where}"
    assert SECRET_WORD not in lowered, f"the withheld recommendation's text at {where}"
    digits = re.sub(r"[\s,.\u202f\u066c]", "", text)  # group separators of every language shown
    assert SECRET_BUDGET not in digits, f"an unpublished budget at {where}"


def test_nothing_unpublished_is_reachable_from_the_portal(leaky):
    pages = _crawl(Client(), reverse("portal:home"))
    # The crawl reached every kind of page, downloads included.
    for name in ("portal:recommendations", "portal:projects", "portal:open_data"):
        assert reverse(name) in pages
    assert reverse("portal:project", args=[leaky.world.project.pk]) in pages
    assert reverse("portal:recommendation", args=[leaky.world.education.pk]) in pages
    assert reverse("portal:download", args=["activities", "json"]) in pages
    for url, text in pages.items():
        _assert_clean(text, url)
    assert "Public awareness campaign" in pages[reverse("portal:project", args=[leaky.world.project.pk])]
    assert pages[reverse("portal:attachment", args=[leaky.public_file.pk])] == "%PDF-1.4 published summary"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_nothing_unpublished_leaks_in_any_language(leaky, language):
    client = Client(headers={"accept-language": language})
    for url, text in _crawl(client, reverse("portal:home"), limit=40).items():
        _assert_clean(text, f"{url} ({language})")


def test_unpublished_objects_are_not_found(leaky):
    client = Client()
    assert client.get(reverse("portal:recommendation", args=[leaky.withheld.pk])).status_code == 404
    assert client.get(reverse("portal:project", args=[leaky.withheld_project.pk])).status_code == 404


def test_search_filters_and_counts_see_only_published(leaky):
    client = Client()
    url = reverse("portal:recommendations")
    home = client.get(reverse("portal:home"))
    assert home.context["recommendation_count"] == 3
    assert home.context["project_count"] == 1
    assert home.context["activity_count"] == 3  # the world's two, and the costed one
    assert sum(row["count"] for row in home.context["statuses"]) == 3

    searched = client.get(url, {"q": SECRET_WORD})
    assert searched.context["page"].paginator.count == 0
    assert client.get(url, {"q": "draft"}).context["page"].paginator.count == 0
    theme = client.get(url, {"theme": leaky.world.education_theme.pk})
    assert {rec.pk for rec in theme.context["page"].object_list} == {leaky.world.education.pk}

    # A withheld project or an institution that leads only withheld work is no filter option, and as a
    # filter value it is dropped (the list stays the published three), not applied.
    for name, value in (("project", leaky.withheld_project.pk), ("lead", leaky.hidden_institution.pk)):
        response = client.get(url, {name: value})
        assert value not in dict(response.context["form"].fields[name].choices)
        assert response.context["page"].paginator.count == 3
        _assert_clean(response.content.decode(), f"{url}?{name}={value}")
    by_project = client.get(url, {"project": leaky.world.project.pk})
    assert {rec.pk for rec in by_project.context["page"].object_list} == {leaky.world.education.pk}

    project_page = client.get(reverse("portal:project", args=[leaky.world.project.pk]))
    assert project_page.context["recommendation_count"] == 1
    assert sum(row["count"] for row in project_page.context["activity_statuses"]) == 2


def _download(client, dataset: str, fmt: str):
    response = client.get(reverse("portal:download", args=[dataset, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_open_data_holds_exactly_what_is_published(leaky):
    client = Client()
    world = leaky.world
    rows = list(csv.DictReader(io.StringIO(_download(client, "recommendations", "csv"))))
    assert {int(row["id"]) for row in rows} == leaky.published_recommendations
    education = next(row for row in rows if int(row["id"]) == world.education.pk)
    assert education["projects"] == str(world.project.pk)  # not the withheld project
    assert education["lead_institution"] == "Ministry of Justice"

    data = json.loads(_download(client, "recommendations", "json"))
    assert {item["id"] for item in data["items"]} == leaky.published_recommendations
    assert data["meta"]["dataset"] == "recommendations"

    activities = json.loads(_download(client, "activities", "json"))["items"]
    assert {item["id"] for item in activities} == {world.activity.pk, world.interior_activity.pk, leaky.costed.pk}
    costed = next(item for item in activities if item["id"] == leaky.costed.pk)
    assert costed["budget"] is None and costed["funding_source"] == ""
    assert "means_of_verification" not in costed

    projects = json.loads(_download(client, "projects", "json"))["items"]
    assert [item["id"] for item in projects] == [world.project.pk]
    assert projects[0]["recommendations"] == [world.education.pk]
    assert leaky.withheld_activity.pk not in projects[0]["activities"]


def test_a_published_budget_is_shown_with_its_funding_source(leaky):
    publication_set(obj=leaky.costed, actor=None, publication=Publication.DEFAULT, budget_publication="published")
    client = Client()
    page = client.get(reverse("portal:project", args=[leaky.world.project.pk])).content.decode()
    assert "€987,654.50" in page
    costed = next(
        item for item in json.loads(_download(client, "activities", "json"))["items"] if item["id"] == leaky.costed.pk
    )
    assert costed["budget"] == "987654.50" and costed["currency"] == "EUR"
    # The world's own activity follows the rule, which does not publish budgets.
    assert "100000" not in page.replace(",", "").replace(".00", "")


def test_the_rules_decide_for_objects_that_follow_them(world):
    client = Client()
    # A new instance publishes nothing.
    assert client.get(reverse("portal:home")).context["recommendation_count"] == 0
    assert _download(client, "recommendations", "csv").count("\n") == 1  # the header only
    publication_set(obj=world.women, actor=None, publication=Publication.PUBLISHED)
    assert set(selectors.public_recommendations()) == {world.women}
    publish_by_default(publish_projects=False)
    publication_set(obj=world.torture, actor=None, publication=Publication.WITHHELD)
    assert set(selectors.public_recommendations()) == {world.women, world.education}
    assert not selectors.public_projects().exists()
    assert selectors.is_public(world.activity) and not selectors.budget_is_public(world.activity)


def test_a_closed_portal_answers_not_found_everywhere(world):
    publish_by_default()
    instance_services.portal_rules_update(actor=None, portal_enabled=False)
    client = Client()
    for name, args in (
        ("portal:home", []),
        ("portal:recommendations", []),
        ("portal:recommendation", [world.education.pk]),
        ("portal:projects", []),
        ("portal:project", [world.project.pk]),
        ("portal:open_data", []),
        ("portal:download", ["recommendations", "json"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_unknown_datasets_and_formats_are_not_found(world):
    publish_by_default()
    client = Client()
    assert client.get(reverse("portal:download", args=["users", "csv"])).status_code == 404
    assert client.get(reverse("portal:download", args=["recommendations", "xml"])).status_code == 404


def test_csv_cells_that_look_like_formulas_are_escaped(world):
    publish_by_default()
    planning.activity_create(actor=None, title='=HYPERLINK("http://evil.example")', lead_institution=world.justice)
    rows = list(csv.DictReader(io.StringIO(_download(Client(), "activities", "csv"))))
    assert '\'=HYPERLINK("http://evil.example")' in {row["title"] for row in rows}


def test_an_administrator_publishes_and_withholds_with_history(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    detail = client.get(reverse("recommendations:detail", args=[world.torture.pk]))
    assert b"On the public portal" in detail.content and b"Not published" in detail.content
    url = reverse("portal:publication", args=["recommendation", world.torture.pk])
    response = client.post(url, {"publication": "published", "version": world.torture.version}, follow=True)
    assert b"It is on the public portal." in response.content
    world.torture.refresh_from_db()
    assert world.torture.publication == Publication.PUBLISHED
    event = AuditEvent.objects.filter(object_id=str(world.torture.pk)).order_by("-pk").first()
    assert event.actor == world.admin and event.changes["publication"] == {"old": "default", "new": "published"}
    assert Client().get(reverse("portal:recommendation", args=[world.torture.pk])).status_code == 200

    # A page opened before that change is refused, not applied over it.
    stale = world.torture.version - 1
    response = client.post(url, {"publication": "withheld", "version": stale}, follow=True)
    world.torture.refresh_from_db()
    assert world.torture.publication == Publication.PUBLISHED
    assert b"changed" in response.content


def test_an_administrator_publishes_an_activity_budget(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    url = reverse("portal:publication", args=["activity", world.activity.pk])
    client.post(url, {"publication": "published", "budget_publication": "published", "version": world.activity.version})
    world.activity.refresh_from_db()
    assert (world.activity.publication, world.activity.budget_publication) == ("published", "published")
    assert selectors.budget_is_public(world.activity)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_administrators_see_the_publication_form(world, client_for, role):
    planning.project_update(project=world.project, actor=None, shared_with=[world.nhri])  # the contributor reads it
    page = client_for(world, role).get(reverse("planning:project_detail", args=[world.project.pk]))
    assert b"Public portal" in page.content
    assert b"On the public portal" not in page.content
    response = client_for(world, role).post(
        reverse("portal:publication", args=["project", world.project.pk]), {"publication": "published"}
    )
    assert response.status_code == 404
    world.project.refresh_from_db()
    assert world.project.publication == Publication.DEFAULT


def test_the_settings_page_changes_the_rules_with_history(world, client_for):
    client = client_for(world, Role.ADMINISTRATOR)
    response = client.post(
        reverse("portal:settings"), {"portal_enabled": "on", "publish_recommendations": "on"}, follow=True
    )
    assert b"Your changes were saved." in response.content
    current = InstanceSettings.objects.get()
    assert current.publish_recommendations and not current.publish_projects
    assert b"Publish recommendations by default changed from" in response.content
    assert selectors.public_recommendations().count() == 3
    client.post(reverse("portal:settings"), {})
    assert Client().get(reverse("portal:home")).status_code == 404
