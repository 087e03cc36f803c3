"""The words of a progress result's reason, chosen in the reader's language when it is shown.

The progress engine (`indicators/progress/engine/`) gives every outcome a reason code and its parameters (numbers,
dates, a few keywords); `reason_text` turns them into a sentence with gettext. In Chinese the sentence is the
engine's own `reason` word for word (tests/indicators/test_progress_reason_words.py holds them together).
"""

from collections.abc import Callable
from datetime import date

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language, gettext, gettext_noop, override

from chuxiong_portal import dates

from . import engine
from .engine import fmt_ratio, fmt_value


def _day(value: date | str, words: Callable[[str], str]) -> str:
    """A day of the parameters (stored as ISO, 2025-12-31) as every page writes one (2025年12月31日 · 31 Dec 2025), in
    the language of the batch's `words` (a `translator()`), whichever is active."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    catalogue = getattr(words, "__self__", None)  # a translator() is its catalogue's lookup
    return catalogue.day(day) if isinstance(catalogue, _Catalogue) else dates.day(day)


# Stored beside the engine's codes by the recompute (indicators/progress/services.py).
NO_CURRENT_DATA = "no_current_data"

_PATH_PHRASES = {
    engine.GREEN: gettext_noop("达到序时进度要求"),
    engine.AMBER: gettext_noop("略低于序时进度"),
    engine.RED: gettext_noop("明显滞后于序时进度"),
}
_TARGET_PHRASES = {
    engine.GREEN: gettext_noop("达到目标要求"),
    engine.AMBER: gettext_noop("略低于目标"),
    engine.RED: gettext_noop("明显低于目标"),
}
_PATH_MEASURES = {
    "actual": gettext_noop("实际值"),
    "year_to_date": gettext_noop("本年累计值"),
    "cumulative": gettext_noop("累计完成"),
}
_REACHED_MEASURES = {"current": gettext_noop("当前值"), "annualised": gettext_noop("年化值")}
_RECURRING_PHRASES = {
    engine.GREEN: gettext_noop("达到要求"),
    engine.AMBER: gettext_noop("低于序时要求"),
    engine.RED: gettext_noop("全年未完成要求"),
}
_HALF_PHRASES = {
    engine.GREEN: gettext_noop("达到要求"),
    engine.AMBER: gettext_noop("本半年尚未完成"),
    engine.RED: gettext_noop("有半年未完成要求"),
}
_EARLY_PHRASES = {
    "on_time": gettext_noop("已按时完成"),
    "open": gettext_noop("尚未完成"),
    "late_done": gettext_noop("逾期完成"),
    "late_missing": gettext_noop("逾期未完成"),
}
_TRENDS = {"rising": gettext_noop("上升"), "falling": gettext_noop("下降"), "flat": gettext_noop("持平")}


# A recompute words tens of thousands of reasons: each message is looked up in the catalogue once per language.
class _Catalogue(dict):
    """The messages of one language translated so far: a missing one is looked up in the catalogue."""

    def __init__(self, language: str | None) -> None:
        super().__init__()
        self.language = language

    def day(self, day: date) -> str:
        """`day` as the pages write it in the catalogue's language (an English day names its month)."""
        key = ("day", day)
        if key not in self:
            with override(self.language):
                self[key] = dates.day(day)
        return self[key]

    def __missing__(self, message: str) -> str:
        # In the catalogue's own language, whichever is active now.
        with override(self.language):
            words = self[message] = gettext(message)
        return words


_TRANSLATED: dict[str | None, _Catalogue] = {}


def translator() -> Callable[[str], str]:
    """gettext in the active language, remembered: a batch of reasons (a recompute) looks the language up once
    and passes this to `reason_text`."""
    language = get_language()
    catalogue = _TRANSLATED.get(language)
    if catalogue is None:
        catalogue = _TRANSLATED[language] = _Catalogue(language)
    return catalogue.__getitem__  # the dict's own lookup: called for every sentence of a recompute


@receiver(setting_changed)
def _forget_translations(*, setting: str, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _TRANSLATED.clear()


def _n(value) -> str:
    return fmt_value(float(value))


def _year_list(years, _: Callable[[str], str]) -> str:
    return _("、").join(_("%(year)s年") % {"year": year} for year in years)


# One branch per reason code, read as a table; `_` is the batch's `translator()`.
def _sentence(code: str, p: dict, _: Callable[[str], str]) -> str | None:  # noqa: C901
    if code == engine.NO_DATA:
        return _("暂无数据")
    if code == engine.NO_DATA_IN_YEAR:
        return _("%(year)s年暂无数据") % {"year": p["year"]}
    if code == engine.NO_GOAL:
        return _("未设定目标值，无法计算序时进度")
    if code == engine.NO_BASELINE:
        return _("缺少%(year)s年基数，无法计算序时进度") % {"year": p["baseline_year"]}
    if code == engine.GOAL_NOT_AFTER_BASELINE:
        return _("目标年度须晚于基数年度，无法计算序时进度")
    if code == engine.AGAINST_PATH:
        values = {
            "measure": _(_PATH_MEASURES[p["measure"]]),
            "actual": _n(p["actual"]),
            "unit": p.get("unit", ""),
            "expected": _n(p["expected"]),
            "attainment": fmt_ratio(p["attainment"]),
        }
        # At the path's end the goal itself is what is expected: met or short of it, not behind a pace.
        if "goal_year" in p:
            return _(
                "%(measure)s%(actual)s%(unit)s，%(year)s年目标值%(expected)s%(unit)s，完成目标的%(attainment)s，%(phrase)s"
            ) % {**values, "year": p["goal_year"], "phrase": _(_TARGET_PHRASES[p["status"]])}
        if p.get("plan_goal"):
            return _(
                "%(measure)s%(actual)s%(unit)s，计划期目标%(expected)s%(unit)s，完成目标的%(attainment)s，%(phrase)s"
            ) % {**values, "phrase": _(_TARGET_PHRASES[p["status"]])}
        return _(
            "%(measure)s%(actual)s%(unit)s，序时进度应为%(expected)s%(unit)s，完成序时进度的%(attainment)s，%(phrase)s"
        ) % {**values, "phrase": _(_PATH_PHRASES[p["status"]])}
    if code == engine.GOAL_REACHED:
        return _("%(measure)s%(value)s已达到%(year)s年目标值%(goal)s，目标已实现") % {
            "measure": _(_REACHED_MEASURES[p["measure"]]),
            "value": _n(p["value"]),
            "year": p["goal_year"],
            "goal": _n(p["goal"]),
        }
    if code == engine.CUMULATIVE_REACHED:
        return _("累计完成%(total)s，已达到计划期目标%(goal)s，目标已实现") % {
            "total": _n(p["total"]),
            "goal": _n(p["goal"]),
        }
    if code == engine.GROWTH_AGAINST_GOAL:
        values = {
            "actual": _n(p["actual"]),
            "goal": _n(p["goal"]),
            "attainment": fmt_ratio(p["attainment"]),
            "phrase": _(_TARGET_PHRASES[p["status"]]),
        }
        if p["form"] == "met_or_not":
            if p["status"] == engine.GREEN:
                return _("增速%(actual)s%%，目标增速%(goal)s%%，已达到目标") % values
            return _("增速%(actual)s%%，目标增速%(goal)s%%，未达到目标") % values
        if p["form"] == "negative":
            return _("增速%(actual)s%%，目标增速%(goal)s%%，出现负增长，%(phrase)s") % values
        return _("增速%(actual)s%%，目标增速%(goal)s%%，完成目标的%(attainment)s，%(phrase)s") % values
    if code == engine.SHARE_AGAINST_GOAL:
        values = {
            "actual": _n(p["actual"]),
            "goal": _n(p["goal"]),
            "unit": p["unit"],
            "attainment": fmt_ratio(p["attainment"]),
            "phrase": _(_TARGET_PHRASES[p["status"]]),
        }
        if p["measure"] == "share":
            if p["direction"] == engine.LOWER:
                return (
                    _("实际比重%(actual)s%(unit)s，目标不高于%(goal)s%(unit)s，完成目标的%(attainment)s，%(phrase)s")
                    % values
                )
            return (
                _("实际比重%(actual)s%(unit)s，目标不低于%(goal)s%(unit)s，完成目标的%(attainment)s，%(phrase)s")
                % values
            )
        if p["direction"] == engine.LOWER:
            return (
                _("实际值%(actual)s%(unit)s，目标不高于%(goal)s%(unit)s，完成目标的%(attainment)s，%(phrase)s") % values
            )
        return _("实际值%(actual)s%(unit)s，目标不低于%(goal)s%(unit)s，完成目标的%(attainment)s，%(phrase)s") % values
    if code == engine.COUNT_AGAINST_FLOOR:
        values = {
            "count": _n(p["count"]),
            "floor": _n(p["floor"]),
            "unit": p.get("unit", ""),
            "phrase": _(_TARGET_PHRASES[p["status"]]),
        }
        if p["direction"] == engine.LOWER:
            return _("实有%(count)s%(unit)s，要求至多%(floor)s%(unit)s，%(phrase)s") % values
        return _("实有%(count)s%(unit)s，要求至少%(floor)s%(unit)s，%(phrase)s") % values
    if code == engine.AVERAGE_GROWTH_MET:
        text = _("%(first)s—%(last)s年年均增长%(average)s%%，目标年均%(goal)s%%") % {
            "first": p["first_year"],
            "last": p["last_year"],
            "average": _n(p["average"]),
            "goal": _n(p["goal"]),
        }
        if p["still_required"] is not None:
            text += _("，%(first)s—%(last)s年尚需年均增长%(rate)s%%") % {
                "first": p["last_year"] + 1,
                "last": p["goal_year"],
                "rate": _n(p["still_required"]),
            }
        return text
    if code == engine.AVERAGE_GROWTH_GAP:
        return _("缺少%(years)s增速，无法计算年均增速") % {"years": _year_list(p["missing_years"], _)}
    if code == engine.AVERAGE_GROWTH_INVALID:
        return _("增速数据有误（累计下降100%以上），无法计算年均增速")
    if code == engine.MILESTONE_DONE:
        return _("已于%(day)s完成") % {"day": _day(p["done_on"], _)}
    if code == engine.MILESTONE_NO_DEADLINE:
        return _("未设定完成时限，无法判定进度")
    if code == engine.MILESTONE_ON_TIME:
        return _("已于%(day)s完成，未超过完成时限%(due)s") % {"day": _day(p["done_on"], _), "due": _day(p["due"], _)}
    if code == engine.MILESTONE_LATE:
        return _("逾期完成：%(day)s完成，超过完成时限%(due)s%(days)s天") % {
            "day": _day(p["done_on"], _),
            "due": _day(p["due"], _),
            "days": p["days"],
        }
    if code == engine.MILESTONE_NOT_DUE:
        return _("未到完成时限（%(due)s），尚有%(days)s天") % {"due": _day(p["due"], _), "days": p["days"]}
    if code == engine.MILESTONE_DUE_SOON:
        return _("尚未完成，距完成时限%(due)s仅剩%(days)s天") % {"due": _day(p["due"], _), "days": p["days"]}
    if code == engine.MILESTONE_DUE_TODAY:
        return _("截至完成时限%(due)s当日尚未完成") % {"due": _day(p["due"], _)}
    if code == engine.MILESTONE_MISSED:
        return _("截至完成时限%(due)s未完成") % {"due": _day(p["due"], _)}
    if code == engine.MILESTONE_OVERDUE:
        return _("尚未完成，已超过完成时限%(due)s%(days)s天") % {"due": _day(p["due"], _), "days": p["days"]}
    if code == engine.RECURRING_NO_REQUIREMENT:
        return _("未设定年度次数要求，无法判定进度")
    if code == engine.RECURRING_PRO_RATA:
        return _("%(year)s年已完成%(count)s次，序时应完成%(expected)s次（全年要求%(required)s次），%(phrase)s") % {
            "year": p["year"],
            "count": _n(p["count"]),
            "expected": p["expected"],
            "required": p["required"],
            "phrase": _(_RECURRING_PHRASES[p["status"]]),
        }
    if code == engine.RECURRING_HALVES:
        return _("%(year)s年上半年完成%(first)s次、下半年完成%(second)s次（每半年要求%(required)s次），%(phrase)s") % {
            "year": p["year"],
            "first": _n(p["halves"][0]),
            "second": _n(p["halves"][1]),
            "required": p["required"],
            "phrase": _(_HALF_PHRASES[p["status"]]),
        }
    if code == engine.RECURRING_EARLY:
        return _("%(year)s年应于%(due)s前完成%(required)s次，%(phrase)s（已完成%(count)s次）") % {
            "year": p["year"],
            "due": _day(p["due_date"], _),
            "required": p["required"],
            "phrase": _(_EARLY_PHRASES[p["state"]]),
            "count": _n(p["count"]),
        }
    if code == engine.QUALITATIVE_NO_DATA:
        return _("定性目标，暂无数据")
    if code == engine.QUALITATIVE_SINGLE:
        return _("定性目标，不评定达标状态；仅有一期数据，暂无法判断趋势")
    if code == engine.QUALITATIVE_TREND:
        text = _("定性目标，不评定达标状态；最新值%(latest)s较上期%(previous)s%(trend)s") % {
            "latest": _n(p["latest"]),
            "previous": _n(p["previous"]),
            "trend": _(_TRENDS[p["trend"]]),
        }
        if p["outlook"] == "better":
            text += _("，趋势向好")
        elif p["outlook"] == "worse":
            text += _("，趋势走弱")
        return text
    if code == engine.ROLLUP_INCOMPLETE:
        if "missing_names" in p:
            return _("各开发区汇总数据不完整（缺少%(zones)s的数据），不按0计算，暂不评定") % {
                "zones": _("、").join(p["missing_names"])
            }
        return _("汇总数据不完整，缺少：%(members)s") % {"members": _("、").join(p["missing"])}
    if code == engine.STRETCH_NOT_MET:
        detail = reason_text(p.get("detail_code", ""), p.get("detail_params") or {}, words=_)
        return None if detail is None else _("力争目标未达到（%(detail)s）") % {"detail": detail}
    if code == NO_CURRENT_DATA:
        return _("本期尚无已提交的数据")
    return None


def reason_text(code: str, params: dict, *, words: Callable[[str], str] | None = None) -> str | None:
    """The reason in the active language; None for a code this module does not know (an older result).

    `words`: `translator()` taken once for a batch of reasons in one language."""
    _ = words if words is not None else translator()
    try:
        text = _sentence(code, params, _)
    except (KeyError, IndexError, TypeError, ValueError):
        return None  # parameters of an older engine: the stored sentence is shown instead
    if text is not None and params.get("data_as_of"):
        text += _("（最新数据截至%(date)s）") % {"date": _day(params["data_as_of"], _)}
    return text


def stored_params(outcome: engine.ProgressOutcome, *, unit: str) -> dict:
    """The parameters stored with a result: the engine's, plus what the words of a count need (the unit as the
    engine shows it, the status the count was judged with)."""
    params = dict(outcome.params)
    shown_unit = "" if unit == "%" else unit
    if outcome.code == engine.COUNT_AGAINST_FLOOR:
        params.update(status=outcome.status, unit=shown_unit)
    elif outcome.code == engine.STRETCH_NOT_MET and params.get("detail_code") == engine.COUNT_AGAINST_FLOOR:
        # Only a red outcome is capped at amber: the count inside it was judged red.
        params["detail_params"] = {**params["detail_params"], "status": engine.RED, "unit": shown_unit}
    return params
