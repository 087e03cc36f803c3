"""Versions per area of data (``chuxiong_portal.pagecache``): a write leaves the cached pages it cannot change in
place, and always invalidates those it can.

For each page type: the page is viewed (a miss), something is written, and the page is viewed again; the page
cache's own hit/miss counters say whether the body came from the cache. Two guards keep the areas honest:
every table a page reads belongs to an area it names, and a draft of another zone, task or unit leaves the
page's rendered body byte for byte the same (so not invalidating it cannot serve anything stale).
"""

import re
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuxiong_portal import pagecache
from evaluations.models import SchemeVersion
from indicators.models import DispatchReport, Indicator
from indicators.reporting.services.reports import ReportInput, report_save
from pages.views import BULLETIN_AREAS, OVERVIEW_AREAS
from pages.zone_views import ZONE_AREAS
from parks.models import Zone
from projects.models import Project
from supervision.models import WorkItem
from tasks.models import Department, Responsibility, Task

PAGES = {  # page name in the cache → (URL, the areas it names besides its own drafts)
    "overview": ("/", OVERVIEW_AREAS),
    "zone": ("/zones/lufeng/", ZONE_AREAS),
    "task": ("/tasks/7/", (pagecache.CORE,)),
    "department": ("/departments/ndrc/", (pagecache.CORE, pagecache.SUPERVISION)),
    "bulletin": ("/bulletin/", BULLETIN_AREAS),
    "matrix": ("/matrix/", (pagecache.CORE,)),
    "changes": ("/changes/", OVERVIEW_AREAS),
}


@pytest.fixture
def office(client_for, olga, data):
    return client_for(olga)


def outcome(client, name: str, url: str) -> str:
    """View ``url`` and say whether page ``name`` was a hit or a miss (the cache's counters)."""
    before = pagecache.stats([name])[name]
    response = client.get(url)
    assert response.status_code == 200
    after = pagecache.stats([name])[name]
    changed = [key for key in after if after[key] != before[key]]
    assert len(changed) == 1, (before, after)
    return changed[0]


def ndrc_draft(alice, *, task_number=7, text="草稿：完成规划初稿"):
    """alice (州发展改革委) saves a draft of her unit's report on a task, through the service."""
    report = DispatchReport.objects.get(
        department__slug="ndrc", task__number=task_number, state__in=["pending", "draft"]
    )
    return report_save(
        report=report,
        user=alice,
        data=ReportInput(progress="in_progress", work_done=text),
        version=report.version,
        submit=False,
    )


def zone_draft(user, code: str):
    """A zone's statistician saves a draft of the zone's report with a value in it, through the service."""
    report = DispatchReport.objects.filter(zone__code=code, state__in=["pending", "draft"]).first()
    from indicators.selectors import report_slots

    slot = next(s for s in report_slots(report) if not s.is_milestone and s.current is None)  # a new value
    return report_save(
        report=report,
        user=user,
        data=ReportInput(values={slot.key: (Decimal("123456"), None)}),
        version=report.version,
        submit=False,
    )


def commerce_draft(bob, report):
    """bob (商务局) saves a draft of his unit's report on task 14 (neither task 7 nor 州发展改革委)."""
    return report_save(
        report=report,
        user=bob,
        data=ReportInput(progress="in_progress", work_done="草稿"),
        version=report.version,
        submit=False,
    )


@pytest.fixture
def hitech_report(data):
    return DispatchReport.objects.create(zone=data["zones"]["chuxiong-hitech"], period=data["period"])


@pytest.fixture
def hitech_stat(plan):
    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create
    from tests.conftest import PASSWORD

    return user_create(
        username="hugo", password=PASSWORD, role=Role.ZONE_STATISTICIAN, zone=plan["hitech"], full_name="hugo"
    )


@pytest.fixture
def commerce_report(data):
    task = Task.objects.get(number=14)
    return DispatchReport.objects.create(
        department=Department.objects.get(slug="commerce"), task=task, period=data["period"]
    )


# --- what each page reads ---------------------------------------------------------------------------

_PER_REQUEST = re.compile(r'(nonce|value|content)="[^"]*"')


def shown(response) -> str:
    """The page without what differs between two requests anyway (CSP nonces, CSRF tokens)."""
    assert response.status_code == 200
    return _PER_REQUEST.sub(r'\1=""', response.content.decode())


_READ = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


@pytest.mark.parametrize("name", PAGES)
def test_every_table_a_page_reads_is_in_an_area_it_names(office, settings, name):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # every query of the body runs
    url, areas = PAGES[name]
    with CaptureQueriesContext(connection) as queries:
        assert office.get(url).status_code == 200
    tables = pagecache._table_areas()
    read = {table.lower() for q in queries.captured_queries for table in _READ.findall(q["sql"])}
    outside = {t: tables[t] for t in read if t in tables and tables[t] not in areas}
    assert read & set(tables), "the page read no data table: the capture is blind"
    assert outside == {}


@pytest.mark.parametrize("name", PAGES)
def test_a_draft_of_another_zone_task_or_unit_changes_nothing_a_page_shows(
    office, settings, alice, bob, sam, hitech_stat, hitech_report, commerce_report, name
):
    """What the areas rest on: the pages that do not name a draft's zone, task or unit render the same after it."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    url, _areas = PAGES[name]
    before = shown(office.get(url))

    zone_draft(hitech_stat, "chuxiong-hitech")  # another zone than 禄丰 (the zone page's)
    commerce_draft(bob, commerce_report)  # task 14 of 商务局: neither task 7 nor 州发展改革委

    assert shown(office.get(url)) == before


# --- a write to an unrelated area leaves the body; a write that can change it invalidates it ---------


@pytest.mark.parametrize("name", ["overview", "bulletin", "matrix"])
def test_a_draft_leaves_the_prefecture_pages_in_the_cache(office, alice, sam, name):
    url, _areas = PAGES[name]
    assert outcome(office, name, url) == "miss"
    ndrc_draft(alice)
    zone_draft(sam, "lufeng")
    assert outcome(office, name, url) == "hit"


def test_the_overview_stays_cached_through_project_and_supervision_writes(office):
    assert outcome(office, "overview", "/") == "miss"
    Project.objects.update(name="改名项目")
    WorkItem.objects.update(title="改名事项")
    assert outcome(office, "overview", "/") == "hit"


@pytest.mark.parametrize("name", PAGES)
def test_a_write_to_the_plan_data_invalidates_every_page(office, name):
    url, _areas = PAGES[name]
    assert outcome(office, name, url) == "miss"
    assert outcome(office, name, url) == "hit"
    Zone.objects.filter(code="lufeng").update(name="禄丰新区")
    Department.objects.filter(slug="ndrc").update(name="州发改委（新）")
    assert outcome(office, name, url) == "miss"


def test_a_zone_page_keeps_through_other_zones_and_units_drafts_and_not_its_own(
    office, alice, sam, hitech_stat, hitech_report
):
    url = PAGES["zone"][0]
    assert outcome(office, "zone", url) == "miss"
    ndrc_draft(alice)
    zone_draft(hitech_stat, "chuxiong-hitech")
    assert outcome(office, "zone", url) == "hit"
    zone_draft(sam, "lufeng")
    assert outcome(office, "zone", url) == "miss"


def test_a_zone_page_is_invalidated_by_its_projects_and_supervision(office):
    url = PAGES["zone"][0]
    assert outcome(office, "zone", url) == "miss"
    Project.objects.filter(pk=-1).update(name="x")  # a statement on the table, whatever rows it touches
    assert outcome(office, "zone", url) == "miss"
    WorkItem.objects.filter(pk=-1).update(title="x")
    assert outcome(office, "zone", url) == "miss"


def test_a_task_page_keeps_through_other_tasks_drafts_and_shows_its_own(office, alice, bob, commerce_report):
    url = PAGES["task"][0]
    assert outcome(office, "task", url) == "miss"
    commerce_draft(bob, commerce_report)
    Project.objects.filter(pk=-1).update(name="x")
    assert outcome(office, "task", url) == "hit"
    ndrc_draft(alice)  # task 7: pending → draft, which its timeline shows
    assert outcome(office, "task", url) == "miss"


def test_a_unit_page_keeps_through_other_units_drafts_and_not_its_own(office, alice, bob, commerce_report):
    url = PAGES["department"][0]
    assert outcome(office, "department", url) == "miss"
    commerce_draft(bob, commerce_report)
    assert outcome(office, "department", url) == "hit"
    ndrc_draft(alice)
    assert outcome(office, "department", url) == "miss"


def test_the_bulletin_is_invalidated_by_a_project_write(office):
    assert outcome(office, "bulletin", "/bulletin/") == "miss"
    Responsibility.objects.filter(pk=-1).update(position=1)
    assert outcome(office, "bulletin", "/bulletin/") == "miss"
    Project.objects.filter(pk=-1).update(name="x")
    assert outcome(office, "bulletin", "/bulletin/") == "miss"
    WorkItem.objects.filter(pk=-1).update(title="x")
    assert outcome(office, "bulletin", "/bulletin/") == "miss"
    SchemeVersion.objects.filter(pk=-1).update(year=1)  # the bulletin shows no evaluation scheme
    assert outcome(office, "bulletin", "/bulletin/") == "hit"


def test_a_submission_is_not_a_draft(office, alice, monkeypatch):
    """Submitting a report counts its values: every page reading the plan data is invalidated by the report's own
    write (not only by the checks and the recompute that follow, which are switched off here)."""
    monkeypatch.setattr("indicators.reporting.services.reports.quality_recheck", lambda: None)
    monkeypatch.setattr("indicators.reporting.services.reports.enqueue_recompute", lambda report: None)
    assert outcome(office, "overview", "/") == "miss"
    report = DispatchReport.objects.get(department__slug="ndrc", task__number=7)
    report_save(
        report=report,
        user=alice,
        data=ReportInput(progress="in_progress", work_done="完成"),
        version=report.version,
        submit=True,
    )
    assert outcome(office, "overview", "/") == "miss"


def test_a_draft_taking_over_a_value_from_elsewhere_is_not_a_draft_only(office, sam):
    """A value imported (no report) and then rewritten in a draft stops counting: the prefecture pages change."""
    from indicators.selectors import report_slots

    report = DispatchReport.objects.get(zone__code="lufeng", state="draft")
    slot = next(s for s in report_slots(report) if s.current is not None and s.current.report_id is None)
    assert outcome(office, "overview", "/") == "miss"
    report_save(
        report=report,
        user=sam,
        data=ReportInput(values={slot.key: (Decimal("6"), None)}),
        version=report.version,
        submit=False,
    )
    assert outcome(office, "overview", "/") == "miss"


# --- single flight ----------------------------------------------------------------------------------


def test_concurrent_misses_of_one_page_render_it_once(db, settings):
    settings.PORTAL_PAGE_CACHE_WAIT = 5
    renders, started, release = [], threading.Event(), threading.Event()

    def build():
        renders.append(1)
        started.set()
        release.wait(5)
        return b"body"

    results = []
    first = threading.Thread(target=lambda: results.append(pagecache.cached("flight", (1,), build, areas=("core",))))
    first.start()
    assert started.wait(5)
    others = [
        threading.Thread(target=lambda: results.append(pagecache.cached("flight", (1,), build, areas=("core",))))
        for _ in range(3)
    ]
    for thread in others:
        thread.start()
    time.sleep(1)  # the others miss too, and wait
    release.set()
    for thread in [first, *others]:
        thread.join(10)

    assert results == [b"body"] * 4
    assert len(renders) == 1
    counts = pagecache.stats(["flight"])["flight"]
    assert counts["miss"] == 1 and counts["uncached"] == 0
    assert counts["waited"] >= 1 and counts["waited"] + counts["hit"] == 3


def test_a_miss_waits_only_briefly_for_a_render_that_never_ends(db, settings):
    settings.PORTAL_PAGE_CACHE_WAIT = 0.1
    version = pagecache.data_version(("core",))
    from django.core.cache import cache

    cache.add(f"{pagecache.page_key('stuck', (1,), version)}:rendering", 1, 60)  # another's render, still going
    assert pagecache.cached("stuck", (1,), lambda: b"mine", areas=("core",)) == b"mine"
    assert pagecache.stats(["stuck"])["stuck"]["uncached"] == 1


def test_a_commit_replaces_only_the_areas_its_statements_wrote(plan, django_capture_on_commit_callbacks):
    from django.db import transaction

    core, projects = pagecache.data_version(("core",)), pagecache.data_version(("projects",))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            Indicator.objects.filter(pk=-1).update(order=1)
    assert [c.areas for c in callbacks if isinstance(c, pagecache.CommitBump)] == [{"core"}]
    assert pagecache.data_version(("core",)) != core
    assert pagecache.data_version(("projects",)) == projects


def test_the_counters_are_read_and_reset_by_a_command(office):
    from io import StringIO

    from django.core.management import call_command

    office.get("/")
    office.get("/")
    out = StringIO()
    call_command("pagecache_stats", stdout=out)
    assert "overview       hits      1" in out.getvalue() and "misses      1" in out.getvalue()
    assert "dashboard views served from the page cache: 50.0%" in out.getvalue()
    call_command("pagecache_stats", "--reset", stdout=StringIO())
    assert pagecache.stats(["overview"])["overview"] == {"hit": 0, "miss": 0, "waited": 0, "uncached": 0}


# --- the to-do list: its scope's drafts only --------------------------------------------------------

TODO_READERS = ("alice", "sam", "olga")  # a unit's staff, a zone's statistician, the office


def todo_areas(user) -> tuple[str, ...]:
    from indicators.selectors import todo_draft_areas
    from pages.views import TODO_AREAS

    return (*TODO_AREAS, *todo_draft_areas(user))


@pytest.mark.parametrize("reader", TODO_READERS)
def test_every_table_the_todo_list_reads_is_in_an_area_it_names(client_for, settings, data, request, reader):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    user = request.getfixturevalue(reader)
    with CaptureQueriesContext(connection) as queries:
        assert client_for(user).get("/todo/").status_code == 200
    tables = pagecache._table_areas()
    read = {table.lower() for q in queries.captured_queries for table in _READ.findall(q["sql"])}
    assert read & set(tables), "the page read no data table: the capture is blind"
    assert {t: tables[t] for t in read if t in tables and tables[t] not in todo_areas(user)} == {}


@pytest.mark.parametrize("reader", ["alice", "sam"])
def test_another_unit_or_zones_draft_changes_nothing_on_a_todo_list(
    client_for, settings, data, bob, hitech_stat, hitech_report, commerce_report, request, reader
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    reader_client = client_for(request.getfixturevalue(reader))
    before = shown(reader_client.get("/todo/"))

    zone_draft(hitech_stat, "chuxiong-hitech")
    commerce_draft(bob, commerce_report)

    assert shown(reader_client.get("/todo/")) == before


def test_a_units_todo_list_keeps_through_other_drafts_and_not_its_own(
    client_for, data, alice, bob, hitech_stat, hitech_report, commerce_report
):
    alice_client = client_for(alice)
    assert outcome(alice_client, "todo", "/todo/") == "miss"
    zone_draft(hitech_stat, "chuxiong-hitech")
    commerce_draft(bob, commerce_report)
    assert outcome(alice_client, "todo", "/todo/") == "hit"
    ndrc_draft(alice)  # pending → draft: her list shows the new state
    assert outcome(alice_client, "todo", "/todo/") == "miss"
    assert "草稿" in alice_client.get("/todo/").content.decode()


def test_a_zones_todo_list_keeps_through_other_drafts_and_not_its_own(
    client_for, data, alice, sam, hitech_stat, hitech_report
):
    sam_client = client_for(sam)
    assert outcome(sam_client, "todo", "/todo/") == "miss"
    zone_draft(hitech_stat, "chuxiong-hitech")
    ndrc_draft(alice)
    assert outcome(sam_client, "todo", "/todo/") == "hit"
    zone_draft(sam, "lufeng")
    assert outcome(sam_client, "todo", "/todo/") == "miss"


def test_the_offices_todo_list_is_invalidated_by_any_draft(client_for, data, olga, alice, hitech_stat, hitech_report):
    office_client = client_for(olga)
    assert outcome(office_client, "todo", "/todo/") == "miss"
    zone_draft(hitech_stat, "chuxiong-hitech")
    assert outcome(office_client, "todo", "/todo/") == "miss"
    ndrc_draft(alice)
    assert outcome(office_client, "todo", "/todo/") == "miss"
    Project.objects.filter(pk=-1).update(name="x")
    assert outcome(office_client, "todo", "/todo/") == "miss"
    WorkItem.objects.filter(pk=-1).update(title="x")
    assert outcome(office_client, "todo", "/todo/") == "miss"
    assert outcome(office_client, "todo", "/todo/") == "hit"
