"""A database too busy to take a write now: told apart from real errors, and answered "busy, try again".

SQLite (the embedded default) serialises writers: WAL lets readers go on, a writer waits up to the busy timeout
(DATABASES OPTIONS "timeout", settings.py) and then fails with "database is locked". PostgreSQL answers a lock
cycle with "deadlock detected" and a serialisation conflict with "could not serialize access". In each case the
transaction was rolled back whole, so nothing was written and sending the same request again is safe: the API
answers 503 with Retry-After (chuxiong_portal/api_support.py), pages a 503 page (`BusyDatabaseMiddleware`).
"""

from django.db import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 2
# SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available.
_BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_BUSY_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")


def is_busy(error: BaseException) -> bool:
    """True for the errors of a database that is busy with other writers (retrying later is safe)."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code in _BUSY_SQLSTATES:
        return True
    return any(text in str(error).lower() for text in _BUSY_MESSAGES)


def busy_message() -> str:
    return _("系统正忙（其他用户正在同时保存数据），本次提交未保存任何内容，请稍后重试。")


class BusyDatabaseMiddleware:
    """Turns a busy database during a page request into a 503 page with the message and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        response = render(request, "busy.html", {"message": busy_message()}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
