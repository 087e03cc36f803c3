"""Plans as records: the plan file schema, load_plan, the plans API, ?plan=CODE and a successor plan.

The successor plan file (tests/tasks/data/successor_plan_synthetic.json) is SYNTHETIC: made up for these tests.
"""

import json
import re
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from assessments.models import Flag
from assessments.services import flags_recompute
from indicators.models import (
    DispatchReport,
    Indicator,
    IndicatorValue,
    Obligation,
    ProgressResult,
    ReportingPeriod,
    Target,
)
from indicators.progress.services import progress_recompute
from tasks.models import Department, Plan, Programme, Responsibility, Safeguard, Task
from tasks.services import PLAN_FIXTURE
from tools.demo import demo_load

SUCCESSOR = Path(__file__).parent / "data" / "successor_plan_synthetic.json"
FIRST = "zones-2023-2025"

# Columns a recompute rewrites with the time it ran; everything else must stay as it was.
_STAMPS = {"computed_at", "updated_at", "created_at"}


def _rows(queryset) -> list[dict]:
    return [
        {k: v for k, v in model_to_dict(obj).items() if k not in _STAMPS} | {"id": obj.pk}
        for obj in queryset.order_by("pk")
    ]


def first_plan_snapshot() -> dict:
    """Every row of the first plan, its results and the flags, column by column."""
    plan = Plan.objects.get(code=FIRST)
    return {
        "plan": model_to_dict(plan),
        "programmes": _rows(Programme.objects.filter(plan=plan)),
        "tasks": _rows(Task.objects.filter(plan=plan)),
        "responsibilities": _rows(Responsibility.objects.filter(task__plan=plan)),
        "safeguards": _rows(Safeguard.objects.filter(plan=plan)),
        "indicators": _rows(Indicator.objects.filter(plan=plan)),
        "targets": _rows(Target.objects.filter(indicator__plan=plan)),
        "obligations": _rows(Obligation.objects.filter(plan=plan)),
        "periods": _rows(ReportingPeriod.objects.filter(plan=plan)),
        # A recompute replaces result rows (new ids): they are compared by (target, period) and every value.
        "results": sorted(
            (
                {k: v for k, v in row.items() if k != "id"}
                for row in _rows(ProgressResult.objects.filter(target__indicator__plan=plan))
            ),
            key=lambda row: (row["target"], row["period"]),
        ),
        "values": _rows(IndicatorValue.objects.filter(indicator__plan=plan)),
        "reports": _rows(DispatchReport.objects.filter(period__plan=plan)),
        "flags": _rows(Flag.objects.all()),
    }


def _page(client, url: str) -> str:
    """A page's HTML without its per-request CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(url).content.decode())


def _recompute():
    progress_recompute(as_of=date(2026, 11, 30))
    flags_recompute()


@pytest.mark.django_db
def test_the_fixture_is_the_first_plan_file_and_loading_it_again_changes_nothing(plan):
    first = Plan.objects.get(code=FIRST)
    assert (first.document_number, first.baseline_year, first.first_year, first.last_year, first.goal_year) == (
        "楚办发〔2023〕5号",
        2022,
        2023,
        2025,
        2025,
    )
    assert Task.objects.filter(plan=first).count() == 26
    assert Indicator.objects.filter(plan=first).count() == 103  # with the 保障措施 items and the parts of rates
    assert Safeguard.objects.filter(plan=first).count() == 4
    before = first_plan_snapshot()
    call_command("load_plan", verbosity=0)
    assert first_plan_snapshot() == before


@pytest.mark.django_db
def test_a_successor_plan_loads_beside_the_first_and_leaves_its_rows_results_and_flags_identical(client_for, olga):
    demo_load()
    _recompute()
    before = first_plan_snapshot()
    assert before["results"] and before["flags"] and before["values"]  # something to compare
    client = client_for(olga)
    overview, bulletin = _page(client, "/"), _page(client, "/bulletin/")
    assert "全面加强党的领导" in overview and "1200.0" in overview  # the first plan's task 1, 禄丰's 2025 goal

    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    _recompute()

    # The first plan's overview and bulletin do not change: none of the successor's targets, tasks or reports.
    assert _page(client, "/") == overview
    assert _page(client, "/bulletin/") == bulletin
    # The successor's overview shows its own targets and tasks only: 禄丰's 2028 goal, its two tasks.
    own = _page(client, "/?plan=synthetic-successor-2026-2028")
    assert "1500.0" in own and "【合成】壮大主导产业" in own and "【合成】保障用地" in own
    assert "1200.0" not in own and "全面加强党的领导" not in own

    successor = Plan.objects.get(code="synthetic-successor-2026-2028")
    assert Plan.objects.count() == 2
    assert successor.status == Plan.Status.DRAFT and "合成" in successor.title
    assert Task.objects.filter(plan=successor).count() == 2
    assert set(ReportingPeriod.objects.filter(plan=successor).values_list("year", flat=True)) == {
        2025,
        2026,
        2027,
        2028,
    }
    assert Obligation.objects.filter(plan=successor).exists()
    continued = Indicator.objects.get(code="synthetic-industrial-output-2028")
    assert continued.continues.code == "industrial-output"
    assert first_plan_snapshot() == before


@pytest.mark.django_db
def test_a_bad_plan_file_is_refused_with_the_path_of_the_bad_entry_and_nothing_is_written(plan, tmp_path):
    data = json.loads(SUCCESSOR.read_text(encoding="utf-8"))
    data["indicators"][1]["targets"][0]["scope"] = "county"  # not a scope
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("load_plan", str(bad), verbosity=0)
    assert "$.indicators[1].targets[0].scope" in str(refused.value)
    assert not Plan.objects.filter(code="synthetic-successor-2026-2028").exists()


@pytest.mark.django_db
def test_a_file_that_names_an_unknown_unit_is_refused_whole(plan, tmp_path):
    data = json.loads(SUCCESSOR.read_text(encoding="utf-8"))
    data["tasks"][1]["units"] = ["州不存在局"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("load_plan", str(bad), verbosity=0)
    assert "$.tasks[1].units[0]" in str(refused.value)
    # The schema was fine, so the loader had started writing: the transaction took it all back.
    assert not Plan.objects.filter(code="synthetic-successor-2026-2028").exists()
    assert not Indicator.objects.filter(code__startswith="synthetic-").exists()


@pytest.mark.django_db
def test_a_successor_may_not_take_over_an_indicator_code_of_the_first_plan(plan, tmp_path):
    data = json.loads(SUCCESSOR.read_text(encoding="utf-8"))
    data["indicators"][0]["code"] = "industrial-output"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"\$\.indicators\[0\]\.code"):
        call_command("load_plan", str(bad), verbosity=0)
    assert Indicator.objects.get(code="industrial-output").plan.code == FIRST


def test_the_fixture_follows_the_schema():
    from tasks.services import plan_file_read

    assert plan_file_read(PLAN_FIXTURE)["plan"]["code"] == FIRST


@pytest.mark.django_db
def test_the_plans_api_lists_the_plans(client_for, olga):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    with time_machine.travel(date(2025, 6, 1), tick=False):  # during the plan (after it: closing, test_plan_lifecycle)
        rows = client_for(olga).get("/api/v1/plans/").json()["results"]
    assert [(r["code"], r["document_number"], r["first_year"], r["last_year"], r["status"]) for r in rows] == [
        (FIRST, "楚办发〔2023〕5号", 2023, 2025, "in_force"),
        ("synthetic-successor-2026-2028", "合成〔2026〕0号", 2026, 2028, "draft"),
    ]


@pytest.mark.django_db
def test_pages_and_the_api_default_to_the_plan_in_force_and_take_plan_code(client_for, olga):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    client = client_for(olga)
    assert client.get("/api/v1/tasks/").json()["count"] == 26
    assert client.get("/api/v1/tasks/?plan=synthetic-successor-2026-2028").json()["count"] == 2
    assert client.get("/api/v1/tasks/2/").json()["title"] != "【合成】保障用地"
    assert client.get("/api/v1/tasks/2/?plan=synthetic-successor-2026-2028").json()["title"] == "【合成】保障用地"
    assert "【合成】保障用地" in client.get("/tasks/2/?plan=synthetic-successor-2026-2028").content.decode()
    assert "【合成】保障用地" not in client.get("/tasks/2/").content.decode()
    assert client.get("/tasks/2/?plan=no-such-plan").status_code == 404
    # The plan in force changes: the defaults follow.
    Plan.objects.filter(code=FIRST).update(status=Plan.Status.CLOSED)
    Plan.objects.filter(code="synthetic-successor-2026-2028").update(status=Plan.Status.IN_FORCE)
    assert client.get("/api/v1/tasks/").json()["count"] == 2
    assert "【合成】保障用地" in client.get("/tasks/2/").content.decode()


@pytest.mark.django_db
def test_a_zone_page_shows_one_series_across_both_plans_and_is_cached_per_plan(client_for, olga):
    from indicators.reporting.services import values_import

    call_command("load_plan", str(SUCCESSOR), verbosity=0)

    def row(indicator, year, value):
        return {
            "zone": "lufeng",
            "indicator": indicator,
            "period": {"cadence": "monthly", "year": year, "index": 12},
            "value": value,
        }

    summary = values_import(
        rows=[row("industrial-output", 2024, "987.65"), row("synthetic-industrial-output-2028", 2026, "1357.9")],
        user=olga,
    )
    assert not summary.errors
    client = client_for(olga)
    first = client.get("/zones/lufeng/").content.decode()
    successor = client.get("/zones/lufeng/?plan=synthetic-successor-2026-2028").content.decode()
    assert "chart-synthetic-industrial-output-2028" not in first  # the plan in force's page, cached first…
    assert "chart-synthetic-industrial-output-2028" in successor  # …does not stand in for the successor's
    chart = successor[successor.index("chart-synthetic-industrial-output-2028") :]
    assert "987.65" in chart and "1357.9" in chart  # the earlier plan's 2024 value and the successor's 2026 value


@pytest.mark.django_db
def test_a_unit_page_lists_what_the_unit_owes_under_the_plan_of_the_page(client_for, olga):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    successor = Plan.objects.get(code="synthetic-successor-2026-2028")
    first_period = ReportingPeriod.objects.get(plan__code=FIRST, cadence="monthly", year=2025, index=12)
    later_period = ReportingPeriod.objects.get(plan=successor, cadence="monthly", year=2026, index=10)
    unit = Department.objects.get(slug="natural-resources")
    DispatchReport.objects.create(
        department=unit, task=Task.objects.get(plan__code=FIRST, number=2), period=first_period
    )
    DispatchReport.objects.create(department=unit, task=Task.objects.get(plan=successor, number=2), period=later_period)
    client = client_for(olga)

    def owed(url: str) -> str:
        page = client.get(url).content.decode()
        return page[page.index('id="owed"') : page.index("</section>", page.index('id="owed"'))]

    # A draft's reports are owed by no one (`DispatchReportQuerySet.deliverable`): the successor is put in force, the
    # first plan closing, which still owes its last reports.
    assert "【合成】保障用地" not in owed(f"/departments/{unit.slug}/?plan={successor.code}")
    Plan.objects.filter(code=FIRST).update(status=Plan.Status.CLOSING)
    Plan.objects.filter(pk=successor.pk).update(status=Plan.Status.IN_FORCE)
    first = owed(f"/departments/{unit.slug}/?plan={FIRST}")
    assert "2025年12月" in first and "【合成】保障用地" not in first and "2026年10月" not in first
    later = owed(f"/departments/{unit.slug}/?plan={successor.code}")
    assert "【合成】保障用地" in later and "2026年10月" in later and "2025年12月" not in later
    assert client.get(f"/departments/{unit.slug}/?plan=no-such-plan").status_code == 404


@pytest.mark.django_db
def test_the_api_lists_take_plan_code_default_to_the_plan_in_force_and_refuse_an_unknown_code(client_for, olga):
    from indicators.reporting.services import values_import

    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    successor = "synthetic-successor-2026-2028"
    row = {"zone": "lufeng", "period": {"cadence": "monthly", "year": 2025, "index": 12}, "value": "1000"}
    summary = values_import(
        rows=[
            row | {"indicator": "industrial-output"},
            row
            | {
                "indicator": "synthetic-industrial-output-2028",
                "period": {"cadence": "monthly", "year": 2026, "index": 10},
            },
        ],
        user=olga,
    )
    assert not summary.errors
    progress_recompute(as_of=date(2026, 11, 30))
    client = client_for(olga)

    def codes(url: str, key) -> set[str]:
        rows, page = [], client.get(url)
        while True:
            assert page.status_code == 200, page.content
            body = page.json()
            rows += body["results"]
            if not body.get("next"):
                return {key(r) for r in rows}
            page = client.get(body["next"])

    own = {"synthetic-industrial-output-2028", "synthetic-land-supply"}
    first = set(Indicator.objects.filter(plan__code=FIRST).values_list("code", flat=True))
    for path, key in (
        ("indicators", lambda r: r["code"]),
        ("targets", lambda r: r["indicator"]),
        ("progress", lambda r: r["target"]["indicator"]),
        ("indicator-values", lambda r: r["indicator"]),
    ):
        default = codes(f"/api/v1/{path}/", key)
        assert default and default <= first, path
        assert codes(f"/api/v1/{path}/?plan={FIRST}", key) == default, path
        later = codes(f"/api/v1/{path}/?plan={successor}", key)
        assert later and later <= own, path
        refused = client.get(f"/api/v1/{path}/?plan=no-such-plan")
        assert refused.status_code == 404, path  # no such plan, so no such rows
        assert "no-such-plan" in refused.json()["detail"] and refused.json()["errors"] == []
        empty = client.get(f"/api/v1/{path}/?plan=")
        assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "plan", path
    # A row is still found by its key whatever the plan of the list.
    assert client.get("/api/v1/indicators/synthetic-land-supply/").status_code == 200


@pytest.mark.django_db
def test_a_successor_has_its_own_safeguards_and_parts_and_a_bad_reference_is_refused_with_its_path(plan, tmp_path):
    data = json.loads(SUCCESSOR.read_text(encoding="utf-8"))
    data["safeguards"] = [{"number": 1, "title": "【合成】组织保障", "text": "【合成】"}]
    data["indicators"][0]["safeguard"] = 1
    data["indicators"][0]["targets"][0].update({"basis": "office", "note": "【合成】分解"})
    good = tmp_path / "good.json"
    good.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_plan", str(good), verbosity=0)
    successor = Plan.objects.get(code="synthetic-successor-2026-2028")
    # Section 1 of each plan is its own row; the first plan's is untouched.
    assert Safeguard.objects.get(plan=successor, number=1).title == "【合成】组织保障"
    assert Safeguard.objects.get(plan__code=FIRST, number=1).title != "【合成】组织保障"
    indicator = Indicator.objects.get(code=data["indicators"][0]["code"])
    assert indicator.safeguard.plan == successor
    assert indicator.targets.filter(basis="office", note="【合成】分解").exists()

    data["indicators"][0]["numerator"] = "no-such-part"
    data["indicators"][1]["targets"][0]["basis"] = "guess"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"\$\.indicators\[1\]\.targets\[0\]\.basis"):
        call_command("load_plan", str(bad), verbosity=0)
    data["indicators"][1]["targets"][0]["basis"] = "plan"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"\$\.indicators\[0\]\.numerator"):
        call_command("load_plan", str(bad), verbosity=0)
    assert Indicator.objects.get(code=data["indicators"][0]["code"]).numerator is None


def _listed_ids(client, path: str) -> list[int]:
    """The ids of every row of a keyset-paginated list, page after page."""
    ids = []
    while path:
        page = client.get(path).json()
        ids += [row["id"] for row in page["results"]]
        path = page["next"]
    return ids


@pytest.mark.django_db
def test_the_values_and_progress_lists_page_through_their_plans_rows_only(client_for, olga):
    from indicators.reporting.services import values_import

    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    rows = [
        {"zone": "lufeng", "indicator": indicator, "period": {"cadence": "monthly", "year": year, "index": month}}
        | {"value": value}
        for indicator, year, month, value in (
            ("industrial-output", 2024, 11, "900.5"),
            ("industrial-output", 2024, 12, "987.65"),
            ("synthetic-industrial-output-2028", 2026, 11, "1200"),
            ("synthetic-industrial-output-2028", 2026, 12, "1357.9"),
        )
    ]
    assert not values_import(rows=rows, user=olga).errors
    progress_recompute(as_of=date(2026, 12, 31))
    client = client_for(olga)
    for code in (FIRST, "synthetic-successor-2026-2028"):
        plan = Plan.objects.get(code=code)
        values = _listed_ids(client, f"/api/v1/indicator-values/?plan={code}&page_size=1")
        expected = IndicatorValue.objects.filter(indicator__plan=plan).values_list("pk", flat=True)
        assert sorted(values) == sorted(expected) and len(values) >= 2
        results = _listed_ids(client, f"/api/v1/progress/?plan={code}&page_size=50")
        expected = ProgressResult.objects.filter(target__indicator__plan=plan).values_list("pk", flat=True)
        assert sorted(results) == sorted(expected) and results


def _list_query(client, path: str, table: str) -> str:
    """The SQL of the page query of a list of `table` rows (the one with its order)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    listed = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]
    listed = [sql for sql in listed if "ORDER BY" in sql]
    assert listed, path
    return listed[0]


_SYNC_LISTS = (
    ("/api/v1/indicator-values/?page_size=10", "indicators_indicatorvalue"),
    ("/api/v1/progress/?page_size=10", "indicators_progressresult"),
)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_a_page_of_values_or_results_walks_the_sync_index_rather_than_sorting_the_plans_rows(client_for, olga):
    """Joined to its plan, SQLite started from the plan's indicators and sorted all their values for every page."""
    client = client_for(olga)
    for path, table in _SYNC_LISTS:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + _list_query(client, path, table))
            steps = [row[3] for row in cursor.fetchall()]
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in steps), steps
        assert any(step.startswith(f"SCAN {table} USING INDEX") for step in steps), steps


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query planner")
def test_postgresql_can_read_a_page_of_values_or_results_in_the_sync_order_without_sorting(client_for, olga):
    """A recompute stamps every result it writes with one computed_at: with an index on computed_at alone,
    PostgreSQL sorted those ties by id for every page. Sorting is priced out here (the tables are tiny): a plan that
    still sorts has no index in the list's order."""
    client = client_for(olga)
    for path, table in _SYNC_LISTS:
        sql = _list_query(client, path, table)
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in ("enable_sort", "enable_incremental_sort", "enable_seqscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Sort" not in plan, plan
