"""The "Public portal" panel that recommendation, project and activity pages show to signed-in users."""

from django.urls import reverse

from rectrack.accounts import permissions
from rectrack.planning.models import Activity
from rectrack.portal import selectors
from rectrack.portal.forms import PublicationForm
from rectrack.portal.models import Publication

_KINDS = {"Recommendation": "recommendation", "Project": "project", "Activity": "activity"}
_PUBLIC_PAGES = {"recommendation": "portal:recommendation", "project": "portal:project"}


def publication_panel(user, obj) -> dict:
    """Whether `obj` is public and why; for administrators, the form that changes it."""
    kind = _KINDS[type(obj).__name__]
    public = selectors.is_public(obj)
    rules = selectors.rules()
    on_portal = public and kind in _PUBLIC_PAGES and rules.enabled
    panel = {
        "public": public,
        "follows_rule": obj.publication == Publication.DEFAULT,
        "url": reverse(_PUBLIC_PAGES[kind], args=[obj.pk]) if on_portal else "",
        "budget": selectors.budget_is_public(obj) if isinstance(obj, Activity) else None,
        "form": None,
    }
    if permissions.can_publish(user):
        initial = {"publication": obj.publication, "version": obj.version}
        if isinstance(obj, Activity):
            initial["budget_publication"] = obj.budget_publication
        panel["form"] = PublicationForm(initial=initial, auto_id=f"id_pub_{kind}_%s")
        panel["action"] = reverse("portal:publication", args=[kind, obj.pk])
    return panel
