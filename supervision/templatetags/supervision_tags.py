"""Blocks other pages show about the responsibility cycle (inside those pages' cached bodies: the zone page and the
unit page name the supervision area among the data they read).

- ``{% body_record department=… zone=… county=… links=… %}`` on a unit's or zone's page: open items (linked for a
  reader who may open them) and the on-time record;
- ``{% zone_letter zone %}`` on the zone page: this year's letter (or the latest before it) and how each of its
  targets stands;
- ``{% late_supervision %}`` in the bulletin: every overdue item (open past its deadline, not answered by it);
- ``{{ targets|letter_rows }}`` in a letter: its targets' rows;
- ``{% source_supervision row source %}`` on a row's own page (a work item's, a dispatch report's, a target's): the
  items issued for it that the reader may open, and for the office the 交办督办单 link where the row may be followed up
  (the target's page is uncached: the task and zone pages, whose bodies are cached for every reader, link to it).
"""

from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chuxiong_portal import access
from indicators.progress.status_words import status_short
from supervision import selectors, services

register = template.Library()


@register.inclusion_tag("supervision/_record.html")
def body_record(department=None, zone=None, county=None, links=True):
    """The body's record and open items; `links=False` for a reader who may not open them (`permissions.
    can_view_items_of`): their numbers are shown without links."""
    record = selectors.body_record(today=timezone.localdate(), department=department, zone=zone, county=county)
    return {**record, "plain": not links}


@register.inclusion_tag("supervision/_source_items.html", takes_context=True)
def source_supervision(context, row, source):
    """The 督办单 issued for `row` that the reader may open; for the office, the link issuing one of kind `source`
    linked to `row` (the flag page's pattern), offered only where the service would take it."""
    user = context["user"]
    issue_url = None
    today = timezone.localdate()
    if access.is_office(user) and services.source_row_error(source=source, source_object=row, today=today) is None:
        issue_url = f"{reverse('supervision-new')}?{urlencode({'source': source, 'ref': row.pk})}"
    items = [(item, selectors.is_overdue(item, today)) for item in selectors.supervision_of_source(user=user, row=row)]
    return {"items": items, "issue_url": issue_url}


@register.inclusion_tag("supervision/_zone_letter.html")
def zone_letter(zone):
    letter, targets = selectors.zone_letter(zone=zone, year=timezone.localdate().year)
    return {"letter": letter, "targets": targets}


@register.inclusion_tag("supervision/_late.html")
def late_supervision(today=None):
    return {"late": selectors.late_supervision(today=today or timezone.localdate())}


@register.filter
def letter_rows(targets) -> SafeString:
    """A letter's targets (`selectors.zone_letter`) as the rows of its table: the plan's goal, the letter's (each with
    the indicator's unit; "—" where there is no value), the latest progress (its status in words, its attainment).
    Written once here rather than in a template loop of a dozen filters per row (a zone has dozens)."""
    e = conditional_escape
    stretch_word, differs_word, no_data = e(_("力争")), e(_("与方案不同")), e(_("暂无数据"))
    # Each cell named after its column: on a phone the table stacks, one card per target (`table.stack`).
    plan_word, letter_word, progress_word = e(_("方案目标")), e(_("责任书目标")), e(_("最新进度"))

    def amount(value, unit: str) -> str:
        if value is None:
            return "—"
        text = e(floatformat(value, "-2"))
        return f"{text} {e(unit)}" if unit else text

    def goal(committed, stretch, unit: str) -> str:
        text = amount(committed, unit)
        return text if stretch is None else f"{text} / {stretch_word} {amount(stretch, unit)}"

    rows = []
    for t in targets:
        unit = t.target.indicator.unit
        differs = f' <span class="badge late">{differs_word}</span> {e(t.note)}' if t.differs else ""
        if t.latest_status:
            # The status in words inside its pill (an empty pill has no height: nothing would show of it).
            progress = f'<span class="status {e(t.latest_status)}">{e(status_short(t.latest_status))}</span>'
            if t.latest_attainment is not None:
                progress += f" {_percent(t.latest_attainment)}%"
        else:
            progress = f'<span class="muted">{no_data}</span>'
        rows.append(
            f"<tr><td>{e(t.target.indicator.name)}</td>"
            f'<td data-label="{plan_word}">{goal(t.target.committed_value, t.target.stretch_value, unit)}</td>\n'
            f'<td data-label="{letter_word}">{goal(t.committed_value, t.stretch_value, unit)}{differs}</td>\n'
            f'<td data-label="{progress_word}">{progress}</td></tr>\n'
        )
    return mark_safe("".join(rows))


def _percent(ratio) -> str:
    """A ratio as a whole percentage, as ``{% widthratio ratio 1 100 %}`` writes it."""
    try:
        return str(round(float(ratio) * 100))
    except (ValueError, TypeError, OverflowError):
        return ""
