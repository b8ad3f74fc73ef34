"""One settings file, read from the environment (see docs/deploy.md)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("ZUOFENG_REQUIRE_SECRET", True) and os.environ.get("ZUOFENG_PRODUCTION"):
        raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY 环境变量")
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused in production above
# Production is ZUOFENG_PRODUCTION set with DEBUG off: no dev keys, no `manage.py flush`.
ZUOFENG_PRODUCTION = bool(os.environ.get("ZUOFENG_PRODUCTION")) and not DEBUG
# The audit chain is keyed (HMAC-SM3) with a key kept outside the database (docs/deploy.md).
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
if ZUOFENG_PRODUCTION and (len(AUDIT_HMAC_KEY) < 32 or AUDIT_HMAC_KEY.startswith("dev-only")):
    raise ImproperlyConfigured("生产环境必须设置 AUDIT_HMAC_KEY 环境变量（至少 32 个字符的随机密钥）")
AUDIT_HMAC_KEY = AUDIT_HMAC_KEY or "dev-only-audit-hmac-key-not-for-production"
# 群众提: reporters' names and phones are encrypted (Fernet) with a key kept outside the database.
# Generate one with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
COMPLAINTS_IDENTITY_KEY = os.environ.get("COMPLAINTS_IDENTITY_KEY", "")
_DEV_IDENTITY_KEY = "ZGV2LW9ubHktY29tcGxhaW50cy1rZXktbm90LXByb2Q="  # "dev-only-complaints-key-not-prod"
if ZUOFENG_PRODUCTION and (len(COMPLAINTS_IDENTITY_KEY) != 44 or COMPLAINTS_IDENTITY_KEY == _DEV_IDENTITY_KEY):
    raise ImproperlyConfigured("生产环境必须设置 COMPLAINTS_IDENTITY_KEY 环境变量（Fernet 密钥，44 个字符）")
COMPLAINTS_IDENTITY_KEY = COMPLAINTS_IDENTITY_KEY or _DEV_IDENTITY_KEY
# The daily job appends the chain head here; make it append-only (chattr +a, docs/deploy.md).
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", BASE_DIR / "var" / "audit-anchor.log"))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "zuofeng.core",
    "zuofeng.accounts",
    "zuofeng.organisation",
    "zuofeng.campaigns",
    "zuofeng.audit",
    "zuofeng.rectification",
    "zuofeng.reminders",
    "zuofeng.nominations",
    "zuofeng.notices",
    "zuofeng.supervision",
    "zuofeng.projects",
    "zuofeng.complaints",
    "zuofeng.documents",
    "zuofeng.assessment",
    "zuofeng.backups",
    "zuofeng.monitoring",
    "zuofeng.webhooks",
    "zuofeng.api",
]

MIDDLEWARE = [
    "zuofeng.monitoring.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "zuofeng.accounts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: with one language (zh-hans) it could only ever choose LANGUAGE_CODE, which
    # Django uses when none is chosen; it cost ~60 µs a request (a fifth of the middleware's CPU).
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, the user read with the session in one statement (decisions §53).
    "zuofeng.accounts.middleware.SessionUserMiddleware",
    "zuofeng.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zuofeng.accounts.middleware.IdleTimeoutMiddleware",
    "zuofeng.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zuofeng.urls"
WSGI_APPLICATION = "zuofeng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zuofeng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zuofeng.accounts.context_processors.roles",
                "zuofeng.core.csrf.csrf",  # after Django's built-in one, which it replaces (core/csrf.py)
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web server and db_worker share one SQLite file. Connections
    # are kept (CONN_MAX_AGE, as for PostgreSQL): opening one and running the PRAGMAs cost ~0.5 ms of CPU
    # and ~3 ms in all per request on the bench machine; between requests a kept connection holds no
    # transaction, so it blocks neither writers nor WAL checkpoints.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A running export/ZIP job with no progress for this long is marked failed (docs/deploy.md).
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "600"))
# Finished export and ZIP files are deleted by the daily job after this many days.
JOB_RETENTION_DAYS = int(os.environ.get("JOB_RETENTION_DAYS", "7"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's statement preparing off; it only ever applies to the compiled hot queries,
    # which run on a server-binding cursor (core/compiled.py, decisions §55): after this many runs of
    # one statement on a connection it is prepared. Django's own cursors bind on the client and never are.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
if env_bool("PGBOUNCER") and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PgBouncer in transaction mode hands a server connection to another client after each transaction:
    # no cursor may outlive one (iterator() would open WITH HOLD cursors), no prepared statement may be
    # reused, and the pool is PgBouncer's, not Django's (docs/deploy.md, 7).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# ModelBackend with the per-request user load in one query (accounts/backends.py). Sessions made under
# another backend path are not honoured: people signed in before the change sign in again once.
AUTHENTICATION_BACKENDS = ["zuofeng.accounts.backends.AccountBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zuofeng.accounts.passwords.PolicyPasswordValidator"},
    {"NAME": "zuofeng.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "zuofeng.accounts.passwords.RecentPasswordValidator"},
]
# Demo mode (make run sets DEBUG): the demo accounts may log in with the published demo password.
# Elsewhere a login with a common password must change it before anything else.
ZUOFENG_DEMO = env_bool("ZUOFENG_DEMO", DEBUG)
PASSWORD_HASHERS = env_list(
    "PASSWORD_HASHERS",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# ISO first among the input formats, so date pickers show the values they are given.
FORMAT_MODULE_PATH = ["zuofeng.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "zuofeng" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploads are never served by the web server; views stream them after a permission check.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Sessions live in the database so any app process can serve any request; Django's database engine
# with the signed-in account beside the data, read with it in one statement (decisions §53).
SESSION_ENGINE = "zuofeng.accounts.sessions"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never reads the cookie
CSRF_FAILURE_VIEW = "zuofeng.core.views.csrf_failure"
SECURE = env_bool("SECURE_COOKIES", not DEBUG and bool(os.environ.get("ZUOFENG_PRODUCTION")))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes from nginx on plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (scripts are static files); style attributes stay allowed for the
# computed widths of progress bars and timelines, <style> elements do not (htmx's are off, base.html).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
# Trust X-Forwarded-For only behind our own nginx (docs/deploy.md).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zuofeng@localhost")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DEFAULT_CAMPAIGN_FILE = BASE_DIR / "campaigns" / "wujin-2018.yaml"
# The daily job writes a backup archive here and keeps the newest BACKUP_KEEP (unset: no daily backup).
BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))
# /readyz and /metrics answer only these addresses or networks (docs/deploy.md); others get a 404.
MONITORING_ALLOW = env_list("MONITORING_ALLOW", "127.0.0.1,::1")
# The worker touches its heartbeat row this often; /readyz fails when the newest is older than the limit.
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "30"))
WORKER_HEARTBEAT_STALE_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_STALE_SECONDS", "180"))
# /readyz fails below this much free space for private files, and when the audit chain's last
# successful verification (the daily anchor) is older than this.
READY_MIN_FREE_MB = int(os.environ.get("READY_MIN_FREE_MB", "1024"))
READY_AUDIT_MAX_AGE_HOURS = int(os.environ.get("READY_AUDIT_MAX_AGE_HOURS", "48"))
# Outgoing webhooks: each attempt's timeout, and how many attempts before a delivery is marked failed.
WEBHOOK_TIMEOUT_SECONDS = int(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO; keep their warnings only.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
