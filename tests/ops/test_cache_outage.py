"""The fail-open Redis cache: with Redis stopped or hung, reads miss and writes are dropped, quickly.

With it as the default cache (REDIS_CACHE_URL), the API's throttling survives a Redis outage instead of
turning every API request into a 500.
"""

import shutil
import socket
import subprocess
import time

import pytest
from ops_ports import free_port

from chuxiong_portal.cache import FailOpenRedisCache


@pytest.fixture
def redis_port():
    """A throw-away Redis on a free port (skipped where redis-server is not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize("broken", ["stopped", "hung"])
def test_it_misses_and_drops_writes_quickly_while_redis_is_unreachable(broken, request, caplog):
    port = free_port() if broken == "stopped" else request.getfixturevalue("silent_port")
    cache = FailOpenRedisCache(f"redis://127.0.0.1:{port}/1", {})
    FailOpenRedisCache._warned_at = FailOpenRedisCache._down_until = 0.0
    started = time.monotonic()
    assert cache.get("throttle_user_1", []) == []
    assert cache.set("throttle_user_1", [1.0], 60) is None
    assert cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.delete("a") is False
    with pytest.raises(ValueError):
        cache.incr("a")
    # Refused at once, or one 1 s socket timeout: then Redis is left alone for a while.
    assert time.monotonic() - started < 3
    assert sum("Redis cache unreachable" in r.getMessage() for r in caplog.records) == 1  # logged once

    # Once the pause is over, the cache tries Redis again (and, still failing, keeps failing open).
    FailOpenRedisCache._down_until = 0.0
    assert cache.get("throttle_user_1", "default") == "default"


def test_it_works_as_a_cache_when_redis_is_there(redis_port):
    cache = FailOpenRedisCache(f"redis://127.0.0.1:{redis_port}/1", {})
    FailOpenRedisCache._down_until = 0.0
    cache.set("portal-cache-test", {"a": 1}, 30)
    assert cache.get("portal-cache-test") == {"a": 1}
    assert cache.add("portal-cache-counter-test", 0) is True
    assert cache.incr("portal-cache-counter-test") == 1
    cache.delete_many(["portal-cache-test", "portal-cache-counter-test"])
    assert cache.get("portal-cache-test") is None


def test_it_runs_the_recovery_hooks_once_when_redis_answers_again(redis_port, monkeypatch):
    from chuxiong_portal import pagecache

    assert pagecache.data_changed in FailOpenRedisCache.recovery_hooks  # registered by the portal app
    calls = []
    monkeypatch.setattr(FailOpenRedisCache, "recovery_hooks", [lambda: calls.append("recovered")])
    monkeypatch.setattr(FailOpenRedisCache, "_outage", False)
    monkeypatch.setattr(FailOpenRedisCache, "_down_until", 0.0)
    down = FailOpenRedisCache(f"redis://127.0.0.1:{free_port()}/1", {})
    up = FailOpenRedisCache(f"redis://127.0.0.1:{redis_port}/1", {})

    up.get("portal-cache-test")
    assert calls == []  # no outage yet: nothing to recover from
    down.set("portal:data-version", "new", None)  # a write during the outage is dropped…
    assert calls == []
    FailOpenRedisCache._down_until = 0.0
    up.get("portal-cache-test")  # …so the first call that succeeds afterwards runs the hooks
    up.get("portal-cache-test")
    assert calls == ["recovered"]
