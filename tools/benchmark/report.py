"""The report as text (`format_report`) and as JSON (`write_json`)."""

import json
import math

LABELS = {
    "targets": "targets",
    "indicator_values": "indicator values in the database",
    "wall_time_median_s": "full recompute wall time, median",
    "progress_recompute_median_s": "  progress_recompute(), median",
    "flags_recompute_median_s": "  flags_recompute(), median",
    "cpu_time_median_s": "  CPU time of this process, median",
    "cpu_time_s": "  CPU time of this process",
    "wall_times_s": "  wall time of each run",
    "results_written": "progress results computed",
    "evaluations_per_s": "evaluations per second (progress_recompute)",
    "queries_total": "SQL queries, total",
    "queries_select": "  SELECT",
    "queries_insert_batches": "  INSERT batches",
    "queries_update": "  UPDATE",
    "queries_delete": "  DELETE",
    "queries_other": "  SAVEPOINT/RELEASE",
    "queries_non_insert": "  all but write batches",
    "flags_first_run": "flags (first run)",
    "approvals_timed": "incremental recompute after an approval: reports timed",
    "approval_targets_median": "  targets recomputed, median",
    "approval_recompute_median_ms": "  time, median (ms)",
    "approval_recompute_max_ms": "  time, slowest (ms)",
    "approval_recompute_cpu_median_ms": "  CPU time of this process, median (ms)",
    "approval_recompute_writes": "  result rows written (INSERT/UPDATE/DELETE statements)",
    "zones_created": "bench zones created",
    "zone_indicators": "zone-scoped indicators",
    "zone_indicators_by_kind": "  by kind",
    "indicators_switched_to_biweekly": "indicators switched to biweekly",
    "targets_per_zone": "targets per bench zone (禄丰's)",
    "targets_created": "targets created",
    "targets_copied_from_other_zone": "  no 禄丰 target, copied from",
    "periods_created": "biweekly periods created",
    "values_created": "indicator values created",
    "build_time_s": "build time",
    "build_setup_s": "  zones, targets, periods",
    "build_values_s": "  values (bulk_create)",
    "values_per_s": "  values inserted per second",
    "targets_total": "targets in the recompute",
    "wall_time_s": "full recompute wall time",
    "progress_recompute_s": "  progress_recompute()",
    "flags_recompute_s": "  flags_recompute()",
    "recompute_workers": "  processes judging the targets (PORTAL_RECOMPUTE_WORKERS)",
    "results_rewritten": "  results written (new or changed)",
    "workers_cpu_time_s": "  CPU time of its worker processes",
    "bench_result_statuses": "bench results by status",
    "history_growth_factor": "indicator values, long ÷ short",
    "time_growth_factor": "recompute wall time, long ÷ short",
    "cpu_growth_factor": "recompute CPU time, long ÷ short",
    "renders_per_page": "timed renders per page (after 1 warm-up)",
    "trivial_view_median_ms": "trivial view (HttpResponse('ok'), login_required), median",
    "trivial_view_queries": "trivial view SQL queries (session, user)",
    "pages_under_target": "pages under 3× the trivial view",
    "rows": "rows per bulk POST",
    "bulk_create_s": "bulk POST, new rows (create)",
    "bulk_create_queries": "  SQL queries",
    "bulk_create_rows_per_s": "  rows per second",
    "bulk_update_s": "bulk POST, same keys, new values (update)",
    "bulk_update_queries": "  SQL queries",
    "bulk_update_rows_per_s": "  rows per second",
    "bulk_unchanged_s": "bulk POST, same keys, same values (unchanged)",
    "bulk_unchanged_queries": "  SQL queries",
    "bulk_unchanged_rows_per_s": "  rows per second",
}


def _fmt(key: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if key.endswith("_s") and not key.endswith("per_s"):
            return f"{value:,.3f} s"
        if key.endswith("factor"):
            return f"{value:.2f}×"
        if key.endswith("_ms"):
            return f"{value:,.1f} ms"
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_fmt(k, v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_fmt(key, v) if not isinstance(v, float) else f"{v:.3f}" for v in value) or "—"
    return str(value)


def _label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    head, _sep, rest = key.partition("y_")
    if head.isdigit() and rest:  # "5y_read_queries" -> "5-year history: read queries"
        rest = rest.removesuffix("_s")
        return f"{head}-year history: {rest.replace('_', ' ')}"
    return key.replace("_", " ")


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table_lines(table: dict) -> list[str]:
    """A section's table: text columns left-aligned, numbers right-aligned."""
    header = [str(c) for c in table["columns"]]
    body = [[_cell(v) for v in row] for row in table["rows"]]
    numeric = [
        all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool) for row in table["rows"] if i < len(row))
        for i in range(len(header))
    ]
    widths = [max([len(header[i])] + [len(row[i]) for row in body if i < len(row)]) for i in range(len(header))]

    def line(cells):
        padded = (c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric, strict=False))
        return "  ".join(padded).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in body)]


def format_report(report: dict) -> str:
    lines = []
    meta = report["meta"]
    load = meta["load_average_1min"]
    lines.append(
        f"Benchmark — {meta['database']} ({meta['database_version']}), Django {meta['django']}, "
        f"Python {meta['python']}, {meta['machine']}, load average {load['start']} → {load['end']}"
    )
    speeds = meta.get("machine_speed_ms") or []
    if len(speeds) > 1:
        lines.append(
            "The machine's speed (a fixed piece of work, before each section and at the end): "
            + ", ".join(f"{ms:.1f}" for ms in speeds)
            + " ms"
        )
    if meta.get("debug_query_log") is False:
        lines.append("Measured as production runs: DEBUG off, no SQL statement log kept")
    for section in report["sections"]:
        lines.append("")
        lines.append(section["title"])
        rows = [(_label(key), _fmt(key, value)) for key, value in section["figures"].items()]
        rows += [(f"CHECK {name}", "PASS" if ok else "FAIL") for name, ok in section["checks"].items()]
        width = max((len(label) for label, _ in rows), default=0)
        lines.append("  " + "-" * (width + 20))
        for label, value in rows:
            lines.append(f"  {label:<{width}}  {value}")
        for table in section.get("tables", []):
            lines.append("")
            lines.extend("  " + line for line in _table_lines(table))
        for note in section.get("notes", []):
            lines.append(f"  note: {note}")
        if section.get("profile"):
            lines.append("  cProfile of one extra progress_recompute(), top functions by own time:")
            lines.append(f"  {'tottime':>9} {'cumtime':>9} {'ncalls':>11}  function")
            for row in section["profile"]:
                lines.append(
                    f"  {row['tottime_s']:>9.3f} {row['cumtime_s']:>9.3f} {row['ncalls']:>11,}  {row['function']}"
                )
    lines.append("")
    unchanged = meta["database_unchanged"]
    verdict = "yes" if unchanged else "NO — " + ", ".join(meta["tables_changed"])
    lines.append(f"Database unchanged after rollback: {verdict}  (total {meta['total_time_s']:.1f} s)")
    return "\n".join(lines)


def write_json(report: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=2, default=str)
