"""Production responses carry the security headers and cookie flags.

The production settings are computed when the settings module is imported, so the production checks run
in a subprocess with DJANGO_DEBUG=0 (and an in-memory SQLite database, migrated there): it sends requests
through Django's test client and prints what came back as JSON. The in-process tests cover what holds in
every mode (the Content-Security-Policy, the framing and referrer rules).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}

PROBE = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test.utils import override_settings
# The manifest storage of production needs `collectstatic`; the headers do not depend on it.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
call_command("migrate", verbosity=0)
from django.test import Client
from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
user_create(username="probe", password="Probe-Pass-2025", role=Role.PREFECTURE_OFFICE)

def describe(response):
    cookies = {}
    for name, morsel in response.cookies.items():
        cookies[name] = {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
                         "samesite": morsel["samesite"], "max-age": morsel["max-age"], "expires": morsel["expires"]}
    return {"status": response.status_code, "headers": dict(response.headers), "cookies": cookies}

out = {}
client = Client(HTTP_HOST="portal.chuxiong.example")
out["login_https"] = describe(client.get("/accounts/login/", secure=True))
out["login_http"] = describe(client.get("/accounts/login/"))
out["missing_https"] = describe(client.get("/no-such-page/", secure=True))
out["schema_https"] = describe(client.get("/api/v1/schema/", secure=True))
out["docs_https"] = describe(client.get("/api/v1/docs/", secure=True))
out["api_anonymous_https"] = describe(client.get("/api/v1/zones/", secure=True))
out["login_post_https"] = describe(client.post("/accounts/login/", {"username": "probe", "password": "Probe-Pass-2025"},
                                              secure=True))
print("PROBE-RESULT " + json.dumps(out))
"""


def production(**extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET_KEY", "DATABASE_URL", "REDIS_CACHE_URL", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="chuxiong_portal.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.chuxiong.example",
        DATABASE_URL="sqlite://:memory:",
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.update(extra)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE-RESULT "))
    return json.loads(line.removeprefix("PROBE-RESULT "))


def policy(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = set(words[1:])
    return directives


@pytest.fixture(scope="module")
def prod():
    return production()


def test_https_pages_carry_every_security_header(prod):
    page = prod["login_https"]
    assert page["status"] == 200
    headers = page["headers"]
    assert policy(headers["Content-Security-Policy"]) == POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_without_hsts(prod):
    page = prod["login_http"]
    assert page["status"] == 301
    assert page["headers"]["Location"] == "https://portal.chuxiong.example/accounts/login/"
    assert "Strict-Transport-Security" not in page["headers"]  # HSTS is only ever sent over HTTPS


def test_error_pages_and_the_api_carry_the_policy_too(prod):
    for name in ("missing_https", "schema_https", "api_anonymous_https"):
        headers = prod[name]["headers"]
        assert policy(headers["Content-Security-Policy"]) == POLICY, name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["X-Frame-Options"] == "DENY", name
    assert prod["missing_https"]["status"] == 404
    assert prod["api_anonymous_https"]["status"] == 401


def test_only_the_swagger_page_allows_inline_script_and_style(prod):
    docs = policy(prod["docs_https"]["headers"]["Content-Security-Policy"])
    assert docs["script-src"] == {"'self'", "'unsafe-inline'"}
    assert docs["style-src"] == {"'self'", "'unsafe-inline'"}
    assert {k: v for k, v in docs.items() if k not in ("script-src", "style-src")} == {
        k: v for k, v in POLICY.items() if k not in ("script-src", "style-src")
    }


def test_cookies_are_secure_and_the_session_cookie_is_httponly_and_ends_with_the_browser(prod):
    csrf = prod["login_https"]["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    login = prod["login_post_https"]
    assert login["status"] == 302
    session = login["cookies"]["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == "" and session["expires"] == ""  # SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_local_http_stack_can_switch_secure_cookies_and_the_redirect_off():
    local = production(DJANGO_SECURE_COOKIES="0", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_HSTS_SECONDS="0")
    page = local["login_http"]
    assert page["status"] == 200
    assert not page["cookies"]["csrftoken"]["secure"]
    assert "Strict-Transport-Security" not in local["login_https"]["headers"]
    assert policy(page["headers"]["Content-Security-Policy"]) == POLICY


@pytest.mark.django_db
def test_every_page_in_any_mode_has_the_policy_and_no_framing(client, plan):
    response = client.get("/accounts/login/")
    assert policy(response["Content-Security-Policy"]) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_style_or_event_handler():
    """The policy forbids them: a template that brings one back breaks in the browser, so fail here first."""
    import re

    offending = re.compile(
        r"""<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>|<style\b|\sstyle=|"""
        r"""\son[a-z]+=|javascript:""",
        re.IGNORECASE,
    )
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if offending.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not found, "inline script/style in templates (forbidden by the CSP):\n" + "\n".join(found)
