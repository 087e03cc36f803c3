"""/health/ for the load balancer: database and cache (and the broker when configured), no login, no details."""

import json

from django.core.cache import cache


def test_it_answers_ok_without_login_and_says_nothing_else(client, db, settings):
    response = client.get("/health/")
    assert response.status_code == 200
    body = json.loads(response.content)
    # The broker is checked where one is configured (CI's second run exports a Redis CELERY_BROKER_URL).
    broker = "ok" if (settings.CELERY_BROKER_URL or "").startswith(("redis://", "rediss://")) else "not-configured"
    assert body == {"status": "ok", "database": "ok", "cache": "ok", "broker": broker}
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_cache_fails(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down at 10.0.0.5")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/health/", HTTP_ACCEPT="text/plain")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "error"
    assert "10.0.0.5" not in response.content.decode()
