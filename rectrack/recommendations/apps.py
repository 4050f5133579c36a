from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_schema(using, **kwargs):
    from django.db import connections

    from rectrack.recommendations.search import ensure_search_schema

    ensure_search_schema(connections[using])


class RecommendationsConfig(AppConfig):
    name = "rectrack.recommendations"
    verbose_name = _("Recommendations")

    def ready(self):
        # SQLite rebuilds a table when a migration alters it, dropping the
        # full-text triggers with it; recreate them after every migrate.
        post_migrate.connect(_ensure_search_schema, sender=self)
