"""Sections 3 and 6: the synthetic province recomputed at scale, and the query count across period counts."""

import cProfile
import io
import pstats

from django.db.models import Count

from indicators.models import IndicatorValue, ProgressResult, Target
from indicators.progress.services import PARALLEL_FROM_TARGETS, progress_recompute, recompute_workers
from tasks.selectors import plan_get

from .core import BENCH_ZONE_PREFIX, Context, count_queries, end_year, full_recompute


def _measured_recompute(ctx: Context, label: str) -> dict:
    ctx.log(f"  full recompute ({label}) …")
    with count_queries() as counts:
        timing = full_recompute()
    targets = Target.objects.count()
    run = {
        "results_written": timing["results"],
        "results_rewritten": ProgressResult.objects.filter(computed_at__gte=timing["written_after"]).count(),
        "recompute_workers": recompute_workers() if targets >= PARALLEL_FROM_TARGETS else 1,
        "wall_time_s": timing["wall_s"],
        "progress_recompute_s": timing["progress_s"],
        "flags_recompute_s": timing["flags_s"],
        "cpu_time_s": timing["cpu_s"],
        "workers_cpu_time_s": timing["workers_cpu_s"],
        "evaluations_per_s": timing["results"] / timing["progress_s"] if timing["progress_s"] else None,
        **counts.figures(),
    }
    ctx.log(f"  … {run['results_written']:,} results in {run['wall_time_s']:.1f}s, {counts.total:,} queries")
    return run


def scale_runs(ctx: Context) -> dict:
    """Build the synthetic province and recompute it: first with `check_years` of history, then all of it."""
    if "scale_runs" in ctx.cache:
        return ctx.cache["scale_runs"]
    options = ctx.options
    province = ctx.province()
    ctx.log(f"[scale] building {options.zones} bench zones × {options.years} years of biweekly values …")
    province.setup()
    runs: dict[int, dict] = {}
    check_years = options.effective_check_years
    if check_years:
        province.add_values(range(end_year() - check_years + 1, end_year() + 1))
        runs[check_years] = _measured_recompute(ctx, f"{check_years} years of history")
        runs[check_years]["indicator_values"] = IndicatorValue.objects.count()
    province.add_values(range(options.first_year, end_year() + 1))
    runs[options.years] = _measured_recompute(ctx, f"{options.years} years of history")
    runs[options.years]["indicator_values"] = IndicatorValue.objects.count()
    statuses = dict(
        ProgressResult.objects.filter(target__zone__code__startswith=BENCH_ZONE_PREFIX)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    )
    profile = _profile_recompute(ctx) if options.profile else None
    ctx.cache["scale_runs"] = {"runs": runs, "statuses": statuses, "profile": profile}
    return ctx.cache["scale_runs"]


def _profile_recompute(ctx: Context) -> list[dict]:
    ctx.log("  profiling one more progress_recompute() with cProfile …")
    profiler = cProfile.Profile()
    profiler.enable()
    progress_recompute()
    profiler.disable()
    if ctx.options.profile_path:
        profiler.dump_stats(ctx.options.profile_path)
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, function), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        rows.append(
            {
                "function": f"{_short_path(filename)}:{line}({function})",
                "ncalls": ncalls,
                "tottime_s": round(tottime, 3),
                "cumtime_s": round(cumtime, 3),
            }
        )
    rows.sort(key=lambda r: r["tottime_s"], reverse=True)
    return rows[: ctx.options.profile_top]


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def measure_scale(ctx: Context) -> dict:
    options = ctx.options
    data = scale_runs(ctx)
    province = ctx.province()
    full = data["runs"][options.years]
    build = province.figures
    figures = {
        "zones": options.zones,
        "years": f"{options.first_year}–{end_year()} ({options.years})",
        "biweekly_periods": options.years * 24,
        **{k: v for k, v in build.items() if k not in ("setup_s", "values_s")},
        "build_time_s": build["setup_s"] + build["values_s"],
        "build_setup_s": build["setup_s"],
        "build_values_s": build["values_s"],
        "values_per_s": build["values_created"] / build["values_s"] if build["values_s"] else None,
        "targets_total": Target.objects.count(),
        **full,
        "bench_result_statuses": data["statuses"],
    }
    section = {
        "key": "scale",
        "title": f"3. Synthetic province at scale — {options.zones} zones × {options.years} years, biweekly",
        "figures": figures,
        "checks": {},
        "notes": [
            f"history starts before the plan: only periods from {plan_get().first_year} on are evaluated, "
            "but every evaluation sees its target's whole history",
        ],
    }
    if data["profile"]:
        section["profile"] = data["profile"]
    return section


# --- 3. query count vs number of periods -------------------------------------------------------------


def measure_query_scaling(ctx: Context) -> dict:
    options = ctx.options
    check_years = options.effective_check_years
    title = "6. Query count does not grow with the number of periods"
    if not check_years:
        return {
            "key": "queries",
            "title": title,
            "figures": {},
            "checks": {},
            "notes": [f"skipped: needs --years ≥ 2 (got {options.years})"],
        }
    runs = scale_runs(ctx)["runs"]
    short, long = runs[check_years], runs[options.years]
    figures = {}
    for years, run in ((check_years, short), (options.years, long)):
        figures[f"{years}y_periods"] = years * 24
        figures[f"{years}y_indicator_values"] = run["indicator_values"]
        figures[f"{years}y_results_written"] = run["results_written"]
        figures[f"{years}y_read_queries"] = run["queries_non_insert"]
        figures[f"{years}y_select_queries"] = run["queries_select"]
        figures[f"{years}y_insert_batches"] = run["queries_insert_batches"]
        figures[f"{years}y_wall_time_s"] = run["wall_time_s"]
        figures[f"{years}y_cpu_time_s"] = run["cpu_time_s"]
    figures["history_growth_factor"] = long["indicator_values"] / short["indicator_values"]
    figures["time_growth_factor"] = long["wall_time_s"] / short["wall_time_s"]
    figures["cpu_growth_factor"] = long["cpu_time_s"] / short["cpu_time_s"]
    return {
        "key": "queries",
        "title": title + f" ({check_years} vs {options.years} years of biweekly periods, same zones)",
        "figures": figures,
        "checks": {
            "read queries equal (all but the write batches)": short["queries_non_insert"] == long["queries_non_insert"],
            "SELECT queries equal": short["queries_select"] == long["queries_select"],
        },
        "notes": [
            "read queries = every statement but the write batches (INSERT, UPDATE, DELETE of the results "
            "that differ, and the indexes a large write sets aside and builds again): SELECT and savepoints"
        ],
    }
