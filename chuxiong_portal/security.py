"""Access plumbing: pages for accounts with a role, django-axes' login lockout (client IP, backend), the password
hasher and a password rule worded in the reader's language.

Settings: AXES_* and PORTAL_TRUSTED_PROXIES in chuxiong_portal/settings.py; the lockout page is
templates/registration/lockout.html.
"""

from functools import wraps

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .roles import Role
from .views import render_forbidden


def role_required(view):
    """`login_required`, and a 403 page for a logged-in account without a role (superusers pass).

    The rule of the whole portal: an account the office has not given a role yet sees nothing but this page.
    """

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.role or user.is_superuser):
            return render_forbidden(request, _("您的账号尚未分配角色，请联系州开发区办。"))
        return view(request, *args, **kwargs)

    return wrapped


# What an API-only account may open besides the API: logging out, the language switch, the health check.
_API_ONLY_PAGES = ("/api/", "/accounts/logout/", "/i18n/", "/health/", "/static/")


class ApiOnlyAccountMiddleware:
    """The provincial sync client is an API account (README, roles): signed in with a session — should the office
    ever give it a password — it still opens no page, only the API. A 403 page says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role == Role.PROVINCIAL_SYNC
            and not user.is_superuser
            and not request.path_info.startswith(_API_ONLY_PAGES)
        ):
            return render_forbidden(request, _("此账号仅用于数据接口（/api/v1/），不能打开平台页面。"))
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The address a request came from: REMOTE_ADDR, or behind a trusted proxy (nginx on this host) the
    right-most X-Forwarded-For address that is not itself a trusted proxy.

    Only the right-most entries were written by proxies we trust; anything left of them is what the client
    claimed and is ignored. A request straight from a client (not a trusted proxy) is taken at REMOTE_ADDR
    whatever headers it carries. None when unknown (the database stores NULL, never an empty string).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.PORTAL_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return remote


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' check that refuses a locked-out username+IP before ModelBackend looks at the password.

    Every login over HTTP passes the request (the login page, the admin's login). A call without one — the
    test client's `login()`, a shell — has no client address to count failures against: axes would raise,
    this backend lets ModelBackend decide instead. Code that authenticates an HTTP client must pass `request`.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane (Django's own: 100 MiB, 2
    passes, 8 lanes, ~0.2 s of CPU). Same algorithm name as Django's: a stored hash with other parameters verifies
    with its own and is rehashed with these at the next login (`must_update`)."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, its message asked for in the wording Django's catalogues translate: Django 5.2 words it with ``%d``,
    and its zh-Hans catalogue still holds it with ``%(min_length)d`` — a password too short was refused in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
