"""Blocks other pages show about the responsibility cycle, read per request (they are not in the page cache).

- ``{% supervision_todo %}`` on the to-do page: the user's open 督办 items (late ones red), work items, reports
  waiting for review;
- ``{% body_record department=… zone=… county=… %}`` on a unit's or zone's page: open items and the on-time record;
- ``{% zone_letter zone %}`` on the zone page: this year's letter (or the latest before it) and how each of its
  targets stands;
- ``{% late_supervision %}`` in the bulletin: every open item past its deadline.
"""

from django import template
from django.utils import timezone

from supervision import selectors

register = template.Library()


@register.inclusion_tag("supervision/_todo.html", takes_context=True)
def supervision_todo(context):
    return selectors.todo(context["user"], today=timezone.localdate())


@register.inclusion_tag("supervision/_record.html")
def body_record(department=None, zone=None, county=None):
    return selectors.body_record(today=timezone.localdate(), department=department, zone=zone, county=county)


@register.inclusion_tag("supervision/_zone_letter.html")
def zone_letter(zone):
    letter, targets = selectors.zone_letter(zone=zone, year=timezone.localdate().year)
    return {"letter": letter, "targets": targets}


@register.inclusion_tag("supervision/_late.html")
def late_supervision(today=None):
    return {"late": selectors.late_supervision(today=today or timezone.localdate())}
