"""Section 1: the full recompute on the plan data the database holds."""

import statistics

from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import IndicatorValue, Target

from .core import Context, counts_from_captured, full_recompute

# --- 1. real plan data ---------------------------------------------------------------------------


def measure_real_plan(ctx: Context) -> dict:
    """Full recompute with whatever data the database holds (e.g. the demo after `bootstrap`)."""
    runs = max(1, ctx.options.runs)
    ctx.log(f"[real] full recompute × {runs} on the data in the database …")
    timings, query_counts = [], []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            timing = full_recompute()
        timings.append(timing)
        query_counts.append(counts_from_captured(captured))
    # Figures of the last run: the steady state (a first run may still raise or withdraw flags).
    last = query_counts[-1]
    figures = {
        "targets": Target.objects.count(),
        "indicator_values": IndicatorValue.objects.count(),
        "runs": runs,
        "wall_time_median_s": statistics.median(t["wall_s"] for t in timings),
        "progress_recompute_median_s": statistics.median(t["progress_s"] for t in timings),
        "flags_recompute_median_s": statistics.median(t["flags_s"] for t in timings),
        "cpu_time_median_s": statistics.median(t["cpu_s"] for t in timings),
        "wall_times_s": [round(t["wall_s"], 4) for t in timings],
        "results_written": timings[-1]["results"],
        **last.figures(),
        "flags_first_run": timings[0]["flags"],
    }
    figures["evaluations_per_s"] = figures["results_written"] / figures["progress_recompute_median_s"]
    return {
        "key": "real",
        "title": "1. Real plan data — full recompute (progress_recompute + flags_recompute)",
        "figures": figures,
        "checks": {"same SELECT count in every run": len({c.by_kind["SELECT"] for c in query_counts}) == 1},
        "notes": ["plan loaded by the benchmark (it was missing)"] if ctx.plan_loaded_here else [],
    }
