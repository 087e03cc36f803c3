"""Reads of the responsibility cycle: what a user may see, their to-do, late items, records, letters."""

from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from chuxiong_portal import access
from chuxiong_portal.roles import BODY_REVIEWER_ROLES, COMMITTEE_ROLES, COUNTY_ROLES, DEPARTMENT_ROLES, ZONE_ROLES
from indicators.models import ProgressResult
from tasks.models import Task
from tasks.selectors import plan_in_force

from . import permissions, rules
from .models import EvidenceFile, LetterTarget, ResponsibilityLetter, SupervisionItem, TaskList, WorkItem, WorkReport

ITEM_RELATED = ("department", "zone", "county")


def _body_filter(user) -> Q | None:
    """The rows of `user`'s own body; None for the office (everything); Q(pk=None) for nobody."""
    if access.is_office(user):
        return None
    if user.role in DEPARTMENT_ROLES and user.department_id:
        return Q(department_id=user.department_id)
    if user.role in COMMITTEE_ROLES | ZONE_ROLES and user.zone_id:
        return Q(zone_id=user.zone_id)
    if user.role in COUNTY_ROLES and user.county_id:
        return Q(county_id=user.county_id)
    return Q(pk__in=[])


def supervision_for_user(user) -> QuerySet[SupervisionItem]:
    rows = SupervisionItem.objects.select_related(*ITEM_RELATED)
    where = _body_filter(user)
    return rows if where is None else rows.filter(where)


def supervision_get_for_user(*, user, pk: int) -> SupervisionItem:
    item = SupervisionItem.objects.select_related(*ITEM_RELATED, "issued_by").filter(pk=pk).first()
    if item is None or not permissions.can_view(user, item):
        raise Http404("no such supervision item")
    return item


def supervision_of_source(*, user, row) -> list[SupervisionItem]:
    """The items issued for `row` (a work item, a dispatch report, …) that `user` may open, newest first: the list on
    the row's own page."""
    # The row's kind by name, joined: one query, whether or not this process has read the content types yet.
    kind = {"source_type__app_label": row._meta.app_label, "source_type__model": row._meta.model_name}
    items = (
        SupervisionItem.objects.filter(**kind, source_id=row.pk)
        .select_related(*ITEM_RELATED)
        .order_by("-issued_on", "-pk")
    )
    return [item for item in items if permissions.can_view(user, item)]


def source_url(item: SupervisionItem) -> str | None:
    """The page of the row `item` was issued for, where the row has one (and still exists)."""
    row = item.source_object if item.source_type_id else None
    return row.get_absolute_url() if hasattr(row, "get_absolute_url") else None


def supervision_trail(item: SupervisionItem) -> list:
    return list(item.steps.select_related("user").prefetch_related("files"))


def work_items_for_user(user, *, year: int | None = None) -> QuerySet[WorkItem]:
    rows = WorkItem.objects.select_related("task", "task_list", *ITEM_RELATED).prefetch_related("co_departments")
    if year is not None:
        rows = rows.filter(task_list__year=year)
    where = _body_filter(user)
    if where is None:
        return rows
    if user.role in DEPARTMENT_ROLES and user.department_id:
        where |= Q(co_departments=user.department_id)
    return rows.filter(where).distinct()


def work_item_get_for_user(*, user, pk: int) -> WorkItem:
    item = (
        WorkItem.objects.select_related("task", "task_list", "copied_from", *ITEM_RELATED)
        .prefetch_related("co_departments")
        .filter(pk=pk)
        .first()
    )
    if item is None or not permissions.can_view_work_item(user, item):
        raise Http404("no such work item")
    return item


def work_item_reports(item: WorkItem) -> list[WorkReport]:
    return list(item.reports.select_related("submitted_by", "reviewed_by").prefetch_related("files"))


def work_report_get_for_user(*, user, pk: int) -> WorkReport:
    report = WorkReport.objects.select_related("work_item", "work_item__task_list").filter(pk=pk).first()
    if report is None or not permissions.can_view_work_item(user, report.work_item):
        raise Http404("no such report")
    return report


def task_list_get(*, year: int) -> TaskList:
    task_list = TaskList.objects.filter(year=year).first()
    if task_list is None:
        raise Http404("no such list")
    return task_list


def task_list_items(task_list: TaskList) -> list[WorkItem]:
    return list(task_list.items.select_related("task", "copied_from", *ITEM_RELATED).prefetch_related("co_departments"))


def task_list_tasks(task_list: TaskList) -> QuerySet[Task]:
    """The tasks a new item of the list may serve: those of the plan its items serve (the plan in force for an empty
    list)."""
    item = task_list.items.select_related("task").first()
    plan = item.task.plan_id if item else plan_in_force()
    return Task.objects.filter(plan=plan).order_by("number")


def evidence_get_for_user(*, user, pk: int) -> EvidenceFile:
    """An evidence file, for those who may read what it belongs to (a 404 for everyone else)."""
    evidence = EvidenceFile.objects.select_related("step__item", "work_report__work_item").filter(pk=pk).first()
    if evidence is None:
        raise Http404("no such file")
    if evidence.step_id:
        allowed = permissions.can_view(user, evidence.step.item)
    elif evidence.work_report_id:
        allowed = permissions.can_view_work_item(user, evidence.work_report.work_item)
    else:
        # A letter's scan, current or of a signing corrected since (kept in the letter's history).
        letter = ResponsibilityLetter.objects.filter(scan=evidence).first()
        if letter is None:
            signed = ResponsibilityLetter.history.filter(scan_id=evidence.pk).values_list("id", flat=True)[:1]
            letter = ResponsibilityLetter.objects.filter(pk__in=signed).select_related("zone").first()
        allowed = letter is not None and permissions.can_view_letter(user, letter)
    if not allowed:
        raise Http404("no such file")
    return evidence


def is_overdue(item: SupervisionItem, today: date) -> bool:
    return rules.is_overdue(state=item.state, deadline=item.deadline, answered_on=item.answered_on, today=today)


def work_item_is_overdue(item: WorkItem, today: date) -> bool:
    return rules.work_item_is_overdue(
        status=item.status, due_date=item.due_date, today=today, issued=item.task_list.state == TaskList.State.ADOPTED
    )


TODO_REVIEWS = 100  # work-item reports listed on the to-do (all are counted)


def todo(user, *, today: date) -> dict:
    """A body's supervision items still open, its open work items of adopted lists, reports to review."""
    open_items = [
        (item, is_overdue(item, today))
        for item in supervision_for_user(user).exclude(state=SupervisionItem.State.CLOSED).order_by("deadline")
    ]
    work = (
        work_items_for_user(user)
        .prefetch_related(None)
        .filter(task_list__state=TaskList.State.ADOPTED, status=WorkItem.Status.OPEN)
        .order_by("due_date", "id")
    )
    if not access.is_office(user):
        work = work.filter(_body_filter(user))
    # The reports the reader reviews (`permissions.can_review`): the office's all, a body's reviewer their body's own
    # items' (not those of the items their unit supports).
    reviews = access.is_office(user) or user.role in BODY_REVIEWER_ROLES
    review = WorkReport.objects.none()
    if reviews:
        review = WorkReport.objects.filter(state=WorkReport.State.SUBMITTED).select_related("work_item")
        if not access.is_office(user):
            review = review.filter(work_item__in=WorkItem.objects.filter(_body_filter(user)))
    to_review = list(review.order_by("submitted_at", "pk")[: TODO_REVIEWS + 1])
    return {
        "supervision": open_items,
        "late_count": sum(1 for _item, overdue in open_items if overdue),
        "work_items": [(item, work_item_is_overdue(item, today)) for item in work[:200]],
        "reviews_work": reviews,
        "to_review": to_review[:TODO_REVIEWS],
        "to_review_count": len(to_review) if len(to_review) <= TODO_REVIEWS else review.count(),
    }


def late_supervision(*, today: date) -> list[SupervisionItem]:
    """Overdue items (open past their deadline, not answered by it), for the bulletin."""
    return list(SupervisionItem.objects.overdue(today).select_related(*ITEM_RELATED).order_by("deadline"))


def body_record(*, today: date, department=None, zone=None, county=None) -> dict:
    """A body's supervision record: items closed on time, late, not done; open, open and late."""
    where = Q(department=department) if department else Q(zone=zone) if zone else Q(county=county)
    rows = SupervisionItem.objects.filter(where).values_list(
        "state", "assessment", "deadline", "closed_on", "answered_on"
    )
    record = rules.on_time_record((*row, today) for row in rows)
    record["open_items"] = [
        (item, is_overdue(item, today))
        for item in SupervisionItem.objects.filter(where)
        .exclude(state=SupervisionItem.State.CLOSED)
        .select_related(*ITEM_RELATED)
        .order_by("deadline")[:50]
    ]
    return record


def zone_letter(*, zone, year: int) -> tuple[ResponsibilityLetter | None, list[LetterTarget]]:
    """The zone's latest letter up to `year` (after the plan's last year, its last letter) and its targets, each
    with its latest progress (status, attainment, actual). Always two queries, with or without a letter."""
    letter = (
        ResponsibilityLetter.objects.filter(zone=zone, year__lte=year)
        .select_related("zone", "scan")
        .order_by("-year")
        .first()
    )
    # Ordered by the results' own copy of their period's end: an index seek per target, not a join and a sort.
    latest = ProgressResult.objects.filter(target=OuterRef("target_id")).order_by("-period_end")
    targets = list(
        LetterTarget.objects.filter(letter=letter)
        .select_related("target__indicator")
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_attainment=Subquery(latest.values("attainment")[:1]),
            latest_actual=Subquery(latest.values("actual")[:1]),
        )
        .order_by("target__indicator__task__number", "target__indicator__order", "pk")
    )
    return letter, targets


def letter_year_proposed(*, today: date, plan) -> int:
    """The year a new letter is first offered for: this year, kept to the plan's years, for a letter holds the plan's
    targets of its year (2026 after a 2023–2025 plan has none: the office would be offered a year it is refused)."""
    return today.year if plan is None else plan.year_nearest(today.year)


def letters_for_user(user) -> QuerySet[ResponsibilityLetter]:
    """The letters `user` may read (`permissions.can_view_letter`), latest year first, with their target counts."""
    rows = ResponsibilityLetter.objects.select_related("zone").annotate(target_count=Count("targets"))
    rows = rows.order_by("-year", "zone__order")
    zones = permissions.letter_zones(user)
    if zones == permissions.ALL_LETTERS:
        return rows
    return rows.none() if zones is None else rows.filter(zone_id=zones)


BEFORE_HISTORY = "before-history"  # the first entry of a letter that existed before its history (supervision 0005)


def letter_signings(letter: ResponsibilityLetter) -> list:
    """The letter's signings as recorded, latest first: one entry (a historical row: signatories, date, scan, who
    recorded it, `recorded_at` when — None for a signing recorded before the history began) per change of the signing;
    a save that changed none of it (the note) is none. One query."""
    entries = letter.history.select_related("history_user", "scan").order_by("history_date", "history_id")
    signings, last = [], None
    for entry in entries:
        signing = (entry.prefecture_signatory, entry.zone_signatory, entry.signed_on, entry.scan_id)
        if entry.signed_on is not None and signing != last:
            entry.recorded_at = None if entry.history_change_reason == BEFORE_HISTORY else entry.history_date
            signings.append(entry)
        last = signing
    return signings[::-1]


def letter_get_for_user(*, user, pk: int) -> ResponsibilityLetter:
    letter = ResponsibilityLetter.objects.filter(pk=pk).select_related("zone").first()
    if letter is None or not permissions.can_view_letter(user, letter):
        raise Http404("no such letter")
    return letter
