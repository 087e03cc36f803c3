"""Dashboard read models: what the overview, zone, task and unit pages and the bulletin show.

Pure reads. Each builder runs a fixed number of queries whatever the amount of data (the
pages' tests assert it), then shapes plain dicts and `Chart`s for the templates. A chart's
`spec` is the JSON that `static/portal/charts.js` turns into ECharts options; its `headers`
and `rows` are the same numbers as a table, for screen readers and print.

One module per concern; import them from here:
- `format`: the constants, and the math (the required-growth path, number formats) in small pure functions;
- `common`: the reads the pages share: the period to show, the latest judged results, the headline figures;
- `overview`: the prefecture overview and the bulletin;
- `zone`: the zone page;
- `tasks`: the task page and the unit page;
- `target`: a target's own page.
"""

from indicators.progress.status_words import STATUSES, status_label, status_short, task_status_label

from .common import (
    change_window,
    headline_targets,
    latest_judged,
    period_pick,
    previous_period,
    progress_card,
    result_as_of,
    zone_headlines,
)
from .format import CHARTED_KINDS, CLUSTER_CODE, HEADLINE_CODES, Chart, decimals_for, fmt_number, fmt_ratio, trajectory
from .overview import (
    approvals_in,
    board_html,
    change_rows_html,
    cluster_progress,
    dispatch_summary,
    flag_evidence,
    flag_rows,
    flag_rows_html,
    flags_open_and_new,
    headline_rows_html,
    period_changes,
    period_overview,
    period_summary,
    status_changes,
    task_board,
    zone_cards_html,
    zones_output_chart,
)
from .target import target_dashboard
from .tasks import (
    CELL_LABELS,
    CELLS,
    department_dashboard,
    matrix_rows,
    report_cell,
    report_timelines,
    task_dashboard,
)
from .todo import report_rows
from .zone import (
    level_chart,
    periodic_chart,
    rank_chart,
    zone_dashboard,
)

__all__ = [
    # format
    "CHARTED_KINDS",
    "CLUSTER_CODE",
    "HEADLINE_CODES",
    "STATUSES",
    "Chart",
    "decimals_for",
    "fmt_number",
    "fmt_ratio",
    "status_label",
    "status_short",
    "task_status_label",
    "trajectory",
    # common
    "change_window",
    "headline_targets",
    "latest_judged",
    "period_pick",
    "previous_period",
    "progress_card",
    "result_as_of",
    "zone_headlines",
    # overview
    "approvals_in",
    "board_html",
    "change_rows_html",
    "headline_rows_html",
    "cluster_progress",
    "dispatch_summary",
    "flag_evidence",
    "flag_rows",
    "flag_rows_html",
    "flags_open_and_new",
    "period_changes",
    "period_overview",
    "period_summary",
    "status_changes",
    "task_board",
    "zone_cards_html",
    "zones_output_chart",
    # to-do
    "report_rows",
    # zone
    "level_chart",
    "periodic_chart",
    "rank_chart",
    "zone_dashboard",
    # tasks and units
    "CELLS",
    "CELL_LABELS",
    "department_dashboard",
    "matrix_rows",
    "report_cell",
    "report_timelines",
    "task_dashboard",
    # a target
    "target_dashboard",
]
