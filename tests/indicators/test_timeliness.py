"""Opening reports, marking overdue ones, reminding units — with Chinese working days."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from chuxiong_portal.models import Notification
from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.periods import deadline_for
from indicators.reporting.services import reminders_send, report_waive, reports_mark_overdue, reports_open
from indicators.reporting.workdays import is_workday
from indicators.selectors import timeliness_summary
from pages.bulletin import overdue_reports
from tasks.models import Task


def _report(plan, *, index=3, year=2024, cadence="monthly", task=14):
    period = ReportingPeriod.objects.get(cadence=cadence, year=year, index=index)
    return DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=task), period=period)


def test_it_opens_one_report_per_obligation_and_started_period(plan):
    created = reports_open(today=date(2023, 1, 20))
    assert created > 0
    ndrc_task_14 = DispatchReport.objects.filter(department=plan["ndrc"], task__number=14)
    assert list(ndrc_task_14.values_list("period__cadence", "period__index")) == [("monthly", 1)]
    assert reports_open(today=date(2023, 1, 20)) == 0


def test_it_marks_overdue_reports_and_tells_their_unit_once(plan, alice, bob, django_capture_on_commit_callbacks):
    alice.email = "alice@example.cn"
    alice.save()
    report = _report(plan)  # 2024-03, deadline 2024-04-05
    assert reports_mark_overdue(today=date(2024, 4, 5)) == 0
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after the commit
        assert reports_mark_overdue(today=date(2024, 4, 6)) == 1
    report.refresh_from_db()
    assert report.overdue_since is not None
    assert Notification.objects.filter(user=alice, title__contains="已逾期").count() == 1
    assert not Notification.objects.filter(user=bob).exists()
    assert [m.to for m in mail.outbox] == [["alice@example.cn"]]
    assert reports_mark_overdue(today=date(2024, 4, 7)) == 0
    assert Notification.objects.filter(user=alice).count() == 1


def test_submitted_reports_are_never_overdue(plan, alice):
    report = _report(plan)
    report.state = DispatchReport.State.SUBMITTED
    report.save()
    assert reports_mark_overdue(today=date(2024, 5, 1)) == 0


def test_working_days_skip_holidays_and_count_make_up_days():
    # National Day 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked (调休).
    assert deadline_for(date(2024, 9, 30), 3, working_days=True, is_workday=is_workday) == date(2024, 10, 10)
    assert deadline_for(date(2024, 10, 11), 1, working_days=True, is_workday=is_workday) == date(2024, 10, 12)
    assert deadline_for(date(2024, 9, 30), 3) == date(2024, 10, 3)


def test_it_reminds_across_a_holiday_within_the_working_day_window(plan, alice):
    period = ReportingPeriod.objects.get(cadence="quarterly", year=2024, index=3)
    period.deadline = date(2024, 10, 8)  # the first working day after National Day
    period.save()
    _report(plan, cadence="quarterly", year=2024, index=3, task=7)
    # 30 September → 8 October is a single working day apart.
    assert reminders_send(today=date(2024, 9, 30), working_days=1) == 1
    assert Notification.objects.filter(user=alice, title__contains="即将到期").count() == 1
    assert reminders_send(today=date(2024, 9, 30), working_days=1) == 0


def test_it_does_not_remind_too_early(plan, alice):
    _report(plan)  # deadline 2024-04-05 (Friday; 4 April is Qingming)
    assert reminders_send(today=date(2024, 3, 28), working_days=2) == 0
    assert reminders_send(today=date(2024, 4, 3), working_days=2) == 1


def test_the_bulletins_overdue_list_leaves_out_waived_reports_and_agrees_with_the_summary(plan, olga):
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)  # deadline 2024-04-05
    owed = _report(plan)
    waived = _report(plan, task=5)
    report_waive(report=waived, user=olga, reason="任务已完成，经州开发区办同意免报")
    today = date(2024, 5, 1)
    listed = overdue_reports(period=period, today=today)
    assert [report.pk for report in listed] == [owed.pk]
    summary = timeliness_summary(periods_ending_from=period.start, periods_ending_to=period.end, today=today)
    assert sum(row["overdue"] for row in summary) == len(listed) == 1


def test_each_reminder_is_worded_in_its_readers_language_whoever_runs_the_job(
    plan, alice, django_capture_on_commit_callbacks
):
    """Two staff of one unit: alice chose English on the pages, ada never chose. The job, run in a worker or from an
    English page, writes each their notice and its e-mail in their own language, the deadline as they read a day."""
    from django.utils import translation

    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create, user_language_set

    ada = user_create(username="ada", password=None, role=Role.DEPARTMENT_STAFF, department=plan["ndrc"])
    alice.email, ada.email = "alice@example.cn", "ada@example.cn"
    alice.save()
    ada.save()
    user_language_set(user=alice, language="en")
    report = _report(plan)  # deadline 2024-04-05
    for language in ("en", "zh-hans"):
        Notification.objects.all().delete()
        mail.outbox.clear()
        with translation.override(language), django_capture_on_commit_callbacks(execute=True):
            assert reminders_send(today=date(2024, 4, 3), working_days=2) == 2
        english, chinese = Notification.objects.get(user=alice), Notification.objects.get(user=ada)
        with translation.override("en"):
            assert english.title == f"Due soon: {report}"
        assert "5 Apr 2024" in english.body and "年" not in english.body.split("Apr")[1]
        with translation.override("zh-hans"):
            assert chinese.title == f"即将到期：{report}"
        assert "2024年4月5日" in chinese.body
        assert {m.to[0]: m.subject for m in mail.outbox} == {
            "alice@example.cn": english.title,
            "ada@example.cn": chinese.title,
        }


@pytest.mark.parametrize("returned_on", [date(2024, 4, 3), date(2024, 4, 20)])  # before and after the deadline
def test_a_report_returned_and_not_submitted_again_is_not_called_never_submitted(plan, alice, returned_on):
    """A report delivered on time and then returned was told 「…目前尚未提交，已标记为逾期…」 the night after its
    deadline (or after its return, when that came later). It is owed again (已退回), not 逾期未报."""
    report = _report(plan)  # 2024-03, deadline 2024-04-05
    report.state = DispatchReport.State.RETURNED
    report.first_submitted_at = report.submitted_at = datetime(2024, 4, 2, 10, tzinfo=timezone.get_current_timezone())
    report.return_reason = "数据有误"
    report.save()
    never = _report(plan, task=5)
    today = max(returned_on, date(2024, 4, 5)) + timedelta(days=1)
    assert reports_mark_overdue(today=today) == 2
    report.refresh_from_db()
    assert report.overdue_since is not None  # still owed after its deadline: marked, as before
    notes = {n.link: n for n in Notification.objects.filter(user=alice)}
    returned, not_submitted = notes[report.get_absolute_url()], notes[never.get_absolute_url()]
    assert returned.title.startswith("退回未重报：") and "尚未提交" not in returned.body
    assert "已退回修改" in returned.body and "尚未重新提交" in returned.body and "2024年4月5日" in returned.body
    assert not_submitted.title.startswith("已逾期：") and "目前尚未提交，已标记为逾期" in not_submitted.body
    assert reports_mark_overdue(today=today + timedelta(days=1)) == 0  # once
    assert Notification.objects.filter(user=alice).count() == 2


def _obligation_form(plan, **fields) -> dict:
    """The admin's form of an obligation of 州商务局 on task 14, monthly, enabled."""
    from indicators.models import Obligation

    return {
        "plan": Obligation.objects.filter(plan__isnull=False).values_list("plan_id", flat=True).first(),
        "department": plan["commerce"].pk,
        "task": Task.objects.get(number=14).pk,
        "cadence": "monthly",
        "active": "on",
        "starts_on": "",
        **fields,
    }


def _commerce_14(plan) -> list[tuple[int, int]]:
    return list(
        DispatchReport.objects.filter(department=plan["commerce"], task__number=14, period__cadence="monthly")
        .order_by("period__start")
        .values_list("period__year", "period__index")
    )


@pytest.mark.parametrize(
    ("starts_on", "opened"),
    [
        ("", [(2024, 6)]),  # added on 10 June 2024: owed from the period whose deadline is still ahead (5 July)
        ("2024-03-01", [(2024, 2), (2024, 3), (2024, 4), (2024, 5), (2024, 6)]),  # an earlier start set on purpose
    ],
)
def test_an_obligation_added_after_the_plan_began_owes_no_period_already_due(client_for, olga, plan, starts_on, opened):
    """An obligation the office adds in the admin on 10 June 2024 begins that day (`obligation_start`): the next
    night opens the months whose deadline is still ahead, not every month since January 2023 — each of them overdue
    at once, with a notice. A start the office gives (1 March) is kept: the months due from then on are owed."""
    import time_machine
    from django.urls import reverse

    from indicators.models import Obligation

    olga.is_superuser = True
    olga.save(update_fields=["is_superuser"])
    with time_machine.travel(date(2024, 6, 10), tick=False):
        response = client_for(olga).post(
            reverse("admin:indicators_obligation_add"), _obligation_form(plan, starts_on=starts_on)
        )
        assert response.status_code == 302
        obligation = Obligation.objects.get(department=plan["commerce"], task__number=14, cadence="monthly")
        assert obligation.starts_on == date.fromisoformat(starts_on or "2024-06-10")
        reports_open(today=date(2024, 6, 10))
        assert _commerce_14(plan) == opened
        reports_mark_overdue(today=date(2024, 6, 11))
        overdue = DispatchReport.objects.filter(
            department=plan["commerce"], task__number=14, overdue_since__isnull=False
        )
        assert overdue.count() == len(opened) - 1  # all but June, whose deadline is ahead


def test_an_obligation_enabled_again_owes_no_period_that_fell_due_while_it_was_off(client_for, olga, plan):
    """Disabled in March 2024 and enabled again on 10 June: the months due meanwhile are not opened (and called
    overdue) the next night; the start becomes the day it was enabled again."""
    import time_machine
    from django.urls import reverse

    from indicators.models import Obligation

    olga.is_superuser = True
    olga.save(update_fields=["is_superuser"])
    obligation = Obligation.objects.create(
        plan_id=_obligation_form(plan)["plan"],
        department=plan["commerce"],
        task=Task.objects.get(number=14),
        cadence="monthly",
        active=False,
        starts_on=date(2024, 1, 1),
    )
    url = reverse("admin:indicators_obligation_change", args=[obligation.pk])
    with time_machine.travel(date(2024, 6, 10), tick=False):
        assert client_for(olga).post(url, _obligation_form(plan, starts_on="2024-01-01")).status_code == 302
        obligation.refresh_from_db()
        assert obligation.active and obligation.starts_on == date(2024, 6, 10)
        reports_open(today=date(2024, 6, 10))
    assert _commerce_14(plan) == [(2024, 6)]
