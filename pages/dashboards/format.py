"""Dashboards: the constants, the pure helpers (the required-growth path, number and date formats)
and the `Chart` every page is drawn with (the status words are `indicators.progress.status_words`). No queries.

A chart's `spec` is the JSON that `static/portal/charts.js` turns into ECharts options; its `headers`
and `rows` are the same numbers as a table, for screen readers and print.
"""

from dataclasses import dataclass, field

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from indicators.models import Indicator

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
_COUNT_UNITS = {"户", "家", "人", "名", "次", "轮", "批", "笔", "个", "份"}
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


def recurring_requirement(*, required_count: int, per_half_year: bool, due_month: int | None) -> tuple[str, dict]:
    """What a recurring duty asks, as a code and its numbers (the progress engine's reading of the same fields):
    `per_half_year` owes the count in each half of the year (每半年…1次), `due_month` by the end of that month
    (每年初), else the count over the year."""
    if per_half_year:
        return "per_half_year", {"n": required_count}
    if due_month is not None:
        return "by_month", {"n": required_count, "month": due_month}
    return "per_year", {"n": required_count}


def _num(value, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


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
