"""`{% ended_plans as plans %}`: the plans whose final evaluation the reader may open (the office only).

Cached with the pages (it changes only with the data or the day), so the overview's repeat view stays free
of queries.
"""

from django import template
from django.utils import timezone

from chuxiong_portal import access, pagecache

from ..plans import plans_ended

register = template.Library()


@register.simple_tag(takes_context=True)
def ended_plans(context) -> list[dict]:
    user = context.get("user")
    if not access.is_office(user):
        return []
    today = timezone.localdate()
    return pagecache.cached(
        "ended-plans",
        (today,),
        lambda: [{"code": p.code, "document_number": p.document_number} for p in plans_ended(today=today)],
        areas=(pagecache.CORE,),
        count=False,
    )  # the plans alone
