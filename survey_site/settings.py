"""Settings for the SKM survey site: one module, every deployment value from the environment.

Development needs nothing: SQLite beside manage.py, DEBUG on (the default), a memory cache.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL=postgres://... and
CACHE_URL=redis://... (see README.md).
"""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.bootstrap
from django.utils.translation import gettext_lazy as _

from survey_site.env import environment, parse_cache_url, parse_database_url, trusted_proxy_count

BASE_DIR = Path(__file__).resolve().parent.parent
env = environment()

DEBUG = env.boolean("DEBUG", default=True)  # production sets DEBUG=0
# With DEBUG on, a missing page still shows the friendly 404 page (the demo runs with DEBUG on, and
# Django's debug page lists every URL of the site); DEBUG_PAGES=1 asks for Django's debug page.
DEBUG_PAGES = env.boolean("DEBUG_PAGES", default=False)
SECRET_KEY = env.secret_key("SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env.text("SITE_NAME", default="SKM Kota Palembang")
CITY_NAME = env.text("CITY_NAME", default="Kota Palembang")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "surveys",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "survey_site.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication (which reads only the session), before anything reads the body:
    # a body too large for its sender gets a 413 before it is read or spooled (issue 14); an
    # undecodable or NUL-laden path or parameter gets a clear 400 (issues 9, 14); pages for
    # logged-in staff and downloads are marked never to be cached.
    "survey_site.middleware.RequestBodyLimitMiddleware",
    "survey_site.middleware.MalformedInputMiddleware",
    "survey_site.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "survey_site.middleware.FriendlyNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "survey_site.middleware.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]
MIDDLEWARE.append("survey_site.middleware.DatabaseUnavailableMiddleware")  # a lost database → 503, retry

ROOT_URLCONF = "survey_site.urls"
WSGI_APPLICATION = "survey_site.wsgi.application"

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
                "survey_site.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": parse_database_url(env.raw("DATABASE_URL"), base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": parse_cache_url(env.raw("CACHE_URL"))}

TASKS = {"default": {"BACKEND": env.text("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 9}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

# Failed logins: five wrong passwords for one account from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = env.integer("AXES_COOLOFF_MINUTES", default=30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address (rate limits and this lockout alike) is decided by one function,
# surveys.client_address, from the number of trusted reverse proxies in front of the app; an IPv6
# client is counted by its /64 network (surveys.client_address.client_source).
# BEHIND_PROXY=1 is the older spelling of TRUSTED_PROXY_COUNT=1.
TRUSTED_PROXY_COUNT = trusted_proxy_count(env)
AXES_CLIENT_IP_CALLABLE = "surveys.client_address.client_source"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.text("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
EXPORT_ROOT = Path(env.text("EXPORT_ROOT", default=str(BASE_DIR / "var" / "exports")))
# Finished export files are kept this many hours; a workbook covering more responses than
# EXPORT_SYNC_MAX_RESPONSES is made in the background instead of during the request.
EXPORT_RETENTION_HOURS = env.integer("EXPORT_RETENTION_HOURS", default=24, minimum=1)
EXPORT_SYNC_MAX_RESPONSES = env.integer("EXPORT_SYNC_MAX_RESPONSES", default=20000, minimum=0)

# The Laporan Hasil SKM (issue 17): the city's own regulations on the survey, listed in the report's
# legal basis after the national ones (separate several with ";"); an optional logo (PNG or JPEG)
# for its cover; the LibreOffice program that makes its PDF, and how long a conversion may take.
REPORT_CITY_REGULATIONS = [
    part.strip() for part in env.text("REPORT_CITY_REGULATIONS", default="").split(";") if part.strip()
]
REPORT_LOGO = env.file("REPORT_LOGO")
REPORT_SOFFICE = env.text("REPORT_SOFFICE", default="soffice")
REPORT_PDF_TIMEOUT_SECONDS = env.integer("REPORT_PDF_TIMEOUT_SECONDS", default=180, minimum=10)

# Small groups on the public site (docs/skm-rules.md, "Small groups on the public site"): a breakdown
# cell (a sex, an education level) with fewer than PUBLIC_MIN_CELL respondents shows "< 5", and a unit
# with fewer than PUBLIC_MIN_BREAKDOWN respondents shows no breakdown at all.
PUBLIC_MIN_CELL = env.integer("PUBLIC_MIN_CELL", default=5, minimum=2)
PUBLIC_MIN_BREAKDOWN = env.integer("PUBLIC_MIN_BREAKDOWN", default=10, minimum=1)

# E-mail (issue 16): new accounts and "Lupa kata sandi?" get a one-time link to set a password.
# With EMAIL_HOST set, mail goes out over SMTP; without it, it is printed on the console (development).
EMAIL_HOST = env.text("EMAIL_HOST", default="")
EMAIL_PORT = env.integer("EMAIL_PORT", default=587, minimum=1)
EMAIL_HOST_USER = env.text("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", default=20, minimum=1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <noreply@localhost>")
# How long a link to set a password works (a new account's, or "Lupa kata sandi?"); used once.
PASSWORD_RESET_TIMEOUT = env.integer("PASSWORD_RESET_HOURS", default=72, minimum=1) * 3600
# "Lupa kata sandi?" sends at most this many links an hour per address and per e-mail address.
PASSWORD_RESET_PER_HOUR = env.integer("PASSWORD_RESET_PER_HOUR", default=5, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Survey behaviour.
SURVEY_MIN_FILL_SECONDS = env.integer("SURVEY_MIN_FILL_SECONDS", default=8)
# Submissions per client (address + browser) per window. Many honest people can share one public
# address (a puskesmas wifi, a carrier's NAT) and Android Chrome sends one User-Agent per version,
# so the ceiling is generous; one-time keys and the fill-time check stop scripted floods.
SURVEY_RATE_LIMIT = env.integer("SURVEY_RATE_LIMIT", default=30, minimum=1)
# Per address alone, whatever browser it claims to be: stops a script that rotates its User-Agent
# to dodge the per-client limit. Higher than SURVEY_RATE_LIMIT so a busy shared wifi survives.
SURVEY_RATE_LIMIT_PER_ADDRESS = env.integer("SURVEY_RATE_LIMIT_PER_ADDRESS", default=200, minimum=1)
SURVEY_RATE_WINDOW_SECONDS = env.integer("SURVEY_RATE_WINDOW_SECONDS", default=3600, minimum=1)
SURVEY_SUGGESTION_MAX_LENGTH = 2000
# A form's ticket expires this long after it was signed (a citizen still answering then gets the form
# back with every answer kept and a renewed ticket); one address (or kiosk) may open this many forms
# an hour, and what a form opened beyond that brings is held for review.
SURVEY_TICKET_MAX_AGE_SECONDS = env.integer("SURVEY_TICKET_MAX_AGE_SECONDS", default=2 * 3600, minimum=60)
SURVEY_TICKETS_PER_HOUR = env.integer("SURVEY_TICKETS_PER_HOUR", default=120, minimum=1)
# Bursts are held for review, not counted (surveys.intake): more than SURVEY_HOLD_BURST submissions to
# one unit from one address (or one kiosk) within SURVEY_HOLD_BURST_SECONDS, or more than
# SURVEY_HOLD_HOURLY in an hour; or a unit receiving more in an hour than SURVEY_HOLD_UNIT_FACTOR times
# its usual rate in service hours (never less than SURVEY_HOLD_UNIT_FLOOR). One address sending more
# than SURVEY_HOLD_DAILY to one unit in 24 hours (a slow flood that stays under the burst and hourly
# holds) has the rest held too: 120 is two full hours at the hourly hold, or a 40-person office's
# busy three hours, and far more than one public address honestly sends to one unit in a day.
# These windows slide (surveys.ratelimit): a burst straddling a window's boundary is still a burst.
SURVEY_HOLD_BURST = env.integer("SURVEY_HOLD_BURST", default=10, minimum=1)
SURVEY_HOLD_BURST_SECONDS = env.integer("SURVEY_HOLD_BURST_SECONDS", default=600, minimum=60)
SURVEY_HOLD_HOURLY = env.integer("SURVEY_HOLD_HOURLY", default=60, minimum=1)
SURVEY_HOLD_DAILY = env.integer("SURVEY_HOLD_DAILY", default=120, minimum=1)
SURVEY_HOLD_UNIT_FLOOR = env.integer("SURVEY_HOLD_UNIT_FLOOR", default=60, minimum=1)
SURVEY_HOLD_UNIT_FACTOR = env.integer("SURVEY_HOLD_UNIT_FACTOR", default=4, minimum=1)
# A unit's own paper forms move its own number: an import of more rows than this is held for the
# secretariat's review, and so are a unit's paper forms beyond SURVEY_HOLD_PAPER_DAILY a day, typed
# in and imported alike (one allowance; an import that would pass it is held whole).
SURVEY_HOLD_IMPORT_ROWS = env.integer("SURVEY_HOLD_IMPORT_ROWS", default=20, minimum=0)
SURVEY_HOLD_PAPER_DAILY = env.integer("SURVEY_HOLD_PAPER_DAILY", default=50, minimum=0)
# Service hours (local time, FROM-TO hours) and days (ISO weekdays, 1 = Monday): a unit's usual rate
# is measured over them, and the data-quality page notes submissions outside them.
SURVEY_SERVICE_HOURS = env.span("SURVEY_SERVICE_HOURS", default=(7, 17), low=0, high=24)
SURVEY_SERVICE_DAYS = env.span("SURVEY_SERVICE_DAYS", default=(1, 6), low=1, high=7)
# A form started while its period was open is still accepted this long after the period closes.
SURVEY_LATE_GRACE_SECONDS = env.integer("SURVEY_LATE_GRACE_SECONDS", default=6 * 3600)
# How long each process reuses the citizen form's unit/instrument/services/period lookups.
SURVEY_LOOKUP_TTL_SECONDS = env.integer("SURVEY_LOOKUP_TTL_SECONDS", default=15, minimum=0)
SUGGESTION_RETENTION_DAYS = env.integer("SUGGESTION_RETENTION_DAYS", default=0)  # 0 keeps suggestions
SURVEY_KIOSK_RATE_LIMIT = env.integer("SURVEY_KIOSK_RATE_LIMIT", default=300, minimum=1)  # per kiosk per window
# A paper-import file with more rows than this is checked and imported by the background worker.
PAPER_IMPORT_SYNC_MAX_ROWS = env.integer("PAPER_IMPORT_SYNC_MAX_ROWS", default=200, minimum=0)
SURVEY_KIOSK_THANKS_SECONDS = env.integer("SURVEY_KIOSK_THANKS_SECONDS", default=6, minimum=1)
# A kiosk that lost its connection keeps forms in a queue on the tablet and sends them later: a
# queued form joins the period that contained the moment it was filled, if it arrives within this
# many days of that moment and before that period is published (`surveys.kiosk_queue`). A tablet's
# clock may run ahead of the server's by SURVEY_KIOSK_CLOCK_SKEW_SECONDS; a fill time further ahead
# is refused as forged. The grace is the secretariat's to set on "Pengaturan survei"
# (`surveys.models.SurveySettings`, 1-30 days); this value is only the default for a new city.
SURVEY_KIOSK_QUEUE_GRACE_DAYS = env.integer("SURVEY_KIOSK_QUEUE_GRACE_DAYS", default=7, minimum=1, maximum=30)
SURVEY_KIOSK_CLOCK_SKEW_SECONDS = env.integer("SURVEY_KIOSK_CLOCK_SKEW_SECONDS", default=300, minimum=0)
# Profile categories offered on the form (codes of surveys.models.Education / Occupation); empty = all.
SURVEY_EDUCATION_CODES = env.items("SURVEY_EDUCATION_CODES", default=[])
SURVEY_OCCUPATION_CODES = env.items("SURVEY_OCCUPATION_CODES", default=[])

# Security: strict by default, relaxed only where DEBUG needs plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_HSTS_SECONDS = 0 if DEBUG else env.integer("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Request bodies: a visitor's (citizen form, kiosk, login) at most 64 KB, a logged-in staff
# member's (a spreadsheet upload) at most 6 MB; larger ones get a 413 before they are read.
# The reverse proxy's own limit (nginx client_max_body_size) should be the staff limit.
REQUEST_BODY_MAX_BYTES = 64 * 1024
STAFF_REQUEST_BODY_MAX_BYTES = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Every log line is printed once, by the root logger's console handler. Django's own default
# configuration gives the "django" logger a console handler of its own (shown when DEBUG is on) and
# lets it propagate to the root as well, which printed each request warning twice; naming "django"
# here with no handler of its own replaces that, and resets its children ("django.server",
# "django.request") to pass their lines up to the root.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
    },
}
