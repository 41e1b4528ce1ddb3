"""djbiz settings: everything comes from the environment (see .env.example).

Defaults are the embedded stack (SQLite in WAL mode, in-memory channel layer, local-memory cache,
django-q2 on its ORM broker, console e-mail/SMS that still record each message), so a bare machine runs
`make run` with no configuration. DATABASE_URL / REDIS_URL switch the same code to PostgreSQL / Redis.
"""

import os
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"


def _required_in_production(name: str, development_default: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production (see .env.example)")
    return development_default


SECRET_KEY = _required_in_production("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION and DJANGO_ENV != "test")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"],
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production (see .env.example)")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_q",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "djbiz",
    "accounts",
    "music",
    "events",
    "billing",
    "comms",
    "analytics",
]

MIDDLEWARE = [
    "djbiz.request_logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "djbiz.urls"
WSGI_APPLICATION = "djbiz.wsgi.application"
ASGI_APPLICATION = "djbiz.asgi.application"

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
                "accounts.context_processors.business",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when a transaction
    # starts, so two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file too (not SQLite's shared in-memory database, whose table locks fail at once instead of
    # waiting), so that concurrency tests exercise the same locking as production. One file per process.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"djbiz-test-{os.getpid()}.sqlite3")}
else:
    # A pool per process, not persistent connections: under ASGI each request runs its sync code in a thread of
    # its own, so a connection kept open per thread (CONN_MAX_AGE) outlives the thread and PostgreSQL runs out of
    # connections under load ("too many clients already"). A pooled connection goes back at the end of the request
    # (bids/s 1.5 times those of a connection per request, benchmarks/bids.py). One caveat: a request that the
    # server cancels mid-view keeps its connection out of the pool; bin/run gives such requests 90 s to finish.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DB_POOL_MIN", default=1),
            "max_size": env.int("DB_POOL_MAX", default=10),
            "timeout": env.int("DB_POOL_TIMEOUT", default=20),  # seconds a request waits for a free connection
        }
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # the pool replaces a connection the server dropped
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "djbiz.cache.SharedPoolRedisCache", "LOCATION": REDIS_URL}}
    # Guests keep a socket open, mostly idle, for the whole night. channels-redis waits on BRPOP for 5 s at a
    # time, so redis-py 8's 5 s socket read timeout cut those reads off: give reads room beyond BRPOP, keep idle
    # connections alive and checked, and retry a read that timed out. The live feeds' fan-out hub
    # (events/fanout.py) needs a handful of connections per process however many guests it serves (one blocked
    # on BRPOP, a few for sends and group changes); connections open on demand, the maximum is only a ceiling
    # for when Redis stalls and calls pile up (redis-py's 100 ran out when each guest joined the group itself).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        "health_check_interval": 30,
                        "retry_on_timeout": True,
                        "max_connections": 2000,
                    }
                ],
                "prefix": env.str("CHANNEL_PREFIX", default="djbiz"),
                # Messages a socket has not taken within 30 s are stale; the client resynchronises on the gap.
                "expiry": 30,
                # Group membership outlives the longest night (a socket that stays longer rejoins on reconnect).
                "group_expiry": 24 * 60 * 60,
                # Per-channel backlog before messages are dropped: room for a burst of changes to a slow phone.
                "capacity": 500,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background work (django-q2) ---------------------------------------------------------------
# The ORM broker is at-least-once: a task that is not acknowledged comes back after `retry` seconds.
# `timeout` must stay below `retry` or a slow task would run twice at the same time.
Q_CLUSTER = {
    "name": "djbiz",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=300),
    "retry": env.int("Q_RETRY", default=360),
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=3),
    "catch_up": False,
    "save_limit": 1000,
    "ack_failures": True,
    "poll": 1,
    "sync": env.bool("Q_SYNC", default=False),
    "log_level": "INFO",
}
if Q_CLUSTER["timeout"] >= Q_CLUSTER["retry"]:
    raise ImproperlyConfigured("Q_TIMEOUT must be lower than Q_RETRY")

# --- Auth ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if DJANGO_ENV == "test"
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
MAGIC_LINK_MAX_AGE_SECONDS = env.int("MAGIC_LINK_MAX_AGE_SECONDS", default=15 * 60)
LOGIN_RATE_LIMIT = {
    "per_ip": env.int("LOGIN_LIMIT_PER_IP", default=20),
    "per_email": env.int("LOGIN_LIMIT_PER_EMAIL", default=5),
    "window_seconds": env.int("LOGIN_LIMIT_WINDOW_SECONDS", default=15 * 60),
}
# Number of proxies in front of daphne whose X-Forwarded-For we trust (0: use the socket address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- E-mail and SMS ------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="comms.backends.RecordingConsoleEmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="bookings@djbiz.local")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env.str("SMS_BACKEND", default="comms.sms.RecordingConsoleSmsBackend")

# --- Stripe (bid payments) -------------------------------------------------------------------------
# Empty keys: bidding runs in pledge mode (the winner pays at the booth). STRIPE_API_BASE points the gateway at
# another Stripe-compatible API (the tests' fake server); empty means Stripe itself.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")

# --- REST API -------------------------------------------------------------------------------------
# Rate of the live night's guest API (DRF rate string); load tests raise it.
GUEST_RATE = env.str("GUEST_RATE", default="30/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "djbiz.api.Pagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        # The live night's guest API (events/api/live.py): per guest, and per IP for callers without a guest id.
        "guest": GUEST_RATE,
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "djbiz.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "djbiz API",
    "DESCRIPTION": "REST API for the djbiz mobile app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- I18N / time ------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION  # development and tests serve static files without collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_LOGO_BYTES = 2 * 1024 * 1024
MUSIC_MAX_FILE_BYTES = env.int("MUSIC_MAX_FILE_MB", default=200) * 1024 * 1024  # one audio file in the library
# Analysed tempi land in [min, max) BPM; within it, half or double (87 or 174? 64 or 128?) is chosen from the drums.
MUSIC_BPM_RANGE = (env.int("MUSIC_BPM_MIN", default=60), env.int("MUSIC_BPM_MAX", default=180))
# "dsp": our own DSP (BSD). "madmom": madmom's networks, whose trained models are CC BY-NC-SA (non-commercial).
MUSIC_ANALYSIS_BACKEND = env.str("MUSIC_ANALYSIS_BACKEND", default="dsp")

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REFERRER_POLICY = "same-origin"

# --- Logging: one JSON line per request / task on stdout ------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "djbiz.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Our request log line replaces Django's and daphne's access lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "daphne": {"level": "WARNING"},
    },
}
