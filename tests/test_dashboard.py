"""The dashboard and the sections still to come."""

from django.urls import reverse

from rectrack.accounts.models import Role


def test_dashboard_welcomes_and_counts(world, client_for):
    response = client_for(world, Role.FOCAL_POINT).get(reverse("dashboard:home"))
    overview = response.context["overview"]
    assert overview.recommendations_total == 3
    assert overview.activities_total == 2
    assert overview.activities_overdue == 1
    assert overview.projects_active == 1
    content = response.content.decode()
    assert "Welcome, Focal point!" in content
    # The focal point's institution (Justice) leads one open activity.
    assert [a.pk for a in response.context["my_activities"]] == [world.activity.pk]
    assert "Train teachers on inclusive education" in content


def test_dashboard_for_someone_without_an_institution(world, client_for):
    content = client_for(world, Role.ADMINISTRATOR).get(reverse("dashboard:home")).content.decode()
    assert "You are not a member of any institution" in content


def test_recent_updates_are_listed(world, client_for):
    content = client_for(world, Role.VIEWER).get(reverse("dashboard:home")).content.decode()
    assert "Independent police complaints body" in content


def test_sections_to_come_say_what_will_be_there(world, client_for):
    client = client_for(world, Role.VIEWER)
    assert "users and their roles" in client.get(reverse("dashboard:settings")).content.decode()


def test_navigation_marks_the_current_section(world, client_for):
    content = client_for(world, Role.VIEWER).get(reverse("planning:activity_list")).content.decode()
    assert 'href="/activities/" aria-current="page"' in content


def test_login_page_and_wrong_password(world, client):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "viewer", "password": "wrong"})
    assert "The user name or the password is not right" in response.content.decode()
    unknown = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert "The user name or the password is not right" in unknown.content.decode()
    response = client.post(reverse("accounts:login"), {"username": "viewer", "password": "a-long-test-password"})
    assert response.status_code == 302
