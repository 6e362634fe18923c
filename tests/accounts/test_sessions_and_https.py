"""Sessions that expire when idle, and HTTPS settings when served over HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from childrenmatter.accounts.middleware import LAST_SEEN


def test_a_session_left_idle_too_long_is_signed_out(settings, middlesbrough_worker):
    settings.CHILDRENMATTER_IDLE_MINUTES = 30
    middlesbrough_worker.get("/two-factor")
    session = middlesbrough_worker.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    page = middlesbrough_worker.get("/two-factor")
    assert page.headers["Location"] == "/sign-in?timed-out=1&next=%2Ftwo-factor"
    assert "_auth_user_id" not in middlesbrough_worker.session
    html = middlesbrough_worker.get("/sign-in?timed-out=1").content.decode()
    assert "You were signed out because you had not used the service for a while" in html


def test_a_session_in_use_stays_signed_in(settings, middlesbrough_worker):
    settings.CHILDRENMATTER_IDLE_MINUTES = 30
    middlesbrough_worker.get("/two-factor")
    session = middlesbrough_worker.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert middlesbrough_worker.get("/two-factor").status_code == 200


def _settings_with(env: dict, tmp_path) -> dict:
    """Some settings as a fresh process reads them from ``env``."""
    code = (
        "import json; from childrenmatter.config import settings as s; print(json.dumps({"
        "k: getattr(s, k, None) for k in ['SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_NAME', 'AXES_FAILURE_LIMIT', 'CHILDRENMATTER_REQUIRE_TWO_FACTOR']}))"
    )
    environment = {**os.environ, "CHILDRENMATTER_DATA_DIR": str(tmp_path), **env}
    out = subprocess.run([sys.executable, "-c", code], env=environment, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_over_https_browsers_are_told_to_use_https_only(tmp_path):
    secure = _settings_with({"CHILDRENMATTER_SECURE_COOKIES": "on"}, tmp_path)
    assert secure["SECURE_HSTS_SECONDS"] == 31_536_000
    assert secure["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert secure["SECURE_SSL_REDIRECT"] is True
    assert secure["SESSION_COOKIE_SECURE"] and secure["CSRF_COOKIE_SECURE"]
    assert secure["SESSION_COOKIE_NAME"] == "__Host-sessionid"


def test_the_plain_http_demo_sets_no_hsts(tmp_path):
    plain = _settings_with({"CHILDRENMATTER_SECURE_COOKIES": "off"}, tmp_path)
    assert not plain["SECURE_HSTS_SECONDS"]
    assert not plain["SESSION_COOKIE_SECURE"]


def test_lockout_and_two_factor_are_set_from_the_environment(tmp_path):
    chosen = _settings_with(
        {"CHILDRENMATTER_LOCKOUT_FAILURES": "3", "CHILDRENMATTER_REQUIRE_TWO_FACTOR": "yes"},
        tmp_path,
    )
    assert chosen["AXES_FAILURE_LIMIT"] == 3
    assert chosen["CHILDRENMATTER_REQUIRE_TWO_FACTOR"] is True


def test_the_hsts_header_is_sent_over_https(settings, client, db):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    page = client.get("/sign-in", secure=True)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_django_s_deployment_checks_pass_when_served_over_https(tmp_path):
    environment = {**os.environ, "CHILDRENMATTER_DATA_DIR": str(tmp_path),
                   "CHILDRENMATTER_SECURE_COOKIES": "on",
                   "CHILDRENMATTER_SECRET_KEY": "a-deployment-key-" + "x" * 40,
                   "CHILDRENMATTER_ALLOWED_HOSTS": "cases.example.org",
                   "DJANGO_SETTINGS_MODULE": "childrenmatter.config.settings"}
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
