"""Dashboards: the constants, the pure helpers (the required-growth path, number and date formats,
status labels) and the `Chart` every page is drawn with. No queries.

A chart's `spec` is the JSON that `static/portal/charts.js` turns into ECharts options; its `headers`
and `rows` are the same numbers as a table, for screen readers and print.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from indicators.models import Indicator, ProgressResult

HEADLINE_CODES = ("industrial-output", "operating-revenue", "industrial-output-growth", "leading-industry-share")
CLUSTER_CODE = "cluster-output"
CHARTED_KINDS = {
    Indicator.Kind.LEVEL,
    Indicator.Kind.GROWTH,
    Indicator.Kind.AVERAGE_GROWTH,
    Indicator.Kind.SHARE,
    Indicator.Kind.COUNT,
    Indicator.Kind.QUALITATIVE,
}
STATUSES = ("green", "amber", "red", "grey")
_COUNT_UNITS = {"户", "家", "人", "次", "轮", "个", "份"}
_ONE_DECIMAL_UNITS = {"亿元", "%", "万元/人", "万元/亩"}


# --- pure helpers ---------------------------------------------------------------------------


def trajectory(*, baseline: float, goal: float, baseline_year: int, goal_year: int) -> list[tuple[int, float]]:
    """The required path, one value per year: baseline·(1+r)^t with r = (goal/baseline)^(1/years) − 1.

    Linear where the baseline or the goal is not positive (geometric growth is undefined there),
    the same rule the progress engine judges level targets by.
    """
    years = goal_year - baseline_year
    if years <= 0:
        return [(goal_year, goal)]
    if baseline > 0 and goal > 0:
        rate = (goal / baseline) ** (1 / years) - 1
        return [(baseline_year + t, baseline * (1 + rate) ** t) for t in range(years + 1)]
    return [(baseline_year + t, baseline + (goal - baseline) * t / years) for t in range(years + 1)]


def decimals_for(unit: str) -> int:
    if unit in _ONE_DECIMAL_UNITS:
        return 1
    return 0 if unit in _COUNT_UNITS else 2


def fmt_number(value, unit: str = "", *, decimals: int | None = None) -> str:
    """1,234.5亿元 · 23.4% · 65户; an em dash without a value."""
    if value is None:
        return "—"
    places = decimals_for(unit) if decimals is None else decimals
    return f"{float(value):,.{places}f}{unit}"


def fmt_ratio(ratio) -> str:
    """A ratio as a percentage: 0.853 → 85.3%."""
    return "—" if ratio is None else f"{float(ratio) * 100:.1f}%"


def _num(value, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def status_label(status: str) -> str:
    return _status_words(get_language())[0].get(status, status)


def status_short(status: str) -> str:
    return _status_words(get_language())[1].get(status, status)


def task_status_label(status: str) -> str:
    return _status_words(get_language())[2].get(status, status)


def goal_status_label(status: str) -> str:
    """A status against the goal itself (a rate, a share, a final figure), where a pace means nothing."""
    return _status_words(get_language())[3].get(status, status)


@lru_cache(maxsize=16)
def _status_words(language: str | None) -> tuple[dict, dict, dict, dict]:
    """The status words in `language`, looked up once: a province's pages show thousands of them."""
    return (
        {status: str(ProgressResult.Status(status).label) for status in STATUSES},
        {"green": _("正常"), "amber": _("略低"), "red": _("滞后"), "grey": _("无数据")},
        {"green": _("进展正常"), "amber": _("需关注"), "red": _("滞后"), "grey": _("暂无数据")},
        {
            "green": pgettext("status against the goal", "达到目标"),
            "amber": pgettext("status against the goal", "略低于目标"),
            "red": pgettext("status against the goal", "明显低于目标"),
            "grey": _("暂无数据"),
        },
    )


@dataclass
class Chart:
    """One chart: `spec` for charts.js, and the same numbers as a table."""

    id: str
    title: str
    spec: dict
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    size: str = "md"
    note: str = ""

    @property
    def rows_html(self) -> SafeString:
        """The table's rows as HTML, each row's first cell its header: written once here rather than cell by cell in
        the template (a timeline or a zone's trend has hundreds of cells). Each cell shown as ``{{ cell }}`` is."""
        return mark_safe(
            "".join(
                "<tr>"
                + "".join(
                    f'<th scope="row">{conditional_escape(localize(cell))}</th>'
                    if i == 0
                    else f'<td class="num">{conditional_escape(localize(cell))}</td>'
                    for i, cell in enumerate(row)
                )
                + "</tr>"
                for row in self.rows
            )
        )
