"""The portal's own error pages, also under the development server.

With DEBUG off Django renders templates/404.html, 403.html and 500.html itself. The README's serve command
runs with DEBUG on (static files, the development key), where Django would answer a mistyped URL with its
English technical 404 listing the URL patterns; this middleware gives that request the portal's 404 page
instead. JSON answers (the API) are left alone.
"""

from django.conf import settings
from django.shortcuts import render


class FriendlyNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return render(request, "404.html", status=404)
        return response
