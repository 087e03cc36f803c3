"""Every write logged with its user: one `portal.audit` line per request that is not GET, HEAD or OPTIONS.

Fields (as `extra`, so that the JSON log format gives each its own key): user, method, path, status,
duration_ms, ip. The user is the one after the view ran (an API token is authenticated inside the view) or,
when the request logged someone out, the one before. Request bodies are never logged (passwords, uploads).
"""

import logging
import time

from .security import client_ip

logger = logging.getLogger("portal.audit")

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def _username(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else ""


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in READS:
            return self.get_response(request)
        before = _username(getattr(request, "user", None))
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = _username(getattr(request, "user", None)) or before or "-"
        logger.info(
            "%s %s %s user=%s %.1fms",
            request.method,
            request.path,
            response.status_code,
            user,
            duration_ms,
            extra={
                "user": user,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "ip": client_ip(request),
            },
        )
        return response
