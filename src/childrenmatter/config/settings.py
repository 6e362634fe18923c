"""Django settings: one file, driven by environment variables (see README.md, "Settings").

Every variable is read through a typed helper in ``env.py`` that refuses a value it
cannot read. Defaults suit a developer's machine: SQLite under ``var/``, serving on
127.0.0.1 only. Relative paths are taken from the directory the command runs in.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from childrenmatter.config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_path,
    secret_key,
)

# The source checkout: front-end packages (node_modules) and built styles live beside src/.
REPO_DIR = Path(__file__).resolve().parents[3]

DATA_DIR = env_path("CHILDRENMATTER_DATA_DIR", "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Uploaded files (evidence for an improvement plan's actions). Never served as static
# files: a page that checks who is asking hands each one out.
MEDIA_ROOT = DATA_DIR / "media"

SECRET_KEY = secret_key("CHILDRENMATTER_SECRET_KEY", DATA_DIR / "secret_key")
DEBUG = env_bool("CHILDRENMATTER_DEBUG", False)
ALLOWED_HOSTS = env_list("CHILDRENMATTER_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CHILDRENMATTER_CSRF_TRUSTED_ORIGINS", [])

# The child-level dataset the home page reads (a folder of Parquet files).
CHILDRENMATTER_DATASET = env_path("CHILDRENMATTER_DATASET", "var/demo/dataset")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "csp",
    "simple_history",
    "django_htmx",
    "ninja",  # only for its static Swagger UI files, served at /api/docs
    # Security (accounts engineer): lockout after failed sign-ins, two-factor sign-in.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # One-time recovery codes, for a lost or broken phone.
    "django_otp.plugins.otp_static",
    "childrenmatter.accounts",
    "childrenmatter.people",
    "childrenmatter.frontdoor",
    "childrenmatter.casework",
    "childrenmatter.api",
    "childrenmatter.store",
    "childrenmatter.web",
    "childrenmatter.analysts",
    "childrenmatter.dashboards",
    "childrenmatter.improvement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user.is_verified() once the two-factor step is passed.
    "django_otp.middleware.OTPMiddleware",
    # Signs out a session idle longer than CHILDRENMATTER_IDLE_MINUTES; asks for two-factor
    # set-up when it is required.
    "childrenmatter.accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the version history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "childrenmatter.config.urls"
WSGI_APPLICATION = "childrenmatter.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "childrenmatter.config.templating.environment"},
    },
]

DATABASES = {"default": database_from_url("DATABASE_URL", DATA_DIR / "childrenmatter.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Signing in. Argon2 first: new and re-hashed passwords use it; the others still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"

# A working day at most, and gone when the browser closes: case records are sensitive.
SESSION_COOKIE_AGE = env_int("CHILDRENMATTER_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# On by default only when served over HTTPS; the demo runs on plain http://127.0.0.1.
SECURE_COOKIES = env_bool("CHILDRENMATTER_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Security: lockout, two-factor sign-in, HTTPS, idle sessions (docs/security.md) ---------
# Lockout (django-axes): after CHILDRENMATTER_LOCKOUT_FAILURES wrong passwords for one
# username (from any address, and per address and username) the account is locked for
# CHILDRENMATTER_LOCKOUT_HOURS. Locking by username alone stops a guesser who changes
# address; the price is that a stranger can lock someone out for an hour, which the
# sign-in page says plainly. Axes' backend comes first so it refuses before any hashing.
AUTHENTICATION_BACKENDS = [
    "childrenmatter.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("CHILDRENMATTER_LOCKOUT", True)
AXES_FAILURE_LIMIT = env_int("CHILDRENMATTER_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(hours=env_int("CHILDRENMATTER_LOCKOUT_HOURS", 1, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "childrenmatter.accounts.views.locked_out"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp, TOTP): optional for each person, or required of everyone.
CHILDRENMATTER_REQUIRE_TWO_FACTOR = env_bool("CHILDRENMATTER_REQUIRE_TWO_FACTOR", False)
OTP_TOTP_ISSUER = "Children Matter"
# A session with nothing done for this long is signed out (0: no idle limit).
CHILDRENMATTER_IDLE_MINUTES = env_int("CHILDRENMATTER_IDLE_MINUTES", 30)
# Served over HTTPS (CHILDRENMATTER_SECURE_COOKIES on): secure cookies above, and tell
# browsers to use HTTPS only, redirecting any plain request. HSTS_SECONDS defaults to a
# year; set CHILDRENMATTER_HSTS_SECONDS=300 for a first, cautious deployment.
if SECURE_COOKIES:
    SECURE_SSL_REDIRECT = env_bool("CHILDRENMATTER_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("CHILDRENMATTER_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CHILDRENMATTER_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = False  # preloading is a commitment a deployment makes itself
    SILENCED_SYSTEM_CHECKS = ["security.W021"]  # ...so Django's advice to preload is noise
    # A TLS proxy in front says the request was HTTPS with this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# --- end of security block -------------------------------------------------------------

# Content security policy (django-csp): our own origin only, and no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Static files: GOV.UK Frontend straight from node_modules (installed by npm from
# package-lock.json, never copied into the repository) and our styles built by sass
# into build/static; WhiteNoise serves both, from the finders, with or without DEBUG.
FRONTEND_DIR = env_path("CHILDRENMATTER_FRONTEND_DIR", REPO_DIR)
STATIC_URL = "/static/"
# Where `childrenmatter manage collectstatic` gathers them for a deployment.
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    ("govuk", FRONTEND_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", FRONTEND_DIR / "node_modules" / "htmx.org" / "dist"),
    FRONTEND_DIR / "build" / "static",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
