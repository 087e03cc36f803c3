"""The base layer's page helper: the 403 page every app's views show with a reason."""

from django.shortcuts import render


def render_forbidden(request, message: str):
    """A 403 page with the reason in the user's language (Django's default 403 shows no message)."""
    return render(request, "dashboards/forbidden.html", {"message": message}, status=403)
