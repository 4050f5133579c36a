"""RecTrack settings, read from the environment with safe development defaults.

Every setting a deployment may change is an environment variable; nothing
secret lives in this file. See `docs/configuration.md` for the list.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Where the SQLite file, uploaded files and the development secret key live.
DATA_DIR = Path(os.environ.get("RECTRACK_DATA_DIR", BASE_DIR / "var"))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in DATA_DIR.

    The file fallback keeps sessions valid across restarts of a development
    instance without ever writing a key into the repository.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", "false")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("SITE_NAME", "RecTrack")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rectrack.accounts",
    "rectrack.audit",
    "rectrack.taxonomy",
    "rectrack.institutions",
    "rectrack.recommendations",
    "rectrack.planning",
    "rectrack.agenda",
    "rectrack.indicators",
    "rectrack.imports",
    "rectrack.instance",
    "rectrack.portal",
    "rectrack.collaboration",
    "rectrack.inquiries",
    "rectrack.statistics",
    "rectrack.reporting",
    "rectrack.suggestions",
    "django_tasks",
    "django_tasks_db",
    "rectrack.dashboard",
    "rectrack.demo",
    "rectrack.lib",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rectrack.lib.middleware.SecurityHeadersMiddleware",
    # Pages shrink to a fifth on the wire; Django's GZip adds random padding
    # against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rectrack.accounts.middleware.SessionExpiryMiddleware",
    "rectrack.accounts.middleware.TwoFactorRequiredMiddleware",
    "rectrack.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "rectrack.urls"
WSGI_APPLICATION = "rectrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rectrack" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rectrack.lib.context_processors.site",
                "rectrack.collaboration.context_processors.notifications",
            ],
        },
    },
]

# Databases: DATABASE_URL selects PostgreSQL (postgres://...) or another
# SQLite file; the default is one SQLite file in DATA_DIR, in WAL mode.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'rectrack.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run while one writer writes; IMMEDIATE transactions
        # take the write lock up front, so concurrent writers wait for it
        # (busy timeout) instead of failing half-way with "database is locked".
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2 for new and changed passwords; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the six UN languages. Catalogues live in locale/.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
]
# National languages beside the six: "sl:Slovenščina,pt:Português" (code:name in
# that language). Their catalogues go in locale/<code>/ (see README).
LANGUAGES += [
    (code.strip().lower(), name.strip())
    for code, _sep, name in (item.partition(":") for item in envlist("RECTRACK_EXTRA_LANGUAGES", ""))
    if code.strip() and name.strip()
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "rectrack" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve static files straight from the source folders when they have not been
# collected (development, tests); `make demo` collects them.
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", "true")
if WHITENOISE_USE_FINDERS:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "files"))
# Attachments: never under MEDIA_ROOT or any URL; served only by views that check permissions.
PRIVATE_FILES_ROOT = Path(os.environ.get("PRIVATE_FILES_ROOT", DATA_DIR / "private"))
# Largest attachment accepted (bytes).
RECTRACK_ATTACHMENT_MAX_BYTES = int(os.environ.get("RECTRACK_ATTACHMENT_MAX_BYTES", str(25 * 1024 * 1024)))
# The suggestion models and the index of similar recommendations: files rebuilt from the database
# (manage.py train_suggestions, index_recommendations); every application server reads the same folder.
RECTRACK_MODELS_DIR = Path(os.environ.get("RECTRACK_MODELS_DIR", DATA_DIR / "models"))
# After each import, a background task suggests labels for what it brought and refreshes that index.
RECTRACK_SUGGEST_AFTER_IMPORT = envbool("RECTRACK_SUGGEST_AFTER_IMPORT", "true")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: the mail server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rectrack@localhost")
# The address people use to reach this instance, for links in e-mails sent by background tasks.
RECTRACK_SITE_URL = os.environ.get("RECTRACK_SITE_URL", "http://127.0.0.1:8000")

# Security. RECTRACK_HTTPS=true (behind TLS, as in production) turns on
# secure cookies, HSTS and the redirect to HTTPS; `manage.py check --deploy`
# is then clean (tested). docs/security.md names each threat and its answer.
RECTRACK_HTTPS = envbool("RECTRACK_HTTPS", "false")
# Set when a reverse proxy in front of the application terminates TLS and
# sets X-Forwarded-Proto and X-Forwarded-For.
RECTRACK_TRUSTED_PROXY = envbool("RECTRACK_TRUSTED_PROXY", "false")
if RECTRACK_TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", str(RECTRACK_HTTPS))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = RECTRACK_HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if RECTRACK_HTTPS else 0)))
# Defaults for a site served only over HTTPS, subdomains included; set these
# to false when another site under the same domain still speaks plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(RECTRACK_HTTPS))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(RECTRACK_HTTPS))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
RECTRACK_CONTENT_SECURITY_POLICY = os.environ.get(
    "RECTRACK_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
)
# Sessions end after this long without a request, and this long after sign-in.
RECTRACK_SESSION_IDLE_MINUTES = int(os.environ.get("RECTRACK_SESSION_IDLE_MINUTES", "120"))
RECTRACK_SESSION_MAX_HOURS = int(os.environ.get("RECTRACK_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = RECTRACK_SESSION_MAX_HOURS * 3600
# Sign-in throttling: this many failures for one user name (or many more from
# one address) within the window pause sign-in for that name (or address).
RECTRACK_LOGIN_MAX_FAILURES = int(os.environ.get("RECTRACK_LOGIN_MAX_FAILURES", "5"))
RECTRACK_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("RECTRACK_LOGIN_MAX_FAILURES_PER_ADDRESS", "50"))
RECTRACK_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("RECTRACK_LOGIN_LOCKOUT_MINUTES", "15"))
# Administrators must sign in with a second factor (an authenticator app).
RECTRACK_REQUIRE_2FA_FOR_ADMINS = envbool("RECTRACK_REQUIRE_2FA_FOR_ADMINS", "false")
# An invitation link works once, for this many days; a password reset link for three days.
RECTRACK_INVITATION_DAYS = int(os.environ.get("RECTRACK_INVITATION_DAYS", "7"))
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Caches: "default" is per process; "shared" is seen by every process of the
# instance (web servers and task workers), for example an import's progress.
# Point it at Redis (django.core.cache.backends.redis.RedisCache) when the
# processes run on several machines.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": os.environ.get("SHARED_CACHE_BACKEND", "django.core.cache.backends.filebased.FileBasedCache"),
        "LOCATION": os.environ.get("SHARED_CACHE_LOCATION", str(DATA_DIR / "cache")),
    },
}

# Background tasks (imports): queued in the database and run by
# `manage.py db_worker`, which `make demo` starts beside the web server.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The daily e-mail digests go at this hour (local time), queued for the task worker.
RECTRACK_DIGEST_HOUR = int(os.environ.get("RECTRACK_DIGEST_HOUR", "7"))

# Largest file an import accepts (a full UHRI JSON export is about 360 MB).
RECTRACK_IMPORT_MAX_BYTES = int(os.environ.get("RECTRACK_IMPORT_MAX_BYTES", str(600 * 1024 * 1024)))
# Where `manage.py sync_uhri` fetches the UHRI export from (JSON or XLSX).
RECTRACK_UHRI_EXPORT_URL = os.environ.get("RECTRACK_UHRI_EXPORT_URL", "")
# Uploads above this size go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The instance's own country (a national instance) and its default currency.
RECTRACK_COUNTRY = os.environ.get("RECTRACK_COUNTRY", "")
RECTRACK_DEFAULT_CURRENCY = os.environ.get("RECTRACK_DEFAULT_CURRENCY", "EUR")
RECTRACK_PAGE_SIZE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
