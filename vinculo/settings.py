"""Vínculo settings: one file, every value that varies comes from the environment.

SQLite under var/ is the embedded default; set DATABASE_URL for PostgreSQL.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from vinculo.lib.env import env_bool, env_email_url, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VINCULO_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("VINCULO_TESTING", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; a development key kept under var/ otherwise.

    The file is created once with a random key, so a fresh clone needs no configuration
    and no secret is ever committed.
    """
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.utils.crypto import get_random_string

        key_file.write_text(get_random_string(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI's assets for /api/v1/docs from static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "vinculo.core",
    "vinculo.accounts",
    "vinculo.customers",
    "vinculo.journeys",
    "vinculo.imports",
    "vinculo.messaging",
    "vinculo.surveys",
    "vinculo.metrics",
    "vinculo.feedback",
    "vinculo.cases",
    "vinculo.textan",
    "vinculo.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vinculo.accounts.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "vinculo.urls"
WSGI_APPLICATION = "vinculo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vinculo.accounts.context_processors.actor",
                "vinculo.cases.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vinculo.sqlite3'}"),
        # Opening a PostgreSQL connection costs more than a whole survey submission:
        # keep it for a minute, checked before reuse.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # A file cache is shared by the web server and the worker without any extra service;
        # it carries import progress and rate-limit counters.
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("VINCULO_CACHE_DIR", str(VAR_DIR / "cache")),
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

if TESTING:
    # The suite runs tasks in-process and keeps counters per process, so runs never share
    # state through var/; everything else is the production configuration.
    TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "vinculo" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT: Path | None = VAR_DIR / "static"
# The app serves its own assets (HTMX, charts, CSS): never a CDN, nothing from the internet.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if TESTING:
    # Tests serve static files straight from the apps: no collectstatic run, so no manifest
    # to look up, and no stale copy under var/ to serve instead.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    STATIC_ROOT = None
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Uploads larger than this are written to a temporary file as they arrive (Django's
# TemporaryFileUploadHandler), never held in memory; under var/ rather than /tmp, which is
# often a RAM disk, and on the same disk as the media they are then moved to.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", str(VAR_DIR / "uploads"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 50 * 1024 * 1024)
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 512 * 1024 * 1024)
# Files scored from /texts/score/: the largest accepted, and how long jobs and their files
# are kept (the texts are customers' words: they are not kept for ever).
TEXT_SCORING_MAX_BYTES = env_int("TEXT_SCORING_MAX_BYTES", 1024 * 1024 * 1024)
TEXT_SCORING_RETENTION_DAYS = env_int("TEXT_SCORING_RETENTION_DAYS", 7)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# EMAIL_URL names the whole relay in one variable and wins over EMAIL_BACKEND; see
# vinculo.lib.env.parse_email_url for the schemes.
_email_url = env_email_url("EMAIL_URL")
if _email_url is not None:
    EMAIL_BACKEND = _email_url.backend
    EMAIL_HOST = _email_url.host
    EMAIL_PORT = _email_url.port
    EMAIL_HOST_USER = _email_url.user
    EMAIL_HOST_PASSWORD = _email_url.password
    EMAIL_USE_TLS = _email_url.use_tls
    EMAIL_USE_SSL = _email_url.use_ssl
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds; a hung relay must not block a worker
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vínculo <no-reply@localhost>")

# E-mail in (vinculo.feedback.mailin): customer e-mails filed as feedback from one mailbox,
# a Maildir or imaps://user:pass@host:993/INBOX (imap://... upgrades with STARTTLS).
FEEDBACK_MAILDIR = env_str("FEEDBACK_MAILDIR", "")
FEEDBACK_IMAP_URL = env_str("FEEDBACK_IMAP_URL", "")
FEEDBACK_MAIL_UNIT = env_str("FEEDBACK_MAIL_UNIT", "")  # code of the unit the e-mails go under
FEEDBACK_MAIL_INTERVAL = env_int("FEEDBACK_MAIL_INTERVAL", 120)  # seconds between mailbox reads

# SMS (vinculo.messaging.sms): SMS_PROVIDER is "webhook", "twilio" or empty for none.
# SMS_URL is the webhook's URL, or a Twilio-compatible base URL (empty means Twilio's own).
SMS_PROVIDER = env_str("SMS_PROVIDER", "")
SMS_URL = env_str("SMS_URL", "")
SMS_TOKEN = env_str("SMS_TOKEN", "")  # webhook bearer token, or Twilio auth token
SMS_ACCOUNT_SID = env_str("SMS_ACCOUNT_SID", "")
SMS_FROM = env_str("SMS_FROM", "")
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10)
SMS_STATUS_CALLBACK_URL = env_str("SMS_STATUS_CALLBACK_URL", "")

# Outgoing webhooks (vinculo.webhooks): endpoints on loopback, private or link-local
# addresses are refused unless WEBHOOKS_ALLOW_PRIVATE (development, tests).
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 8)  # tries before "failed"

# Survey invitations (vinculo.surveys.sending): links in messages are absolute, built on
# SITE_URL (the address customers reach this site at, no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SURVEY_SEND_MAX_ATTEMPTS = env_int("SURVEY_SEND_MAX_ATTEMPTS", 4)  # tries before "failed"
SURVEY_SEND_BACKOFF_SECONDS = env_int("SURVEY_SEND_BACKOFF_SECONDS", 60)  # doubles per try
SURVEY_SEND_BACKOFF_MAX_SECONDS = env_int("SURVEY_SEND_BACKOFF_MAX_SECONDS", 3600)
# An invitation still "sending" after this long lost its worker: marked failed, not resent.
SURVEY_STALE_SENDING_MINUTES = env_int("SURVEY_STALE_SENDING_MINUTES", 15)
SURVEY_SCHEDULER_SECONDS = env_int("SURVEY_SCHEDULER_SECONDS", 30)  # run_scheduler's period
# The weekly digest of each unit manager: the day (0 = Monday) and local hour it goes out.
METRICS_DIGEST_WEEKDAY = env_int("METRICS_DIGEST_WEEKDAY", 0)
METRICS_DIGEST_HOUR = env_int("METRICS_DIGEST_HOUR", 8)
METRICS_DIGEST_MAX_ATTEMPTS = env_int("METRICS_DIGEST_MAX_ATTEMPTS", 3)
# The daily digest of each case owner (open and overdue cases): the local hour it goes out.
CASE_DIGEST_HOUR = env_int("CASE_DIGEST_HOUR", 8)

LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 10)  # failed attempts per IP per 15 minutes
# Seconds a process reuses a public link's survey before reading it again (0: always read).
SURVEY_CACHE_SECONDS = 0 if TESTING else env_int("SURVEY_CACHE_SECONDS", 5)
# Seconds a process reuses the metrics' minimum sample and question catalogue (0: always read).
METRICS_CACHE_SECONDS = 0 if TESTING else env_int("METRICS_CACHE_SECONDS", 5)
# Sites allowed to show the survey widget (origins like https://shop.example.com); * = any.
SURVEY_WIDGET_ORIGINS = env_list("SURVEY_WIDGET_ORIGINS", ["*"])
# Texts a person or API key may send to POST /api/v1/texts/analyze a minute; 0: off.
TEXT_ANALYZE_RATE_LIMIT = env_int("TEXT_ANALYZE_RATE_LIMIT", 600)
SURVEY_SUBMIT_RATE_LIMIT = env_int("SURVEY_SUBMIT_RATE_LIMIT", 120)  # pages per IP a minute; 0: off
API_KEY_HEADER = "HTTP_AUTHORIZATION"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
