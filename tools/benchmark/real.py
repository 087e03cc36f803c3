"""Section 1: the full recompute on the plan data the database holds."""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import DispatchReport, IndicatorValue, Target
from indicators.progress.services import progress_recompute, targets_for_report

from .core import Context, count_queries, counts_from_captured, full_recompute

APPROVALS = 10  # approved reports whose recompute is timed, the latest first

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
    checks = {"same SELECT count in every run": len({c.by_kind["SELECT"] for c in query_counts}) == 1}
    approvals = _approval_recomputes(ctx)
    figures.update(approvals["figures"])
    checks.update(approvals["checks"])
    return {
        "key": "real",
        "title": "1. Real plan data — full recompute (progress_recompute + flags_recompute)",
        "figures": figures,
        "checks": checks,
        "notes": (["plan loaded by the benchmark (it was missing)"] if ctx.plan_loaded_here else [])
        + approvals["notes"],
    }


def _approval_recomputes(ctx: Context) -> dict:
    """The incremental recompute that follows a report's approval (indicators.jobs.recompute_targets, after
    `report_approve`): the targets the report's values can change, recomputed just after a full recompute. An
    approval changes no counted value (a submitted report's values count already), so nothing is written."""
    reports = list(
        DispatchReport.objects.filter(state=DispatchReport.State.APPROVED, values__isnull=False)
        .distinct()
        .order_by("-period__end", "pk")[:APPROVALS]
    )
    if not reports:
        return {"figures": {}, "checks": {}, "notes": ["no approved report with values: incremental not measured"]}
    ctx.log(f"[real] incremental recompute after each of {len(reports)} approvals …")
    timings, cpu, targets, writes = [], [], [], 0
    for report in reports:
        with count_queries() as counts:
            started, cpu_started = time.perf_counter(), time.process_time()
            target_ids = targets_for_report(report)
            progress_recompute(target_ids=target_ids)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        targets.append(len(target_ids))
        writes += counts.total - counts.non_insert
    return {
        "figures": {
            "approvals_timed": len(reports),
            "approval_targets_median": statistics.median(targets),
            "approval_recompute_median_ms": statistics.median(timings) * 1000,
            "approval_recompute_max_ms": max(timings) * 1000,
            "approval_recompute_cpu_median_ms": statistics.median(cpu) * 1000,
            "approval_recompute_writes": writes,
        },
        "checks": {"incremental recompute after an approval writes nothing": writes == 0},
        "notes": ["incremental: targets_for_report + progress_recompute(target_ids) of the latest approved reports"],
    }
