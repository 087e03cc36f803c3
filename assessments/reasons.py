"""The words of an accountability flag, chosen in the reader's language when it is shown.

The task-8 rules (`assessments/rules.py`) give every result a reason code and its parameters (years, ranks,
numbers of zones, places moved); `reason_text` turns them into a sentence with gettext. In Chinese the sentence
is the rule's own `reason` word for word (tests/assessments/test_flag_reason_words.py holds them together).
The responsible party and the portal's own warning are worded here too; the plan's consequences are its own
words and stay as they are.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules

_PLACES = {
    rules.IN_BOTTOM_FIVE: gettext_lazy("%(year)s年排名第%(rank)s位（共%(total)s个），位列后五位"),
    rules.NOT_IN_BOTTOM_FIVE: gettext_lazy("%(year)s年排名第%(rank)s位（共%(total)s个），未列后五位"),
    rules.DROPPED_OVER_LIMIT: gettext_lazy(
        "排名下降%(places)s位（%(previous_year)s年第%(previous_rank)s位→%(year)s年第%(rank)s位），超过%(limit)s位"
    ),
    rules.DROPPED_WITHIN_LIMIT: gettext_lazy(
        "排名下降%(places)s位（%(previous_year)s年第%(previous_rank)s位→%(year)s年第%(rank)s位），未超过%(limit)s位"
    ),
    rules.ROSE: gettext_lazy("排名上升%(places)s位（%(previous_year)s年第%(previous_rank)s位→%(year)s年第%(rank)s位）"),
    rules.RANK_UNCHANGED: gettext_lazy(
        "排名名次不变（%(previous_year)s年第%(previous_rank)s位→%(year)s年第%(rank)s位）"
    ),
    rules.BOTTOM_FIVE_TWO_YEARS: gettext_lazy(
        "连续两年位列后五位：%(previous_year)s年第%(previous_rank)s位（共%(previous_total)s个）、"
        "%(year)s年第%(rank)s位（共%(total)s个）"
    ),
    rules.NOT_BOTTOM_FIVE_TWO_YEARS: gettext_lazy(
        "未连续两年位列后五位：%(previous_year)s年第%(previous_rank)s位（共%(previous_total)s个）、"
        "%(year)s年第%(rank)s位（共%(total)s个）"
    ),
    rules.NOT_IMPROVED: gettext_lazy("排名未提升（%(previous_year)s年第%(previous_rank)s位→%(year)s年第%(rank)s位）"),
    rules.IMPROVED: gettext_lazy(
        "排名提升%(places)s位（%(previous_year)s年第%(previous_rank)s位→%(year)s年第%(rank)s位）"
    ),
    rules.FUNDING_AWARDED: gettext_lazy("%(year)s年评价获得省级资金补助，州级财政优先给予倾斜"),
    rules.NO_FUNDING: gettext_lazy("%(year)s年评价未获得省级资金补助"),
    rules.INVALID_RANKING: gettext_lazy("%(year)s年排名数据有误（名次不在1至参评总数之间），无法判定"),
    rules.GOOD_TOP_QUARTER: gettext_lazy(
        "%(year)s年排名第%(rank)s位（共%(total)s个），进入全省前四分之一（前%(threshold)s位）"
    ),
    rules.GOOD_NOT_MET: gettext_lazy("%(year)s年排名第%(rank)s位（共%(total)s个），未进入前四分之一且未上升超过10位"),
}


def reason_text(code: str, params: dict) -> str | None:
    """The reason in the active language; None for a code this module does not know (a flag stored before
    reasons had codes: its stored sentence is shown instead)."""
    try:
        text = _sentence(code, params)
    except (KeyError, TypeError, ValueError):
        return None
    if text is not None and code in _GOOD_CODES:
        # The plan names no measure of 「考核结果好」: the measure is the portal's own, and the flag says so.
        text += _("（“考核结果好”按进入全省前四分之一或排名上升超过10位判定，为平台标准，非方案原文）")
    return text


_GOOD_CODES = frozenset({rules.GOOD_TOP_QUARTER, rules.GOOD_BIG_RISE, rules.GOOD_NOT_MET})


def _sentence(code: str, params: dict) -> str | None:
    if code == rules.MISSING_RANKING:
        return _("缺少%(missing)s年排名，无法判定") % {
            "missing": _("、").join(str(year) for year in params["missing_years"])
        }
    if code == rules.GOOD_BIG_RISE:
        return _("%(year)s年排名上升%(rise)s位（第%(previous)s位→第%(rank)s位），超过10位") % {
            "year": params["year"],
            "rise": params["places"],
            "previous": params["previous_rank"],
            "rank": params["rank"],
        }
    pattern = _PLACES.get(code)
    return None if pattern is None else str(pattern) % params


def responsible_party_text(rule: str, *, zone_name: str, county_name: str) -> str:
    """Who the consequence of `rule` is addressed to (`rules.responsible_party_for`), in the active language."""
    if rule in (rules.BOTTOM_FIVE, rules.DROP_OVER_TEN):
        return _("%(county)s人民政府") % {"county": county_name}
    if rule == rules.BOTTOM_FIVE_TWICE:
        return _("%(zone)s领导班子") % {"zone": zone_name}
    if rule == rules.NO_IMPROVEMENT:
        return _("%(zone)s管委会") % {"zone": zone_name}
    return rules.responsible_party_for(rule, zone_name=zone_name, county_name=county_name)  # a unit's name


def consequence_text(rule: str, stored: str) -> str:
    """The consequence: the plan's words as stored, except the portal's own warning, worded in the active
    language around the plan's goal it quotes."""
    if rule == rules.NO_IMPROVEMENT and stored == rules.CONSEQUENCES[rules.NO_IMPROVEMENT]:
        return _("（平台提示，非方案原文）未实现方案“%(goal)s”的要求，予以预警") % {"goal": rules.IMPROVEMENT_GOAL}
    if rule == rules.NO_IMPROVEMENT and stored == rules.NATIONAL_CONSEQUENCES[rules.NO_IMPROVEMENT]:
        return _("（平台提示，非方案原文）未实现方案“%(goal)s”的要求，予以预警") % {
            "goal": rules.NATIONAL_IMPROVEMENT_GOAL
        }
    return stored


def _place(evidence: dict, prefix: str) -> str:
    return _("%(year)s年第%(rank)s位（共%(n)s个）") % {
        "year": evidence.get(f"{prefix}_year"),
        "rank": evidence[f"{prefix}_rank"],
        "n": evidence.get(f"{prefix}_total_zones"),
    }


def _yes_no(value) -> str:
    return _("是") if value else _("否")


def _formula(text: str) -> str:
    """A rule's comparison ("58 > 60 - 5 = 55: True") with its verdict in words and the signs of arithmetic, not of
    Python: "58 > 60 − 5 = 55：是", "5 ≤ ⌊66 ÷ 4⌋ = 16：是"."""
    text = re.sub(r":\s*(True|False)", lambda m: _("：") + _yes_no(m.group(1) == "True"), str(text))
    text = re.sub(r"(\d+) // (\d+)", "⌊\\1 ÷ \\2⌋", text)  # the top quarter: the places, rounded down
    return text.replace(" - ", " − ").replace(" <= ", " ≤ ").replace(" >= ", " ≥ ")


def _movement(places) -> str:
    """A change of place, `places` down (negative: up)."""
    if places > 0:
        return _("下降%(places)s位") % {"places": places}
    if places < 0:
        return _("上升%(places)s位") % {"places": -places}
    return _("名次不变")


def evidence_rows(evidence: dict) -> list[tuple[str, str]]:
    """A flag's stored evidence (`rules.evaluate_zone`'s keys) as (what it is, its value) in the reader's language,
    for 判定依据: the keys and Python's True/False are the rules' own notation, not words a reader knows. The rule,
    scheme and year are left out (the page's title says them); a key this function does not know is left out too."""
    if not isinstance(evidence, dict):
        return []
    rows = []
    if evidence.get("previous_rank") is not None:
        rows.append((_("上年排名"), _place(evidence, "previous")))
    if evidence.get("current_rank") is not None:
        rows.append((_("本年排名"), _place(evidence, "current")))
    if evidence.get("missing_years"):
        rows.append((_("缺少排名的年度"), _("、").join(str(year) for year in evidence["missing_years"])))
    if evidence.get("drop") is not None:
        rows.append((_("名次变化"), _movement(evidence["drop"])))
    if evidence.get("rise") is not None:
        rows.append((_("名次变化"), _movement(-evidence["rise"])))
    if evidence.get("rise_missing_year") is not None:
        rows.append((_("名次变化"), _("缺少%(year)s年排名，未比较") % {"year": evidence["rise_missing_year"]}))
    if evidence.get("threshold") is not None:
        if evidence.get("rule") == rules.GOOD_RESULT:
            rows.append((_("前四分之一"), _("前%(threshold)s位") % {"threshold": evidence["threshold"]}))
        else:
            rows.append((_("后5位界线"), _("第%(threshold)s位之后") % {"threshold": evidence["threshold"]}))
    for key, label in (
        ("previous_bottom_five", _("上年位列后5位")),
        ("current_bottom_five", _("本年位列后5位")),
        ("funding_awarded", _("获省级资金补助")),
    ):
        if key in evidence:
            rows.append((label, _yes_no(evidence[key])))
    if evidence.get("score") is not None:
        rows.append((_("总分"), str(evidence["score"])))
    for key in ("comparison", "rise_comparison"):
        if evidence.get(key):
            rows.append((_("判定算式"), _formula(evidence[key])))
    return rows
