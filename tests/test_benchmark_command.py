"""`manage.py benchmark` at a tiny scale: it prints its figures and leaves the database as it was.

A smoke test of the script, not a timed test: no figure is compared with a time budget.
"""

import json
import re
import time
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Flag
from indicators.models import Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Target
from parks.models import County, Zone
from tools.benchmark.core import machine_speed_ms, speed_spread
from tools.benchmark.goals import last_load_test


def _state():
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (County, Zone, Target, IndicatorValue, ReportingPeriod, ProgressResult, Flag)
        },
        "cadences": sorted(Indicator.objects.values_list("code", "cadence")),
        "results": sorted(ProgressResult.objects.values_list("pk", "status")),
    }


def test_it_prints_the_figures_and_leaves_the_database_unchanged(plan, tmp_path):
    before = _state()
    out, path = StringIO(), tmp_path / "bench.json"
    call_command(
        "benchmark",
        "--zones",
        "2",
        "--years",
        "2",
        "--runs",
        "1",
        "--renders",
        "1",
        "--api-rows",
        "200",
        "--mix-steps",
        "40",
        "--json",
        str(path),
        stdout=out,
        stderr=StringIO(),
    )

    text = out.getvalue()
    for heading in (
        "1. Real plan data",
        "2. Dashboard pages — real/demo data",
        "3. Synthetic province at scale",
        "4. Dashboard pages — with the synthetic province",
        "5. API — bulk import of 200",
        "6. Query count",
        "7. Key projects",
    ):
        assert heading in text
    assert "full recompute wall time" in text
    assert "evaluations per second" in text
    assert "CHECK read queries equal (all but the write batches)  PASS" in text
    assert "/__bench__/trivial/ (trivial view)" in text
    assert "/api/v1/progress/" in text
    assert "Database unchanged after rollback: yes" in text

    report = json.loads(path.read_text(encoding="utf-8"))
    sections = {section["key"]: section for section in report["sections"]}
    assert list(sections) == [
        "real",
        "pages",
        "scale",
        "pages_scale",
        "api",
        "queries",
        "projects",
        "cache_mix",
        "weight",
        "goals",
    ]
    # The overview's first load counts the chart library, which charts.js loads itself (not a <script> of the page).
    weighed = [row[0] for row in sections["weight"]["tables"][0]["rows"]]
    assert any("/vendor/echarts/" in url for url in weighed) and any("/portal/charts" in url for url in weighed)
    # The recompute checks must pass; the pages' 3× target is a measurement, reported either way.
    for key in ("real", "scale", "queries", "projects"):
        assert all(sections[key]["checks"].values()), sections[key]["checks"]
    scale = sections["scale"]["figures"]
    assert scale["zones_created"] == 2
    assert scale["values_created"] > 0
    assert scale["targets_created"] == 2 * scale["targets_per_zone"]
    assert scale["results_written"] > 0
    assert scale["queries_select"] > 0

    for key in ("pages", "pages_scale"):
        table = sections[key]["tables"][0]
        paths = [row[0] for row in table["rows"]]
        assert paths[0].startswith("/__bench__/trivial/")
        for wanted in ("/", "/changes/", "/zones/lufeng/", "/departments/ndrc/", "/bulletin/", "/matrix/", "/todo/"):
            assert wanted in paths
        assert any(p.startswith("/bulletin/") and p.endswith(".xlsx") for p in paths)
        assert all(row[2] == 200 for row in table["rows"]), table["rows"]  # every page rendered
        assert all(row[5] > 0 for row in table["rows"][1:])  # queries counted
        dashboards = [row for row in table["rows"] if row[7] in ("PASS", "FAIL")]
        forms = [row for row in table["rows"] if row[0].startswith("/reports/")]
        assert all(row[7] == "(form)" for row in forms)  # the report form is measured, not judged
        assert len(sections[key]["checks"]) == len(dashboards) == len(table["rows"]) - 1 - len(forms)
        # A repeat view is served from the page cache; the first view after a change reads the data again.
        overview = next(row for row in dashboards if row[0] == "/")
        assert overview[9] > overview[5]
        # Its first view's SQL and its templates' own time, beside it.
        assert (
            overview[11] > 0 and overview[12] > 0 and overview[13] == pytest.approx(overview[12] / table["rows"][0][3])
        )
        assert all(row[9] >= row[5] for row in dashboards), dashboards

    api = sections["api"]
    assert api["figures"]["rows"] == 200
    assert all(api["checks"][name] for name in api["checks"] if name.startswith("bulk ")), api["checks"]
    assert api["figures"]["bulk_create_queries"] > 0
    listed = {row[0]: row for row in api["tables"][1]["rows"]}
    assert set(listed) == {"/api/v1/indicator-values/", "/api/v1/progress/", "/api/v1/flags/", "/api/v1/tasks/"}
    assert all(row[1] == 200 and row[5] == 200 for row in listed.values()), listed
    assert report["meta"]["database_unchanged"] is True

    assert _state() == before


def test_sections_select_pages_and_api_alone(plan):
    out = StringIO()
    call_command(
        "benchmark", "--sections", "pages,api", "--renders", "1", "--api-rows", "50", stdout=out, stderr=StringIO()
    )
    text = out.getvalue()
    assert "2. Dashboard pages — real/demo data" in text
    assert "skipped: needs the scale section" in text
    assert "5. API — bulk import of 50" in text
    assert "1. Real plan data" not in text and "3. Synthetic province" not in text
    assert "Database unchanged after rollback: yes" in text


def test_the_quick_run_passes_every_check_on_any_date(plan):
    """CI's run (``--quick``): every section at a tiny size; its CHECK lines are correctness checks (HTTP 200,
    rows written, query counts flat), none of them a timing, and all must pass — today, after the plan's end."""
    out = StringIO()
    call_command("benchmark", "--quick", stdout=out, stderr=StringIO())
    text = out.getvalue()
    checks = [line for line in text.splitlines() if line.strip().startswith("CHECK ")]
    assert len(checks) > 20
    assert [line for line in checks if not line.rstrip().endswith("PASS")] == []
    assert not any("× the trivial view" in line for line in checks)  # no timing judged as a CHECK
    for heading in (
        "5. API — bulk import of 200",
        "8. Page cache under the load test's write mix",
        "9. Page weight — the overview's first load",
        "10. Goals",
    ):
        assert heading in text
    assert "the benchmark works on this date: every correctness CHECK of this run" in text
    assert "Database unchanged after rollback: yes" in text
    # The machine's own speed, timed before each section and at the end, and its swing beside the goals.
    sections = [line for line in text.splitlines() if re.match(r"\d+\. ", line)]
    speeds = re.search(r"The machine's speed \(.*\): ([\d., ]+) ms", text)
    assert speeds and len(speeds.group(1).split(", ")) == len(sections) + 1
    assert re.search(r"machine speed +[\d.]+–[\d.]+ ms \(\d+% slower at its slowest\)", text)


def test_the_machines_speed_spread_is_its_slowest_over_its_fastest():
    assert speed_spread([10.0, 12.5, 11.0]) == pytest.approx(0.25)
    assert speed_spread([10.0]) is None
    assert 0 < machine_speed_ms() < 1000


def test_the_goals_read_the_load_tests_last_run_from_locusts_files(tmp_path):
    header = "Type,Name,Request Count,Failure Count,Requests/s,95%\n"
    (tmp_path / "portal_stats.csv").write_text(
        header + "GET,/tasks/9/,900,1,7.5,410\n,Aggregated,5744,1,47.8,280\n", encoding="utf-8"
    )
    (tmp_path / "portal_stats_history.csv").write_text(
        "Timestamp,User Count,Type,Name\n1795739722,10,,Aggregated\n1795739800,50,,Aggregated\n"
        "1795739842,12,,Aggregated\n",
        encoding="utf-8",
    )

    load = last_load_test(tmp_path)

    assert load == {
        "requests": 5744,
        "failures": 1,
        "rps": 47.8,
        "p95_ms": 280.0,
        "users": 50,  # the peak, not the last row's (users stop one by one)
        "ended": "2026-11-27 00:37 UTC",
    }
    (tmp_path / "portal_stats.csv").write_text(header + "GET,/tasks/9/,900,1,7.5,410\n", encoding="utf-8")
    assert last_load_test(tmp_path) is None  # an interrupted run wrote no total
    assert last_load_test(tmp_path / "nowhere") is None


def test_the_time_split_counts_the_sql_run_from_a_template_as_sql_not_as_the_templates_own(plan):
    from django.db import connection
    from django.template import engines

    from tasks.models import Task
    from tools.benchmark.pages import time_split

    def slow(execute, sql, params, many, context):
        time.sleep(0.05)
        return execute(sql, params, many, context)

    template = engines["django"].from_string("{% for task in tasks %}{{ task.title }}{% endfor %}")
    with time_split() as split:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert split["sql"] > 0 and split["templates"] == 0
        with connection.execute_wrapper(slow):
            text = template.render({"tasks": Task.objects.order_by("pk")})
    assert "全面加强党的领导" in text
    assert split["sql"] >= 0.05  # the template's query, with its wait
    assert 0 < split["templates"] < 0.05  # the template's own work: without the query it ran


def test_pages_are_measured_without_the_development_query_log(plan, settings, monkeypatch):
    """Started with the development default DEBUG=True, the benchmark still measures as production runs: no SQL text
    formatted and kept per statement (connection.queries) while a page renders."""
    from django.db import connection

    from tools.benchmark import pages

    settings.DEBUG = True
    seen = []
    time_get = pages._time_get

    def watched(*args, **kwargs):
        seen.append(connection.queries_logged)
        return time_get(*args, **kwargs)

    monkeypatch.setattr(pages, "_time_get", watched)
    out = StringIO()
    call_command("benchmark", "--sections", "pages", "--renders", "1", stdout=out, stderr=StringIO())
    assert seen and not any(seen)
    assert "Measured as production runs: DEBUG off" in out.getvalue()
    assert connection.queries_logged  # the setting is the caller's again afterwards


def _goal_notes(template_ratios: dict[str, float]) -> list[str]:
    from tools.benchmark.core import Context, Options
    from tools.benchmark.goals import measure_goals

    trivial = ["/__bench__/trivial/ (trivial view)", "office", 200, 1.0, 1.0, 2, 1.0, "", None, None, None]
    rows = [trivial + [None] * 3]
    for path, ratio in template_ratios.items():
        rows.append([path, "office", 200, 2.0, 2.0, 3, 2.0, "PASS", 30.0, 20, 30.0, 3.0, ratio, ratio])
    ctx = Context(Options())
    ctx.cache["sections"] = [{"key": "pages", "tables": [{"columns": [], "rows": rows}]}]
    return measure_goals(ctx)["notes"]


def test_the_goals_say_when_a_pages_templates_alone_take_longer_than_the_first_view_goal():
    notes = _goal_notes({"/": 6.0, "/zones/lufeng/": 12.5, "/bulletin/": 11.0})
    said = [note for note in notes if "templates" in note]
    assert said == [
        "the templates of /zones/lufeng/ (with their tags, without their queries) take 12.5× the trivial view on a "
        "first view (12.5 ms): more than the 10× goal for the whole page"
    ]
    assert not [note for note in _goal_notes({"/": 6.0, "/bulletin/": 9.9}) if "templates" in note]


def test_a_write_large_enough_to_set_the_indexes_aside_counts_the_same_read_queries(plan, monkeypatch):
    """Section 6 compares the read queries of two recomputes; whether one writes enough results to set the spans'
    indexes aside (their DROP and CREATE) is the data's doing, not a read: both count the same."""
    from django.db import connection

    from indicators.progress import services
    from tools.benchmark.core import count_queries

    if connection.vendor != "sqlite":
        pytest.skip("the indexes are set aside on SQLite only")
    counts = {}
    for threshold in (1, 10**9):
        ProgressResult.objects.all().delete()
        monkeypatch.setattr(services, "_REBUILD_FROM_ROWS", threshold)
        with count_queries() as counts[threshold]:
            services.progress_recompute()
    large, small = counts[1], counts[10**9]
    assert large.by_kind["DROP"] == 2 and small.by_kind["DROP"] == 0
    assert large.by_kind["CREATE"] == 2 and ProgressResult.objects.exists()
    assert large.non_insert == small.non_insert
