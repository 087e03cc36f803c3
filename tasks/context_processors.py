"""The plan a page is about, for the shell (the footer names it)."""

from django.http import Http404

from .selectors import plan_for_request


def plan(request) -> dict:
    """``portal_plan``: the plan of ``?plan=CODE``, else the plan in force; None before any plan is loaded."""
    try:
        return {"portal_plan": plan_for_request(request)}
    except Http404:  # an unknown ?plan= code: the view answers 404 itself; the shell just names no plan
        return {"portal_plan": None}
