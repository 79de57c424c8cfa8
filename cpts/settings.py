"""Maillage settings, read from the environment (see the configuration table in README.md).

Three modes, chosen by ``DJANGO_ENV``:
- ``production`` (the default): fail closed, a real ``DJANGO_SECRET_KEY`` is required;
- ``development``: what ``make demo`` runs, DEBUG on, a fixed insecure key is allowed;
- ``test``: what the test suite runs (set in pyproject.toml), DEBUG off, throw-away key.
"""

from __future__ import annotations

import re
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from cpts.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Mode and security: fail closed unless an explicit non-production mode is chosen. ---
DJANGO_ENV = env_str("DJANGO_ENV", "production")
if DJANGO_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV vaut {DJANGO_ENV!r} : valeurs possibles production, development ou test."
    )
DEBUG = env_bool("DJANGO_DEBUG", DJANGO_ENV == "development")
_INSECURE_KEY_PREFIX = "insecure-"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY and DJANGO_ENV != "production":
    SECRET_KEY = _INSECURE_KEY_PREFIX + "maillage-dev-and-test-only"
if (
    DJANGO_ENV == "production"
    and not DEBUG
    and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith(_INSECURE_KEY_PREFIX))
):
    raise ImproperlyConfigured(
        "Configuration refusée : en production (DJANGO_ENV=production, DEBUG désactivé), "
        "DJANGO_SECRET_KEY doit contenir une clé secrète réelle d'au moins 32 caractères. "
        "Pour un essai local, lancez « make demo » (mode développement)."
    )
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DJANGO_ENV != "production" else []
)
if DJANGO_ENV == "test":
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_HTTPS = env_bool("DJANGO_SECURE_HTTPS", DJANGO_ENV == "production")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Applications: Django, the stack's libraries, then Maillage's apps (cpts first). ---
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "django_htmx",
    "import_export",
    "cpts",
    "members",
    "governance",
    "missions",
    "crisis",
    "registries",
    "claims",
    "indicators",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cpts.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "cpts.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "cpts.urls"
WSGI_APPLICATION = "cpts.wsgi.application"
ASGI_APPLICATION = "cpts.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cpts.context_processors.maillage",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL when DATABASE_URL is set. ---
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery: Redis when REDIS_URL is set, otherwise in-process and eager. ---
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Daily; sends only what is due and never the same reminder twice (members.services.campaigns).
    "members-renewal-campaign": {"task": "members.renewal_campaign", "schedule": 24 * 60 * 60},
    # Hourly; reminds the invitees of meetings starting within 48 h, once per meeting.
    "governance-meeting-reminders": {
        "task": "governance.tasks.send_meeting_reminders",
        "schedule": 60 * 60,
    },
    # Nightly at 02:30: recomputes the computed indicators of the current contract year.
    "indicators-nightly-recompute": {
        "task": "indicators.tasks.recompute_current_contract_year",
        "schedule": crontab(hour=2, minute=30),
    },
    # January 15 at 07:00: each member's statement of last year's indemnities (claims app).
    "claims-annual-statements": {
        "task": "claims.tasks.send_annual_statements",
        "schedule": crontab(month_of_year=1, day_of_month=15, hour=7, minute=0),
    },
}
# Renewal campaign: first email each year on this day (MM-DD) to active members not "à jour",
# a second reminder this many days after the first.
MAILLAGE_RENEWAL_CAMPAIGN = env_str("MAILLAGE_RENEWAL_CAMPAIGN", "01-15")
MAILLAGE_RENEWAL_REMINDER_DAYS = env_int("MAILLAGE_RENEWAL_REMINDER_DAYS", 30)
if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", MAILLAGE_RENEWAL_CAMPAIGN):
    raise ImproperlyConfigured(
        "MAILLAGE_RENEWAL_CAMPAIGN doit être une date MM-JJ, par exemple 01-15 "
        f"(reçu : {MAILLAGE_RENEWAL_CAMPAIGN!r})."
    )

# --- Email: console by default, SMTP when EMAIL_HOST is set. ---
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language and time: everything a person reads is French, dates in Europe/Paris. ---
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files: vendored assets served by WhiteNoise, private media on disk. ---
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic's target in production; in development and tests WhiteNoise serves the
# source folders through the finders, so there is no STATIC_ROOT to keep up to date.
STATIC_ROOT: Path | None = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
if DJANGO_ENV != "production" and not env_str("DJANGO_STATIC_ROOT"):
    STATIC_ROOT = None
WHITENOISE_USE_FINDERS = DJANGO_ENV != "production"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served publicly: downloads go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if DJANGO_ENV == "production"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Accounts: email login through allauth, invitation only, MFA (TOTP) offered to all. ---
AUTH_USER_MODEL = "cpts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "cpts.permissions.RegistryBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if DJANGO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "cpts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maillage] "
ACCOUNT_RATE_LIMITS = {} if DJANGO_ENV == "test" else {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Maillage"
# When on, a coordinator must activate TOTP before using any page but the MFA set-up.
MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR = env_bool("MAILLAGE_MFA_REQUIRED_FOR_COORDINATOR", False)
MAILLAGE_INVITATION_DAYS = env_int("MAILLAGE_INVITATION_DAYS", 14)
# Address of the site in links of emails sent by background tasks (no request to read it from).
MAILLAGE_SITE_URL = env_str("MAILLAGE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Logging: one line per record on stderr; Celery and Django at INFO. ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step of every page at INFO: only its warnings are useful.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
