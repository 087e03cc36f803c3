"""A logged-in browser gets DRF's browsable pages (HTML) for every endpoint, without errors."""

import pytest

URLS = [
    "/api/v1/",
    "/api/v1/zones/",
    "/api/v1/zones/lufeng/",
    "/api/v1/tasks/",
    "/api/v1/tasks/6/",
    "/api/v1/departments/",
    "/api/v1/indicators/",
    "/api/v1/targets/",
    "/api/v1/indicator-values/",
    "/api/v1/indicator-values/bulk/",
    "/api/v1/evaluations/",
    "/api/v1/rankings/",
    "/api/v1/rankings/bulk/",
    "/api/v1/progress/",
    "/api/v1/flags/",
    "/api/v1/reconciliation/",
]


@pytest.mark.parametrize("url", URLS)
def test_it_renders_html_for_a_browser_session(client, olga, url):
    client.force_login(olga)
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 405)
    assert response["Content-Type"].startswith("text/html")
