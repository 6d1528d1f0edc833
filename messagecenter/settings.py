"""Settings for Message Center.

Every value an operator may change is read from the environment here and nowhere else.
Local defaults let `make run` work with no services at all (SQLite and an on-disk
Celery broker); production refuses to start without a SECRET_KEY.
"""

from __future__ import annotations

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MESSAGECENTER_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "development" (the default, for `make run` and tests) or "production".
ENVIRONMENT = os.environ.get("MESSAGECENTER_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("MESSAGECENTER_ENV must be 'development' or 'production'.")
IS_PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", not IS_PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION or not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (and with DEBUG off).")
    # Only ever used on a developer's machine.
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "messagecenter.core",
    "compliance",
    "messagecenter.accounts",
    "orders",
    "messagecenter.threads",
    "messagecenter.messaging",
    "messagecenter.clock",
    "messagecenter.moderation",
    "messagecenter.relay",
    "messagecenter.notes",
    "messagecenter.reply_templates",
    "messagecenter.search",
    "messagecenter.notifications",
    "messagecenter.webhooks",
    "messagecenter.live",
    "messagecenter.inbox",
    "messagecenter.api",
    "messagecenter.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it reads the user's language and time zone) and before anything
    # that renders or writes a notice. It replaces Django's LocaleMiddleware: URLs carry no
    # language, and a logged-in person's choice is on their account, not in a cookie.
    "messagecenter.accounts.locale_middleware.UserLocaleMiddleware",
    # After authentication: it reads the user's businesses with the navigation's counts.
    "messagecenter.inbox.middleware.NavigationFirstMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: it turns a refused login into the locked-out page (messagecenter.accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

if IS_PRODUCTION:
    # Serve the collected static files from the app server itself (no CDN, no nginx needed).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "messagecenter.urls"
WSGI_APPLICATION = "messagecenter.wsgi.application"
ASGI_APPLICATION = "messagecenter.asgi.application"

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
                "csp.context_processors.nonce",
                "messagecenter.inbox.context_processors.navigation",
                "messagecenter.moderation.context_processors.policy_standing",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    # An empty DATABASE_URL means "not set", as it does for REDIS_URL.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'messagecenter.sqlite3'}"
    )
}
# While the database is unreachable a request fails within these few seconds (the 503
# page, messagecenter.views.server_error) instead of holding a web worker: a new connection
# gives up after DATABASE_CONNECT_TIMEOUT, a wait for a pooled one after DATABASE_POOL_TIMEOUT.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT", "3"))
# The hand-written statements that pick rows by key (every email's intake, the order
# pages' door) are prepared on each connection (their plans kept: core/prepared.py). A
# pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21,
# or without max_prepared_statements) needs DATABASE_PREPARED_STATEMENTS=false.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    # A connection the database dropped (a restart, a network cut) is found out before a
    # request uses it, so the first request after an outage is served, not failed.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # psycopg prepares only what a cursor asks it to (core/prepared.py): Django's own
    # cursors bind values on the client and never do; None would refuse even those asks.
    if DATABASE_PREPARED_STATEMENTS:
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", True
):
    # Django's own psycopg 3 pool; persistent connections must be off when it is on.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        "timeout": DATABASE_POOL_TIMEOUT,
        # The pool retries a lost database further and further apart (1, 2, 4 s...). Giving
        # up a series after 5 s makes the next request start a new one at once, so a
        # database that is back is used within seconds, not after the next long wait.
        "reconnect_timeout": 5,
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker and beat share the file with the web server: wait for locks, use WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt while the account or the client address is locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins (django-axes): after LOGIN_FAILURE_LIMIT failures for one account, or from
# one client address, logins from it are refused for LOGIN_COOLOFF_MINUTES. Behind reverse
# proxies, TRUSTED_PROXY_COUNT says how many of them append to X-Forwarded-For; the client
# address is read that many entries from the right, so a client cannot choose its own.
AXES_ENABLED = env_bool("LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
_login_cooloff_minutes = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = timedelta(minutes=_login_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"  # the login forms' field (it holds the email address)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every command (checkmessage, receive_email)
AXES_CLIENT_IP_CALLABLE = "messagecenter.accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "messagecenter.accounts.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "messagecenter.accounts.lockout.locked_out_response"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if AXES_FAILURE_LIMIT < 1 or _login_cooloff_minutes < 1 or TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be at least 1, "
        "TRUSTED_PROXY_COUNT at least 0."
    )
# Password reset links (emailed, built on SITE_URL) work for this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT_SECONDS", str(3 * 3600)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages the marketplace sells in, each named in itself (the switcher shows them so).
# A person's language is stored on their account (messagecenter.accounts.locale); English is
# the source language and the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
# The time zone of every account until its owner chooses one on the settings page, and of
# visitors who are not logged in. An IANA name, checked at start-up; empty is TIME_ZONE's
# (accounts.locale.marketplace_zone), the zone pages were shown in before people had one.
MARKETPLACE_TIME_ZONE = os.environ.get("MARKETPLACE_TIME_ZONE", "")
try:
    zoneinfo.ZoneInfo(MARKETPLACE_TIME_ZONE or TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(
        f"MARKETPLACE_TIME_ZONE and TIME_ZONE must be IANA time zones such as "
        f"Europe/Berlin, not {MARKETPLACE_TIME_ZONE or TIME_ZONE!r}."
    ) from error
USE_I18N = True
USE_TZ = True
# One catalogue per language for the whole project (English is the source text): `make
# messages` extracts into it, `make install` compiles it (the .mo files are built, never
# committed), tests/i18n checks that nothing is left unmarked or untranslated.
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files and attachments ------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Attachments live outside every URL space; they are only served by a view that checks
# access (see messagecenter.messaging.views.attachment_download).
ATTACHMENT_ROOT = Path(os.environ.get("ATTACHMENT_ROOT", VAR_DIR / "attachments"))
ATTACHMENT_MAX_FILES = 5
ATTACHMENT_MAX_TOTAL_BYTES = 10 * 1024 * 1024
# Let whole messages with attachments through; the forms enforce the real limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Email -------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "sent-mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Message Center <no-reply@marketplace.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def _default_site_url() -> str:
    """Where `make run` serves (HOST and PORT, as scripts/run-dev.sh reads them)."""
    host = os.environ.get("HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::", "[::]"):  # noqa: S104 (every interface: open it from here)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('PORT') or '8000'}"


SITE_URL = (os.environ.get("SITE_URL") or _default_site_url()).rstrip("/")
# Masked addresses look like <token>@MESSAGECENTER_EMAIL_DOMAIN; mail to that domain is
# received by `manage.py run_smtp` (or piped to `manage.py receive_email`).
MESSAGECENTER_EMAIL_DOMAIN = os.environ.get(
    "MESSAGECENTER_EMAIL_DOMAIN", "relay.marketplace.example"
).lower()
MARKETPLACE_NAME = os.environ.get("MARKETPLACE_NAME", "Marketplace")
SMTP_RELAY_HOST = os.environ.get("SMTP_RELAY_HOST", "127.0.0.1")
SMTP_RELAY_PORT = int(os.environ.get("SMTP_RELAY_PORT", "2525"))
# Emails the SMTP server stores at once, one thread and database connection each (from the
# pool: keep it under DATABASE_POOL_MAX). More SMTP sessions than this queue for a thread.
SMTP_RELAY_WORKERS = int(os.environ.get("SMTP_RELAY_WORKERS", "4"))
# Processes `manage.py run_smtp` runs on the same port (SO_REUSEPORT, Linux): parsing and
# building each email is Python work one process does on one core at a time.
SMTP_RELAY_PROCESSES = int(os.environ.get("SMTP_RELAY_PROCESSES", "1"))
# Whole email, attachments included; larger mail is refused during the SMTP session.
# How long the link that confirms a seller's new sending address works.
APPROVED_SENDER_CONFIRM_HOURS = int(os.environ.get("APPROVED_SENDER_CONFIRM_HOURS", "72"))
INBOUND_EMAIL_MAX_BYTES = int(os.environ.get("INBOUND_EMAIL_MAX_BYTES", str(15 * 1024 * 1024)))
# Checked on the raw bytes before parsing (relay/structure.py): mail beyond them is refused
# for good (SMTP 554, receive_email exit 65). Real mail stays far below all three.
INBOUND_EMAIL_MAX_MIME_DEPTH = int(os.environ.get("INBOUND_EMAIL_MAX_MIME_DEPTH", "30"))
INBOUND_EMAIL_MAX_MIME_PARTS = int(os.environ.get("INBOUND_EMAIL_MAX_MIME_PARTS", "500"))
INBOUND_EMAIL_MAX_HEADER_BYTES = int(
    os.environ.get("INBOUND_EMAIL_MAX_HEADER_BYTES", str(1024 * 1024))
)
# Mail loops per buyer-seller pair (relay/loops.py): the same email back from one side
# within the window, or more than this many emails a minute for the pair, is not relayed.
RELAY_LOOP_WINDOW_MINUTES = int(os.environ.get("RELAY_LOOP_WINDOW_MINUTES", "10"))
RELAY_LOOP_MAX_PER_MINUTE = int(os.environ.get("RELAY_LOOP_MAX_PER_MINUTE", "5"))

# --- Celery ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "broker"
# A web request hands each notification to the broker. When the broker is down that must
# fail at once (beat queues it again later), not hold the request for seconds of retries.
_broker_fail_fast: dict[str, object] = {"max_retries": 1, "interval_start": 0}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": 3600,
        # A Redis that stops answering without closing the connection (a network cut)
        # would otherwise hold a publish, and so a web request, forever. Longer than the
        # worker's one-second BRPOP, which waits for its reply on the event loop anyway.
        "socket_timeout": 3,
        **_broker_fail_fast,
    }
else:
    # kombu's filesystem transport: no server needed for a local `make run`.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **_broker_fail_fast,
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Notifications whose task never reached the broker are queued again by beat after this.
NOTIFICATION_RETRY_AFTER_SECONDS = 120

# Each process uses the messaging policy it read for this long (compliance/config.py); a save
# in the admin applies at once in its own process and within this many seconds everywhere.
POLICY_CACHE_SECONDS = float(os.environ.get("POLICY_CACHE_SECONDS", "30"))

# --- Reply clock (POLICY.md, Response time) ---------------------------------------------
# Sellers answer buyer messages within this many hours, weekends and holidays included.
REPLY_WITHIN_HOURS = int(os.environ.get("REPLY_WITHIN_HOURS", "24"))
REPLY_TARGET_PERCENT = int(os.environ.get("REPLY_TARGET_PERCENT", "90"))
# Reminders go out this many hours before an answer is due, e.g. "12,2".
REPLY_REMINDER_HOURS_BEFORE = tuple(
    sorted({int(h) for h in env_list("REPLY_REMINDER_HOURS_BEFORE", "12,2")}, reverse=True)
)
if any(not 0 < h < REPLY_WITHIN_HOURS for h in REPLY_REMINDER_HOURS_BEFORE):
    raise ImproperlyConfigured(
        "REPLY_REMINDER_HOURS_BEFORE must be whole hours between 0 and REPLY_WITHIN_HOURS."
    )

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the compose page's script reads it for live checks
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in browsers for good; only its
        # operator can choose that (SECURE_HSTS_PRELOAD=true), so not choosing is no warning.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy on every response (django-csp): scripts and styles only from our
# own static files; an inline <script> must carry nonce="{{ CSP_NONCE }}" (the nonce is sent
# only on pages that use it). No 'unsafe-inline', no eval, nothing from another origin.
# data: images are the icons inside the API documentation's style sheet.
_csp_report_uri = os.environ.get("CSP_REPORT_URI", "").strip()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        **({"report-uri": [_csp_report_uri]} if _csp_report_uri else {}),
    }
}

# --- REST API and webhooks (messagecenter.api) ---------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "messagecenter.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "messagecenter.api.errors.api_exception_handler",
    # Per token over all operations ("api.token"), and per token and kind of operation.
    "DEFAULT_THROTTLE_RATES": {
        "api.token": os.environ.get("API_THROTTLE_TOKEN", "600/min"),
        "api.read": os.environ.get("API_THROTTLE_READ", "300/min"),
        "api.write": os.environ.get("API_THROTTLE_WRITE", "120/min"),
        "api.send": os.environ.get("API_THROTTLE_SEND", "60/min"),
        "api.upload": os.environ.get("API_THROTTLE_UPLOAD", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Message Center API",
    "DESCRIPTION": "Read and answer buyer messages from your own tools, under the same "
    "messaging policy as the browser. Errors are {code, message, details}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation page loads Swagger UI from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"SideEnum": "messagecenter.threads.models.Side"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Throttle counts must be shared by every web process: Redis when there is one. Short
    # socket timeouts: while Redis is down each process counts alone (api/throttling.py).
    "api-throttle": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mc-api",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    ),
    # Per-business counts (messaging/business_counts.py), invalidated by the writes: shared
    # by every web process, so Redis when there is one.
    "business-counts": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mc-counts",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counts"}
    ),
    # What is never stale, in the process's own memory: rendered messages kept by their
    # version (core/fragments.py) and masked addresses, which never change
    # (relay/addresses.py). Room for a few hundred conversation pages.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
API_THROTTLE_CACHE = "api-throttle"
# Who is writing an answer right now ("Avery is replying", threads/replying.py): kept a few
# seconds, and seen by every web process, so Redis when there is one. LIVE_KEY_PREFIX
# starts its keys and the live updates' channel-layer keys (several installations on one
# Redis database keep apart by it).
LIVE_CACHE = "live"
LIVE_KEY_PREFIX = os.environ.get("LIVE_KEY_PREFIX", "mc-live")
CACHES[LIVE_CACHE] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": LIVE_KEY_PREFIX,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "live"}
)

# --- Live updates (messagecenter/live, Django Channels) -----------------------------------
# Events reach the browsers of every web process through Redis; a web process, a Celery
# worker or the mail receiver publishes to it. Without REDIS_URL (the embedded default, one
# web process) the in-memory layer carries them inside that process.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A publish while Redis is down fails fast and is only logged (live/publish.py).
                # The read timeout stays above the layer's 5 s blocking receive.
                "hosts": [
                    {"address": REDIS_URL, "socket_connect_timeout": 0.5, "socket_timeout": 7}
                ],
                "prefix": LIVE_KEY_PREFIX,
                "capacity": 200,
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# A frame saying someone is writing counts this long; the page repeats it while they do.
LIVE_REPLYING_SECONDS = int(os.environ.get("LIVE_REPLYING_SECONDS", "8"))
FRAGMENT_CACHE = "fragments"
BUSINESS_COUNTS_CACHE = "business-counts"
# Webhooks: endpoints must be HTTPS on public addresses unless the operator allows otherwise
# (for a receiver inside the operator's own network, or tests on loopback).
WEBHOOK_REQUIRE_HTTPS = env_bool("WEBHOOK_REQUIRE_HTTPS", True)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_RETRY_MAX_DELAY_SECONDS = int(os.environ.get("WEBHOOK_RETRY_MAX_DELAY_SECONDS", "3600"))
# Retries stop this long after the event (or a resend); the delivery is then marked failed.
WEBHOOK_RETRY_WINDOW_SECONDS = int(os.environ.get("WEBHOOK_RETRY_WINDOW_SECONDS", str(24 * 3600)))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "20"))
# Idempotency-Key answers are kept this long.
API_IDEMPOTENCY_TTL_HOURS = int(os.environ.get("API_IDEMPOTENCY_TTL_HOURS", "48"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
