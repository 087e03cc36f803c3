"""The dispatch bulletin (调度通报) of one period: its data, and the same as an Excel workbook.

Who may read it is decided here too (`bulletin_allowed`), so the page and the download agree.
"""

from copy import copy
from datetime import date
from io import BytesIO

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from chuxiong_portal.roles import Role
from chuxiong_portal.spreadsheets import neutralise_formulas
from indicators.models import BulletinIssue, DispatchReport, ReportingPeriod

from . import dashboards

# Fills for status cells, the portal's colours lightened for print.
_FILLS = {"green": "C8E6C9", "amber": "FFE0B2", "red": "FFCDD2", "grey": "ECEFF1"}
_STATUS_FILLS = {status: PatternFill("solid", fgColor=colour) for status, colour in _FILLS.items()}
_HEADER_FILL = PatternFill("solid", fgColor="B3261E")
_THIN = Side(style="thin", color="D9E0E7")
_BODY = "bulletin-body"


def _body_style() -> NamedStyle:
    # One named style for every body cell: far cheaper than setting alignment and border cell by cell.
    return NamedStyle(name=_BODY, alignment=Alignment(vertical="top", wrap_text=True), border=Border(bottom=_THIN))


def bulletin_allowed(user) -> bool:
    """The bulletin is the prefecture office's circular to the units: the office and department reviewers read it.

    Zone leaders and statisticians see their own zone's page instead; department staff their to-do list.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or user.role in {Role.PREFECTURE_OFFICE, Role.DEPARTMENT_REVIEWER})


def overdue_reports(*, period: ReportingPeriod, today: date, limit: int = 300) -> list[DispatchReport]:
    """Reports of periods ending within `period` not submitted by their deadline (oldest deadline first)."""
    reports = list(
        DispatchReport.objects.filter(
            period__end__gte=period.start,
            period__end__lte=period.end,
            period__plan_id=period.plan_id,
            first_submitted_at__isnull=True,
            period__deadline__lt=today,
        )
        .exclude(state=DispatchReport.State.APPROVED)
        .select_related("department", "zone", "task", "period")
        .order_by("period__deadline", "department__order", "zone__order", "task__number")[:limit]
    )
    for report in reports:
        report.days_overdue = (today - report.period.deadline).days
    return reports


def bulletin_build(*, period: ReportingPeriod, today: date) -> dict:
    """The bulletin's content: the period's summary, plus who is late or overdue and which reports are missing."""
    data = dashboards.period_summary(period=period, today=today)
    rows = data["dispatch"]["rows"]
    data["late_units"] = [r for r in rows if r["late"] or r["overdue"]]
    data["overdue_reports"] = overdue_reports(period=period, today=today)
    data["overdue_by_unit"] = _by_unit(data["overdue_reports"])
    data["red_tasks"] = [t for block in data["board"]["programmes"] for t in block["tasks"] if t["status"] == "red"]
    data["today"] = today
    data["issue"] = bulletin_issue_of(period)
    # 落款 date: the day it was issued; a draft carries the day it was drawn up.
    data["issued"] = dashboards.day_label(data["issue"].issued_on if data["issue"] else today)
    data["drawn_up"] = dashboards.day_label(today)
    data["issuer"] = settings.BULLETIN_ISSUER
    data["copies_to"] = settings.BULLETIN_COPIES_TO
    data["unit_problems"] = unit_problems(period=period)
    return data


def bulletin_issue_of(period: ReportingPeriod) -> BulletinIssue | None:
    """The period's bulletin as issued (its 第N期 and date, kept since), or None while it is a draft."""
    return BulletinIssue.objects.filter(period=period).first()


def unit_problems(*, period: ReportingPeriod) -> list[DispatchReport]:
    """The units' 存在问题 and 下步措施 from the period's submitted and approved task reports, by task."""
    return list(
        DispatchReport.objects.filter(
            period=period, task__isnull=False, state__in=[DispatchReport.State.SUBMITTED, DispatchReport.State.APPROVED]
        )
        .exclude(problems="", next_steps="")
        .select_related("task", "department")
        .order_by("task__number", "department__name")[:200]
    )


def _by_unit(reports: list[DispatchReport]) -> list[dict]:
    """Overdue reports grouped by unit, for a compact printed list (the workbook keeps one row per report)."""
    groups: dict[str, dict] = {}
    for report in reports:
        unit = str(report.department or report.zone)
        group = groups.setdefault(unit, {"unit": unit, "items": [], "max_days": 0})
        what = _("任务%(n)s") % {"n": report.task.number} if report.task_id else _("园区指标")
        group["items"].append(f"{what}（{report.period.label}）")
        group["max_days"] = max(group["max_days"], report.days_overdue)
    return sorted(groups.values(), key=lambda g: (-len(g["items"]), g["unit"]))


def bulletin_periods(*, today: date, selected: ReportingPeriod | None) -> list[ReportingPeriod]:
    """The periods one may pick: monthly ones whose deadline has passed, newest first, plus the selected one."""
    monthly = Q(cadence="monthly", deadline__lt=today)
    if selected is not None:  # the selected period's plan's periods
        monthly &= Q(plan_id=selected.plan_id)
    qs = ReportingPeriod.objects.filter(monthly | Q(pk=getattr(selected, "pk", None)))
    return list(qs.order_by("-end", "cadence"))


# --- the workbook ---------------------------------------------------------------------------


def _sheet(
    workbook: Workbook,
    title: str,
    headers: list[str],
    rows: list[list],
    widths: list[int],
    status_column: int | None = None,
    statuses: list[str] | None = None,
):
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    body = None
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if body is None:
                cell.style = _BODY
                body = cell._style
            else:
                # The style the first body cell was given, copied as openpyxl copies a cell's style: a named
                # style set by name is looked up anew on every cell (a province's workbook has thousands).
                cell._style = copy(body)
    if status_column is not None and statuses:
        for offset, status in enumerate(statuses, start=2):
            if status in _FILLS:
                sheet.cell(row=offset, column=status_column).fill = _STATUS_FILLS[status]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return sheet


def _summary_sheet(workbook: Workbook, data: dict) -> None:
    sheet = workbook.active
    sheet.title = _("概况")
    period = data["period"]
    lines = [
        [_("楚雄州开发区提质增效三年行动调度通报")],
        [_("调度期"), period.label],
        [_("统计区间"), f"{dashboards.day_label(period.start)}—{dashboards.day_label(period.end)}"],
        [_("报送截止"), dashboards.day_label(period.deadline)],
        [_("生成日期"), data["issued"]],
        [_("变化统计区间"), data["window_label"]],
        [],
        [_("任务状态"), _("任务数")],
    ]
    for _status, label, count in data["board"]["counts_labelled"]:
        lines.append([label, count])
    totals = data["dispatch"]["totals"]
    lines += [
        [],
        [_("报送情况"), _("份数")],
        [_("应报"), totals["total"]],
        [_("按时报送"), totals["on_time"]],
        [_("迟报"), totals["late"]],
        [_("逾期未报"), totals["overdue"]],
        [_("未到截止日"), totals["not_due"]],
        [_("报送率"), totals["completeness_label"]],
        [_("按时率"), totals["on_time_label"]],
        [],
        [_("待处理问责提示"), len(data["flags_open"])],
        [_("本期新增问责提示"), len(data["flags_new"])],
        [_("本期审核通过报告"), data["approvals"]["count"]],
        [_("状态变化的目标"), len(data["changes"])],
    ]
    for line in lines:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:D1")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 34
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in {_("任务状态"), _("报送情况")}:
            for cell in row:
                cell.font = Font(bold=True)


def bulletin_workbook(data: dict) -> bytes:
    """The bulletin as an .xlsx: a summary sheet, then one sheet per section, Chinese headers."""
    workbook = Workbook()
    workbook.add_named_style(_body_style())
    _summary_sheet(workbook, data)
    tasks = [(block, t) for block in data["board"]["programmes"] for t in block["tasks"]]
    _sheet(
        workbook,
        _("任务进展"),
        [_("工程"), _("工程状态"), _("序号"), _("任务"), _("状态"), _("滞后原因")],
        [
            [
                f"（{b['programme'].number}）{b['programme'].name}",
                b["status_label"],
                t["task"].number,
                t["task"].title,
                t["status_label"],
                "；".join(t["reasons"]),
            ]
            for b, t in tasks
        ],
        [26, 10, 6, 30, 10, 70],
        status_column=5,
        statuses=[t["status"] for _b, t in tasks],
    )
    zone_rows, zone_statuses = [], []
    for row in data["headlines"]:
        for card in row["cards"]:
            zone_rows.append(
                [
                    row["zone"].name,
                    card["name"],
                    card["value"],
                    card["as_of"],
                    card["expected"],
                    card["attainment"],
                    card["goal"] or _("无目标"),
                    card["stretch"],
                    card["projection"],
                    card["status_label"],
                    card["reason"],
                ]
            )
            zone_statuses.append(card["status"])
    _sheet(
        workbook,
        _("开发区指标"),
        [
            _("开发区"),
            _("指标"),
            _("最新值"),
            _("截至"),
            _("序时目标"),
            _("完成率"),
            _("%(year)s年目标") % {"year": data["goal_year"]},
            _("力争"),
            _("预计%(year)s年") % {"year": data["goal_year"]},
            _("状态"),
            _("说明"),
        ],
        zone_rows,
        [16, 22, 14, 14, 14, 10, 14, 12, 14, 14, 60],
        status_column=10,
        statuses=zone_statuses,
    )
    _sheet(
        workbook,
        _("产业集群"),
        [
            _("产业集群"),
            _("最新值"),
            _("截至"),
            _("预计%(year)s年") % {"year": data["goal_year"]},
            _("%(year)s年目标") % {"year": data["goal_year"]},
            _("完成率"),
            _("状态"),
            _("说明"),
        ],
        [
            [
                c["cluster"].name,
                c["card"]["value"],
                c["card"]["as_of"],
                c["card"]["projection"],
                c["card"]["goal"],
                c["card"]["attainment"],
                c["card"]["status_label"],
                c["card"]["reason"],
            ]
            for c in data["clusters"]
        ],
        [16, 14, 16, 14, 14, 10, 14, 60],
        status_column=7,
        statuses=[c["card"]["status"] for c in data["clusters"]],
    )
    flags = data["flags_open"]
    _sheet(
        workbook,
        _("问责提示"),
        [_("开发区"), _("评价体系"), _("年度"), _("规则"), _("依据"), _("处理措施"), _("责任主体"), _("处理状态")],
        [
            [
                f["flag"].zone.name,
                f["flag"].get_scheme_display(),
                f["flag"].year,
                f["flag"].get_rule_display(),
                f["evidence"],
                f["flag"].consequence_words,
                f["flag"].responsible_party_words,
                f["flag"].get_state_display(),
            ]
            for f in flags
        ],
        [16, 18, 8, 20, 40, 50, 22, 10],
    )
    dispatch = data["dispatch"]["rows"]
    _sheet(
        workbook,
        _("报送情况"),
        [_("单位"), _("应报"), _("按时"), _("迟报"), _("逾期未报"), _("未到期"), _("报送率"), _("按时率")],
        [
            [
                r["unit"],
                r["total"],
                r["on_time"],
                r["late"],
                r["overdue"],
                r["not_due"],
                r["completeness_label"],
                r["on_time_label"],
            ]
            for r in dispatch
        ],
        [30, 8, 8, 8, 10, 10, 10, 10],
        status_column=5,
        statuses=["red" if r["overdue"] else "" for r in dispatch],
    )
    _sheet(
        workbook,
        _("逾期未报"),
        [_("单位"), _("任务"), _("调度期"), _("截止日期"), _("逾期天数"), _("状态")],
        [
            [
                str(r.department or r.zone),
                f"{r.task.number}. {r.task.title}" if r.task_id else _("园区指标"),
                r.period.label,
                dashboards.day_label(r.period.deadline),
                r.days_overdue,
                r.get_state_display(),
            ]
            for r in data["overdue_reports"]
        ],
        [30, 34, 18, 16, 10, 10],
    )
    _sheet(
        workbook,
        _("状态变化"),
        [_("指标"), _("范围"), _("上期状态"), _("本期状态"), _("说明")],
        [
            [
                c["indicator"].name,
                c["scope"],
                f"{c['old_label']}（{c['old_period']}）",
                f"{c['new_label']}（{c['new_period']}）",
                c["reason"],
            ]
            for c in data["changes"]
        ],
        [30, 18, 26, 26, 70],
        status_column=4,
        statuses=[c["new"] for c in data["changes"]],
    )
    neutralise_formulas(workbook)  # reasons, evidence and unit names are text users typed
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bulletin_filename(period: ReportingPeriod) -> str:
    return f"调度通报-{period.label}.xlsx"
