"""Every API route answers with and without its trailing slash: a POST to `…/bulk` was redirected by APPEND_SLASH (a
500 with DEBUG on, a 301 in production that clients follow as a GET, the body lost)."""

import pytest
from django.urls import reverse

BULK = (
    "/api/v1/indicator-values/bulk",
    "/api/v1/rankings/bulk",
    "/api/v1/evaluation-results/bulk",
    "/api/v1/project-investments/bulk",
)


@pytest.mark.parametrize("url", BULK)
def test_a_bulk_post_without_the_slash_is_answered_as_with_it(sync, url):
    without = sync.post(f"{url}?dry_run=true", [], format="json")
    assert without.status_code == 200, (without.status_code, without.content[:200])
    assert without.json() == sync.post(f"{url}/?dry_run=true", [], format="json").json()


@pytest.mark.parametrize("url", BULK)
def test_a_bulk_post_without_the_slash_is_answered_with_debug_on(sync, url, settings):
    settings.DEBUG = True  # Django raised a RuntimeError (APPEND_SLASH cannot keep a POST's body)
    assert sync.post(f"{url}?dry_run=true", [], format="json").status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/zones", "/api/v1/zones/lufeng", "/api/v1/rankings", "/api/v1/timeliness", "/api/v1/schema"]
)
def test_a_read_without_the_slash_is_answered_in_place(sync, url):
    assert sync.get(url).status_code == 200


def test_links_and_the_schema_keep_the_slash_and_list_each_route_once(sync):
    assert reverse("api-project-investment-bulk") == "/api/v1/project-investments/bulk/"
    assert reverse("api-timeliness") == "/api/v1/timeliness/"
    paths = sync.get("/api/v1/schema/?format=json").json()["paths"]
    assert "/api/v1/project-investments/bulk/" in paths
    assert all(p.endswith("/") for p in paths), [p for p in paths if not p.endswith("/")]
