"""WSGI entry point, for gunicorn: `gunicorn rectrack.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectrack.settings")
application = get_wsgi_application()
