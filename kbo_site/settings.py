"""One settings file, read from the environment.

SQLite is the default so that a clone runs at once; PostgreSQL is selected with
DATABASE_URL (e.g. postgres://kbo:secret@127.0.0.1:5432/kbo). See README.md for the
production variables.
"""

import os
from datetime import timedelta
from pathlib import Path

import csp.constants
import dj_database_url
import fontpkg_sarabun
import xstatic.pkg.bootstrap
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Development is the default, like a fresh clone; production sets DEBUG=False.
DEBUG = envbool("DEBUG", "True")
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

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
    "django_filters",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "kbo_site",
    "producers",
    "selection",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kbo_site.sessions.IdleTimeoutMiddleware",
    # Thai unless English was chosen with the switch, whatever the browser asks (kbo_site/middleware.py).
    "kbo_site.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL in a query string → 400; pages and downloads are not cached (kbo_site/middleware.py).
    "kbo_site.middleware.RequestHygieneMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Registry history rows (django-simple-history) record the signed-in user who made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # A browser that has just logged in gets its known-device cookie (kbo_site/security.py).
    "kbo_site.security.KnownDeviceMiddleware",
    # Last, as axes asks: it turns a refused login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kbo_site.urls"
WSGI_APPLICATION = "kbo_site.wsgi.application"

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
                "producers.roles.role_context",
            ],
            "builtins": ["kbo_site.templatetags.thai"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (django-tasks, Django 6's tasks API on 5.2): the workbook import runs in
# `manage.py db_worker`, which takes the tasks from the database; no broker. TASKS_BACKEND=
# django_tasks.backends.immediate.ImmediateBackend runs them inside the request instead.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# E-mail: the scoring reminders (selection/reminders.py). SMTP in production; in development
# (and `make demo`) the console backend prints each e-mail in the server's terminal.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG
                               else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
# A mail server that does not answer must not hold a reminder's transaction for long.
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kbo@localhost")
# The site's address as members open it, for links in e-mails (no request to take it from).
KBO_SITE_URL = os.environ.get("KBO_SITE_URL", "http://127.0.0.1:8000")

# Django's rules, with its list of common passwords widened to Thai places, Thai words in Latin
# letters and this system's own words (kbo_site/passwords.py), refused in Thai.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "kbo_site.passwords.ThaiCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are throttled per account, never per address (django-axes with our handler;
# kbo_site/security.py explains the design, the README's "Logins and lock-outs" the rules):
# after KBO_LOGIN_FREE_FAILURES failures each try waits a doubling delay; at AXES_FAILURE_LIMIT
# failures within AXES_COOLOFF_TIME (the window) devices never used for the account wait for
# old failures to age out; a device the account logged in on before is exempt from both and
# has its own KBO_LOGIN_DEVICE_FAILURE_LIMIT. Admins see and lift it at /security/lockouts/.
# The test client's login() (no request) passes the throttle on to ModelBackend.
AUTHENTICATION_BACKENDS = [
    "kbo_site.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "kbo_site.security.LoginThrottleHandler"
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_WINDOW_MINUTES", "60"))
KBO_LOGIN_DEVICE_FAILURE_LIMIT = envint("LOGIN_DEVICE_FAILURE_LIMIT", "5")
KBO_LOGIN_FREE_FAILURES = 3
KBO_LOGIN_FIRST_DELAY = timedelta(seconds=15)
KBO_LOGIN_MAX_DELAY = timedelta(minutes=15)
KBO_KNOWN_DEVICE_DAYS = 180
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns when no rule counts per address. Ours counts per account on purpose: rotating
# addresses or user agents does not get around it, and a rule per address would lock out a
# whole office behind one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A success clears only its own try (and a known device's typos), never the account's count.
AXES_RESET_ON_SUCCESS = False
# A refused try checked no password: it is not counted and does not lengthen the wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kbo_site.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kbo_site.security.client_ip"
# Behind a reverse proxy every request comes from the proxy: count the proxies that append
# to X-Forwarded-For, so each person is throttled by their own address.
KBO_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Libraries come from installed packages, never from a CDN: the office LAN is offline.
SARABUN_DIR = Path(fontpkg_sarabun.ROOT) / "files"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("fonts/sarabun", SARABUN_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development WhiteNoise serves straight from the packages; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files live outside the web root and are only served through views.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))
MEDIA_ROOT = DATA_DIR / "media"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The province this instance serves (DOPA code); Chiang Mai by default.
KBO_PROVINCE_CODE = os.environ.get("KBO_PROVINCE_CODE", "50")
# Largest workbook an admin may upload, in bytes.
KBO_IMPORT_MAX_BYTES = envint("KBO_IMPORT_MAX_BYTES", str(50 * 1024 * 1024))
# The memory one import task may use: the workbook reader's process is bounded to it, and the
# worker may grow by at most this much while the task runs (the 300,000-row bench needs ~700 MB).
KBO_IMPORT_TASK_MEMORY_MB = envint("KBO_IMPORT_TASK_MEMORY_MB", "1024")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", str(8 * 3600))
# The idle expiry slides with use: kbo_site.sessions.IdleTimeoutMiddleware moves it on at most
# once a minute (not Django's SESSION_SAVE_EVERY_REQUEST, which writes on every request).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere: our JavaScript lives in static/js. Style attributes stay allowed
# (progress-bar widths are computed in templates); <style> elements and styles from
# elsewhere do not. Bootstrap's CSS draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF],
        "style-src-elem": [csp.constants.SELF],
        "style-src-attr": [csp.constants.UNSAFE_INLINE],
        "img-src": [csp.constants.SELF, "data:"],
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
