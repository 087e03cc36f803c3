"""The key projects on the pages that other apps render: the to-do page and the zone page.

A page-layer tag library (DESIGN §7): pages may read several domains, so the projects domain reaches the to-do
and zone templates through here, and no domain app imports `projects`.
"""

from django import template
from django.utils import timezone

from projects import selectors

register = template.Library()


@register.inclusion_tag("projects/_todo_section.html")
def project_todo(reports, requests, unit_id, zone_id, county_id, is_office):
    """The half-month reports the reader files (`reports`: `projects.selectors.reports_for_todo`; those they review
    are at the head of the to-do, with the rest of what waits for their review), overdue stages and milestones of this
    year's listed projects, and the unanswered 需协调事项 the reader answers (`requests`:
    `projects.selectors.open_coordination`), for the unit (as lead or co-unit), the zone or the county (its zones'
    projects); everything for the office. `listed`: whether the reader's body has listed projects at all — without
    any, the section does not say that none is overdue, as if it had looked."""
    today = timezone.localdate()
    year = selectors.list_year(today)  # in January, last year's list until this year's is drawn up
    if is_office:
        rows = selectors.board_rows(year=year, today=today, links=False)
    else:
        rows = selectors.listed_for_body(
            department_id=unit_id, zone_id=zone_id, county_id=county_id, year=year, today=today
        )
    return {
        "overdue": [row for row in rows if row.overdue],
        "listed": bool(rows),
        "is_office": is_office,
        "requests": requests,
        "year": year,
        "reports": reports,
    }


@register.inclusion_tag("projects/_zone_panel.html")
def zone_projects(zone):
    """The zone's projects of the list in force (as the to-do reads them: in January, last year's until this year's
    is drawn up), and the 招商 rates of the projects signed this year."""
    today = timezone.localdate()
    return {
        "zone": zone,
        "projects": selectors.zone_projects(year=selectors.list_year(today), today=today, zone=zone),
        "rates": selectors.rates_for_zone(zone=zone, year=today.year),
    }


# The tasks whose indicators the 招商 rates stand beside: task 10 (招商项目落地率、开工率和资金到位率) and task 21
# (外资/州外资金到位).
RATE_TASKS = frozenset({10, 21})


@register.inclusion_tag("projects/_task_rates.html")
def task_project_rates(task):
    """The three rates computed from the projects, per zone, this year and last, on the pages of tasks 10 and 21."""
    if task.number not in RATE_TASKS:
        return {"show": False}
    year = timezone.localdate().year
    return {"show": True, "years": [(y, _rate_rows(y)) for y in (year, year - 1)]}


def _rate_rows(year):
    """[(zone or None, computed rates, [(computed, province figure or None) per rate])] for the year."""
    rates = selectors.zone_rates(year=year)
    province = selectors.province_rates_by_zone(year=year)

    def cells(zone_id, r):
        return [(getattr(r, rate), province.get((rate, zone_id))) for rate in selectors.RATE_INDICATORS]

    return [(zone, r, cells(zone.pk, r)) for zone, r in rates["zones"]] + [
        (None, rates["total"], cells(None, rates["total"]))
    ]


@register.inclusion_tag("projects/_rate_reconciliation.html")
def project_rate_reconciliation(zone="", year=None):
    """On the reconciliation page: the province's figures for the three rates beside those computed from the
    projects."""
    return {"figures": selectors.province_rate_figures(zone=zone or "", year=year)}
