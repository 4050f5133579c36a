from django.apps import AppConfig


class LibConfig(AppConfig):
    """Shared helpers; an app only so that Django finds its template tags."""

    name = "rectrack.lib"
    label = "rectrack_lib"
