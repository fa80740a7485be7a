"""Werkwijs settings, read from the environment (12-factor).

Local runs need no variables at all: SQLite, an embedded Celery broker and
e-mail to files, all under ``var/``. Production sets ``DEBUG=off`` and must then
provide every secret and every server; a missing or malformed variable stops
start-up with a message that names it. README.md lists every variable.
"""

import re
import secrets
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu.transport import TRANSPORT_ALIASES

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str:
    return env.ENVIRON.get(name, "").strip()


def _env(name: str, cast=str, **kwargs):
    """Read a variable; a malformed value names the variable instead of a bare traceback."""
    try:
        return env.get_value(name, cast=cast, **kwargs)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # environ raises ValueError and friends for bad casts
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from exc


def _bool(name: str, default: bool) -> bool:
    # environ reads any unknown word as False: DEBUG=maybe would silently mean production.
    raw = _raw(name)
    if not raw:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name} must be on or off (true/false, yes/no, 1/0), not {raw!r}."
    )


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = _raw(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a whole number, not {raw!r}."
        ) from None
    if value < minimum:
        raise ImproperlyConfigured(f"Environment variable {name} must be at least {minimum}.")
    return value


def _choice(name: str, default: str, choices: set[str], *, upper: bool = False) -> str:
    raw = _raw(name) or default
    if upper:
        raw = raw.upper()
    if raw not in choices:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be one of {', '.join(sorted(choices))}."
        )
    return raw


def _rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit ``N/duration`` (``5/5m``, ``300/h``, ``10/30s``) as (amount, seconds)."""
    raw = _raw(name) or default
    match = re.fullmatch(r"(\d+)/(\d*)([smhd])", raw)
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a rate like 5/5m or 300/h, not {raw!r}."
        )
    seconds = int(match[2] or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[3]]
    return int(match[1]), seconds


def _production(name: str, local_default: str) -> str:
    """A variable that has a default for local runs only: production must set it."""
    raw = _raw(name)
    if raw:
        return raw
    if not DEBUG:
        raise ImproperlyConfigured(f"Environment variable {name} is required when DEBUG is off.")
    return local_default


def _url(name: str, value: str, schemes: set[str]) -> str:
    # The value may hold a password, so the message names only the variable and the scheme.
    try:
        scheme = urlsplit(value).scheme
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name} is not a valid URL.") from None
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"Environment variable {name} has scheme {scheme!r}; "
            f"expected one of {', '.join(sorted(schemes))}."
        )
    return value


# --- Core -------------------------------------------------------------------
DEBUG = _bool("DEBUG", default=True)
VAR_DIR = Path(_env("WERKWIJS_VAR_DIR", default=str(BASE_DIR / "var")))

if DEBUG:
    # Generated once so sessions survive restarts of a local run.
    _key_file = VAR_DIR / "secret_key"
    if _raw("SECRET_KEY"):
        SECRET_KEY = _raw("SECRET_KEY")
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        if not _key_file.exists():
            _key_file.write_text(secrets.token_urlsafe(50))
        SECRET_KEY = _key_file.read_text().strip()
else:
    SECRET_KEY = _production("SECRET_KEY", "")
    # The same rule as Django's deploy check (security.W009), made fatal.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY must be a random string of at least 50 characters."
        )

ALLOWED_HOSTS = [
    host.strip()
    for host in _production("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if host.strip()
]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Environment variable ALLOWED_HOSTS names no host.")
CSRF_TRUSTED_ORIGINS = _env("CSRF_TRUSTED_ORIGINS", cast=list, default=[])
# Links in e-mails point here, so production must say where it lives.
SITE_URL = _url(
    "SITE_URL", _production("SITE_URL", "http://127.0.0.1:8000"), {"http", "https"}
).rstrip("/")
if not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured("Environment variable SITE_URL names no host.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "corsheaders",
    "organisations",
    "events",
    "goals",
    "microlearning",
    "courses",
    "nudges",
    "analytics",
    "lrs",
    "demo",
]

MIDDLEWARE = [
    # First, so a CORS preflight is answered before anything else can answer (/xapi/ only).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files are not pages; every response of Django's gets the policy.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Opens the tenant transaction, scope and RLS setting; must come after auth.
    "organisations.middleware.OrganisationMiddleware",
    # Language from member preference, then organisation default, then browser.
    "organisations.middleware.MemberLanguageMiddleware",
    # Refuses NUL characters, lone surrogates and oversized bodies with 400/413; last, so
    # its pages are in the member's language.
    "organisations.middleware.RequestInputMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "organisations.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "organisations.context_processors.organisation",
                "config.navigation.nav_section",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL (with row-level security) in production.
DATABASE_URL = _production("DATABASE_URL", f"sqlite:///{VAR_DIR / 'werkwijs.sqlite3'}")
_url("DATABASE_URL", DATABASE_URL, {"postgres", "postgresql", "pgsql", "sqlite"})
try:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
except Exception as exc:
    raise ImproperlyConfigured(f"Environment variable DATABASE_URL is malformed: {exc}") from exc
_ENGINE = DATABASES["default"]["ENGINE"]
if not DATABASES["default"].get("NAME"):
    raise ImproperlyConfigured("Environment variable DATABASE_URL names no database.")
if not DEBUG and _ENGINE != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "Environment variable DATABASE_URL must point to PostgreSQL when DEBUG is off: "
        "row-level security, the second tenancy guard, exists only there."
    )
DATABASES["default"]["CONN_MAX_AGE"] = _int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _ENGINE == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Web, worker and beat share the file: WAL lets readers run beside the writer,
            # and IMMEDIATE takes the write lock at BEGIN, so a transaction that reads
            # then writes waits (timeout) instead of failing at once with "locked".
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Parallel test runs on one server each need their own test database.
if _raw("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": _raw("TEST_DATABASE_NAME")}
# Views run inside the tenant transaction that organisations.middleware opens for every
# request; ATOMIC_REQUESTS would only add a savepoint (two statements) to each one.
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# --- Cache (keys carry the organisation, see organisations.cache) -------------------
# Production needs one cache shared by all web processes: allauth's login rate
# limits count there.
REDIS_URL = _production("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _url("REDIS_URL", REDIS_URL, {"redis", "rediss", "unix"}),
            "KEY_PREFIX": "werkwijs",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database (a cache flush signs nobody out) and are read through the
# cache: every page reads the session, and the cache answers it without a query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery ---------------------------------------------------------------------
# Without a broker URL, kombu's filesystem transport under var/ needs no server;
# `manage.py runall` creates its folders before the worker starts.
CELERY_BROKER_URL = _production("CELERY_BROKER_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL:
    for _broker in CELERY_BROKER_URL.split(";"):  # Celery takes a ;-separated failover list
        _url("CELERY_BROKER_URL", _broker.strip(), set(TRANSPORT_ALIASES))
else:
    # The host is meaningless to this transport; naming one keeps kombu from warning.
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Broadcasts (worker remote control) go here; kombu's default is ./control.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The nudge outbox (nudges.services.delivery). The defaults suit production; the fault
# tests and the benchmark shorten them so a killed worker's nudges come back in seconds.
NUDGE_LEASE_SECONDS = _int("NUDGE_LEASE_SECONDS", 600, minimum=1)
NUDGE_RETRY_BASE_SECONDS = _int("NUDGE_RETRY_BASE_SECONDS", 60, minimum=0)
NUDGE_DISPATCH_BATCH = _int("NUDGE_DISPATCH_BATCH", 500, minimum=1)
NUDGE_DISPATCH_ROUNDS = _int("NUDGE_DISPATCH_ROUNDS", 40, minimum=1)
# How often beat runs the dispatcher and the sweeper.
NUDGE_BEAT_SECONDS = _int("NUDGE_BEAT_SECONDS", 60, minimum=1)

# --- HR exports (analytics.exports) ------------------------------------------------------
# A worker renews its export's lease as it writes; one silent for this long is taken for
# dead and the sweeper restarts its export (at most EXPORT_MAX_ATTEMPTS times in all).
EXPORT_LEASE_SECONDS = _int("EXPORT_LEASE_SECONDS", 300, minimum=1)
EXPORT_MAX_ATTEMPTS = _int("EXPORT_MAX_ATTEMPTS", 3, minimum=1)
# How long a finished export's file (and its download link) is kept.
EXPORT_KEEP_HOURS = _int("EXPORT_KEEP_HOURS", 24, minimum=1)

# --- E-mail -----------------------------------------------------------------------
EMAIL_URL = _production("EMAIL_URL", "")
if EMAIL_URL:
    try:
        vars().update(env.email_url_config(EMAIL_URL))
    except Exception as exc:
        raise ImproperlyConfigured(f"Environment variable EMAIL_URL is malformed: {exc}") from exc
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = _production("DEFAULT_FROM_EMAIL", "Werkwijs <noreply@werkwijs.localhost>")
if "@" not in parseaddr(DEFAULT_FROM_EMAIL)[1]:
    raise ImproperlyConfigured("Environment variable DEFAULT_FROM_EMAIL is not an e-mail address.")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth: e-mail is the login) ------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = _choice(
    "ACCOUNT_EMAIL_VERIFICATION", "mandatory", {"mandatory", "optional", "none"}
)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "organisations.adapters.AccountAdapter"
# Accounts come from invitations; open sign-up would create people in no organisation.
ACCOUNT_SIGNUP_OPEN = _bool("ACCOUNT_SIGNUP_OPEN", default=False)
# Sign-in rate limits (allauth counts them in the cache, per account and per client
# address). An organisation signs in from one address (a proxy, a hospital's egress),
# so the per-address limits fit a shift start of hundreds of people, while a failed
# attempt counts against its account strictly. The account's limit comes first: a
# person retrying a locked account then uses up nothing of the office's allowance.
# Refusals answer 429 (organisations.views.signin); stopped spraying is audited.
LOGIN_FAILED_PER_ACCOUNT = _rate("LOGIN_FAILED_PER_ACCOUNT", "5/5m")
LOGIN_FAILED_PER_ADDRESS = _rate("LOGIN_FAILED_PER_ADDRESS", "100/5m")
LOGIN_PER_ADDRESS = _rate("LOGIN_PER_ADDRESS", "600/5m")
ACCOUNT_RATE_LIMITS = {
    # Every sign-in form posted from one address, successful or not.
    "login": "{}/{}s/ip".format(*LOGIN_PER_ADDRESS),
    "login_failed": "{}/{}s/key,{}/{}s/ip".format(
        *LOGIN_FAILED_PER_ACCOUNT, *LOGIN_FAILED_PER_ADDRESS
    ),
}
# The client address behind trusted proxies: without one, X-Forwarded-For is ignored
# (anyone can send it); with N, the Nth address from the right is the client's.
ALLAUTH_TRUSTED_PROXY_COUNT = _int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = _raw("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and not ALLAUTH_TRUSTED_PROXY_COUNT:
    # allauth would read the header from any client; only a proxy that sets it may be believed.
    raise ImproperlyConfigured(
        "Environment variable ALLAUTH_TRUSTED_CLIENT_IP_HEADER needs "
        "ALLAUTH_TRUSTED_PROXY_COUNT: name the proxy that sets it."
    )
# Argon2id, memory-hard, at a cost a shift start can pay (see config/hashers.py); the
# others only read older hashes, which are rewritten as Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "config.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_MAX_AGE_DAYS = _int("INVITATION_MAX_AGE_DAYS", default=14, minimum=1)

# --- API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organisations.api_auth.MembershipTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["organisations.api_permissions.IsMember"],
    # DRF's parsers plus the input checks (NUL, lone surrogates, depth): organisations.input_checks.
    # JSON only: the views that take a file (the authoring ones) add multipart and forms
    # themselves. In a form every value is text, so `0` and `false`, or `[0]` and `0`,
    # could not be told apart; the schema documents only what a view reads.
    "DEFAULT_PARSER_CLASSES": ["organisations.api_parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "organisations.api_pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "organisations.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Werkwijs API",
    "DESCRIPTION": "Learning in the flow of work. Every path is scoped to one organisation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+/o/",
    # Swagger UI is installed from PyPI (drf-spectacular-sidecar), not loaded from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets named once: "kind" and "status" exist in several apps.
    "ENUM_NAME_OVERRIDES": {
        "StepKindEnum": [
            "unit",
            "external",
            "assignment",
            "shadowing",
            "buddy",
            "reflection",
            "session",
        ],
        "EnrolmentStatusEnum": ["not_started", "in_progress", "overdue", "completed", "withdrawn"],
        "StepProgressStatusEnum": ["open", "submitted", "changes_requested", "done"],
        # Units and trajectories share their lifecycle.
        "PublicationStatusEnum": "microlearning.models.Unit.Status",
        "SessionSeatStatusEnum": "courses.models.SessionSeat.Status",
    },
}

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day before month in English too (Django's "en" formats are American).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security (production) ---------------------------------------------------------------
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
# Off only behind a proxy that redirects to HTTPS itself (check --deploy will say so).
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Container and load-balancer health checks speak plain HTTP to the process.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Trusted because production runs behind a TLS-terminating proxy that sets it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp) ---------------------------------------------------
# Scripts and styles come from this origin only: no inline code, no CDN. A page that
# needs an inline script gives it nonce="{{ request.csp_nonce }}". Video blocks embed
# the privacy-friendly players of the two hosts the editor accepts (microlearning.blocks).
# Uploaded files are served with a stricter policy of their own (microlearning.views.files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # data: for the favicon drawn inline and Swagger UI's icons.
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        # Either case: gunicorn reads the same variable and lower-cases it.
        "level": _choice(
            "LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}, upper=True
        ),
    },
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- xAPI learning record store (lrs) ------------------------------------------------
# Largest statements request in multipart/mixed (statements plus attachment octets).
LRS_REQUEST_MAX_BYTES = _int("LRS_REQUEST_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# CORS (django-cors-headers) for browser-based activity providers, under /xapi/ only.
# Any origin: xAPI clients authenticate with HTTP Basic in the Authorization header,
# never with the site's cookies (credentials are not allowed, so none are sent).
CORS_URLS_REGEX = r"^/xapi/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "if-match",
    "if-none-match",
    "x-experience-api-version",
]
CORS_EXPOSE_HEADERS = [
    "etag",
    "last-modified",
    "x-experience-api-version",
    "x-experience-api-consistent-through",
]

# --- Product defaults ------------------------------------------------------------------
# Upload limits for content blocks; the web server in front must allow the larger one.
MICROLEARNING_VIDEO_MAX_BYTES = _int("MICROLEARNING_VIDEO_MAX_BYTES", 200 * 1024 * 1024, minimum=1)
MICROLEARNING_IMAGE_MAX_BYTES = _int("MICROLEARNING_IMAGE_MAX_BYTES", 10 * 1024 * 1024, minimum=1)

# Evidence learners hand in on trajectory steps: each file's limit and files per round.
EVIDENCE_MAX_BYTES = _int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
EVIDENCE_MAX_FILES = _int("EVIDENCE_MAX_FILES", 5, minimum=1)

# The rollup leaves events younger than this for its next run, so an event whose
# transaction commits late is never skipped (see analytics.services.organisation_rollup).
ROLLUP_SETTLE_SECONDS = _int("ROLLUP_SETTLE_SECONDS", 120)
