"""Test settings: the application's own, with fast hashing and a local mail outbox.

The database comes from DATABASE_URL like the application's (SQLite by
default); `make test` runs the suite once on each database.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("RECTRACK_DATA_DIR", tempfile.mkdtemp(prefix="rectrack-tests-"))

from rectrack.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LANGUAGE_CODE = "en"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Imports in tests do not train models or build indexes; tests/test_suggestions*.py turn it on where they check it.
RECTRACK_SUGGEST_AFTER_IMPORT = False
