"""The health endpoint for the load balancer: database, cache and (when one is configured) the Celery broker.

django-health-check runs the checks; the answer names each part and says "ok" or "error" and nothing else
(no host names, no error texts, no personal data), so it can stay reachable without login. 200 when all
is well, 503 when any part fails, so the balancer takes the instance out of rotation.
"""

from django.conf import settings
from django.http import JsonResponse
from health_check.checks import Cache, Database
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient


def _broker_client():
    return RedisClient.from_url(settings.CELERY_BROKER_URL)


class PortalHealthView(HealthCheckView):
    def get_checks(self):
        yield Database()
        yield Cache()
        if (settings.CELERY_BROKER_URL or "").startswith(("redis://", "rediss://")):
            yield Redis(client_factory=_broker_client)

    def _parts(self) -> dict[str, str]:
        names = {Database: "database", Cache: "cache", Redis: "broker"}
        parts = {"database": "error", "cache": "error", "broker": "not-configured"}
        for result in self.results:
            parts[names.get(type(result.check), "other")] = "error" if result.error else "ok"
        return parts

    def render_to_response_json(self, status):
        parts = self._parts()
        healthy = all(state != "error" for state in parts.values())
        return JsonResponse({"status": "ok" if healthy else "error", **parts}, status=200 if healthy else 503)

    render_to_response_text = render_to_response_json

    def render_to_response(self, context, **kwargs):
        return self.render_to_response_json(kwargs.get("status", 200))
