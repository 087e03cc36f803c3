from django import template

from ..board import investment_note, state_label, status_label

register = template.Library()

register.filter("project_status_label", status_label)
register.filter("milestone_state_label", state_label)
register.filter("investment_note", investment_note)


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value}%"
