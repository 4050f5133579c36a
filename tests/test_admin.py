"""The administration site: every model has its pages, and changes there are in the history."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from rectrack.audit.models import AuditEvent
from rectrack.institutions.models import Institution


def test_every_rectrack_model_is_in_the_admin():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "audit", "taxonomy", "institutions", "recommendations", "planning", "indicators", "agenda"}
        and model not in admin.site._registry
    ]
    assert missing == []


def test_every_admin_list_and_form_opens(world, client):
    client.force_login(world.admin)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        if model_admin.has_add_permission(type("R", (), {"user": world.admin})()):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info
        first = model.objects.first()
        if first is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk])).status_code == 200, info


@pytest.mark.django_db
def test_admin_changes_are_recorded(world, client):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    url = reverse("admin:institutions_institution_change", args=[world.justice.pk])
    response = client.post(
        url,
        {
            "name": "Ministry of Justice and Public Administration",
            "acronym": "MJ",
            "kind": "ministry",
            "level": "national",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(content_type__model="institution", object_id=world.justice.pk).latest("id")
    assert event.changes["name"] == {
        "old": "Ministry of Justice",
        "new": "Ministry of Justice and Public Administration",
    }
    assert event.actor == world.admin
    assert Institution.objects.get(pk=world.justice.pk).name.endswith("Public Administration")
