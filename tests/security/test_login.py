"""Login lockout (django-axes), sessions that end, password rules, and the audit log of every write."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chuxiong_portal.roles import Role
from chuxiong_portal.security import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HERE, ELSEWHERE = "203.0.113.10", "203.0.113.20"


def attempt(client, username, password, ip=HERE, path=LOGIN):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def lock_out(client, username, ip=HERE):
    """Fail five times; return the fifth answer."""
    for _ in range(4):
        response = attempt(client, username, "wrong-password", ip)
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    return attempt(client, username, "wrong-password", ip)


# --------------------------------------------------------------------------- lockout


def test_five_failures_lock_the_username_from_that_address_with_a_chinese_message(client, alice):
    fifth = lock_out(client, "alice")
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "登录失败次数过多（连续5次）" in page and "请在30分钟后再试" in page
    assert "Content-Security-Policy" in fifth  # a normal portal page, with the portal's headers

    refused = attempt(client, "alice", PASSWORD)  # the right password no longer helps
    assert refused.status_code == 429 and not logged_in(client)


def test_the_lock_is_per_username_and_address(client, alice, bob):
    lock_out(client, "alice")
    other_address = Client()
    assert attempt(other_address, "alice", PASSWORD, ip=ELSEWHERE).status_code == 302
    assert logged_in(other_address)
    other_user = Client()
    assert attempt(other_user, "bob", PASSWORD, ip=HERE).status_code == 302
    assert logged_in(other_user)


def test_the_lock_lasts_thirty_minutes(client, alice):
    lock_out(client, "alice")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
    assert attempt(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt(client, "alice", PASSWORD).status_code == 302
    assert logged_in(client)


def test_failures_during_the_lock_do_not_extend_it(client, alice):
    lock_out(client, "alice")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=20))
    assert attempt(client, "alice", "still-wrong").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, alice):
    for _ in range(4):
        attempt(client, "alice", "wrong-password")
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client, "alice", "wrong-password").status_code == 200
    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_the_admin_login_shares_the_lock(client, olga):
    lock_out(client, "olga")
    response = attempt(client, "olga", PASSWORD, path="/admin/login/?next=/admin/")
    assert response.status_code == 429 and not logged_in(client)


def test_api_tokens_are_not_affected_by_the_lockout(client, alice):
    lock_out(client, "alice")
    token = Token.objects.create(user=alice)
    api = APIClient(REMOTE_ADDR=HERE)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/zones/").status_code == 200
    # a wrong token is a 401, and not a login failure that could lock anyone out
    before = AccessAttempt.objects.count()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/v1/zones/").status_code == 401
    assert AccessAttempt.objects.count() == before


@pytest.mark.parametrize("path", [LOGIN, "/admin/login/?next=/admin/"])
def test_a_username_longer_than_any_account_s_is_a_wrong_login_and_records_no_attempt(client, alice, path):
    """django-axes records a failed login with its username (255 characters at most): a longer one was a 500 on
    PostgreSQL. It is refused as a wrong login before anyone authenticates, so nothing is written; a name of an
    account's length is still counted towards the lockout."""
    overlong = attempt(client, "x" * 10_000, "wrong-password", path=path)
    assert overlong.status_code == 200 and not logged_in(client) and not AccessAttempt.objects.exists()
    wrong = attempt(client, "x" * 150, "wrong-password", path=path)
    assert wrong.status_code == 200 and AccessAttempt.objects.get().username == "x" * 150
    # The same words as any wrong login ("用户名或密码不正确", the admin's own on its page).
    assert list(overlong.context["form"].non_field_errors()) == list(wrong.context["form"].non_field_errors())
    assert overlong.content.decode().count("errornote") == wrong.content.decode().count("errornote")
    if path == LOGIN:
        assert "用户名或密码不正确" in overlong.content.decode()


def test_force_login_and_the_test_clients_login_still_work(client, alice):
    client.force_login(alice)
    assert client.get(reverse("todo")).status_code == 200
    other = Client()
    assert other.login(username="alice", password=PASSWORD)
    assert other.get(reverse("todo")).status_code == 200


def test_the_client_address_is_taken_from_the_trusted_proxy_only(settings):
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1", "::1"]  # nginx on this host, as deploy/env.example sets it
    factory = RequestFactory()
    behind_proxy = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    assert client_ip(behind_proxy) == "198.51.100.7"  # the address nginx saw; what the client claimed is ignored
    direct = factory.get("/", REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_ip(direct) == "198.51.100.8"
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    unknown = factory.get("/")
    del unknown.META["REMOTE_ADDR"]
    assert client_ip(unknown) is None


def test_no_proxy_is_trusted_unless_configured():
    assert settings.PORTAL_TRUSTED_PROXIES == []
    local = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(local) == "127.0.0.1"


def test_rotating_x_forwarded_for_from_a_direct_local_peer_does_not_dodge_the_lockout(client, alice):
    # gunicorn reached directly on this host: the peer is 127.0.0.1, whatever the header claims.
    for number in range(5):
        response = client.post(
            LOGIN,
            {"username": "alice", "password": "wrong-password"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}",
        )
    assert response.status_code == 429
    refused = client.post(
        LOGIN,
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert refused.status_code == 429 and not logged_in(client)


# --------------------------------------------------------------------------- sessions and passwords


def test_a_session_lasts_eight_hours_at_most_and_ends_with_the_browser(client, alice):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    stored = Session.objects.get(session_key=client.session.session_key)
    assert abs((stored.expire_date - timezone.now()) - timedelta(hours=8)) < timedelta(minutes=1)

    assert client.get(reverse("todo")).status_code == 200
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = client.get(reverse("todo"))
    assert expired.status_code == 302 and expired.url.startswith(LOGIN)


def test_passwords_are_checked_by_the_validators(alice):
    for weak in ("12345678", "password", "alice2025", "Ab1"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=alice)
    validate_password("Chuxiong-Portal-2025!", user=alice)


# --------------------------------------------------------------------------- audit log


def audit_lines(caplog):
    return [r for r in caplog.records if r.name == "portal.audit"]


def test_every_write_is_logged_with_user_method_path_status_and_duration(client, alice, caplog):
    client.force_login(alice)
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        client.get(reverse("todo"))
        client.head(reverse("todo"))
        assert audit_lines(caplog) == []  # reads are not logged
        client.post(reverse("flag-list"), {"x": "1"})
    [line] = audit_lines(caplog)
    assert (line.user, line.method, line.path, line.status) == ("alice", "POST", "/flags/", 200)
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0
    assert line.ip == "127.0.0.1"
    assert "POST /flags/ 200 user=alice" in line.getMessage()


def test_logins_logouts_and_failures_are_logged_without_the_password(client, alice, caplog):
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        attempt(client, "alice", "Wrong-Secret-123")
        attempt(client, "alice", PASSWORD)
        client.post(reverse("logout"))
    failed, login, logout = audit_lines(caplog)
    assert (failed.user, failed.status) == ("-", 200)
    assert (login.user, login.status) == ("alice", 302)
    assert (logout.user, logout.path, logout.status) == ("alice", "/accounts/logout/", 302)
    text = caplog.text
    assert "Wrong-Secret-123" not in text and PASSWORD not in text


def test_api_writes_are_logged_with_the_token_user(plan, caplog):
    from chuxiong_portal.services import sync_client_create

    user, key = sync_client_create(name="province-stats")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        api.post("/api/v1/rankings/bulk/?dry_run=true", [], format="json")
    [line] = audit_lines(caplog)
    assert (line.user, line.method, line.path, line.status) == ("province-stats", "POST", "/api/v1/rankings/bulk/", 200)


# --------------------------------------------------------------------------- CSRF


def test_page_posts_need_the_csrf_token(alice, olga):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.post(reverse("logout")).status_code == 403
    assert logged_in(browser)
    page = browser.get(reverse("todo"))
    token = page.cookies.get("csrftoken") or browser.cookies["csrftoken"]
    assert browser.post(reverse("logout"), {"csrfmiddlewaretoken": token.value}).status_code == 302


def test_session_authenticated_api_writes_need_the_csrf_token_but_token_clients_do_not(olga):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(olga)
    refused = browser.post("/api/v1/rankings/bulk/?dry_run=true", [], format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    machine = APIClient(enforce_csrf_checks=True)
    machine.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=olga).key}")
    assert machine.post("/api/v1/rankings/bulk/?dry_run=true", [], format="json").status_code == 200


# --------------------------------------------------------------------------- password hashing


def production_hashers():
    """The hashers of the settings module itself: the test run replaces the setting with MD5 (conftest)."""
    from chuxiong_portal import settings as portal_settings

    return portal_settings.PASSWORD_HASHERS


@pytest.mark.parametrize(
    "old_hash",
    [
        "pbkdf2",  # every account created before the change
        "argon2-django",  # Django's own Argon2 parameters (100 MiB, 8 lanes)
    ],
)
def test_a_login_rehashes_an_older_hash_with_argon2id_at_the_portal_parameters(client, settings, alice, old_hash):
    from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

    settings.PASSWORD_HASHERS = production_hashers()
    old = PBKDF2PasswordHasher() if old_hash == "pbkdf2" else Argon2PasswordHasher()
    alice.password = old.encode(PASSWORD, old.salt())
    alice.save(update_fields=["password"])

    attempt(client, "alice", PASSWORD)

    assert logged_in(client)
    alice.refresh_from_db()
    assert alice.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert alice.check_password(PASSWORD) and not alice.check_password("wrong-password")


def test_a_new_password_is_hashed_with_argon2id_at_the_portal_parameters(settings, alice):
    settings.PASSWORD_HASHERS = production_hashers()
    alice.set_password("Another-Password-2026")
    assert alice.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert alice.check_password("Another-Password-2026")


def test_logging_in_on_a_new_browser_brings_the_language_the_user_chose_elsewhere(alice):
    from chuxiong_portal.services import user_language_set

    user_language_set(user=alice, language="en")
    fresh = Client()
    assert attempt(fresh, "alice", PASSWORD).status_code == 302 and logged_in(fresh)
    assert fresh.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in fresh.get("/", follow=True).content.decode()
    # A browser with a language chosen keeps it.
    chosen = Client()
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = attempt(chosen, "alice", PASSWORD)
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies
    # A user who never chose: no cookie, the portal's own language.
    user_language_set(user=alice, language="zh-hans")
    alice.language = ""
    alice.save(update_fields=["language"])
    other = Client()
    assert settings.LANGUAGE_COOKIE_NAME not in attempt(other, "alice", PASSWORD).cookies


def test_the_user_admin_sets_a_county_role_users_county_and_shows_the_notice_language(olga, client):
    """The county roles (县市) act for a county: the admin's user pages set it, as they set a unit or a zone."""
    from chuxiong_portal.models import User
    from parks.models import County

    olga.is_superuser = True
    olga.save(update_fields=["is_superuser"])
    client.force_login(olga)
    assert 'name="county"' in client.get("/admin/chuxiong_portal/user/add/").content.decode()
    cora = User.objects.create(username="cora-admin")
    page = client.get(f"/admin/chuxiong_portal/user/{cora.pk}/change/").content.decode()
    assert 'name="county"' in page and 'name="language"' in page
    wuding = County.objects.get(code="wuding")
    form = {
        "username": "cora-admin",
        "role": "county_staff",
        "county": wuding.pk,
        "language": "en",
        "is_active": "on",
        "date_joined_0": "2026-12-01",
        "date_joined_1": "08:00:00",
    }
    response = client.post(f"/admin/chuxiong_portal/user/{cora.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    cora.refresh_from_db()
    assert (cora.county, cora.language) == (wuding, "en")
    # The role's group (its admin permissions) follows the role set here, and only that role's.
    assert [g.name for g in cora.groups.all()] == [str(Role.COUNTY_STAFF.label)]
    client.post(f"/admin/chuxiong_portal/user/{cora.pk}/change/", {**form, "role": "county_reviewer"})
    assert [g.name for g in cora.groups.all()] == [str(Role.COUNTY_REVIEWER.label)]
