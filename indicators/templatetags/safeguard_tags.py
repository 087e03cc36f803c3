"""The words of a 保障措施 record, as its refusal message words it too (`services.safeguard_value_words`)."""

from django import template

from indicators.reporting.services import safeguard_value_words

register = template.Library()


@register.filter
def safeguard_words(record, indicator) -> str:
    return safeguard_value_words(indicator, record)
