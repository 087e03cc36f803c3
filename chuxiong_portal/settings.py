"""One settings module, driven by environment variables.

With no variable set the portal runs embedded: SQLite in the project folder,
Celery tasks executed in-process, local-memory cache. See the settings table in
the README for every variable.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY") or env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DJANGO_DEBUG=0 (production mode refuses the built-in development key)."
        )
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "chuxiong_portal.apps.AxesConfig",  # django-axes, with a Chinese section name in the admin
    "chuxiong_portal",
    "tasks",
    "parks",
    "indicators",
    "assessments",
    "evaluations",
    "supervision",
    "closeout",
    "projects",
    "tools",  # benchmark, demo data, synthetic province: management commands only
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chuxiong_portal.audit.AuditMiddleware",
    # The provincial sync account opens the API only, never a page (chuxiong_portal/security.py).
    "chuxiong_portal.security.ApiOnlyAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An address with a null character: a 400 page, not a 500 from the database (chuxiong_portal/errors.py).
    "chuxiong_portal.errors.NullCharacterMiddleware",
    "chuxiong_portal.errors.FriendlyNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database busy with other writers: a 503 "try again" page instead of a 500 (chuxiong_portal/busy.py).
    "chuxiong_portal.busy.BusyDatabaseMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chuxiong_portal.urls"
WSGI_APPLICATION = "chuxiong_portal.wsgi.application"
AUTH_USER_MODEL = "chuxiong_portal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "tasks.context_processors.plan",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many writers on the embedded database (chuxiong_portal/busy.py): WAL lets reads go on during a write; a
    # transaction takes the write lock when it begins (IMMEDIATE), so two writers queue instead of meeting halfway
    # (a deferred transaction that read first cannot wait for the lock and fails at once); a writer waits up to
    # SQLITE_BUSY_TIMEOUT seconds for the lock, and after that the request is answered "busy, try again" (503).
    # Each connection may keep up to SQLITE_CACHE_MB of the database's pages in memory (SQLite's default is 2 MB, a
    # few hundred pages, where a province's first overview reads tens of thousands); the cache grows as it is used.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": float(env("SQLITE_BUSY_TIMEOUT", "5")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
        f"PRAGMA cache_size=-{int(env('SQLITE_CACHE_MB', '64')) * 1024}",
    }
    # Tests use a file too (not Django's shared in-memory database), so that concurrent requests meet the same
    # locking as in production (tests/concurrency/). One file per test process, removed by the test runner.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"portal-test-{os.getpid()}.sqlite3"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env("REDIS_CACHE_URL"):
    # Fails open: with Redis down, reads miss and writes are dropped instead of failing the request.
    CACHES = {"default": {"BACKEND": "chuxiong_portal.cache.FailOpenRedisCache", "LOCATION": env("REDIS_CACHE_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "chuxiong_portal.security.MinimumLengthValidator"},  # Django's, its message in Chinese too
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Passwords are hashed with Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane: ~25 ms of CPU)
# rather than PBKDF2 at 1,000,000 iterations (0.3-0.7 s of CPU per login, which 45 staff logging in at 08:30
# turn into 20 s of two saturated cores). Hashes of the other hashers below still verify and are rehashed with
# the first one at the user's next login.
PASSWORD_HASHERS = [
    "chuxiong_portal.security.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "chuxiong_portal" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence files (佐证材料, signed responsibility letters) live outside MEDIA_ROOT: nothing serves this folder;
# supervision.views.evidence_download hands a file only to those who may read the item it belongs to
# (supervision/storage.py).
PRIVATE_ROOT = Path(env("PORTAL_PRIVATE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The longest job (the full recompute of a large province takes well under a minute, README "Benchmark") is
# stopped after CELERY_TASK_TIME_LIMIT. Redis redelivers a message no worker acknowledged within visibility_timeout
# (acks are late: a worker killed mid-job loses nothing), so it must outlast the longest job plus the longest
# retry countdown (RETRY in chuxiong_portal/queue.py: 300 s), and no more: a lost job is redone within ~16 minutes.
CELERY_TASK_TIME_LIMIT = int(env("CELERY_TASK_TIME_LIMIT", "600"))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 300 + 60,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "chuxiong_portal.api_auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per-user rates of the API (chuxiong_portal/api_support.py): reads, and the bulk writes of sync clients.
    "DEFAULT_THROTTLE_RATES": {
        "api_read": env("API_THROTTLE_READ", "1200/min"),
        "api_bulk": env("API_THROTTLE_BULK", "60/min"),
    },
    # One error body everywhere: {"detail": "...", "errors": [{"index", "field", "message"}]}.
    "EXCEPTION_HANDLER": "chuxiong_portal.api_support.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "楚雄州开发区提质增效三年行动调度平台 API",
    # Shown to the people reading the API docs in the portal: in the portal's language.
    "DESCRIPTION": "楚雄州开发区提质增效三年行动调度平台的数据接口：省统计系统同步指标数据、排名，读取进度与问责提示。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Each route once, with its trailing slash (each also answers without it: chuxiong_portal/api.py).
    "PREPROCESSING_HOOKS": ["chuxiong_portal.api.schema_endpoints"],
    # Every operation documents its error answers (chuxiong_portal/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "chuxiong_portal.api_schema.document_errors",
        "chuxiong_portal.api_schema.describe_operations",
    ],
    "ENUM_NAME_OVERRIDES": {"ProjectStageEnum": "projects.models.Stage.choices"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "portal@chuxiong.local")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10

# Production hardening: applies whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Session and CSRF cookies only over HTTPS: on in production; DJANGO_SECURE_COOKIES=0 for a local plain-http stack
# reached by a name browsers do not treat as secure (a LAN address). `check --deploy` then warns, rightly.
SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# The session ends with the browser (shared office PCs) and in any case SESSION_COOKIE_AGE after the login.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): the portal's own static files only; no inline script or style, no
# framing. The Swagger UI page at /api/v1/docs/ relaxes it for itself (chuxiong_portal/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Request bodies: form fields up to 2.5 MB (Django's default, stated); uploaded files up to 5.5 MB stay in memory
# (the Excel upload takes at most 5 MB, indicators/reporting/services/excel/), larger ones spill to a temporary file
# that Django deletes after the request. Nothing is ever written under MEDIA_ROOT by an upload. The API's bulk JSON has
# its own cap (chuxiong_portal/api_support.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_MAX_MEMORY_SIZE = 5_767_168

# Login lockout (django-axes): 5 failed logins for one username from one IP address lock that pair for 30 minutes
# (the login page and the admin's); the lockout page explains it in Chinese. API tokens do not go through
# authenticate() and are unaffected. Unlock early: `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "chuxiong_portal.security.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "chuxiong_portal.security.client_ip"
# Reverse proxies whose X-Forwarded-For is believed (the client address for the login lockout and the logs). None by
# default: a peer that is not listed is taken at its address whatever headers it sends, so that reaching gunicorn
# directly (even from this host) and rotating X-Forwarded-For cannot dodge the lockout. List nginx's address only
# where gunicorn is reachable through nginx alone (deploy/env.example).
PORTAL_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "")

# Logs go to stdout: plain lines in debug, one JSON object per line in production (DJANGO_LOG_FORMAT).
LOG_FORMAT = (env("DJANGO_LOG_FORMAT").strip() or ("plain" if DEBUG else "json")).lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be 'plain' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "chuxiong_portal.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes announces itself at INFO in every process; its lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Deadlines: days after the end of a period, by cadence (DESIGN.md §2).
PORTAL_DEADLINE_DAYS = {
    "biweekly": int(env("PORTAL_DEADLINE_BIWEEKLY", "3")),
    "monthly": int(env("PORTAL_DEADLINE_MONTHLY", "5")),
    "quarterly": int(env("PORTAL_DEADLINE_QUARTERLY", "10")),
    "half_yearly": int(env("PORTAL_DEADLINE_HALF_YEARLY", "15")),
    "yearly": int(env("PORTAL_DEADLINE_YEARLY", "30")),
}
# Count deadlines in working days (skipping public holidays, counting 调休 make-up days).
PORTAL_DEADLINE_WORKING_DAYS = env_bool("PORTAL_DEADLINE_WORKING_DAYS", False)
# Reminders go out this many working days before a deadline, and on the day a report becomes overdue.
PORTAL_REMINDER_WORKING_DAYS = int(env("PORTAL_REMINDER_WORKING_DAYS", "2"))
PORTAL_PAGE_CACHE_SECONDS = int(env("PORTAL_PAGE_CACHE_SECONDS", "3600"))
# Worker processes of a full recompute of many targets (indicators/progress/services.py); 0: one per usable core.
PORTAL_RECOMPUTE_WORKERS = int(env("PORTAL_RECOMPUTE_WORKERS", "0"))
# Evidence uploads: at most this many bytes per file, and for Word/Excel files at most this many bytes unzipped.
PORTAL_EVIDENCE_MAX_BYTES = int(env("PORTAL_EVIDENCE_MAX_BYTES", str(5 * 1024 * 1024)))
PORTAL_EVIDENCE_MAX_UNZIPPED = int(env("PORTAL_EVIDENCE_MAX_UNZIPPED", str(50 * 1024 * 1024)))
# Without Redis the page cache's data version lives in this file, shared by every process on the host.
PORTAL_PAGE_CACHE_VERSION_FILE = env("PORTAL_PAGE_CACHE_VERSION_FILE", str(BASE_DIR / "var" / "pagecache-version"))

# The dispatch bulletin as an official document: the issuing office (落款) and the 抄送 line, editable
# without a code change (PORTAL_BULLETIN_COPIES_TO: units separated by "，" or ",").
BULLETIN_ISSUER_DEFAULT = gettext_noop("楚雄州开发区工作领导小组办公室")  # worded in the reader's language
BULLETIN_ISSUER = env("PORTAL_BULLETIN_ISSUER", BULLETIN_ISSUER_DEFAULT)
BULLETIN_COPIES_TO = [
    unit.strip()
    for unit in env(
        "PORTAL_BULLETIN_COPIES_TO", "州委办公室，州人大常委会办公室，州人民政府办公室，州政协办公室，各县市人民政府"
    )
    .replace(",", "，")
    .split("，")
    if unit.strip()
]
