"""Which plans can be evaluated: those whose last year has ended (the plan's own record says when)."""

from datetime import date

from django.http import Http404

from tasks.models import Plan


def plan_has_ended(plan: Plan, *, today: date) -> bool:
    """The final evaluation opens the day after the plan's last year ends."""
    return today > plan.end


def plans_ended(*, today: date) -> list[Plan]:
    """The plans in the record whose last year has ended (drafts never run, so they have no evaluation)."""
    return list(
        Plan.objects.filter(last_year__lt=today.year).exclude(status=Plan.Status.DRAFT).order_by("first_year", "code")
    )


def plan_for_evaluation(code: str) -> Plan:
    plan = Plan.objects.filter(code=code).exclude(status=Plan.Status.DRAFT).first()
    if plan is None:
        raise Http404("no such plan")
    return plan
