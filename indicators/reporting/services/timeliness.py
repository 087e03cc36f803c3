"""Dispatch timeliness: opening reports as periods start, marking overdue ones, reminding units."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chuxiong_portal import dates
from chuxiong_portal.db import serialised
from chuxiong_portal.models import Notification, User
from chuxiong_portal.notifications import notifications_send, worded_for
from chuxiong_portal.roles import Role
from indicators.models import DispatchReport, Obligation, ReportingPeriod
from tasks.models import Plan

from .. import periods as calendar
from ..signals import reminders_due
from ..workdays import is_workday

EDITABLE = (DispatchReport.State.PENDING, DispatchReport.State.DRAFT, DispatchReport.State.RETURNED)
OWING_STATUSES = (Plan.Status.IN_FORCE, Plan.Status.CLOSING)  # the plans whose obligations open reports


@transaction.atomic
def reports_open(*, today: date) -> int:
    """Create the pending report of every active obligation for every period of its plan's years that has started.

    Only a plan in force or closing makes anyone owe a report: a draft owes nothing until the office puts it in force
    (its periods that have started by then open on that day), and a closed plan's record is complete.

    An obligation with a start (`starts_on`: one added, enabled again or given another cadence after the plan began)
    owes the periods whose deadline is on or after it, not every period back to the plan's first day, each of them
    overdue at once.

    A plan's periods run from its first to its last year: after the last year nothing new falls due (no biweekly
    or monthly reports); what is owed for the plan's years stays owed until it is delivered or waived. Two at once
    (the daily job and `manage.py recompute`) run one after the other: each creates the reports it found missing.
    """
    serialised("indicators.reports_open")
    obligations = list(Obligation.objects.filter(active=True, plan__status__in=OWING_STATUSES).select_related("plan"))
    cadences = {ob.cadence for ob in obligations}
    plans = {ob.plan_id: ob.plan for ob in obligations}
    periods = [
        p
        for p in ReportingPeriod.objects.filter(cadence__in=cadences, start__lte=today, plan_id__in=plans)
        if p.year in plans[p.plan_id].years
    ]
    existing = set(
        DispatchReport.objects.filter(period__in=periods).values_list(
            "department_id", "task_id", "zone_id", "period_id"
        )
    )
    new = []
    for ob in obligations:
        for period in periods:
            if period.cadence != ob.cadence or period.plan_id != ob.plan_id:
                continue
            if ob.starts_on is not None and period.deadline < ob.starts_on:
                continue  # due before the unit owed it (`Obligation.starts_on`)
            key = (ob.department_id, ob.task_id, ob.zone_id, period.pk)
            if key not in existing:
                new.append(
                    DispatchReport(
                        department_id=ob.department_id, task_id=ob.task_id, zone_id=ob.zone_id, period=period
                    )
                )
    DispatchReport.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _deliverable():
    """The reports their unit still owes and can still deliver, the only ones reminded and marked overdue: open, in a
    period the office has not closed (已关闭: every save is refused), of a plan that makes units owe reports (a
    closed plan's record is complete). A period the office opens again is judged again."""
    return DispatchReport.objects.deliverable()


def _recipients(reports: list[DispatchReport]) -> dict[int, list[User]]:
    """The users who fill each report: the unit's staff, or the zone's statisticians."""
    department_ids = {r.department_id for r in reports if r.department_id}
    zone_ids = {r.zone_id for r in reports if r.zone_id}
    users = User.objects.filter(is_active=True).filter(role__in=[Role.DEPARTMENT_STAFF, Role.ZONE_STATISTICIAN]).filter(
        department_id__in=department_ids
    ) | User.objects.filter(is_active=True, role=Role.ZONE_STATISTICIAN, zone_id__in=zone_ids)
    by_department, by_zone = defaultdict(list), defaultdict(list)
    for user in users:
        if user.role == Role.DEPARTMENT_STAFF and user.department_id:
            by_department[user.department_id].append(user)
        elif user.role == Role.ZONE_STATISTICIAN and user.zone_id:
            by_zone[user.zone_id].append(user)
    return {r.pk: by_department[r.department_id] if r.department_id else by_zone[r.zone_id] for r in reports}


def _notify(reports: list[DispatchReport], *, key: str, title: str, body: str) -> int:
    """One in-portal notification and one email per recipient and report; never twice for the same key. `title` and
    `body` are msgids (gettext_noop), worded in each recipient's language (`worded_for`)."""
    recipients = _recipients(reports)
    notes = []
    for report in reports:

        def words(report=report):
            named = {"report": str(report), "deadline": dates.day(report.period.deadline)}
            return _(title) % named, _(body) % named

        for user in recipients[report.pk]:
            worded_title, worded_body = worded_for(user, words)
            notes.append(
                Notification(
                    user=user,
                    title=worded_title,
                    body=worded_body,
                    key=key.format(pk=report.pk, deadline=report.period.deadline.isoformat()),
                    link=report.get_absolute_url(),
                )
            )
    return notifications_send(notes)


@transaction.atomic
def reports_mark_overdue(*, today: date) -> int:
    """Mark the reports still owed after their deadline (overdue_since), and tell the people who owe them: that the
    report was never submitted (逾期未报), or, for one delivered and then returned (or reopened), that it has not been
    submitted again (退回未重报: owed again, not 逾期 by `rules.is_overdue`, its lateness judged by its first
    submission)."""
    serialised("indicators.reports_mark_overdue")  # two at once: the second finds the first's marks
    reports = list(
        _deliverable()
        .filter(period__deadline__lt=today, overdue_since__isnull=True)
        .select_related("period", "department", "zone", "task")
    )
    now = timezone.now()
    for report in reports:
        report.overdue_since = now
    DispatchReport.objects.bulk_update(reports, ["overdue_since"], batch_size=1000)
    _notify(
        [r for r in reports if r.first_submitted_at is None],
        key="overdue:{pk}",
        title=gettext_noop("已逾期：%(report)s"),
        body=gettext_noop("%(report)s 的报送截止日期为 %(deadline)s，目前尚未提交，已标记为逾期，请尽快报送。"),
    )
    _notify(
        [r for r in reports if r.first_submitted_at is not None],
        key="overdue:{pk}",
        title=gettext_noop("退回未重报：%(report)s"),
        body=gettext_noop(
            "%(report)s 已退回修改，报送截止日期 %(deadline)s 已过，目前尚未重新提交，请尽快修改后重新报送。"
        ),
    )
    return len(reports)


@transaction.atomic
def reminders_send(*, today: date, working_days: int | None = None) -> int:
    """Remind the units whose reports are due within `working_days` working days (and, through the
    `reminders_due` signal, the bodies whose work items and supervision items fall due in the same window).

    One transaction: a run that fails half way (a receiver meeting a busy database) stores and mails nothing, and
    its retry reminds everyone once."""
    working_days = settings.PORTAL_REMINDER_WORKING_DAYS if working_days is None else working_days
    horizon = calendar.deadline_for(today, working_days, working_days=True, is_workday=is_workday)
    reports = list(
        _deliverable()
        .filter(period__deadline__gte=today, period__deadline__lte=horizon)
        .select_related("period", "department", "zone", "task")
    )
    sent = _notify(
        reports,
        key="reminder:{pk}:{deadline}",
        title=gettext_noop("即将到期：%(report)s"),
        body=gettext_noop("%(report)s 将于 %(deadline)s 截止报送，请按时填报。"),
    )
    for _receiver, more in reminders_due.send(sender=reminders_send, today=today, working_days=working_days):
        sent += more or 0
    return sent


def obligation_start(obligation: Obligation, *, adding: bool, changed: set[str], today: date) -> None:
    """Give `obligation` (about to be saved from the admin) its start (`starts_on`) when it begins to be owed today: a
    new one left without a start, one enabled again, one given another cadence. Its unit then owes the periods whose
    deadline is today or later (`reports_open`), not every period since the plan began — overdue at once, each with a
    notice. A start the office set on purpose (an earlier day, to ask for the reports before it) is kept; a plan's
    own obligations (`obligations_generate`) have none and are owed from the plan's first day."""
    if "starts_on" in changed:
        return
    begins = adding or ("active" in changed and obligation.active) or "cadence" in changed
    if begins and obligation.active and (obligation.starts_on is None or obligation.starts_on < today):
        obligation.starts_on = today
