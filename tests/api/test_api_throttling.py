"""Machine clients are throttled per user: reads and bulk writes have their own rates (429, in Chinese)."""

import pytest


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_read": "3/min", "api_bulk": "2/min"},
    }


def test_it_throttles_reads_per_user(sync, office, low_rates):
    assert [sync.get("/api/v1/zones/").status_code for _ in range(4)] == [200, 200, 200, 429]
    response = sync.get("/api/v1/tasks/")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert response.json()["detail"].startswith("请求已被限流")
    assert office.get("/api/v1/zones/").status_code == 200  # another user has a budget of its own


def test_it_gives_bulk_writes_their_own_budget(sync, low_rates):
    codes = [sync.post("/api/v1/rankings/bulk/", [], format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert sync.get("/api/v1/zones/").status_code == 200


def test_it_defaults_to_generous_reads_and_tight_bulk_rates(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"api_read": "1200/min", "api_bulk": "60/min"}
