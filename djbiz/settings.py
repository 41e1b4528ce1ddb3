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
    "anymail",
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
                "comms.context_processors.chat",
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

# --- E-mail and SMS: the outbox (comms) -------------------------------------------------------------
# Every message is a row of the outbox (comms.OutboxMessage) that the worker sends with retries. EMAIL_BACKEND
# queues into the outbox, so Django's send_mail() anywhere goes through it; EMAIL_PROVIDER says how the worker
# delivers (django-anymail), SMS_PROVIDER likewise (twilio). "console" prints, and the outbox row is the record.
EMAIL_BACKEND = "comms.backends.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="bookings@djbiz.local")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_DELIVERY_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "postmark": "anymail.backends.postmark.EmailBackend",
    "mailgun": "anymail.backends.mailgun.EmailBackend",
    "sendgrid": "anymail.backends.sendgrid.EmailBackend",
    "amazon_ses": "anymail.backends.amazon_ses.EmailBackend",
}
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="console")
if EMAIL_PROVIDER not in EMAIL_DELIVERY_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_PROVIDER must be one of {', '.join(EMAIL_DELIVERY_BACKENDS)}, not {EMAIL_PROVIDER!r}"
    )
EMAIL_DELIVERY_BACKEND = EMAIL_DELIVERY_BACKENDS[EMAIL_PROVIDER]
_ses_region = env.str("AWS_SES_REGION", default="")  # SES takes the AWS_ACCESS_KEY_ID/SECRET of boto3
_anymail = {
    # "user:password" that the provider's webhooks send as HTTP basic auth (put it in the webhook URL).
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default=""),
    "POSTMARK_SERVER_TOKEN": env.str("POSTMARK_SERVER_TOKEN", default=""),
    "POSTMARK_API_URL": env.str("POSTMARK_API_URL", default=""),
    "MAILGUN_API_KEY": env.str("MAILGUN_API_KEY", default=""),
    "MAILGUN_SENDER_DOMAIN": env.str("MAILGUN_SENDER_DOMAIN", default=""),
    "MAILGUN_API_URL": env.str("MAILGUN_API_URL", default=""),
    "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
    "SENDGRID_API_KEY": env.str("SENDGRID_API_KEY", default=""),
    "SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY": env.str("SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY", default=""),
    "AMAZON_SES_CLIENT_PARAMS": {"region_name": _ses_region} if _ses_region else {},
}
ANYMAIL = {key: value for key, value in _anymail.items() if value} | {"REQUESTS_TIMEOUT": 20}

SMS_PROVIDER = env.str("SMS_PROVIDER", default="console")
if SMS_PROVIDER not in {"console", "twilio"}:
    raise ImproperlyConfigured(f"SMS_PROVIDER must be console or twilio, not {SMS_PROVIDER!r}")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")  # also the key Twilio signs its webhooks with
TWILIO_FROM = env.str("TWILIO_FROM", default="")  # a +E.164 number, or a Messaging Service SID (MG...)
TWILIO_API_BASE = env.str("TWILIO_API_BASE", default="")  # another Twilio-compatible API (the tests' fake)
if SMS_PROVIDER == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM):
    raise ImproperlyConfigured("SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM")

# Delivery: attempts before a message is marked failed, the first retry's delay (then x4 each time, with jitter),
# how long a worker may hold a message in "sending" before the sweep reconciles it (above any provider timeout).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
# The owners' daily digest goes from this hour (0-23) of the business's time zone.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_SENDING_LEASE_SECONDS = env.int("OUTBOX_SENDING_LEASE_SECONDS", default=300)
# Campaigns go out in batches of this many messages, this many seconds apart (provider rate limits, reputation).
CAMPAIGN_BATCH_SIZE = env.int("CAMPAIGN_BATCH_SIZE", default=50)
CAMPAIGN_BATCH_PAUSE_SECONDS = env.int("CAMPAIGN_BATCH_PAUSE_SECONDS", default=60)
# SMS are held back in this window of the recipient's local time ("HH:MM-HH:MM"; empty: no quiet hours).
SMS_QUIET_HOURS = env.str("SMS_QUIET_HOURS", default="21:00-08:00")

# --- Inbound messages and drafted replies (comms) ------------------------------------------------------
# Attachments of inbound e-mail are kept when their type is allowed (by name and by content) and they are no
# larger than this; others are listed on the message as refused.
INBOUND_ATTACHMENT_MAX_BYTES = env.int("INBOUND_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Seconds for fetching all the media of one inbound MMS from Twilio (one socket read: 15 s at most); below Q_TIMEOUT.
INBOUND_MEDIA_TIMEOUT_SECONDS = env.int("INBOUND_MEDIA_TIMEOUT_SECONDS", default=60)
# Drafted replies: the price sentence (empty: built from the active packages), dates written day first (31/12).
REPLY_PRICE_NOTE = env.str("REPLY_PRICE_NOTE", default="")
REPLY_DATES_DAY_FIRST = env.bool("REPLY_DATES_DAY_FIRST", default=False)
# Optional polish of drafts by an OpenAI-compatible endpoint (POST {LLM_API_BASE}/chat/completions); empty: off.
LLM_API_BASE = env.str("LLM_API_BASE", default="").rstrip("/")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4o-mini")
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=20.0)

# --- Portal chat (comms) -------------------------------------------------------------------------------
# A chat message still unread this long after it was sent gets one e-mail/SMS notice (at once when the other side
# has no chat open); the longest message; messages a person may send per minute; how long an open chat counts as
# present without a heartbeat (the page sends one every 25 s).
CHAT_NOTIFY_AFTER_SECONDS = env.int("CHAT_NOTIFY_AFTER_SECONDS", default=120)
CHAT_MAX_LENGTH = env.int("CHAT_MAX_LENGTH", default=2000)
CHAT_RATE_PER_MINUTE = env.int("CHAT_RATE_PER_MINUTE", default=20)
CHAT_PRESENCE_TTL_SECONDS = env.int("CHAT_PRESENCE_TTL_SECONDS", default=70)

if PRODUCTION and EMAIL_PROVIDER != "console":
    if not ANYMAIL.get("WEBHOOK_SECRET"):
        raise ImproperlyConfigured(
            f"ANYMAIL_WEBHOOK_SECRET must be set when DJANGO_ENV=production and EMAIL_PROVIDER={EMAIL_PROVIDER}"
            " (the delivery webhooks' basic auth, see .env.example)"
        )
    if EMAIL_PROVIDER == "mailgun" and not ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise ImproperlyConfigured(
            "MAILGUN_WEBHOOK_SIGNING_KEY must be set when DJANGO_ENV=production and EMAIL_PROVIDER=mailgun"
        )
if PRODUCTION and SMS_PROVIDER == "twilio" and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be the public https:// address when DJANGO_ENV=production and SMS_PROVIDER=twilio"
        " (Twilio signs the URL it calls)"
    )

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
    # Choice sets that share a field name ("status") get their own schema names.
    "ENUM_NAME_OVERRIDES": {"DownloadStatusEnum": "music.models.DownloadStatus"},
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
# Uploaded files (the music library, logos): on local disk under MEDIA_ROOT, or with MEDIA_STORAGE=s3 in an
# S3-compatible bucket (AWS, MinIO, Backblaze B2, Wasabi, ...) through django-storages. Files are private: their
# URLs are signed and expire (AWS_QUERYSTRING_EXPIRE seconds).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (see .env.example)")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            # Empty keys: boto3 finds credentials itself (instance role, ~/.aws, its own environment variables).
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,  # another S3-compatible service
            "location": env.str("AWS_LOCATION", default=""),  # a folder (key prefix) in the bucket
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,  # "path" for MinIO
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
            "file_overwrite": False,  # a name taken gets a suffix, as on local disk
            "signature_version": "s3v4",
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": _media_storage,
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
# Chromaprint's fpcalc (Debian: libchromaprint-tools), for the acoustic fingerprints that find duplicate copies.
MUSIC_FPCALC = env.str("MUSIC_FPCALC", default="fpcalc")
# Normalized copies of tracks: integrated loudness (LUFS) and true-peak ceiling (dBTP), EBU R128 by ffmpeg's
# loudnorm; optional fades (seconds) at the start and end of the copy. A new target makes new copies.
MUSIC_NORMALIZE_TARGET_LUFS = env.float("MUSIC_NORMALIZE_TARGET_LUFS", default=-14.0)
MUSIC_NORMALIZE_TRUE_PEAK = env.float("MUSIC_NORMALIZE_TRUE_PEAK", default=-1.0)
MUSIC_FADE_IN_SECONDS = env.float("MUSIC_FADE_IN_SECONDS", default=0.0)
MUSIC_FADE_OUT_SECONDS = env.float("MUSIC_FADE_OUT_SECONDS", default=0.0)
# Crossfade previews on the library page: how long the two tracks overlap by default (seconds, 1-16).
MUSIC_CROSSFADE_SECONDS = env.float("MUSIC_CROSSFADE_SECONDS", default=8.0)
MUSIC_PREVIEW_DAYS = env.int("MUSIC_PREVIEW_DAYS", default=7)  # previews are deleted this many days after made
# Cover art (embedded in files, or from the Cover Art Archive): larger images are refused.
MUSIC_COVER_MAX_BYTES = env.int("MUSIC_COVER_MAX_MB", default=10) * 1024 * 1024
# Metadata enrichment: missing tags proposed from MusicBrainz (found by AcoustID fingerprint or by tags) and covers
# from the Cover Art Archive, for the DJ to accept. Off unless enabled; the base URLs are settings so tests can
# point them at fake servers. MusicBrainz wants a User-Agent with a contact, and at most one request a second.
MUSIC_ENRICHMENT_ENABLED = env.bool("MUSIC_ENRICHMENT_ENABLED", default=False)
MUSICBRAINZ_URL = env.str("MUSICBRAINZ_URL", default="https://musicbrainz.org/ws/2/")
MUSICBRAINZ_CONTACT = env.str("MUSICBRAINZ_CONTACT", default="") or DEFAULT_FROM_EMAIL
MUSICBRAINZ_MIN_INTERVAL = env.float("MUSICBRAINZ_MIN_INTERVAL", default=1.0)
# MusicBrainz genres are tags, supplementary data under CC BY-NC-SA 3.0 (non-commercial): off unless enabled.
MUSICBRAINZ_GENRES = env.bool("MUSICBRAINZ_GENRES", default=False)
COVER_ART_ARCHIVE_URL = env.str("COVER_ART_ARCHIVE_URL", default="https://coverartarchive.org/")
ACOUSTID_URL = env.str("ACOUSTID_URL", default="https://api.acoustid.org/v2/")
ACOUSTID_API_KEY = env.str("ACOUSTID_API_KEY", default="")
ENRICHMENT_TIMEOUT = env.float("ENRICHMENT_TIMEOUT", default=15.0)
# Downloads (music/downloader.py, yt-dlp): audio format, limits per item, which yt-dlp extractors may run (yt-dlp's
# "generic" extractor fetches any page, so it is off unless listed) and one host:port the URL policy lets through
# although it is private (the tests' local server; empty in production).
MUSIC_DOWNLOAD_FORMAT = env.str("MUSIC_DOWNLOAD_FORMAT", default="mp3")
MUSIC_DOWNLOAD_MAX_MINUTES = env.float("MUSIC_DOWNLOAD_MAX_MINUTES", default=30)
MUSIC_DOWNLOAD_MAX_BYTES = env.int("MUSIC_DOWNLOAD_MAX_MB", default=200) * 1024 * 1024
MUSIC_DOWNLOAD_SOCKET_TIMEOUT = env.int("MUSIC_DOWNLOAD_SOCKET_TIMEOUT", default=20)
MUSIC_DOWNLOAD_TIME_LIMIT = env.int("MUSIC_DOWNLOAD_TIME_LIMIT", default=240)  # seconds per item, below Q_TIMEOUT
MUSIC_DOWNLOAD_MAX_ITEMS = env.int("MUSIC_DOWNLOAD_MAX_ITEMS", default=200)  # items taken from one playlist
MUSIC_DOWNLOAD_EXTRACTORS = env.list(
    "MUSIC_DOWNLOAD_EXTRACTORS",
    default=["youtube", "youtube:tab", "soundcloud", "soundcloud:set", "bandcamp", "bandcamp:album", "mixcloud"],
)
MUSIC_DOWNLOAD_ALLOW_HOST = env.str("MUSIC_DOWNLOAD_ALLOW_HOST", default="")
# Spotify playlists are read (never downloaded) through the Web API with an app's client credentials; the base
# URLs point elsewhere in the tests (a fake server).
SPOTIFY_CLIENT_ID = env.str("SPOTIFY_CLIENT_ID", default="")
SPOTIFY_CLIENT_SECRET = env.str("SPOTIFY_CLIENT_SECRET", default="")
SPOTIFY_API_BASE = env.str("SPOTIFY_API_BASE", default="https://api.spotify.com/v1").rstrip("/")
SPOTIFY_ACCOUNTS_BASE = env.str("SPOTIFY_ACCOUNTS_BASE", default="https://accounts.spotify.com").rstrip("/")

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
