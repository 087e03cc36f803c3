"""The dispatch bulletin (调度通报) of one period: its data, and the same as an Excel workbook.

Who may read it is decided here too (`bulletin_allowed`), so the page and the download agree.
"""

from datetime import date
from io import BytesIO

import xlsxwriter
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from chuxiong_portal import dates
from chuxiong_portal.roles import Role
from chuxiong_portal.spreadsheets import FORMULA_STARTS
from chuxiong_portal.words import bracketed
from indicators.models import BulletinIssue, DispatchReport, ReportingPeriod

from . import dashboards

# Fills for status cells, the portal's colours lightened for print.
_FILLS = {"green": "C8E6C9", "amber": "FFE0B2", "red": "FFCDD2", "grey": "ECEFF1"}
_HEADER_COLOUR = "#B3261E"
_RULE_COLOUR = "#D9E0E7"


def bulletin_allowed(user) -> bool:
    """The bulletin is the prefecture office's circular to the units: the office and department reviewers read it.

    Zone leaders and statisticians see their own zone's page instead; department staff their to-do list.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or user.role in {Role.PREFECTURE_OFFICE, Role.DEPARTMENT_REVIEWER})


def overdue_reports(*, period: ReportingPeriod, today: date, limit: int = 300) -> list[DispatchReport]:
    """Reports of periods ending within `period` not submitted by their deadline (oldest deadline first): the ones
    the period summary's 逾期未报 counts (`timeliness_summary`), so a report the office waived is not one of them."""
    reports = list(
        DispatchReport.objects.counted()
        .filter(
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
    data["issued"] = dates.day(data["issue"].issued_on if data["issue"] else today)
    data["drawn_up"] = dates.day(today)
    data["issuer"] = issuer()
    data["copies_to"] = settings.BULLETIN_COPIES_TO
    data["unit_problems"] = unit_problems(period=period)
    return data


def issuer() -> str:
    """The issuing office (`PORTAL_BULLETIN_ISSUER`), in the heading and the 落款 alike: the page's heading had
    named the default office whatever the setting said. The default is worded in the reader's language (its
    msgid: `settings.BULLETIN_ISSUER_DEFAULT`); an office set by the deployment reads as it is set."""
    if settings.BULLETIN_ISSUER == settings.BULLETIN_ISSUER_DEFAULT:
        return _(settings.BULLETIN_ISSUER)
    return settings.BULLETIN_ISSUER


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
        group["items"].append(bracketed(what, report.period.label))
        group["max_days"] = max(group["max_days"], report.days_overdue)
    return sorted(groups.values(), key=lambda g: (-len(g["items"]), g["unit"]))


def bulletin_periods(*, today: date, selected: ReportingPeriod | None) -> list[ReportingPeriod]:
    """The periods one may pick: monthly ones of the plan's years whose deadline has passed, newest first, plus the
    selected one."""
    monthly = Q(cadence="monthly", deadline__lt=today)
    if selected is not None:  # the selected period's plan's periods
        monthly &= Q(plan_id=selected.plan_id)
    qs = ReportingPeriod.objects.of_plan_years().filter(monthly | Q(pk=getattr(selected, "pk", None)))
    return list(qs.order_by("-end", "cadence"))


# --- the workbook ---------------------------------------------------------------------------
# Written with XlsxWriter, which streams each sheet's XML as it goes: a few times faster than building openpyxl's
# cell objects and styles and serialising them afterwards. Every value is written by its type (text always as text,
# never read as a formula or a link); text that a spreadsheet could evaluate carries the quote prefix, as
# `neutralise_formulas` marks it in the portal's openpyxl workbooks.


class _Formats:
    """The workbook's cell formats, each made once: a body cell's (top-aligned, wrapped, thin bottom rule) with its
    status fill and its quote prefix as it needs them, the header's and the summary's."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self.made: dict[tuple, object] = {}
        self.header = workbook.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "pattern": 1,
                "bg_color": _HEADER_COLOUR,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True})

    def body(self, *, fill: str | None = None, quoted: bool = False):
        key = (fill, quoted)
        if key not in self.made:
            spec = {"valign": "top", "text_wrap": True, "bottom": 1, "bottom_color": _RULE_COLOUR}
            if fill:
                spec.update(pattern=1, bg_color=f"#{_FILLS[fill]}")
            if quoted:
                spec["quote_prefix"] = True
            self.made[key] = self.workbook.add_format(spec)
        return self.made[key]


def _write(sheet, row: int, column: int, value, fmt=None, quoted=None) -> None:
    """One cell, written by its type; text a spreadsheet could read as a formula in the `quoted` format (the quote
    prefix) when given."""
    if value is None or value == "":  # an empty cell, as openpyxl leaves "" (formatted where the row is)
        if fmt is not None:
            sheet.write_blank(row, column, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, column, value, quoted if quoted and value.startswith(FORMULA_STARTS) else fmt)
    else:
        sheet.write_number(row, column, value, fmt)


def _sheet(
    workbook: xlsxwriter.Workbook,
    formats: _Formats,
    title: str,
    headers: list[str],
    rows: list[list],
    widths: list[int],
    status_column: int | None = None,
    statuses: list[str] | None = None,
):
    sheet = workbook.add_worksheet(title)
    for column, header in enumerate(headers):
        _write(sheet, 0, column, header, formats.header)
    fills = statuses if status_column is not None and statuses else []
    for number, row in enumerate(rows, start=1):
        status = fills[number - 1] if number <= len(fills) else None
        for column, value in enumerate(row):
            fill = status if status in _FILLS and column == status_column - 1 else None
            _write(sheet, number, column, value, formats.body(fill=fill), formats.body(fill=fill, quoted=True))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    return sheet


def _summary_sheet(workbook: xlsxwriter.Workbook, formats: _Formats, data: dict) -> None:
    sheet = workbook.add_worksheet(_("概况"))
    period = data["period"]
    lines = [
        [_("调度期"), period.label],
        [_("统计区间"), f"{dates.day(period.start)}—{dates.day(period.end)}"],
        [_("报送截止"), dates.day(period.deadline)],
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
    sheet.merge_range(0, 0, 0, 3, _("楚雄州开发区提质增效三年行动调度通报"), formats.title)
    headings = {_("任务状态"), _("报送情况")}
    for number, line in enumerate(lines, start=1):
        fmt = formats.bold if line and line[0] in headings else None
        for column, value in enumerate(line):
            _write(sheet, number, column, value, fmt)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 34)


def _committed(card: dict) -> str:
    """A figure's committed goal cell: "无目标" only where the plan sets it no goal at all; a stretch-only (力争) goal,
    as 禄丰's and 牟定's output and every cluster's, has none committed ("—") and its value in the 力争 column."""
    if not card["has_target"]:
        return _("无目标")
    return card["goal"] or "—"


def bulletin_workbook(data: dict) -> bytes:
    """The bulletin as an .xlsx: a summary sheet, then one sheet per section, Chinese headers."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    formats = _Formats(workbook)
    _summary_sheet(workbook, formats, data)
    tasks = [(block, t) for block in data["board"]["programmes"] for t in block["tasks"]]
    _sheet(
        workbook,
        formats,
        _("任务进展"),
        [_("工程"), _("工程状态"), _("序号"), _("任务"), _("状态"), _("滞后原因")],
        [
            [
                f"{_('（')}{b['programme'].number}{_('）')}{b['programme'].name}".lstrip(),
                b["status_label"],
                t["task"].number,
                t["task"].title,
                t["status_label"],
                _("；").join(t["reasons"]),
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
                    _committed(card),
                    card["stretch"],
                    card["projection"],
                    card["status_label"],
                    card["reason"],
                ]
            )
            zone_statuses.append(card["status"])
    _sheet(
        workbook,
        formats,
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
        formats,
        _("产业集群"),
        [
            _("产业集群"),
            _("最新值"),
            _("截至"),
            _("预计%(year)s年") % {"year": data["goal_year"]},
            _("%(year)s年目标") % {"year": data["goal_year"]},
            _("力争"),
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
                _committed(c["card"]),
                c["card"]["stretch"],
                c["card"]["attainment"],
                c["card"]["status_label"],
                c["card"]["reason"],
            ]
            for c in data["clusters"]
        ],
        [16, 14, 16, 14, 14, 14, 10, 14, 60],
        status_column=8,
        statuses=[c["card"]["status"] for c in data["clusters"]],
    )
    flags = data["flags_open"]
    _sheet(
        workbook,
        formats,
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
        formats,
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
        formats,
        _("逾期未报"),
        [_("单位"), _("任务"), _("调度期"), _("截止日期"), _("逾期天数"), _("状态")],
        [
            [
                str(r.department or r.zone),
                f"{r.task.number}. {r.task.title}" if r.task_id else _("园区指标"),
                r.period.label,
                dates.day(r.period.deadline),
                r.days_overdue,
                r.get_state_display(),
            ]
            for r in data["overdue_reports"]
        ],
        [30, 34, 18, 16, 10, 10],
    )
    _sheet(
        workbook,
        formats,
        _("状态变化"),
        [_("指标"), _("范围"), _("上期状态"), _("本期状态"), _("说明")],
        [
            [
                c["indicator"].name,
                c["scope"],
                bracketed(c["old_label"], c["old_period"]),
                bracketed(c["new_label"], c["new_period"]),
                c["reason"],
            ]
            for c in data["changes"]
        ],
        [30, 18, 26, 26, 70],
        status_column=4,
        statuses=[c["new"] for c in data["changes"]],
    )
    workbook.close()
    return buffer.getvalue()


def bulletin_filename(period: ReportingPeriod) -> str:
    return f"调度通报-{period.label}.xlsx"
