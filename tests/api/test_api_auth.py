"""Who may use the API: 401 for anonymous, tokens for machines, sessions for browsers, roles decide writes."""

import pytest
from rest_framework.test import APIClient

LIST_ENDPOINTS = [
    "/api/v1/",
    "/api/v1/zones/",
    "/api/v1/tasks/",
    "/api/v1/tasks/6/",
    "/api/v1/departments/",
    "/api/v1/indicators/",
    "/api/v1/targets/",
    "/api/v1/indicator-values/",
    "/api/v1/evaluations/",
    "/api/v1/rankings/",
    "/api/v1/progress/",
    "/api/v1/flags/",
    "/api/v1/reconciliation/",
]


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_it_answers_401_not_403_to_anonymous_reads(anon, plan, url):
    response = anon.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "身份认证信息未提供。"
    assert response.json()["errors"] == []


@pytest.mark.parametrize("url", ["/api/v1/indicator-values/bulk/", "/api/v1/rankings/bulk/"])
def test_it_answers_401_to_anonymous_bulk_writes(anon, plan, url):
    assert anon.post(url, [], format="json").status_code == 401


def test_it_refuses_a_wrong_token_with_401(anon, plan):
    anon.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = anon.get("/api/v1/zones/")
    assert response.status_code == 401
    assert response.json()["detail"] == "认证令牌无效。"


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/"])
def test_it_serves_the_schema_and_docs_to_anonymous(anon, plan, url):
    assert anon.get(url).status_code == 200


def test_it_lets_the_sync_client_read_with_its_token(sync):
    response = sync.get("/api/v1/zones/")
    assert response.status_code == 200
    assert {z["code"] for z in response.json()["results"]} == {"chuxiong-hitech", "lufeng", "wuding", "mouding"}


@pytest.mark.parametrize("persona", ["alice", "rita", "bob", "sam", "leo", "olga"])
def test_it_lets_every_role_read(request, token_client, persona):
    client = token_client(request.getfixturevalue(persona))
    for url in ("/api/v1/tasks/", "/api/v1/indicator-values/", "/api/v1/flags/"):
        assert client.get(url).status_code == 200


def test_it_lets_a_browser_read_with_its_session(client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/tasks/6/").status_code == 200


def test_it_refuses_an_account_without_a_role(token_client, charlie):
    response = token_client(charlie).get("/api/v1/zones/")
    assert response.status_code == 403
    assert "角色" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["alice", "rita", "bob", "sam", "leo"])
@pytest.mark.parametrize("url", ["/api/v1/indicator-values/bulk/", "/api/v1/rankings/bulk/"])
def test_it_refuses_bulk_writes_to_other_roles_in_chinese(request, token_client, persona, url):
    response = token_client(request.getfixturevalue(persona)).post(url, [], format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有省统计系统同步客户端和州开发区办可以通过接口批量写入数据。"


@pytest.mark.parametrize("url", ["/api/v1/indicator-values/bulk/", "/api/v1/rankings/bulk/"])
def test_it_lets_the_sync_client_and_the_office_bulk_write(sync, office, url):
    for client in (sync, office):
        response = client.post(url, [], format="json")
        assert response.status_code == 200, response.content
        assert response.json()["created"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/zones/",
        "/api/v1/tasks/6/",
        "/api/v1/indicator-values/",
        "/api/v1/flags/",
        "/api/v1/targets/",
        "/api/v1/progress/",
    ],
)
def test_it_lets_the_sync_client_write_nothing_else(sync, url):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(sync, method)(url, {}, format="json")
        assert response.status_code == 405, (method, url)


def test_it_lets_a_superuser_without_a_role_write(token_client, charlie):
    charlie.is_superuser = True
    charlie.save()
    assert token_client(charlie).post("/api/v1/rankings/bulk/", [], format="json").status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            "浏览器会话提交的请求缺少有效的 CSRF 令牌，请刷新页面后重试；机器客户端请改用 Authorization: Token 认证。",
        ),
        (
            "en",
            "The request from a browser session has no valid CSRF token: reload the page and try again. Machine "
            "clients authenticate with Authorization: Token instead.",
        ),
    ],
)
def test_a_browser_write_without_its_csrf_token_is_refused_in_the_readers_language(olga, language, expected):
    # DRF's own message, "CSRF Failed: CSRF token missing.", is English in every language.
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(olga)
    response = browser.post("/api/v1/rankings/bulk/", [], format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert response.json() == {"detail": expected, "errors": []}


def test_the_refusals_read_in_english_when_asked(anon, token_client, alice, charlie):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    anon.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert anon.get("/api/v1/zones/", **english).json()["detail"] == "Invalid token."
    writer = token_client(alice).post("/api/v1/rankings/bulk/", [], format="json", **english)
    assert writer.status_code == 403
    assert writer.json()["detail"] == (
        "Only the provincial statistics sync client and the Prefecture Development Zone Office can bulk-write data "
        "through the API."
    )
    no_role = token_client(charlie).get("/api/v1/zones/", **english)
    assert no_role.json()["detail"] == "Your account has not been assigned a role, so it cannot use the data API."
