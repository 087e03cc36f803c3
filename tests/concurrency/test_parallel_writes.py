"""Writes that meet each other: serialised or refused with a clear answer, never a 500, never half-written.

Real threads, each with its own database connection, against the same database (a file on SQLite, as in
production, see settings.py; PostgreSQL in CI's second run), so that the locks are the real ones.
"""

import re
import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from chuxiong_portal.models import PendingJob
from chuxiong_portal.queue import sweep_pending
from chuxiong_portal.services import sync_client_create
from indicators.models import DispatchReport, IndicatorValue, ProgressResult, ReportingPeriod, Target
from parks.models import Zone
from tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True)

BATCHES = 20
MILESTONE = "seven-connections__zone__lufeng"  # 七通一平 of 禄丰, reported by 州发展改革委 on task 14


def run_together(work, count: int) -> list:
    """Run work(i) for i in range(count) in threads released at the same moment; their results, in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # kept, so that the test reports it instead of a silent thread
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_parallel_overlapping_bulk_upserts_are_answered_200_409_or_503_and_write_exactly_the_accepted(plan):
    _user, key = sync_client_create(name="province-stats")
    zones = list(Zone.objects.order_by("order").values_list("code", flat=True))
    shared = [(zone, 2024, month) for month in range(1, 13) for zone in zones][:30]
    batches = []
    for i in range(BATCHES):
        keys = shared[i : i + 10] + [(zones[i % len(zones)], 2023, 1 + i // len(zones))]  # the last one is its own
        batches.append({k: Decimal(i * 1000 + n) for n, k in enumerate(keys)})

    def push(i: int):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        rows = [
            {
                "zone": zone,
                "indicator": "industrial-output",
                "period": {"cadence": "monthly", "year": year, "index": month},
                "value": str(value),
            }
            for (zone, year, month), value in batches[i].items()
        ]
        response = client.post("/api/v1/indicator-values/bulk/", rows, format="json")
        return response.status_code, response["Content-Type"], response.json()

    answers = run_together(push, BATCHES)
    for answer in answers:
        assert not isinstance(answer, Exception), answer
        status, content_type, body = answer
        assert status in (200, 409, 503), (status, body)
        assert content_type.startswith("application/json") and body["detail"]
    accepted = [i for i, (status, _type, _body) in enumerate(answers) if status == 200]
    assert accepted, "at least one batch must get through"

    stored = {
        (v.zone.code, v.period.year, v.period.index): v.value
        for v in IndicatorValue.objects.filter(
            source=IndicatorValue.Source.PROVINCE, indicator__code="industrial-output"
        ).select_related("zone", "period")
    }
    assert set(stored) == set().union(*(batches[i].keys() for i in accepted))
    for row_key, value in stored.items():
        assert value in {batches[i][row_key] for i in accepted if row_key in batches[i]}


@pytest.fixture
def open_report(plan):
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )


def report_form(report, **changes) -> dict:
    data = {
        "action": "save",
        "version": report.version,
        "progress": "in_progress",
        "progress_pct": "40",
        "work_done": "完成路网规划编制",
        "problems": "资金缺口",
        "next_steps": "争取专项债",
        "delay_reason": "",
        "change_reason": "",
        f"done__{MILESTONE}": "2023-03-20",
    }
    data.update(changes)
    return data


def test_two_parallel_saves_of_a_report_save_one_and_tell_the_other_it_changed(alice, open_report):
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(alice)
    url = reverse("report-detail", args=[open_report.pk])

    def save(i: int):
        response = clients[i].post(url, report_form(open_report, work_done=f"第{i}位同事的进展"))
        return response.status_code, response.content.decode()

    answers = run_together(save, 2)
    for answer in answers:
        assert not isinstance(answer, Exception), answer
    statuses = sorted(status for status, _page in answers)
    assert statuses == [302, 400], statuses
    loser = next(page for status, page in answers if status == 400)
    assert "已被" in loser and "修改" in loser and "您填写的内容已保留" in loser and "刷新" not in loser
    winner = next(i for i, (status, _page) in enumerate(answers) if status == 302)
    open_report.refresh_from_db()
    assert open_report.work_done == f"第{winner}位同事的进展"
    assert open_report.history.filter(work_done__endswith="同事的进展").count() == 1  # the loser wrote nothing


def test_the_recompute_of_a_commit_that_meets_a_locked_database_still_happens(alice, open_report, monkeypatch):
    from indicators import jobs

    real = jobs.progress_recompute
    calls = []

    def locked_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(jobs, "progress_recompute", locked_once)
    client = Client()
    client.force_login(alice)
    response = client.post(reverse("report-detail", args=[open_report.pk]), report_form(open_report, action="submit"))
    assert response.status_code == 302  # committed: the failed recompute is not the user's problem
    open_report.refresh_from_db()
    assert open_report.state == DispatchReport.State.SUBMITTED
    target = Target.objects.get(indicator__code="seven-connections", zone__code="lufeng")
    assert not ProgressResult.objects.filter(target=target).exists()
    assert PendingJob.objects.filter(job="indicators.jobs.recompute_targets").count() == 1

    from datetime import timedelta

    from django.utils import timezone

    assert sweep_pending(now=timezone.now())["run"] == 0  # not due yet: the queue has its minute
    assert sweep_pending(now=timezone.now() + timedelta(seconds=61)) == {"run": 1, "failed": 0}
    assert not PendingJob.objects.exists()
    result = ProgressResult.objects.get(
        target=target, period__cadence=target.indicator.cadence, period__end=open_report.period.end
    )
    assert (result.status, result.actual) == ("green", 1)


@pytest.mark.parametrize("importer", ["values", "rankings"])
def test_every_bulk_import_locks_the_rows_it_updates_in_one_global_order(importer, plan):
    # Two batches that lock overlapping rows in different orders deadlock on PostgreSQL (the database then kills one:
    # a 503, not a 500, but a lost write for that client). Every bulk import locks in primary-key order. SQLite has no
    # row locks (the whole database is locked), so this reads the SQL PostgreSQL is sent.
    if connection.vendor != "postgresql":
        pytest.skip("FOR UPDATE is PostgreSQL's; SQLite serialises whole transactions")
    from django.test.utils import CaptureQueriesContext

    from assessments.services import ranking_import
    from chuxiong_portal.services import sync_client_create as make_client
    from indicators.reporting.services import values_import

    user, _key = make_client(name="lock-order")
    run = {
        "values": lambda: values_import(
            rows=[
                {
                    "zone": "lufeng",
                    "indicator": "industrial-output",
                    "period": {"cadence": "monthly", "year": 2024, "index": 3},
                    "value": "1",
                }
            ],
            user=user,
        ),
        "rankings": lambda: ranking_import(
            rows=[{"year": 2024, "zone": "lufeng", "rank": 1, "total_zones": 66}], user=user
        ),
    }[importer]
    with CaptureQueriesContext(connection) as queries:
        run()
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    # By the locked table's primary key, first and alone: ORDER BY "<table>"."id" ASC FOR UPDATE.
    assert locks and all(re.search(r'ORDER BY "\w+"\."id" ASC (LIMIT \d+ )?FOR UPDATE', sql) for sql in locks), locks


def hold_the_first_until_the_second_waits(job) -> list:
    """Run job() in two threads, each in its own transaction, the first holding its transaction open after its job
    until the second waits for a lock (on PostgreSQL: `pg_stat_activity`); their results, in order. Fails the test when
    none ever waited: what it means to show is what happens when they meet."""
    from django.db import transaction

    first_done, release = threading.Event(), threading.Event()
    seen = []

    def run(i: int):
        if i:
            assert first_done.wait(timeout=30)
        with transaction.atomic():
            result = job()
            if i == 0:
                first_done.set()
                assert release.wait(timeout=60)
        return result

    def watch() -> None:
        try:
            first_done.wait(timeout=30)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not seen:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock'"
                    )
                    if cursor.fetchone()[0]:
                        seen.append(True)
                time.sleep(0.05)
        finally:
            release.set()
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    results = run_together(run, 2)
    watcher.join(timeout=60)
    assert seen, "the second never waited for the first"
    return results


def at_once(work) -> list:
    """work(0) and work(1) sent at once; their results, in order. On PostgreSQL the first holds its transaction open
    until the second waits for its lock (`hold_the_first_until_the_second_waits`): the test fails unless they met,
    whatever the threads' timing. SQLite's writers queue for the database at BEGIN: they run together."""
    if connection.vendor != "postgresql":
        return run_together(work, 2)
    turn = iter(range(2))  # the second starts its job only once the first's is done: one after the other
    return hold_the_first_until_the_second_waits(lambda: work(next(turn)))


def test_a_recompute_that_meets_another_ones_uncommitted_results_waits_and_rewrites_them(plan):
    """Two recomputes of the same targets (two approvals, two sync posts): on PostgreSQL the second waits for the
    first's commit (one recompute at a time), then finds its rows rather than failing on the unique (target, period)
    key. (SQLite's writers queue at BEGIN, IMMEDIATE: the second reads what the first committed.)"""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's writers meet row by row; SQLite's queue for the database")
    from datetime import date

    from indicators.progress.services import progress_recompute

    targets = list(Target.objects.filter(zone__code="lufeng").order_by("pk").values_list("pk", flat=True)[:20])
    answers = hold_the_first_until_the_second_waits(
        lambda: progress_recompute(target_ids=targets, as_of=date(2025, 6, 30))
    )
    assert not any(isinstance(answer, Exception) for answer in answers), answers
    assert answers[0] == answers[1] > 0
    keys = list(ProgressResult.objects.filter(target__in=targets).values_list("target_id", "period_id"))
    assert len(keys) == len(set(keys)) == answers[0]


def test_a_recompute_that_read_the_values_first_does_not_write_over_a_later_ones_results(plan, monkeypatch):
    """Two jobs' recomputes at once: the first has read the values when a value changes and the change's own
    recompute runs. The second waits for the first's commit and reads the new value: the results stored last are
    those of the values stored last (the first used to write its results of the older value over the second's)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's writers meet row by row; SQLite's queue for the database")
    from datetime import date

    from django.db import transaction

    from indicators.models import Indicator
    from indicators.progress import services
    from indicators.progress.services import progress_recompute, targets_for_values
    from tests.dashboards.data import build_small

    build_small()  # four zones' figures, 2022 to 2025
    lufeng = Zone.objects.get(code="lufeng")
    indicator = Indicator.objects.get(code="industrial-output")
    value = IndicatorValue.objects.get(
        indicator=indicator, zone=lufeng, period=ReportingPeriod.objects.get(cadence="monthly", year=2025, index=12)
    )
    targets = targets_for_values([(indicator.pk, "zone", lufeng.pk, None)])
    fields = ("target_id", "period_id", "status", "actual", "inputs")

    def stored() -> list:
        rows = ProgressResult.objects.filter(target__in=targets).order_by("target_id", "period_id")
        return list(rows.values_list(*fields))

    with_the_old_value = stored()
    ProgressResult.objects.filter(target__in=targets).delete()  # the first's rows will be new: an upsert writes them
    as_of = date(2025, 12, 31)

    def recompute():
        with transaction.atomic():
            return progress_recompute(target_ids=targets, as_of=as_of)

    has_read, go, second_done = threading.Event(), threading.Event(), threading.Event()
    judge = services._evaluate_all

    def judged_after_a_pause(evaluation):
        if threading.current_thread().name == "first":
            has_read.set()
            assert go.wait(timeout=60)
        return judge(evaluation)

    monkeypatch.setattr(services, "_evaluate_all", judged_after_a_pause)
    answers = {}

    def run(name):
        try:
            answers[name] = recompute()
        except Exception as error:  # kept, so that the test reports it
            answers[name] = error
        finally:
            if name == "second":
                second_done.set()
            connection.close()

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert has_read.wait(timeout=30)
    IndicatorValue.objects.filter(pk=value.pk).update(value=value.value * 2)  # committed: autocommit
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    waited = False
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not second_done.is_set() and not waited:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            waited = cursor.fetchone()[0] > 0
        time.sleep(0.05)
    go.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert not any(isinstance(answer, Exception) for answer in answers.values()), answers
    assert waited, "the second recompute did not wait for the first"

    raced = stored()
    assert raced != with_the_old_value  # the change matters to the results
    recompute()  # from the values as they are now
    assert stored() == raced


def test_two_flag_recomputes_at_once_run_one_after_the_other(plan):
    """Two ranking imports, each followed by the flags' recompute: the second waits for the first's commit, then
    finds its flags and creates none again (it used to read the flags before the first's commit and fail on their
    unique key)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's writers meet row by row; SQLite's queue for the database")
    from assessments.models import Evaluation, Flag, Ranking
    from assessments.services import flags_recompute

    wuding = Zone.objects.get(code="wuding")
    for year, rank in ((2022, 40), (2023, 57)):
        evaluation = Evaluation.objects.create(scheme="provincial", year=year, total_zones=60)
        Ranking.objects.create(evaluation=evaluation, zone=wuding, rank=rank)

    answers = hold_the_first_until_the_second_waits(flags_recompute)
    assert not any(isinstance(answer, Exception) for answer in answers), answers
    assert answers[0].raised > 0 and answers[1].raised == 0
    assert Flag.objects.filter(zone=wuding, year=2023, rule="bottom_five", outcome="fired").count() == 1


def test_two_runs_opening_the_periods_reports_at_once_run_one_after_the_other(plan):
    """The daily job and `manage.py recompute` both opening the started periods' reports: the second waits for the
    first's commit, then finds its reports and opens none again."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's writers meet row by row; SQLite's queue for the database")
    from datetime import date

    from indicators.reporting.services import reports_open

    DispatchReport.objects.all().delete()
    answers = hold_the_first_until_the_second_waits(lambda: reports_open(today=date(2024, 3, 1)))
    assert not any(isinstance(answer, Exception) for answer in answers), answers
    assert answers[0] == DispatchReport.objects.count() > 0 and answers[1] == 0


def test_two_first_records_of_a_safeguard_item_at_once_take_one_and_tell_the_other(olga):
    """Two officers save the same item from pages drawn before either record: the records of one item queue (on
    PostgreSQL both would otherwise insert the period's first value, and one would fail on the unique index); the
    second finds the first's record and comes back with it named, writing nothing."""
    url = reverse("safeguard-record", args=["key-task-list-review"])
    page = Client()
    page.force_login(olga)
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', page.get(url).content.decode()).group(1)

    clients = [Client(), Client()]
    for client in clients:  # logged in first: a login in the job would wait for the other's lock on the user's row
        client.force_login(olga)

    def save(i: int):
        return clients[i].post(url, {"value": str(2 + i), "on": "2024-12-20", "seen": seen})

    answers = at_once(save)
    assert not any(isinstance(answer, Exception) for answer in answers), answers
    assert sorted(answer.status_code for answer in answers) == [302, 400]
    refused = next(answer for answer in answers if answer.status_code == 400)
    assert "保存前，该项的登记已有变动" in refused.content.decode()
    taken = next(i for i, answer in enumerate(answers) if answer.status_code == 302)
    assert [v.value for v in IndicatorValue.objects.filter(indicator__code="key-task-list-review")] == [2 + taken]


def test_two_data_quality_rechecks_at_once_warn_once_and_neither_fails(plan):
    """Two reports submitted at once (or a submission and the nightly job) each recheck the data's quality: both
    find the same new finding (here a value written without a recheck, as a draft's or a record's) and both would
    insert its warning; on PostgreSQL the second failed on the unique (value, rule) index, a 500 on the submit. The
    rechecks queue: the second finds the first's warning."""
    from indicators.models import DataQualityWarning, Indicator
    from indicators.reporting.services import quality_recheck

    half = ReportingPeriod.objects.get(cadence="half_yearly", year=2024, index=2)
    for code, number in (("idle-land", 100), ("idle-land-disposed", 120)):  # more disposed of than there was idle
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(code=code),
            period=half,
            scope="zone",
            zone=plan["lufeng"],
            value=Decimal(number),
        )

    answers = at_once(lambda i: quality_recheck())
    assert not any(isinstance(answer, Exception) for answer in answers), answers
    assert sorted(answer.created for answer in answers) == [0, 1]
    assert list(DataQualityWarning.objects.values_list("value__indicator__code", "rule")) == [
        ("idle-land-disposed", DataQualityWarning.Check.NUMERATOR_ABOVE_DENOMINATOR)
    ]


def test_two_admins_adding_the_same_area_figure_at_once_save_one_and_tell_the_other(plan, admin_user):
    """Two admins add the same 片区 figure (area, indicator, period) at once: both forms pass the unique check before
    either saves, and on PostgreSQL the second failed on the unique index, a 500. The figure's writes queue from the
    form's check on: the second is told the figure exists, in the admin's own words, and writes nothing."""
    from indicators.models import AreaFigure, Indicator
    from parks.models import Area

    area = Area.objects.create(zone=plan["lufeng"], code="lufeng-east", name="东片区", order=1)
    data = {
        "area": area.pk,
        "indicator": Indicator.objects.get(code="industrial-output").pk,
        "period": ReportingPeriod.objects.get(cadence="monthly", year=2024, index=12).pk,
        "note": "",
    }
    clients = [Client(), Client()]
    for client in clients:  # logged in first: a login in the job would wait for the other's lock on the user's row
        client.force_login(admin_user)
    url = reverse("admin:indicators_areafigure_add")

    answers = at_once(lambda i: clients[i].post(url, {**data, "value": str(100 + i)}))

    assert not any(isinstance(answer, Exception) for answer in answers), answers
    assert sorted(answer.status_code for answer in answers) == [200, 302]
    refused = next(answer for answer in answers if answer.status_code == 200)
    assert "片区数据 已经存在" in refused.content.decode()  # Django's own unique message
    taken = next(i for i, answer in enumerate(answers) if answer.status_code == 302)
    assert [figure.value for figure in AreaFigure.objects.all()] == [100 + taken]
