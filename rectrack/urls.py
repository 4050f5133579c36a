from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("RecTrack administration")
admin.site.site_title = _("RecTrack administration")

urlpatterns = [
    path("", include("rectrack.dashboard.urls")),
    path("accounts/", include("rectrack.accounts.urls")),
    path("recommendations/", include("rectrack.recommendations.urls")),
    path("imports/", include("rectrack.imports.urls")),
    path("updates/", include("rectrack.audit.urls")),
    path("settings/instance/", include("rectrack.instance.urls")),
    path("settings/taxonomy/", include("rectrack.taxonomy.urls")),
    path("settings/institutions/", include("rectrack.institutions.urls")),
    path("indicators/", include("rectrack.indicators.urls")),
    path("calendar/", include("rectrack.agenda.urls")),
    path("requests/", include("rectrack.inquiries.urls")),
    path("statistics/", include("rectrack.statistics.urls")),
    path("reporting/", include("rectrack.reporting.urls")),
    path("", include("rectrack.suggestions.urls")),
    path("", include("rectrack.collaboration.urls")),
    path("", include("rectrack.portal.urls")),
    path("", include("rectrack.planning.urls")),
    path("admin/", admin.site.urls),
]
