"""The API's session authentication (settings.REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES, after the token).

A module of its own, importing no view: DRF reads the authentication classes while `rest_framework.views` loads, so
a class defined beside the views' plumbing (api_support) would be imported in a circle.
"""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, but a browser write without a valid CSRF token is told so in the reader's
    language: DRF's own message ("CSRF Failed: CSRF token missing.") is English whatever the language, and
    developer-speak."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as error:
            raise exceptions.PermissionDenied(
                _(
                    "浏览器会话提交的请求缺少有效的 CSRF 令牌，请刷新页面后重试；"
                    "机器客户端请改用 Authorization: Token 认证。"
                )
            ) from error
