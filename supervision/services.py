"""Writes of the responsibility cycle. Each write is one transaction; bad input raises SupervisionError
with a message in the user's language and writes nothing — uploaded files included."""

import hashlib
from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuxiong_portal import access, dates
from chuxiong_portal.db import serialised
from chuxiong_portal.models import Notification, User
from chuxiong_portal.notifications import notifications_send, worded_for
from chuxiong_portal.params import whole_number
from chuxiong_portal.roles import (
    BODY_REVIEWER_ROLES,
    BODY_STAFF_ROLES,
    COMMITTEE_ROLES,
    COUNTY_ROLES,
    DEPARTMENT_ROLES,
)
from chuxiong_portal.stale import shown_token, stale
from indicators.models import ProgressResult, Scope, Target
from indicators.progress import engine
from indicators.reporting import periods
from indicators.reporting.flow_words import kept
from indicators.reporting.workdays import is_workday
from indicators.selectors import results_on
from parks.models import County, Zone
from tasks.models import Department

from . import permissions, rules
from .evidence import EvidenceRejected, evidence_check
from .models import (
    REMINDER_WORDS,
    SOURCES_OF_A_ROW,
    EvidenceFile,
    LetterTarget,
    ResponsibilityLetter,
    SupervisionItem,
    SupervisionStep,
    TaskList,
    WorkItem,
    WorkReport,
)


class SupervisionError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


# --------------------------------------------------------------------------- evidence


# What a letter's signed scan may be: a PDF or an image, not a Word or Excel file as other evidence may.
SCAN_KINDS = frozenset({EvidenceFile.Kind.PDF, EvidenceFile.Kind.IMAGE})


def evidence_rejection_message(name: str, error: EvidenceRejected, *, scan: bool = False) -> str:
    """Why an upload was refused, in words; `scan`: said of a letter's signed scan, naming what it takes."""
    limit_mb = round(settings.PORTAL_EVIDENCE_MAX_BYTES / 1024 / 1024, 1)
    if scan:
        unknown_type = _("文件“%(name)s”不是 PDF 或图片文件，签字扫描件只接受 PDF 或图片。")
    else:
        unknown_type = _("文件“%(name)s”不是 PDF、图片、Word 或 Excel 文件，不能作为佐证材料上传。")
    messages = {
        "too_large": _("文件“%(name)s”超过 %(limit)s MB，请压缩后重新上传。"),
        "unknown_type": unknown_type,
        "name_mismatch": _("文件“%(name)s”的内容与其扩展名不符（实际内容不是该类型的文件），已拒绝上传。"),
        "zip_bomb": _("文件“%(name)s”解压后过大，疑似压缩炸弹，已拒绝上传。"),
        "broken": _("文件“%(name)s”已损坏，无法读取，请检查后重新上传。"),
    }
    return messages[error.code] % {"name": name, "limit": limit_mb}


def evidence_validate(uploads, *, scan: bool = False) -> list[tuple[str, bytes, str, str]]:
    """Read and check every upload before anything is written: (name, data, kind, mime) for each. `scan`: the
    uploads are a letter's signed scan (field ``scan``), which takes a PDF or an image only (SCAN_KINDS)."""
    field = "scan" if scan else "files"
    checked = []
    for upload in uploads:
        full_name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
        name = _name_kept(full_name)
        limit = settings.PORTAL_EVIDENCE_MAX_BYTES
        data = upload.read(limit + 1) if (upload.size or 0) <= limit else b"\0" * (limit + 1)
        try:
            # The type is judged on the name as uploaded: a long name cut short may have lost its extension.
            limits = {"max_bytes": limit, "max_unzipped": settings.PORTAL_EVIDENCE_MAX_UNZIPPED}
            kind, mime = evidence_check(data, full_name, **limits)
        except EvidenceRejected as error:
            raise SupervisionError(evidence_rejection_message(name, error, scan=scan), field=field) from error
        if scan and kind not in SCAN_KINDS:
            refused = EvidenceRejected("unknown_type")
            raise SupervisionError(evidence_rejection_message(name, refused, scan=True), field=field)
        checked.append((name, data, kind, mime))
    return checked


# The longest file name kept (EvidenceFile.original_name's max_length).
NAME_KEPT = EvidenceFile._meta.get_field("original_name").max_length


def _name_kept(name: str) -> str:
    """An uploaded file's name as it is kept: a name too long loses the end of its stem, not its extension."""
    if len(name) <= NAME_KEPT:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) >= NAME_KEPT // 2:  # no extension worth keeping
        return name[:NAME_KEPT]
    return f"{stem[: NAME_KEPT - len(ext) - 1]}.{ext}"


def _atomic_with_files(write: Callable[[list], object]):
    """Run `write(stored)` in one transaction; files it stored (appended to `stored`) go if it fails."""
    stored: list = []
    try:
        with transaction.atomic():
            return write(stored)
    except BaseException:
        for fieldfile in stored:
            fieldfile.storage.delete(fieldfile.name)
        raise


def _evidence_save(checked, stored: list, *, user, step=None, work_report=None) -> list[EvidenceFile]:
    saved = []
    for name, data, kind, mime in checked:
        digest = hashlib.sha256(data).hexdigest()
        evidence = EvidenceFile(
            original_name=name,
            kind=kind,
            content_type=mime,
            size=len(data),
            sha256=digest,
            step=step,
            work_report=work_report,
            uploaded_by=user,
        )
        # The stored name is the portal's own: the uploader's name is kept as data, never used as a path.
        evidence.file.save(f"{digest[:20]}.bin", ContentFile(data), save=False)
        stored.append(evidence.file)
        evidence.save()
        saved.append(evidence)
    return saved


# --------------------------------------------------------------------------- supervision items


def body_fields(body) -> dict:
    """The model fields naming a responsible body: a unit, a zone's management committee or a county."""
    if isinstance(body, Department):
        return {"department": body, "zone": None, "county": None}
    if isinstance(body, Zone):
        return {"department": None, "zone": body, "county": None}
    if isinstance(body, County):
        return {"department": None, "zone": None, "county": body}
    raise SupervisionError(_("请选择责任主体。"), field="body")


def body_chosen(*, department=None, zone=None, county=None):
    """The one responsible body of three fields (the admin's: a unit, a zone's committee, a county), refused on the
    field ``body`` when none or more than one is set (the database's `*_one_body` constraint, in words)."""
    chosen = [body for body in (department, zone, county) if body is not None]
    if len(chosen) != 1:
        raise SupervisionError(_("责任主体须为州级单位、园区管委会或县市人民政府之一，请只选择一个。"), field="body")
    return chosen[0]


def _next_number(year: int) -> str:
    """The number after the year's highest one: an item deleted (in the admin) leaves a gap, not a number that a
    count of the year's items would give again to the item that already holds it."""
    prefix = f"楚开督〔{year}〕"
    numbers = SupervisionItem.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((_sequence_of(number, prefix) for number in numbers), default=0)
    return f"{prefix}{highest + 1:03d}号"


def _sequence_of(number: str, prefix: str) -> int:
    """The NNN of 楚开督〔year〕NNN号 (0 for a number not of that shape, e.g. one typed otherwise in older data)."""
    digits = number.removeprefix(prefix).removesuffix("号")
    return int(digits) if digits.isascii() and digits.isdigit() else 0


def _now_on(today: date | None):
    now = timezone.now()
    return now, today or timezone.localdate(now)


def supervision_issue(
    *,
    user,
    body,
    source: str,
    requirement: str,
    deadline: date,
    source_object=None,
    source_text: str = "",
    source_facts: dict | None = None,
    today: date | None = None,
) -> SupervisionItem:
    """交办: the office issues a supervision item to a body, from a source (a flag, a red target, …). A source
    worded on each page from its facts (a 整改's: models.GAP_FACTS) gives them instead of a text."""
    now, today = _now_on(today)
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以交办督办单。"))
    if source not in SupervisionItem.Source.values:
        raise SupervisionError(_("请选择督办来源。"), field="source")
    if problem := source_row_error(source=source, source_object=source_object, today=today):
        raise SupervisionError(problem, field="source")
    if source == SupervisionItem.Source.EVALUATION_GAP and not source_facts:
        # A 整改 follows up the zone's own weak sub-score as the gap page measures it (rectification_open): its facts,
        # the points lost against the chosen benchmark, exist only there.
        raise SupervisionError(_("评价差距整改请在该开发区的差距分析页面针对失分分项交办。"), field="source")
    if not requirement.strip():
        raise SupervisionError(_("请填写督办要求。"), field="requirement")
    supervision_deadline_check(issued_on=today, deadline=deadline)
    source_fields = {}
    if source_object is not None:
        source_fields = {"source_type": ContentType.objects.get_for_model(source_object), "source_id": source_object.pk}
    for _attempt in range(3):  # two offices issuing at once: the later one takes the next number
        try:
            with transaction.atomic():
                serialised("supervision.item_number")  # issuers at once take the next numbers in turn
                _no_open_item_of_the_row(body=body, **source_fields)
                if not source_fields:
                    _no_open_twin(body=body, source=source, requirement=requirement, deadline=deadline)
                item = SupervisionItem.objects.create(
                    number=_next_number(today.year),
                    source=source,
                    source_text=source_text[:300],
                    source_facts=source_facts or {},
                    requirement=requirement.strip(),
                    issued_on=today,
                    deadline=deadline,
                    issued_by=user,
                    **body_fields(body),
                    **source_fields,
                )
                SupervisionStep.objects.create(
                    item=item, kind=SupervisionStep.Kind.ISSUE, on=today, at=now, user=user, text=requirement.strip()
                )
                return item
        except IntegrityError:
            continue
    raise SupervisionError(_("督办单编号冲突，请重试。"))


def supervision_deadline_check(*, issued_on: date, deadline: date) -> None:
    """The rule of a 督办's deadline wherever it is set (the issue, the admin): not before the issue date, and at most
    `rules.DEADLINE_YEARS_AT_MOST` years after it. Raises SupervisionError on the field ``deadline``."""
    if deadline < issued_on:
        raise SupervisionError(
            _("办理时限（%(deadline)s）早于交办日期（%(today)s），请重新选择。")
            % {"deadline": dates.day(deadline), "today": dates.day(issued_on)},
            field="deadline",
        )
    if deadline > (latest := rules.latest_deadline(issued_on)):
        raise SupervisionError(
            _("办理时限（%(deadline)s）晚于交办日期起%(years)s年（%(latest)s），请重新选择。")
            % {"deadline": dates.day(deadline), "years": rules.DEADLINE_YEARS_AT_MOST, "latest": dates.day(latest)},
            field="deadline",
        )


def _no_open_item_of_the_row(*, body, source_type=None, source_id=None) -> None:
    """Refuses a second open item for the same row and body: the same form sent twice (a double click, two offices at
    once) would issue the row's 督办 twice, under two numbers. Another body may be sent the same row (a 整改 to the zone
    and to a unit), and the row may be followed up again once its item is closed. Called under the numbering lock, so
    that two issues at once meet here."""
    if source_type is None:
        return
    same = SupervisionItem.objects.filter(source_type=source_type, source_id=source_id, **body_fields(body))
    if existing := same.exclude(state=SupervisionItem.State.CLOSED).order_by("pk").first():
        raise SupervisionError(
            _("已就该事项向%(body)s交办督办单 %(number)s，尚未办结，未重复交办。")
            % {"body": existing.body_name, "number": existing.number}
        )


def _no_open_twin(*, body, source: str, requirement: str, deadline: date) -> None:
    """Refuses an item without a row (a leader's instruction) identical to an open one: the same body, source and
    deadline and the same requirement but for its spacing — the same form sent twice. Called under the numbering
    lock, so that two issues at once meet here."""
    open_items = (
        SupervisionItem.objects.filter(source=source, source_type=None, deadline=deadline, **body_fields(body))
        .exclude(state=SupervisionItem.State.CLOSED)
        .order_by("pk")
    )
    for existing in open_items.only("number", "requirement", "department", "zone", "county"):
        if _same_words(existing.requirement, requirement):
            raise SupervisionError(
                _("已向%(body)s交办要求和办理时限相同的督办单 %(number)s，尚未办结，未重复交办。")
                % {"body": existing.body_name, "number": existing.number}
            )


def _same_words(one: str, other: str) -> bool:
    """Whether two texts say the same but for their spacing and line breaks (a form sent again)."""
    return one.split() == other.split()


def _locked(item: SupervisionItem, version: int | None) -> SupervisionItem:
    """The item, locked; refused (`stale`, with its version now) when it changed since the page showed `version`."""
    fresh = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    if version is not None and fresh.version != version:
        raise stale(SupervisionError(_changed_since(fresh)), fresh.version)
    return fresh


def _changed_since(item: SupervisionItem) -> str:
    """What changed an item since a page showed it: its latest step, who took it and when, and its state now (the
    page drawn again shows the whole trail)."""
    step = item.steps.select_related("user").order_by("-at", "-pk").first()
    if step is None:
        return _("该督办单已被他人更新，当前状态为“%(state)s”。") % {"state": item.get_state_display()}
    return _("该督办单已由%(who)s于%(when)s%(what)s，当前状态为“%(state)s”。") % {
        "who": str(step.user) if step.user else _("他人"),
        "when": dates.moment(step.at),
        "what": step.get_kind_display(),
        "state": item.get_state_display(),
    }


def _step(item, *, kind, user, text="", now, today, **extra) -> SupervisionStep:
    item.version += 1
    item.save(update_fields=[*extra.pop("fields", []), "version", "updated_at"])
    return SupervisionStep.objects.create(item=item, kind=kind, on=today, at=now, user=user, text=text, **extra)


def supervision_answer(
    *,
    item: SupervisionItem,
    user,
    text: str,
    progress_pct: int | None = None,
    files=(),
    version: int | None = None,
    today: date | None = None,
) -> SupervisionStep:
    """反馈: the body answers with its progress and evidence files."""
    now, today = _now_on(today)
    if not permissions.can_answer(user, item):
        raise SupervisionError(_("只有责任主体可以反馈该督办单。"))
    if item.state == SupervisionItem.State.CLOSED:
        raise SupervisionError(_("该督办单已办结，不能再反馈。"))
    if not text.strip():
        raise SupervisionError(_("请填写办理情况。"), field="text")
    if progress_pct is not None and not 0 <= progress_pct <= 100:
        raise SupervisionError(_("完成进度应在 0 到 100 之间。"), field="progress_pct")
    checked = evidence_validate(files)

    def write(stored):
        fresh = _locked(item, version)
        if fresh.state == SupervisionItem.State.CLOSED:
            raise SupervisionError(_("该督办单已办结，不能再反馈。"))
        answered_on = rules.answer_counts_from(state=fresh.state, answered_on=fresh.answered_on, today=today)
        fresh.state, fresh.answered_on = SupervisionItem.State.ANSWERED, answered_on
        step = _step(
            fresh,
            kind=SupervisionStep.Kind.ANSWER,
            user=user,
            text=text.strip(),
            now=now,
            today=today,
            progress_pct=progress_pct,
            fields=["state", "answered_on"],
        )
        _evidence_save(checked, stored, user=user, step=step)
        return step

    return _atomic_with_files(write)


def _office_step(item, *, user, version, allowed, refusal, kind, text, today, **changes) -> SupervisionStep:
    now, today = _now_on(today)
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以办理此操作。"))
    with transaction.atomic():
        fresh = _locked(item, version)
        if fresh.state not in allowed:
            raise SupervisionError(refusal)
        for name, value in changes.items():
            setattr(fresh, name, value(today) if callable(value) else value)
        return _step(fresh, kind=kind, user=user, text=text, now=now, today=today, fields=list(changes))


def supervision_remind(
    *, item, user, text: str = "", version: int | None = None, today: date | None = None
) -> SupervisionStep:
    """催办: the office reminds the body of an item past its deadline."""
    _now, day = _now_on(today)
    if item.is_open and not rules.is_overdue(
        state=item.state, deadline=item.deadline, answered_on=item.answered_on, today=day
    ):
        if day > item.deadline:  # answered by its deadline: the office's turn (办结 or 退回), not the body's
            raise SupervisionError(
                _("该督办单已在办理时限（%(deadline)s）前反馈，无需催办，请办结或退回。")
                % {"deadline": dates.day(item.deadline)}
            )
        raise SupervisionError(
            _("该督办单尚未超过办理时限（%(deadline)s），无需催办。") % {"deadline": dates.day(item.deadline)}
        )
    return _office_step(
        item,
        user=user,
        version=version,
        today=day,
        kind=SupervisionStep.Kind.REMIND,
        allowed={SupervisionItem.State.ISSUED, SupervisionItem.State.RETURNED, SupervisionItem.State.ANSWERED},
        refusal=_("该督办单已办结，不能再催办。"),
        text=text.strip() or kept(REMINDER_WORDS),
    )


def supervision_return(
    *, item, user, reason: str, version: int | None = None, today: date | None = None
) -> SupervisionStep:
    """退回: the office returns an inadequate answer, with the reason."""
    if not reason.strip():
        raise SupervisionError(_("请填写退回原因。"), field="text")
    return _office_step(
        item,
        user=user,
        version=version,
        today=today,
        kind=SupervisionStep.Kind.RETURN,
        allowed={SupervisionItem.State.ANSWERED},
        refusal=_("只有已反馈的督办单可以退回。"),
        text=reason.strip(),
        state=SupervisionItem.State.RETURNED,
        answered_on=None,  # owed again: the answer returned does not count towards 按时办结
    )


def supervision_close(
    *, item, user, assessment: str, text: str = "", version: int | None = None, today: date | None = None
) -> SupervisionStep:
    """办结 with the office's assessment (按时办结 / 逾期办结 / 办结但未落实)."""
    if assessment not in SupervisionItem.Assessment.values:
        raise SupervisionError(_("请选择办结评价。"), field="assessment")
    _now, day = _now_on(today)
    if assessment == SupervisionItem.Assessment.ON_TIME and (
        item.answered_on is None or item.answered_on > item.deadline
    ):
        raise SupervisionError(
            _("该督办单未在办理时限（%(deadline)s）前反馈，不能评为按时办结。")
            % {"deadline": dates.day(item.deadline)},
            field="assessment",
        )
    if assessment == SupervisionItem.Assessment.LATE and not rules.was_late(
        answered_on=item.answered_on, deadline=item.deadline, today=day
    ):
        if item.answered_on is not None:
            refusal = _("该督办单已在办理时限（%(deadline)s）前反馈，不能评为逾期办结。")
        else:
            refusal = _("该督办单尚未超过办理时限（%(deadline)s），不能评为逾期办结。")
        raise SupervisionError(refusal % {"deadline": dates.day(item.deadline)}, field="assessment")
    return _office_step(
        item,
        user=user,
        version=version,
        today=day,
        kind=SupervisionStep.Kind.CLOSE,
        allowed={SupervisionItem.State.ISSUED, SupervisionItem.State.ANSWERED, SupervisionItem.State.RETURNED},
        refusal=_("该督办单已办结。"),
        # Without words: the assessment's label in the portal's own language, worded again for each reader.
        text=text.strip() or kept(SupervisionItem.Assessment(assessment).label),
        state=SupervisionItem.State.CLOSED,
        assessment=assessment,
        closed_on=day,
    )


# --------------------------------------------------------------------------- work items and reports


def work_report_refusal(work_item: WorkItem) -> str | None:
    """Why no progress report may be filed on `work_item` (None: one may): its list is not adopted yet, or the item is
    already completed (已完成, by an approved "done" report). Its page offers the report form only where this is
    None."""
    if work_item.task_list.state != TaskList.State.ADOPTED:
        return _("该清单尚未印发，不能报送进展。")
    if work_item.status == WorkItem.Status.DONE:
        return _("该工作事项已完成，不能再报送进展。")
    return None


def work_report_file(*, work_item: WorkItem, user, progress: str, text: str, files=(), now=None) -> WorkReport:
    """A body's report on its work item, with evidence files. The same report sent twice (a double click, the form
    sent again) is refused while the first waits for review."""
    now = now or timezone.now()
    if not permissions.can_report(user, work_item):
        raise SupervisionError(_("只有责任主体可以报送该工作事项的进展。"))
    if refusal := work_report_refusal(work_item):
        raise SupervisionError(refusal)
    if progress not in WorkReport.Progress.values:
        raise SupervisionError(_("请选择推进情况。"), field="progress")
    if not text.strip():
        raise SupervisionError(_("请填写工作进展。"), field="text")
    checked = evidence_validate(files)

    def write(stored):
        serialised("supervision.work_report_file")  # the same report sent twice at once: the second finds the first
        fresh = WorkItem.objects.select_related("task_list").get(pk=work_item.pk)
        if refusal := work_report_refusal(fresh):  # completed since the page was drawn
            raise SupervisionError(refusal)
        pending = fresh.reports.filter(state=WorkReport.State.SUBMITTED).order_by("-submitted_at", "-pk").first()
        if pending is not None and pending.progress == progress and _same_words(pending.text, text):
            raise SupervisionError(
                _("与%(when)s报送、尚待审核的进展报告内容相同，未重复报送。")
                % {"when": dates.moment(pending.submitted_at)}
            )
        report = WorkReport.objects.create(
            work_item=work_item, progress=progress, text=text.strip(), submitted_by=user, submitted_at=now
        )
        _evidence_save(checked, stored, user=user, work_report=report)
        return report

    return _atomic_with_files(write)


@transaction.atomic
def work_report_review(*, report: WorkReport, user, approve: bool, reason: str = "", now=None) -> WorkReport:
    """The body's reviewer (or the office) approves a report — a 'done' report completes the item — or returns it."""
    now = now or timezone.now()
    report = WorkReport.objects.select_for_update().select_related("work_item").get(pk=report.pk)
    if not permissions.can_review(user, report.work_item):
        raise SupervisionError(_("只有责任主体的审核员或州开发区办可以审核该报告。"))
    if report.state != WorkReport.State.SUBMITTED:
        raise SupervisionError(_("该报告已审核，不能重复审核。"))
    if not approve and not reason.strip():
        raise SupervisionError(_("请填写退回原因。"), field="reason")
    report.state = WorkReport.State.APPROVED if approve else WorkReport.State.RETURNED
    report.reviewed_by, report.reviewed_at, report.return_reason = user, now, "" if approve else reason.strip()
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "return_reason"])
    item = report.work_item
    if approve and report.progress == WorkReport.Progress.DONE and item.status != WorkItem.Status.DONE:
        item.status, item.done_on = WorkItem.Status.DONE, timezone.localdate(now)
        item.result = report.text
        item.save(update_fields=["status", "done_on", "result", "updated_at"])
    return report


@transaction.atomic
def task_list_copy(*, task_list: TaskList, user) -> TaskList:
    """The year-end copy: next year's draft list holds every item of this one, linked to its plan task and to
    the item it continues (whose status and result are shown beside it while the office adjusts the draft)."""
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以生成下一年度清单。"))
    year = task_list.year + 1
    serialised("supervision.task_list_copy")  # two copies at once: the second finds the first's list
    if TaskList.objects.filter(year=year).exists():
        raise SupervisionError(_("%(year)s年的清单已存在，不能重复生成。") % {"year": year})
    draft = TaskList.objects.create(year=year, copied_from=task_list, is_demo=task_list.is_demo)
    items = list(task_list.items.prefetch_related("co_departments"))
    copies = WorkItem.objects.bulk_create(
        [
            WorkItem(
                task_list=draft,
                task_id=item.task_id,
                title=item.title,
                department_id=item.department_id,
                zone_id=item.zone_id,
                county_id=item.county_id,
                due_date=rules.same_day_next_year(item.due_date),
                evidence_required=item.evidence_required,
                copied_from=item,
                order=item.order,
            )
            for item in items
        ]
    )
    links = [
        WorkItem.co_departments.through(workitem_id=copy.pk, department_id=co.pk)
        for item, copy in zip(items, copies, strict=True)
        for co in item.co_departments.all()
    ]
    WorkItem.co_departments.through.objects.bulk_create(links)
    return draft


def _work_item_check(*, task_list: TaskList, title: str, evidence_required: str, due_date: date, body) -> dict:
    """What an item of a draft list must hold: its text, a due date within the list's year, one responsible body.
    Returns the body's model fields."""
    if not title.strip():
        raise SupervisionError(_("请填写工作事项。"), field="title")
    if not evidence_required.strip():
        raise SupervisionError(_("请填写佐证材料。"), field="evidence_required")
    if due_date.year != task_list.year:
        raise SupervisionError(_("完成时限应在%(year)s年内。") % {"year": task_list.year}, field="due_date")
    return body_fields(body)


def task_list_draft_check(*, task_list: TaskList, user) -> None:
    """Refuses a change to `task_list` unless the office makes it to a draft."""
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以调整清单。"))
    if task_list.state != TaskList.State.DRAFT:
        raise SupervisionError(_("清单已印发，不能再调整。"))


@transaction.atomic
def work_item_adjust(
    *,
    item: WorkItem,
    user,
    title: str,
    due_date: date,
    evidence_required: str,
    body,
    drop: bool = False,
    seen: str = "",
) -> WorkItem | None:
    """Adjust (or drop) an item of a draft list: its text, due date and responsible body. `seen`: the
    `work_item_token` of the item the user's page showed (by default, `item` as the caller read it): an item adjusted
    by someone else since then is neither adjusted over nor dropped unseen."""
    task_list_draft_check(task_list=item.task_list, user=user)
    fresh = WorkItem.objects.select_for_update().filter(pk=item.pk).first()
    if fresh is None:
        raise SupervisionError(_("该工作事项已被他人从清单中删除。"))
    if work_item_token(fresh) != (seen or work_item_token(item)):  # the row is locked: a change since meets here
        raise stale(
            SupervisionError(
                _("该工作事项已被他人调整为“%(title)s”（%(body)s，完成时限%(due)s）。")
                % {"title": fresh.title, "body": fresh.body_name, "due": dates.day(fresh.due_date)}
            ),
            work_item_token(fresh),
        )
    item = fresh
    if drop:
        item.delete()
        return None
    fields = _work_item_check(
        task_list=item.task_list,
        title=title,
        evidence_required=evidence_required,
        due_date=due_date,
        body=body,
    )
    item.title, item.due_date, item.evidence_required = title.strip(), due_date, evidence_required.strip()
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=["title", "due_date", "evidence_required", *fields, "updated_at"])
    if isinstance(body, Department):  # the new responsible unit no longer supports itself
        item.co_departments.remove(body)
    return item


def work_item_token(item: WorkItem) -> str:
    """What a draft's item holds that its 调整 form shows (text, body, due date, evidence), as a short token kept in
    the form as the page showed it."""
    shown = (item.title, item.department_id, item.zone_id, item.county_id, item.due_date, item.evidence_required)
    return shown_token(*shown)


@transaction.atomic
def work_item_add(
    *, task_list: TaskList, user, task, title: str, body, due_date: date, evidence_required: str
) -> WorkItem:
    """A new item of a draft list, under one of the plan's tasks, after that task's other items."""
    task_list_draft_check(task_list=task_list, user=user)
    if task is None:
        raise SupervisionError(_("请选择方案任务。"), field="task")
    fields = _work_item_check(
        task_list=task_list, title=title, evidence_required=evidence_required, due_date=due_date, body=body
    )
    serialised("supervision.work_item_add")  # a form sent twice at once: the second finds the first's item
    if task_list.items.filter(task=task, title=title.strip()).exists():
        raise SupervisionError(
            _("该任务下已有工作事项“%(title)s”，未重复新增。") % {"title": title.strip()}, field="title"
        )
    last = task_list.items.filter(task=task).order_by("-order").values_list("order", flat=True).first()
    return WorkItem.objects.create(
        task_list=task_list,
        task=task,
        title=title.strip(),
        due_date=due_date,
        evidence_required=evidence_required.strip(),
        order=(last or 0) + 1,
        **fields,
    )


@transaction.atomic
def task_list_adopt(*, task_list: TaskList, user, today: date | None = None) -> TaskList:
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以印发清单。"))
    task_list = TaskList.objects.select_for_update().get(pk=task_list.pk)
    if task_list.state == TaskList.State.ADOPTED:
        raise SupervisionError(_("该清单已印发。"))
    if not task_list.items.exists():
        raise SupervisionError(_("清单中没有工作事项，不能印发。"))
    task_list.state, task_list.adopted_by = TaskList.State.ADOPTED, user
    task_list.adopted_on = today or timezone.localdate()
    task_list.save(update_fields=["state", "adopted_by", "adopted_on"])
    return task_list


# --------------------------------------------------------------------------- responsibility letters


@transaction.atomic
def letter_create(*, zone: Zone, year: int) -> ResponsibilityLetter:
    """A zone's letter for a year, its targets taken from the plan's targets of that zone and year."""
    letter, _created = ResponsibilityLetter.objects.get_or_create(zone=zone, year=year)
    have = set(letter.targets.values_list("target_id", flat=True))
    targets = Target.objects.filter(scope=Scope.ZONE, zone=zone, year=year).exclude(pk__in=have)
    LetterTarget.objects.bulk_create(
        [
            LetterTarget(letter=letter, target=t, committed_value=t.committed_value, stretch_value=t.stretch_value)
            for t in targets
        ]
    )
    return letter


def letter_new(*, zone: Zone, year: int, user) -> ResponsibilityLetter:
    """新建: the office starts a zone's letter for a year, with the plan's targets of that zone and year. Refused
    when the letter exists (it is amended, not made twice) or the plan sets the zone no target that year."""
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以新建责任书。"))
    with transaction.atomic():
        serialised("supervision.letter_new")  # two offices at once: the second finds the first's letter
        existing = ResponsibilityLetter.objects.filter(zone=zone, year=year).first()
        if existing is not None:
            raise SupervisionError(
                _("%(zone)s %(year)s年度的责任书已存在，请在该责任书页面修改。") % {"zone": zone, "year": year},
                field="year",
            )
        if not Target.objects.filter(scope=Scope.ZONE, zone=zone, year=year).exists():
            raise SupervisionError(
                _("方案未对%(zone)s设定%(year)s年的目标，不能新建该年度责任书。") % {"zone": zone, "year": year},
                field="year",
            )
        return letter_create(zone=zone, year=year)


def letter_signing_check(
    *, year: int, prefecture_signatory: str, zone_signatory: str, signed_on: date | None, today: date | None = None
) -> None:
    """The rule of a letter's signing wherever it is recorded (the letter page, the admin): both signatories named
    and a signing date within the letter's `year` or after it, not after today. A letter sets the targets the plan
    gives its zone for its year, and is made in that year (`selectors.letter_year_proposed`), so a date before it
    (1900-01-01) is a typing slip; the plan's own start comes no later, as the plan sets targets for its years only.
    Raises SupervisionError naming the field at fault."""
    for field, signatory in (("prefecture_signatory", prefecture_signatory), ("zone_signatory", zone_signatory)):
        if not signatory.strip():
            raise SupervisionError(_("请填写双方签署人。"), field=field)
    if signed_on is None:
        raise SupervisionError(_("请填写签订日期。"), field="signed_on")
    if signed_on > (today or timezone.localdate()):
        raise SupervisionError(_("签订日期不能晚于今天。"), field="signed_on")
    if signed_on.year < year:
        raise SupervisionError(_("签订日期不能早于责任书年度（%(year)s年）。") % {"year": year}, field="signed_on")


def letter_sign(
    *,
    letter: ResponsibilityLetter,
    user,
    prefecture_signatory: str,
    zone_signatory: str,
    signed_on: date,
    scan=None,
    seen: str = "",
    today: date | None = None,
) -> ResponsibilityLetter:
    """Record the signing: signatories, date and the signed scan (PDF or image). `seen`: the `signing_token` of the
    signing the user's page showed (by default, `letter` as the caller read it): a signing recorded by someone else
    since then is not replaced unseen."""
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以登记责任书签订情况。"))
    letter_signing_check(
        year=letter.year,
        prefecture_signatory=prefecture_signatory,
        zone_signatory=zone_signatory,
        signed_on=signed_on,
        today=today,
    )
    checked = evidence_validate([scan] if scan else [], scan=True)

    def write(stored):
        fresh = ResponsibilityLetter.objects.select_for_update().get(pk=letter.pk)
        # The row is locked: two signings at once, or a page left open and a signing since, meet here.
        if signing_token(fresh) != (seen or signing_token(letter)):
            raise stale(SupervisionError(_("该责任书的签订情况刚被他人登记。")), signing_token(fresh))
        fresh.prefecture_signatory, fresh.zone_signatory = prefecture_signatory.strip(), zone_signatory.strip()
        fresh.signed_on = signed_on
        if checked:
            fresh.scan = _evidence_save(checked, stored, user=user)[0]
        fresh._history_user = user  # the earlier signing, scan and all, stays in the letter's history
        fresh.save()
        return fresh

    return _atomic_with_files(write)


def signing_token(letter: ResponsibilityLetter) -> str:
    """A letter's signing as a short token (signatories, date, scan), kept in the signing form as the page showed it."""
    signing = (letter.prefecture_signatory, letter.zone_signatory, letter.signed_on, letter.scan_id)
    return shown_token(*signing)


@transaction.atomic
def letter_target_set(*, letter_target: LetterTarget, user, committed_value, stretch_value, note: str) -> LetterTarget:
    """The letter's own value for a target, where it differs from the plan's (the difference is shown)."""
    if not access.is_office(user):
        raise SupervisionError(_("只有州开发区办可以修改责任书目标。"))
    letter_target.committed_value, letter_target.stretch_value = committed_value, stretch_value
    letter_target.note = note.strip()[:200]
    if letter_target.differs and not letter_target.note:
        raise SupervisionError(_("责任书目标与方案目标不一致时，请填写差异说明。"), field="note")
    letter_target.save(update_fields=["committed_value", "stretch_value", "note"])
    return letter_target


# Where each source kind's rows live (app_label.Model); a new source (e.g. an evaluation's 整改 item) adds a line.
SOURCE_MODELS = {
    SupervisionItem.Source.FLAG: "assessments.Flag",
    SupervisionItem.Source.RED_TARGET: "indicators.Target",
    SupervisionItem.Source.OVERDUE_WORK_ITEM: "supervision.WorkItem",
    SupervisionItem.Source.REPORT_PROBLEM: "indicators.DispatchReport",
    SupervisionItem.Source.EVALUATION_GAP: "evaluations.SubScore",  # 整改: a zone's weak sub-indicator of a year
}


def source_is_its_row(*, source: str, source_object) -> bool:
    """Whether `source_object` is a row of the kind `source` comes from (a flag for 问责提示, …)."""
    return source_object is not None and source_object._meta.label == SOURCE_MODELS.get(source)


def source_row_error(*, source: str, source_object, today: date | None = None) -> str | None:
    """Why an item of `source` cannot point at `source_object` on `today` (None: it may). An item of a row's kind
    (SOURCES_OF_A_ROW) follows up that row, else it belongs to no page: a flag, a work item overdue on `today`, a
    dispatch report that names its problems (存在问题), a target whose latest judged result on `today` is red (滞后, as
    the dashboards show it), an evaluation's sub-score. The issue service, the admin's form and the rows' pages (which
    offer 交办督办单 only where this is None) ask this."""
    if source not in SOURCES_OF_A_ROW:
        return None
    if not source_is_its_row(source=source, source_object=source_object):
        return _row_needed(source)
    today = today or timezone.localdate()
    row = source_object
    if source == SupervisionItem.Source.OVERDUE_WORK_ITEM and row.task_list.state != TaskList.State.ADOPTED:
        year = row.task_list.year
        return _("该工作事项所在的%(year)s年清单尚未印发，不能按逾期工作事项交办督办单。") % {"year": year}
    if source == SupervisionItem.Source.OVERDUE_WORK_ITEM and not rules.work_item_is_overdue(
        status=row.status, due_date=row.due_date, today=today, issued=True
    ):
        return _("该工作事项未逾期（完成时限：%(due)s），不能按逾期工作事项交办督办单。") % {
            "due": dates.day(row.due_date)
        }
    if source == SupervisionItem.Source.REPORT_PROBLEM and not row.problems.strip():
        return _("该调度报告未填写存在问题，不能按报告反映的问题交办督办单。")
    if source == SupervisionItem.Source.RED_TARGET:
        status = _target_status_on(row, today)
        if status != ProgressResult.Status.RED:
            return _("该目标目前的进展状态为“%(status)s”，不是滞后，不能按滞后目标交办督办单。") % {
                "status": ProgressResult.Status(status).label
            }
    return None


def _target_status_on(target: Target, day: date) -> str:
    """The status of `target`'s latest judged result on `day`, as the dashboards show it (`results_on`), an open
    milestone's judged again on `day` as the task and zone pages judge it (`engine.milestone_on_day`: due soon, or
    overdue once its deadline has passed); grey (暂无数据) without one."""
    row = (
        results_on(day).filter(target_id=target.pk).values_list("status", "reason_code", "inputs", "period_end").first()
    )
    if row is None:
        return ProgressResult.Status.GREY
    status, code, inputs, end = row
    if end < day and isinstance(inputs, dict):
        stretch = inputs.get("goal_basis") == "stretch"
        judged = engine.milestone_on_day(code, inputs.get("reason_params") or {}, day, stretch=stretch)
        if judged is not None:
            return judged[0]
    return status


def _row_needed(source: str) -> str:
    if source == SupervisionItem.Source.FLAG:
        return _("问责提示的督办单须关联所出自的问责提示：请在该问责提示的页面点击“交办督办单”。")
    if source == SupervisionItem.Source.RED_TARGET:
        return _("滞后目标的督办单须关联所出自的目标：请在该目标的页面点击“交办督办单”。")
    if source == SupervisionItem.Source.OVERDUE_WORK_ITEM:
        return _("逾期工作事项的督办单须关联所出自的工作事项：请在该工作事项的页面点击“交办督办单”。")
    if source == SupervisionItem.Source.REPORT_PROBLEM:
        return _("报告反映的问题须关联所出自的调度报告：请在该调度报告的页面点击“交办督办单”。")
    return _("评价差距整改须关联所出自的失分分项：请在评价差距页面点击“针对失分分项交办整改”。")


def source_resolve(*, source: str, ref: str):
    """The row a supervision item comes from, or None (a leader's instruction has none)."""
    label = SOURCE_MODELS.get(source)
    pk = whole_number(ref)
    if not label or pk is None:
        return None
    return apps.get_model(label)._default_manager.filter(pk=pk).first()


# --------------------------------------------------------------------------- reminders


def _recipients(obj) -> list:
    """The active users acting for the body responsible for `obj`."""
    users = User.objects.filter(is_active=True, role__in=BODY_STAFF_ROLES | BODY_REVIEWER_ROLES)
    if obj.department_id:
        return list(users.filter(department_id=obj.department_id, role__in=DEPARTMENT_ROLES))
    if obj.zone_id:
        return list(users.filter(zone_id=obj.zone_id, role__in=COMMITTEE_ROLES))
    return list(users.filter(county_id=obj.county_id, role__in=COUNTY_ROLES))


@transaction.atomic
def reminders_send(*, today: date, working_days: int, **_signal) -> int:
    """In-portal notices (and their mail, after the commit through the outbox) for work items and supervision items
    due within `working_days` working days, and once for each that has passed its deadline. Never twice for the same
    item, deadline and kind."""
    horizon = periods.deadline_for(today, working_days, working_days=True, is_workday=is_workday)
    notices = []  # (item, key, its words: a function giving the title and body in the language active)
    work = WorkItem.objects.filter(
        task_list__state=TaskList.State.ADOPTED, status=WorkItem.Status.OPEN, due_date__lte=horizon
    ).select_related("task")
    for item in work:
        late = rules.work_item_is_overdue(status=item.status, due_date=item.due_date, today=today, issued=True)

        def work_words(item=item, late=late):
            title = _("工作事项已逾期：%(title)s") if late else _("工作事项即将到期：%(title)s")
            body = _("完成时限：%(due)s；佐证材料：%(evidence)s。")
            return (
                title % {"title": item.title},
                body % {"due": dates.day(item.due_date), "evidence": item.evidence_required},
            )

        notices.append((item, f"workitem:{item.pk}:{item.due_date}:{'late' if late else 'due'}", work_words))
    # Only the items waiting for their body: one answered (by its deadline or after it) waits for the office.
    for item in SupervisionItem.objects.awaiting_body().filter(deadline__lte=horizon):
        late = item.deadline < today

        def supervision_words(item=item, late=late):
            title = _("督办单已逾期：%(number)s") if late else _("督办单即将到期：%(number)s")
            body = _("办理时限：%(due)s。%(requirement)s")
            return (
                title % {"number": item.number},
                body % {"due": dates.day(item.deadline), "requirement": item.requirement[:200]},
            )

        notices.append((item, f"supervision:{item.pk}:{item.deadline}:{'late' if late else 'due'}", supervision_words))
    notes = []
    for obj, key, words in notices:
        for user in _recipients(obj):
            title, body = worded_for(user, words)  # in each reader's language
            notes.append(Notification(user=user, title=title, body=body, key=key, link=obj.get_absolute_url()))
    return notifications_send(notes)
