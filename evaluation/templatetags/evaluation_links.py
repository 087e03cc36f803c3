"""`{% ended_plans as plans %}`: the plans whose final evaluation the reader may open (the office only)."""

from django import template
from django.utils import timezone

from tasks.models import Plan

from ..plans import plans_ended

register = template.Library()


@register.simple_tag(takes_context=True)
def ended_plans(context) -> list[Plan]:
    user = context.get("user")
    if not getattr(user, "is_office", False):
        return []
    return plans_ended(today=timezone.localdate())
