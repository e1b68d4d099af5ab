"""One settings module for every environment; the environment decides (12-factor).

Unset variables fall back to the embedded default: a SQLite file and a Celery broker on the
file system, so `make run` works on a bare machine. Production differs only by environment.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Local state of the embedded default: the SQLite file, the file-system broker, collected static.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
DEBUG = env.bool("DEBUG", default=False)

# A real key in production. Development and the test suite may run on a throwaway one;
# `make run` writes a random key to var/secret_key on first start.
_INSECURE_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = _INSECURE_KEY
if not SECRET_KEY or (
    not (DEBUG or TESTING) and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50)
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Demo data and the demo accounts (whose password is public) belong to the embedded default
# (no DATABASE_URL), or to a database that says so with DEMO=1; never to production by accident.
# The test suite may seed them on any database.
DEMO = env.bool("DEMO", default=TESTING or not env.str("DATABASE_URL", default=""))

# Behind TLS in production. The local demo of `make run` serves plain http on 127.0.0.1,
# so it sets HTTPS=0; `check --deploy` runs with the default.
HTTPS = env.bool("HTTPS", default=not (DEBUG or TESTING))
# Two-factor login for admins, coordinators and youth workers; off only for local demos and
# development.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG and not TESTING)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
    "csp",
    "django_celery_beat",
    "restart_platform.accounts",
    "restart_platform.taxonomy",
    "restart_platform.notifications",
    "employers",
    "youth",
    "intake",
    "matching",
    "prep_programme",
    "buddy",
    # Last: the order of INSTALLED_APPS is the order of the layers, lowest first, and the domain
    # events run their subscribers in this order (docs/events.md).
    "restart_platform.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "restart_platform.accounts.middleware.SessionRenewalMiddleware",
    # After authentication (and the session's renewal, which never answers early), so it also
    # marks the redirects of the middleware below.
    "restart_platform.accounts.middleware.PrivateResponseMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "restart_platform.accounts.middleware.SessionLifetimeMiddleware",
    "restart_platform.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "restart_platform.accounts.middleware.AuditlogMiddleware",
    # Last, so a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "restart_platform.urls"
WSGI_APPLICATION = "restart_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "restart_platform.accounts.context_processors.navigation",
                "restart_platform.notifications.context_processors.unread_notifications",
            ],
            # `{% load panels %}`: the slots a page leaves for the panels of higher apps;
            # `{% load filter_fields %}`: a list's filter fields, rendered without templates.
            "libraries": {
                "filter_fields": "restart_platform.filter_fields",
                "panels": "restart_platform.panels",
                "stale_edits": "restart_platform.stale_edits",
            },
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat write to one file: take the write lock at BEGIN
    # and wait for it, instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The tests get a file too, not Django's default in-memory database: that one is shared
    # between threads in SQLite's shared-cache mode, whose table locks fail at once with
    # "database table is locked" instead of waiting, so a test with a worker in a thread
    # would not lock the way `make run` does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No just-in-time compilation: PostgreSQL compiles a query whose cost estimate is high,
    # and for the short queries of a web page (a count over 20,000 intakes) the compiling
    # took over a second, a hundred times the query itself.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Choice lists in forms iterate their querysets; a server-side cursor costs three round
    # trips (declare, fetch, close) for a dozen rows. Our largest reads (exports of a city)
    # fit in memory comfortably.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, sessions ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

SESSION_COOKIE_AGE = 30 * 60  # idle timeout, renewed by SessionRenewalMiddleware
SESSION_RENEW_INTERVAL = 60  # seconds: a logged-in user's session is saved at most this often
SESSION_ABSOLUTE_AGE = 12 * 60 * 60  # checked by SessionLifetimeMiddleware
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Five failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# One helper decides a client's address for the lockout, the access log and the change history.
AXES_CLIENT_IP_CALLABLE = "restart_platform.accounts.client.client_ip"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "re-START"
OTP_TOTP_TOLERANCE = 1  # one 30-second step either way; replays are refused by django-otp
# The admin never shows a device's secret key or a backup code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# How many reverse proxies of our own stand in front of the app (each appends to
# X-Forwarded-For). 0: the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

# Password reset: requests per address and per entered e-mail address within the window.
PASSWORD_RESET_LIMIT_PER_ADDRESS = 10
PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3
PASSWORD_RESET_LIMIT_WINDOW = timedelta(hours=1)

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
# No page of ours uses these browser features; a script injected somewhere cannot either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
CSRF_FAILURE_VIEW = "restart_platform.views.csrf_failure"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Request bodies -------------------------------------------------------------------------
# Form fields of one request: far above any of our forms, far below what hurts a worker.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# A file larger than this goes to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The whole of an upload request; the employer import takes files up to 5 MB.
MAX_UPLOAD_REQUEST_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "restart_platform.uploads.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEBUG or TESTING:
    # Development serves from the finders; WhiteNoise still expects the folder to exist.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Uploaded files and backups ---------------------------------------------------------------
# Where the default file storage keeps uploaded files. No model keeps a file today (imports are
# read and discarded); `manage.py backup` takes whatever is here, so a file field added later
# is in every backup from its first upload.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Where `manage.py backup` (`make backup`) writes its folders: the database dump, the files of
# MEDIA_ROOT and a manifest with their checksums.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="re-START <noreply@restart.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Cache ----------------------------------------------------------------------------------
# Shared by every web process: the rate limits count here. Redis when there is one; else a
# folder in var/ (the embedded default runs two web workers). Tests keep their own in memory.
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
            "KEY_PREFIX": "restart",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Celery and the reminder outbox ---------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if REDIS_URL:
    # Reminders never ride the broker with an ETA, but a long-running task must not be
    # handed to a second worker while the first still has it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    CELERY_VISIBILITY_TIMEOUT = 3600
else:
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Where kombu keeps its exchange tables; its default is ./control, in the repository.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A trigger that cannot reach the broker fails fast; the outbox row waits for the next one.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.2}

# AVG retention: a young person who left the programme more than this many months ago is
# anonymised by the daily task youth.tasks.apply_retention (manage.py apply_retention).
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)

# The defaults are production's. The resilience suite (`make prove`) scales the durations down
# through these variables, so that a ten-minute outage can be proven in one.
REMINDER_BATCH_SIZE = 100
REMINDER_MAX_ATTEMPTS = 6  # then the reminder is marked failed and shown to coordinators
# 1, 2, 4, 8, 16 minutes between attempts: 31 minutes of a mail server's outage before the last.
REMINDER_RETRY_BASE = timedelta(seconds=env.float("REMINDER_RETRY_BASE_SECONDS", default=60))
REMINDER_RETRY_MAX = timedelta(seconds=env.float("REMINDER_RETRY_MAX_SECONDS", default=30 * 60))
# A claim older than this was lost with its worker.
REMINDER_STALE_CLAIM = timedelta(seconds=env.float("REMINDER_STALE_CLAIM_SECONDS", default=600))
# /healthz answers 503 when a reminder has been due this long and no dispatch ran for as long.
REMINDER_STUCK_AFTER = timedelta(seconds=env.float("REMINDER_STUCK_AFTER_SECONDS", default=300))

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Change history (django-auditlog) -------------------------------------------------------
# Every model is tracked, so a new app's records are covered from their first migration.
# Left out: framework bookkeeping, and our own high-churn delivery rows, whose life is in
# their own timestamps (the access log is append-only by itself).
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "admin",
    "sessions",
    "contenttypes",
    "axes",
    "otp_totp",
    "otp_static",
    "django_celery_beat.periodictasks",
    "django_celery_beat.periodictask",
    "accounts.accessevent",
    "notifications.reminder",
    "notifications.notification",
    "notifications.heartbeat",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login")
# Free text about a young person (notes, barriers, contact summaries, their words at intake)
# is recorded as changed, never copied: the history would otherwise be a second, unlogged
# file of it. Masked by field name in every model, so an employer's notes are masked alike.
AUDITLOG_MASK_TRACKING_FIELDS = (
    "notes",
    "note",
    "summary",
    "ambitions",
    "left_reason",
    "school_obligation_arrangement",
    "description",  # a network factor, in the young person's circle
    "reason",  # journey changes, follow-ups, shortlists
    "motivation_words",
    "motivation_drivers",
    "network_helping",
    "network_hindering",
    "youth_expectations",
    "employer_expectations",
    "agreed_expectations",
    "youth_impression",
    "employer_impression",
    "outcome_note",
    "cancel_reason",
    "answer_reason",
    "end_reason",
)
AUDITLOG_MASK_CALLABLE = "restart_platform.accounts.audit.mask_free_text"
AUDITLOG_STORE_JSON_CHANGES = True
