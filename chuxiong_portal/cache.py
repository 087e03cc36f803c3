"""A Redis cache that a Redis outage cannot turn into server errors.

Django's RedisCache raises when Redis is down, and waits forever when it hangs; the API's throttling reads
and writes the cache on every request, so a stopped Redis made every API call a 500. This backend fails
open: while Redis is unreachable a read is a miss, a write is dropped, and a warning is logged (once a
minute at most). Throttling does not count during the outage; everything else keeps working.
Socket timeouts are on by default (1 s; OPTIONS may override them), and after a failure Redis is left
alone for RETRY_AFTER seconds, so that a hung Redis costs one request a timeout, not every request.

Writes dropped during an outage can leave the cache holding something stale once Redis answers again (a
network cut, or a restart that reloads its snapshot). The first call that succeeds after an outage runs
the ``recovery_hooks`` (the page cache registers one that starts a new data version).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
RETRY_AFTER = 5.0  # seconds
_MISSING = object()


class FailOpenRedisCache(RedisCache):
    _down_until = 0.0  # per process: shared by the cache instances of all threads
    _warned_at = 0.0
    _outage = False
    recovery_hooks: list = []

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    def _try(self, fallback, method, *args, **kwargs):
        now = time.monotonic()
        if now < FailOpenRedisCache._down_until:
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except OUTAGE as error:
            FailOpenRedisCache._outage = True
            FailOpenRedisCache._down_until = now + RETRY_AFTER
            if now - FailOpenRedisCache._warned_at > 60:
                FailOpenRedisCache._warned_at = now
                logger.warning("Redis cache unreachable (%s): reads miss, writes are dropped until it is back", error)
            return fallback
        if FailOpenRedisCache._outage:
            FailOpenRedisCache._outage = False
            self._recovered()
        return result

    def _recovered(self):
        logger.warning("Redis cache reachable again: running %d recovery hook(s)", len(self.recovery_hooks))
        for hook in self.recovery_hooks:
            hook()

    def add(self, key, *args, **kwargs):
        return self._try(False, "add", key, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self._try(default, "get", key, default, version)

    def set(self, key, *args, **kwargs):
        return self._try(None, "set", key, *args, **kwargs)

    def touch(self, key, *args, **kwargs):
        return self._try(False, "touch", key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        return self._try(False, "delete", key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        return self._try({}, "get_many", keys, *args, **kwargs)

    def has_key(self, key, *args, **kwargs):
        return self._try(False, "has_key", key, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self._try(list(data), "set_many", data, *args, **kwargs)

    def delete_many(self, keys, *args, **kwargs):
        return self._try(None, "delete_many", keys, *args, **kwargs)

    def clear(self):
        return self._try(False, "clear")

    def incr(self, key, delta=1, version=None):
        value = self._try(_MISSING, "incr", key, delta, version)
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")
        return value
