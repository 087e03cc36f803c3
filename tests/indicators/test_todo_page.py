"""The to-do page (/todo/): what a unit owes, by deadline; what waits for review; what was submitted.

Also guards the number of queries of the to-do page and of the report page: it must not grow with
the number of reports, values or changes.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import DispatchReport, IndicatorValue, ReportingPeriod
from indicators.reporting.services import ReportInput, report_approve, report_return, report_save
from indicators.selectors import report_slots
from tasks.models import Task
from tasks.selectors import plan_get

TODO = reverse("todo")


def period(cadence, year, index):
    return ReportingPeriod.objects.get(cadence=cadence, year=year, index=index)


def current_period():
    """A period that has started and whose deadline has not passed yet (the plan's own periods are all past)."""
    today = timezone.localdate()
    found, _ = ReportingPeriod.objects.update_or_create(
        plan=plan_get(),
        cadence="monthly",
        year=today.year,
        index=today.month,
        defaults={
            "start": today - timedelta(days=20),
            "end": today + timedelta(days=2),
            "deadline": today + timedelta(days=7),
        },
    )
    return found


def future_period():
    """A period that has not started: nothing is owed for it yet."""
    today = timezone.localdate()
    found, _ = ReportingPeriod.objects.update_or_create(
        plan=plan_get(),
        cadence="yearly",
        year=today.year + 1,
        index=1,
        defaults={
            "start": today + timedelta(days=30),
            "end": today + timedelta(days=60),
            "deadline": today + timedelta(days=70),
        },
    )
    return found


def dept(plan, number, p, state=DispatchReport.State.PENDING, department="ndrc"):
    return DispatchReport.objects.create(
        department=plan[department], task=Task.objects.get(number=number), period=p, state=state
    )


def section(html, element_id):
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def rows(html):
    """(report pk, the row's text) per table row of a piece of the page."""
    found = []
    for row in re.findall(r"<tr class=\"state-.*?</tr>", html, re.S):
        pk = int(re.search(r'href="/reports/(\d+)/"', row).group(1))
        found.append((pk, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()))
    return found


def complete(report, values):
    """Every number a report asks for (submitting requires them all), with ``values`` over the defaults."""
    return {**{slot.key: (Decimal(1), None) for slot in report_slots(report) if not slot.is_milestone}, **values}


def submit(report, user, **values):
    data = ReportInput(progress="in_progress", progress_pct=50, work_done="推进中", values=complete(report, values))
    return report_save(report=report, user=user, data=data, version=report.version, submit=True)


def test_it_lists_what_alice_owes_by_deadline_marks_the_overdue_and_leaves_out_other_units(
    plan, alice, bob, olga, client_for
):
    current = current_period()
    late_march = dept(plan, 14, period("monthly", 2023, 3))
    late_june = dept(plan, 13, period("monthly", 2024, 6), state=DispatchReport.State.DRAFT)
    late_may = dept(plan, 12, period("monthly", 2024, 5), state=DispatchReport.State.RETURNED)
    due = dept(plan, 11, current)
    not_yet = dept(plan, 15, future_period())
    approved = dept(plan, 16, period("monthly", 2024, 1))
    approved = submit(approved, alice)
    report_approve(report=approved, user=olga, version=approved.version)
    submitted = dept(plan, 17, period("monthly", 2024, 2))
    submit(submitted, alice)
    commerce_owed = dept(plan, 21, period("monthly", 2023, 4), department="commerce")
    commerce_submitted = dept(plan, 21, period("monthly", 2023, 5), department="commerce")
    submit(commerce_submitted, bob)

    response = client_for(alice).get(TODO)

    assert response.status_code == 200
    html = response.content.decode()
    assert "待填报 4 项，其中逾期 3 项" in html
    owed = rows(section(html, "owed"))
    assert [pk for pk, _ in owed] == [late_march.pk, late_may.pk, late_june.pk, due.pk]  # by deadline
    by_pk = dict(owed)
    for report in (late_march, late_may, late_june):
        assert "逾期" in by_pk[report.pk]
    assert "逾期" not in by_pk[due.pk]
    assert "待填报" in by_pk[late_march.pk] and "草稿" in by_pk[late_june.pk] and "已退回" in by_pk[late_may.pk]
    assert current.deadline.strftime("%Y年") in by_pk[due.pk]
    assert "2023年4月5日" in by_pk[late_march.pk]  # the deadline, as people write it

    recent = dict(rows(section(html, "recent")))
    assert "最近提交" in section(html, "recent")
    assert "已提交" in recent[submitted.pk]
    assert "已审核" in recent[approved.pk]
    assert set(recent) == {submitted.pk, approved.pk}
    assert "逾期" not in recent[submitted.pk]

    for report in (not_yet, commerce_owed, commerce_submitted):
        assert f'href="/reports/{report.pk}/"' not in html


def test_it_shows_rita_the_submitted_reports_of_her_unit_under_waiting_for_review(
    plan, alice, bob, rita, olga, client_for
):
    first = dept(plan, 14, period("monthly", 2024, 1))
    second = dept(plan, 13, period("monthly", 2024, 2))
    submit(second, alice)
    submit(first, alice)
    returned = dept(plan, 12, period("monthly", 2024, 3))
    returned = submit(returned, alice)
    report_return(report=returned, user=rita, version=returned.version, reason="请补充")
    draft = dept(plan, 11, period("monthly", 2024, 4), state=DispatchReport.State.DRAFT)
    other_unit = dept(plan, 21, period("monthly", 2024, 1), department="commerce")
    submit(other_unit, bob)

    html = client_for(rita).get(TODO).content.decode()

    waiting = section(html, "waiting")
    assert "待审核" in waiting
    listed = rows(waiting)
    assert [pk for pk, _ in listed] == [second.pk, first.pk]  # first submitted, first reviewed
    assert all("已提交" in text for _, text in listed)
    assert all("州发展改革委" in text for _, text in listed)  # reviewers see the unit
    for report in (returned, draft, other_unit):
        assert report.pk not in dict(listed)
    assert f'href="/reports/{other_unit.pk}/"' not in html


def test_it_says_nothing_waits_for_review_and_sends_the_anonymous_to_login(plan, rita, client, client_for):
    response = client.get(TODO)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    html = client_for(rita).get(TODO).content.decode()
    assert "待审核 0 项" in html and "当前没有等待审核的报告。" in html
    assert rows(section(html, "waiting")) == []
    assert "当前没有待填报的事项。" in html and "暂无提交记录。" in html


def headline(response) -> str:
    html = response.content.decode()
    return html[html.index('id="todo-headline"') :].split("</p>", 1)[0]


def test_it_recounts_the_headline_and_the_lists_as_soon_as_a_report_moves(plan, alice, rita):
    """The to-do body is cached per role and unit; a submit or a return must reach the next view of both."""
    report = dept(plan, 14, period("monthly", 2023, 3))
    staff, reviewer = Client(), Client()
    staff.force_login(alice)
    reviewer.force_login(rita)
    assert "待填报 1 项，其中逾期 1 项" in headline(staff.get(TODO))
    assert "待审核 0 项" in headline(reviewer.get(TODO))
    staff.get(TODO), reviewer.get(TODO)  # both bodies now in the page cache

    report = submit(report, alice)

    assert "待填报 0 项" in headline(staff.get(TODO))
    assert "待审核 1 项" in headline(reviewer.get(TODO))
    assert report.pk in dict(rows(section(reviewer.get(TODO).content.decode(), "waiting")))

    report_return(report=report, user=rita, version=report.version, reason="请补充")

    assert "待填报 1 项" in headline(staff.get(TODO))
    assert "待审核 0 项" in headline(reviewer.get(TODO))
    assert report.pk in dict(rows(section(staff.get(TODO).content.decode(), "owed")))


# --- query-count guards --------------------------------------------------------------------

# Session, user, the page's own reads; measured 7 and 9, a little headroom for middleware; plus the
# responsibility cycle's block (open 督办单, open work items, reports waiting) and the key projects' section
# (each a fixed number); plus one: the headline counts what waits for review as well as what is owed.
TODO_MAX_QUERIES = 18
# Session, user, report, the slots (with the parts of rates), values, history, plan, the 督办单 issued for the report.
REPORT_PAGE_MAX_QUERIES = 12


def _todo_reports(plan, alice, olga, many):
    numbers = [11, 12, 13, 14, 15, 16, 17, 23, 24, 25] if many else [14]
    months = range(1, 13) if many else [3]
    for number in numbers:
        for month in months:
            report = dept(plan, number, period("monthly", 2024, month))
            if month % 3 == 0:
                report = submit(report, alice)
            if month % 6 == 0:
                report_approve(report=report, user=olga, version=report.version)
    return DispatchReport.objects.count()


@pytest.mark.parametrize("who", ["alice", "rita", "olga"])
def test_it_keeps_the_todo_page_to_a_fixed_number_of_queries(
    who, plan, alice, olga, client_for, request, django_assert_max_num_queries
):
    counts = []
    for many in (False, True):
        DispatchReport.objects.all().delete()
        assert _todo_reports(plan, alice, olga, many) == (120 if many else 1)
        client = client_for(request.getfixturevalue(who))
        with django_assert_max_num_queries(TODO_MAX_QUERIES):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(TODO)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _report_page_data(plan, sam, many):
    """The 禄丰 report of March 2024, with one value or with every value, earlier months and many changes."""
    report = DispatchReport.objects.create(zone=plan["lufeng"], period=period("monthly", 2024, 3))
    if not many:
        report_save(
            report=report,
            user=sam,
            data=ReportInput(values={"industrial-output__zone__lufeng": (Decimal("10"), None)}),
            version=1,
            submit=False,
        )
        return report
    for month in (1, 2):
        earlier = DispatchReport.objects.create(zone=plan["lufeng"], period=period("monthly", 2024, month))
        report_save(
            report=earlier,
            user=sam,
            data=ReportInput(
                work_done="已核实",
                values=complete(
                    earlier,
                    {
                        "industrial-output__zone__lufeng": (Decimal(month), None),
                        "industrial-output-growth__zone__lufeng": (Decimal(month), None),
                    },
                ),
            ),
            version=1,
            submit=True,
        )
    for step in range(1, 8):
        report.refresh_from_db()
        report_save(
            report=report,
            user=sam,
            data=ReportInput(
                values={
                    "industrial-output__zone__lufeng": (Decimal(10 + step), None),
                    "industrial-output-growth__zone__lufeng": (Decimal(step), None),
                    "leading-industry-share__zone__lufeng": (Decimal(40 + step), None),
                }
            ),
            version=report.version,
            submit=False,
            reason=f"第{step}次修改",
        )
    return report


def _dept_page_data(plan, alice, many):
    report = DispatchReport.objects.create(
        department=plan["ndrc"], task=Task.objects.get(number=14), period=period("monthly", 2023, 3)
    )
    zones = ["lufeng"] + (["chuxiong-hitech", "wuding", "mouding"] if many else [])
    for step in range(1, 6 if many else 2):
        report.refresh_from_db()
        values = {
            f"{code}__zone__{zone}": (None, date(2023, 3, step))
            for zone in zones
            for code in ("seven-connections", "infrastructure-complete")
        }
        report_save(
            report=report,
            user=alice,
            data=ReportInput(values=values),
            version=report.version,
            submit=False,
            reason=f"第{step}次",
        )
    return report


@pytest.mark.parametrize("kind", ["zone", "dept"])
def test_it_keeps_the_report_page_to_a_fixed_number_of_queries(
    kind, plan, sam, alice, leo, client_for, django_assert_max_num_queries
):
    counts = []
    for many in (False, True):
        IndicatorValue.objects.all().delete()
        IndicatorValue.history.all().delete()
        DispatchReport.objects.all().delete()
        DispatchReport.history.all().delete()
        if kind == "zone":
            report, viewer = _report_page_data(plan, sam, many), sam
        else:
            report, viewer = _dept_page_data(plan, alice, many), alice
        client = client_for(viewer)
        with django_assert_max_num_queries(REPORT_PAGE_MAX_QUERIES):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("report-detail", args=[report.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        if many:  # the page really shows the many changes and the earlier months' values
            assert section(html, "value-history").count('"wrap">第') == (21 if kind == "zone" else 40)
            if kind == "zone":
                assert "2024年2月" in html
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_it_never_lists_another_zones_draft_to_sam(plan, sam, client_for):
    # sam is 禄丰's statistician: 武定's draft is 武定's business (indicators/reporting/permissions.can_view),
    # on this page too.
    started = period("monthly", 2024, 1)
    own = DispatchReport.objects.create(zone=plan["lufeng"], period=started, state=DispatchReport.State.DRAFT)
    other = DispatchReport.objects.create(zone=plan["wuding"], period=started, state=DispatchReport.State.DRAFT)
    html = client_for(sam).get(TODO).content.decode()
    assert f'href="/reports/{own.pk}/"' in html
    assert f'href="/reports/{other.pk}/"' not in html


@pytest.mark.parametrize(
    ("submitted_at", "late"),
    [
        ("2024-02-05T23:30:00+08:00", False),  # the deadline's evening in 楚雄 (15:30 UTC)
        ("2024-02-06T00:30:00+08:00", True),  # half an hour after the deadline's day, still the 5th in UTC
    ],
)
def test_it_marks_a_submission_late_by_the_deadlines_day_in_the_portals_time_zone(
    plan, alice, client_for, submitted_at, late
):
    from datetime import datetime

    january = period("monthly", 2024, 1)
    assert january.deadline == date(2024, 2, 5)
    report = dept(plan, 14, january, state=DispatchReport.State.SUBMITTED)
    moment = datetime.fromisoformat(submitted_at)
    DispatchReport.objects.filter(pk=report.pk).update(first_submitted_at=moment, submitted_at=moment)

    (row,) = [
        text for pk, text in rows(section(client_for(alice).get(TODO).content.decode(), "recent")) if pk == report.pk
    ]

    assert ("迟报" in row) is late


def test_a_report_delivered_on_time_and_returned_is_owed_again_but_not_overdue(plan, alice, client_for):
    """The to-do list counted returned reports as 逾期 (19 where the bulletin, the unit pages and the API said 15):
    a report first submitted by its deadline was delivered; sent back, it is owed again, not overdue."""
    march, april = period("monthly", 2024, 3), period("monthly", 2024, 4)
    never = dept(plan, 14, march)
    returned = dept(plan, 13, april, state=DispatchReport.State.RETURNED)
    returned.first_submitted_at = timezone.make_aware(datetime.combine(april.deadline - timedelta(days=1), time(10)))
    returned.save(update_fields=["first_submitted_at"])
    html = client_for(alice).get(TODO).content.decode()
    assert "待填报 2 项，其中逾期 1 项" in html
    by_pk = dict(rows(section(html, "owed")))
    assert "逾期" in by_pk[never.pk]
    assert "已退回" in by_pk[returned.pk] and "逾期" not in by_pk[returned.pk]
