"""The portal's own error pages, also under the development server.

With DEBUG off Django renders templates/404.html, 403.html and 500.html itself. The README's serve command
runs with DEBUG on (static files, the development key), where Django would answer a mistyped URL with its
English technical 404 listing the URL patterns; `FriendlyNotFoundMiddleware` gives that request the portal's 404
page instead. JSON answers (the API) are left alone.

`NullCharacterMiddleware` answers 400 to a page's address carrying a null character (``%00``, in its path or
query): no page asks for one, and PostgreSQL refuses it in any query (a 500 from the pages' filters: ?zone=,
?state=, ?benchmark=…). Form fields are refused field by field by their forms, with the field named; the API keeps
its own answers (a text filter holding one matches nothing, `api_support.StrictFilterBackend`; a plan code holding
one names no plan, `tasks.selectors.plan_get`).
"""

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _


class FriendlyNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return render(request, "404.html", status=404)
        return response


class NullCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if "\x00" in request.path or (
            request.META.get("QUERY_STRING")
            and any("\x00" in key + "".join(values) for key, values in request.GET.lists())
        ):
            message = _("地址中含有不可用的字符（空字符），请检查地址后重试。")
            request.GET = QueryDict()  # the page around the message reads none of it (?plan=)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
