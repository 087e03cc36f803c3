import re
from datetime import date

from django import template
from django.utils.translation import gettext

from chuxiong_portal import dates
from indicators.reporting import flow_words

from ..board import amount, investment_note, state_label, status_label

register = template.Library()

register.filter("project_status_label", status_label)
register.filter("milestone_state_label", state_label)
register.filter("investment_note", investment_note)
register.filter("amount", amount)  # 万元 as read: 71,400 / 67,292.5


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value}%"


# A baseline change's reason as services.milestone_rebaseline keeps it (in the portal's own language, Chinese).
_REBASELINE = re.compile(r"^调整基线：(?P<old>\S+) → (?P<new>\S+)，(?P<reason>.*)$", re.S)
# A stage move's default reason, as services.project_stage_set keeps it.
_STAGE = re.compile(r"^进入“(?P<stage>[^”]+)”阶段$")
# An exit's reason, as services.project_stage_set keeps it.
_EXIT = re.compile(r"^退出：(?P<reason>.*)$", re.S)
# A milestone's corrected date, as services.milestone_done keeps it.
_CORRECTED = re.compile(r"^更正节点完成日期：(?P<old>\S+) → (?P<new>\S+)$")


@register.filter
def change_reason(value) -> str:
    """A history entry's reason in the reader's language: the reasons the services write are catalogue
    messages, kept in the portal's own language whoever wrote them (flow_words.kept) and worded again here; what a
    user typed is shown as typed."""
    if not value:
        return ""
    rebaseline = _REBASELINE.match(value)
    if rebaseline:
        return gettext("调整基线：%(old)s → %(new)s，%(reason)s") % _days(rebaseline.groupdict())
    stage = _STAGE.match(value)
    if stage:
        return gettext("进入“%(stage)s”阶段") % {"stage": gettext(stage["stage"])}
    exit_ = _EXIT.match(value)
    if exit_:
        return gettext("退出：%(reason)s") % exit_.groupdict()
    corrected = _CORRECTED.match(value)
    if corrected:
        return gettext("更正节点完成日期：%(old)s → %(new)s") % _days(corrected.groupdict())
    # The report workflow's lines (审核通过, 退回：…); else one of the project services' own messages, or what a user
    # typed, shown as typed.
    worded = flow_words.shown(value)
    return worded if worded != value else gettext(value)


def _days(words: dict) -> dict:
    """The old and new days a reason keeps as ISO (2026-03-15) read as every day on the page (2026年3月15日)."""
    for name in ("old", "new"):
        try:
            words[name] = dates.day(date.fromisoformat(words[name]))
        except ValueError:  # not an ISO day: shown as kept
            pass
    return words


@register.filter
def period_name(period) -> str:
    """A reporting period's name in the reader's language."""
    return period.label
