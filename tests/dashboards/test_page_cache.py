"""The dashboards' cached bodies: served from the cache until the plan data changes, never across users.

A dashboard's body is rendered once per data version (``chuxiong_portal.pagecache``); any SQL write to a
table of the plan's apps starts a new version. These tests change the data by every kind of write — a
form posted through the site, ``save()``, ``queryset.update()``, ``bulk_create()``, a delete, raw SQL — and
check the next page view shows it; and they check that what is cached holds nothing of the user who
filled it.
"""

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from chuxiong_portal import pagecache
from indicators.models import DispatchReport, ReportingPeriod
from pages.views import OVERVIEW_AREAS, current_period
from tasks.models import Department, Task

UNIT_PAGE = "/departments/ndrc/"


@pytest.fixture
def owed(plan):
    """州发展改革委's report on task 14 for March 2023: pending, so the unit page lists it under 当前待报."""
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )


def link(report) -> str:
    return f'href="{report.get_absolute_url()}"'


def main(response) -> str:
    return response.content.decode().split("<main", 1)[1].split(">", 1)[1].split("</main>")[0]


def test_it_serves_a_dashboard_again_without_reading_the_data(client_for, olga, data, django_assert_max_num_queries):
    client = client_for(olga)
    first = client.get("/overview/")
    with django_assert_max_num_queries(2):  # the session and the user: nothing of the dashboard
        second = client.get("/overview/")
    assert second.status_code == 200
    assert main(second) == main(first)
    assert main(second).count('class="tile ') == 26


def test_it_shows_a_report_submitted_through_the_site_at_once(client_for, olga, alice, owed):
    office = client_for(olga)
    assert link(owed) in office.get(UNIT_PAGE).content.decode()

    staff = client_for(alice)
    response = staff.post(
        reverse("report-detail", args=[owed.pk]),
        {
            "action": "submit",
            "version": owed.version,
            "progress": "in_progress",
            "progress_pct": "40",
            "work_done": "完成路网规划编制",
            "problems": "资金缺口",
            "next_steps": "争取专项债",
            "delay_reason": "",
            "change_reason": "",
        },
    )
    assert response.status_code == 302
    owed.refresh_from_db()
    assert owed.state == DispatchReport.State.SUBMITTED

    assert link(owed) not in office.get(UNIT_PAGE).content.decode()


@pytest.mark.parametrize("write", ["save", "update", "delete", "raw sql"])
def test_it_shows_every_kind_of_write_at_once(client_for, olga, owed, write):
    office = client_for(olga)
    assert link(owed) in office.get(UNIT_PAGE).content.decode()

    if write == "save":
        owed.state = DispatchReport.State.APPROVED
        owed.save(update_fields=["state"])
    elif write == "update":
        DispatchReport.objects.filter(pk=owed.pk).update(state=DispatchReport.State.SUBMITTED)
    elif write == "delete":
        DispatchReport.objects.filter(pk=owed.pk).delete()
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {DispatchReport._meta.db_table} SET state = %s WHERE id = %s",
                [DispatchReport.State.APPROVED, owed.pk],
            )

    assert link(owed) not in office.get(UNIT_PAGE).content.decode()


def test_it_shows_rows_added_in_bulk_at_once(client_for, olga, plan):
    office = client_for(olga)
    period = ReportingPeriod.objects.get(cadence="monthly", year=2023, index=4)
    task = Task.objects.get(number=14)
    assert "2023年4月" not in office.get(UNIT_PAGE).content.decode()

    DispatchReport.objects.bulk_create([DispatchReport(department=plan["ndrc"], task=task, period=period)])

    assert "2023年4月" in office.get(UNIT_PAGE).content.decode()


def test_it_ignores_writes_outside_the_plan_data(client_for, olga, alice, data):
    client_for(olga).get("/overview/")
    version = pagecache.data_version()

    client_for(alice)  # a login writes a session and the user's last_login
    alice.first_name = "Alice"
    alice.save(update_fields=["first_name"])

    assert pagecache.data_version() == version


def test_it_starts_a_new_version_again_when_the_transaction_commits(plan, django_capture_on_commit_callbacks):
    before = pagecache.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            Department.objects.filter(slug="ndrc").update(order=99)
            during = pagecache.data_version()
            Department.objects.filter(slug="ndrc").update(order=98)
    after = pagecache.data_version()

    assert before != during != after  # once when the statement ran, once more at the commit
    assert len(callbacks) == 1  # one commit-time bump per transaction, however many writes


def test_a_bulk_write_replaces_the_version_once_until_a_page_is_stored(plan, monkeypatch):
    replaced = []
    monkeypatch.setattr(pagecache, "data_changed", lambda areas=None: replaced.append(tuple(areas or ())))
    with transaction.atomic():
        for order in range(40):  # forty statements on the plan data, as a bulk write in batches
            Department.objects.filter(slug="ndrc").update(order=order)
        assert replaced == [("core",)]  # the first replaced the version; the others found it fresh

        pagecache.cached("probe", (), lambda: "rendered from the rows so far")  # a value stored mid-transaction
        Department.objects.filter(slug="ndrc").update(order=99)
        assert replaced == [("core",), ("core",)]  # it must not be served after this write


def test_a_page_viewed_between_two_writes_of_one_transaction_shows_the_second(client_for, olga, owed):
    office = client_for(olga)
    with transaction.atomic():
        DispatchReport.objects.filter(pk=owed.pk).update(state=DispatchReport.State.RETURNED)
        assert link(owed) in office.get(UNIT_PAGE).content.decode()  # rendered and stored inside the transaction
        DispatchReport.objects.filter(pk=owed.pk).update(state=DispatchReport.State.APPROVED)
        assert link(owed) not in office.get(UNIT_PAGE).content.decode()


def test_it_never_caches_a_user_or_a_form_into_the_body(client_for, olga, alice, data):
    office_page = client_for(olga).get("/overview/").content.decode()
    assert "olga" in office_page and "打印调度通报" in office_page  # the office's shell

    staff_page = client_for(alice).get("/overview/").content.decode()  # the same cached body…
    assert "alice" in staff_page and "olga" not in staff_page  # …in alice's own shell
    assert "打印调度通报" not in staff_page  # the bulletin link is the office's and reviewers' only

    period, today = current_period(timezone.localdate()), timezone.localdate()
    body = pagecache.cached(
        "overview", (period.pk, today), lambda: pytest.fail("the overview was not cached"), areas=OVERVIEW_AREAS
    )
    body = body.decode()
    assert "各开发区核心指标与2025年目标" in body
    assert "csrfmiddlewaretoken" not in body and "olga" not in body and "alice" not in body


def test_it_keeps_a_zone_user_out_of_another_zones_cached_page(client_for, olga, leo, data):
    assert client_for(olga).get("/zones/chuxiong-hitech/").status_code == 200  # cached now

    response = client_for(leo).get("/zones/chuxiong-hitech/")

    assert response.status_code == 403
    assert "无权查看楚雄国家高新区" in main(response)
    assert "核心指标与2025年目标" not in main(response)


def test_it_renders_each_language_apart(client_for, olga, data):
    client = client_for(olga)
    chinese = client.get("/", headers={"accept-language": "zh-hans"}).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/overview/").content.decode()

    assert "各开发区核心指标与2025年目标" in chinese
    assert "各开发区核心指标与2025年目标" not in english


def test_it_renders_afresh_when_the_cache_cannot_hold_a_version(client_for, olga, owed, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # as Redis down
    office = client_for(olga)
    assert pagecache.data_version() is None
    assert link(owed) in office.get(UNIT_PAGE).content.decode()
    DispatchReport.objects.filter(pk=owed.pk).update(state=DispatchReport.State.SUBMITTED)
    assert link(owed) not in office.get(UNIT_PAGE).content.decode()


@pytest.mark.parametrize(
    "sql, counted",
    [
        ('INSERT INTO "indicators_indicatorvalue" ("value") VALUES (%s)', True),
        ('UPDATE "indicators_dispatchreport" SET "state" = %s', True),
        ('DELETE FROM "assessments_flag" WHERE "id" IN (%s)', True),
        ("  update tasks_task set title = %s", True),
        ('TRUNCATE "parks_zone", "django_session"', True),
        ('SELECT "indicators_dispatchreport"."id" FROM "indicators_dispatchreport"', False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('UPDATE "chuxiong_portal_user" SET "last_login" = %s', False),
        ('INSERT INTO "chuxiong_portal_notification" ("text") VALUES (%s)', False),
    ],
)
def test_it_knows_a_write_to_the_plan_data_by_its_sql(sql, counted, db):
    assert pagecache.is_data_write(sql, pagecache._data_tables()) is counted


def test_it_sees_a_write_made_by_another_process(client_for, olga, owed, settings, tmp_path):
    """A Celery worker, another gunicorn worker or a command in another shell: their writes reach this process.

    The row is changed here with the watcher off (as if by the other process), and the other process's watcher
    is a real second Python process that replaces the shared version file.
    """
    import os
    import subprocess
    import sys

    settings.PORTAL_PAGE_CACHE_VERSION_FILE = str(tmp_path / "pagecache-version")
    office = client_for(olga)
    assert link(owed) in office.get(UNIT_PAGE).content.decode()
    watchers = [w for w in connection.execute_wrappers if isinstance(w, pagecache.WriteWatcher)]
    for watcher in watchers:
        connection.execute_wrappers.remove(watcher)
    try:
        DispatchReport.objects.filter(pk=owed.pk).update(state=DispatchReport.State.SUBMITTED)
    finally:
        connection.execute_wrappers.extend(watchers)
    assert link(owed) in office.get(UNIT_PAGE).content.decode()  # this process could not know yet

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chuxiong_portal.settings",
        "PORTAL_PAGE_CACHE_VERSION_FILE": settings.PORTAL_PAGE_CACHE_VERSION_FILE,
    }
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from chuxiong_portal import pagecache; pagecache.data_changed()",
        ],
        env=env,
        check=True,
        timeout=60,
    )

    assert link(owed) not in office.get(UNIT_PAGE).content.decode()
