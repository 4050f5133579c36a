"""Projects: the grid with progress, detail, creation and editing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectrack.accounts.models import Role
from rectrack.planning import services as planning
from rectrack.planning.models import ActivityStatus, Project
from rectrack.recommendations import services as recs
from rectrack.recommendations.models import ImplementationStatus


@pytest.fixture
def viewer(world, client_for):
    return client_for(world, Role.VIEWER)


def test_the_grid_shows_progress_and_it_changes_with_the_work(world, viewer):
    url = reverse("planning:project_list")
    assert "0 / 1 recommendations implemented" in viewer.get(url).content.decode()
    assert "0 / 1 activities completed" in viewer.get(url).content.decode()
    recs.recommendation_assign_to_projects(recommendation=world.women, projects=[world.project], actor=world.admin)
    planning.activity_update(activity=world.activity, actor=world.admin, status=ActivityStatus.COMPLETED)
    content = viewer.get(url).content.decode()
    assert "1 / 2 recommendations implemented" in content
    assert "1 / 1 activities completed" in content


def test_progress_counts_each_link_once(world):
    from rectrack.planning.selectors import project_detail

    for n in range(3):
        planning.activity_create(
            actor=world.admin,
            title=f"A{n}",
            lead_institution=world.justice,
            projects=[world.project],
            status=ActivityStatus.COMPLETED,
        )
    recs.recommendation_update(
        recommendation=world.education, actor=world.admin, status=ImplementationStatus.FULLY_IMPLEMENTED
    )
    project = project_detail(world.project.pk)
    assert (project.recommendations_implemented, project.recommendations_total) == (1, 1)
    assert (project.activities_completed, project.activities_total) == (3, 4)


def test_grid_filters_and_sorting(world, viewer):
    planning.project_create(actor=world.admin, name="Anti-corruption", status="planned")
    names = lambda **p: [x.name for x in viewer.get(reverse("planning:project_list"), p).context["page"].object_list]  # noqa: E731
    assert names() == ["Anti-corruption", "Education for all"]
    assert names(sort="-name") == ["Education for all", "Anti-corruption"]
    assert names(status="planned") == ["Anti-corruption"]
    assert names(q="educ") == ["Education for all"]


def test_grid_query_count_does_not_grow(world, viewer, django_assert_max_num_queries):
    url = reverse("planning:project_list")
    with CaptureQueriesContext(connection) as few:
        viewer.get(url)
    for n in range(8):
        planning.project_create(actor=world.admin, name=f"Project {n}", status="active")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = viewer.get(url)
    assert len(response.context["page"].object_list) == 9


def test_detail_lists_recommendations_and_activities(world, viewer):
    content = viewer.get(reverse("planning:project_detail", args=[world.project.pk])).content.decode()
    assert "121.2 (A/HRC/43/15)" in content
    assert "Train teachers on inclusive education" in content


def test_create_and_edit(world, client_for):
    client = client_for(world, Role.COORDINATOR)
    response = client.post(
        reverse("planning:project_create"),
        {
            "name": "Roma inclusion",
            "status": "active",
            "start_date": "2026-01-01",
            "end_date": "2028-12-31",
            "lead_institution": world.justice.pk,
        },
    )
    project = Project.objects.get(name="Roma inclusion")
    assert response["Location"] == reverse("planning:project_detail", args=[project.pk])
    response = client.post(
        reverse("planning:project_edit", args=[project.pk]),
        {"name": "Roma inclusion 2026-2028", "status": "active", "version": project.version},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Roma inclusion 2026-2028"
    assert project.version == 2


def test_an_end_before_the_start_is_refused(world, client_for):
    response = client_for(world, Role.COORDINATOR).post(
        reverse("planning:project_create"),
        {"name": "Backwards", "status": "active", "start_date": "2026-01-01", "end_date": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Project.objects.filter(name="Backwards").exists()


def test_a_stale_project_edit_is_refused(world, client_for):
    version = world.project.version
    planning.project_update(project=world.project, actor=world.admin, expected_version=version, name="Education 2030")
    response = client_for(world, Role.COORDINATOR).post(
        reverse("planning:project_edit", args=[world.project.pk]),
        {"name": "Mine", "status": "active", "version": version},
    )
    assert "changed this project after you opened it" in response.content.decode()
    assert Project.objects.get(pk=world.project.pk).name == "Education 2030"
