"""What the board and the figures page draw: ECharts specs (read by static/projects/gantt.js and the portal's
charts.js) and the board's Excel export. The words are chosen here, in the user's language."""

from datetime import date
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from chuxiong_portal import dates
from chuxiong_portal.words import bracketed

from . import rules

FILLS = {rules.GREEN: "C8E6C9", rules.AMBER: "FFE0B2", rules.RED: "FFCDD2", rules.GREY: "ECEFF1"}


def state_label(code: str) -> str:
    return {"done": _("按期完成"), "late": _("延期完成"), "overdue": _("逾期未完成"), "pending": _("未到期")}[code]


def status_label(status: str) -> str:
    return {rules.GREEN: _("正常"), rules.AMBER: _("预警"), rules.RED: _("滞后"), rules.GREY: _("暂无数据")}[status]


def amount(value) -> str:
    """万元 as read: thousands separated, cents only where there are some (9,680 / 8,800 / 67,292.5)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def investment_note(state: rules.InvestmentState) -> str:
    if state.attainment is None:
        return _("年度计划投资%(planned)s万元，尚未到序时节点") % {"planned": amount(state.planned)}
    return _("完成%(done)s万元 / 序时进度%(expected)s万元（%(pct)s%%）") % {
        "done": amount(state.done),
        "expected": amount(state.expected),
        "pct": (state.attainment * 100).quantize(1),
    }


def board_chart(rows, *, year: int, today: date) -> dict:
    """The Gantt: one row per project; per milestone a bar from its planned date to its actual date (or to
    today while overdue), coloured by its state, a hollow marker at the plan and a filled one when reached."""
    items = []
    for index, row in enumerate(rows):
        for m in row.milestones:
            end = m.actual_on or (today if m.state.code == "overdue" else m.planned_on)
            items.append(
                {
                    "row": index,
                    "planned": m.planned_on.isoformat(),
                    "end": end.isoformat(),
                    "actual": m.actual_on.isoformat() if m.actual_on else None,
                    # The tooltip's words: the days as every page writes them (the ISO days above place the bars).
                    "planned_shown": dates.day(m.planned_on),
                    "actual_shown": dates.day(m.actual_on),
                    "status": m.state.status,
                    "label": m.label,
                    "state": state_label(m.state.code),
                    "days": m.state.days_late,
                }
            )
    return {
        "id": "project-gantt",
        "title": _("%(year)d年重点项目挂图作战（倒排工期：计划 ◇ / 实际 ●）") % {"year": year},
        # The names are drawn by the page beside the chart (they stay in view while the chart scrolls sideways).
        "rows": [
            {
                "name": bracketed(row.project.name, row.project.zone.short_name or row.project.zone.name),
                "status": row.status,
            }
            for row in rows
        ],
        "items": items,
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
        "today": today.isoformat(),
        "labels": {"planned": _("计划"), "actual": _("实际"), "today": _("今天"), "days": _("%(n)s天")},
    }


def investment_charts(by_zone, by_cluster, *, year: int) -> list[dict]:
    months = [_("%(month)d月") % {"month": m} for m in range(1, 13)]

    def chart(chart_id, title, series_list):
        series = [
            {"name": s.label, "role": "actual", "data": [float(v) if v is not None else None for v in s.cumulative]}
            for s in series_list
        ]
        rows = [
            [s.label, f"{s.planned:,.2f}", *("—" if v is None else f"{v:,.2f}" for v in s.cumulative)]
            for s in series_list
        ]
        return {
            "id": chart_id,
            "title": title,
            "size": "md",
            "note": _("单位：万元；各月为年初至该月累计完成投资"),
            "spec": {
                "kind": "lines",
                "categories": months,
                "series": series,
                "unit": "",
                "plans": [{"name": s.label, "value": float(s.planned)} for s in series_list],
            },
            "headers": [_("名称"), _("年度计划"), *months],
            "rows": rows,
        }

    return [
        chart("investment-zone", _("%(year)d年各开发区重点项目完成投资（按月累计）") % {"year": year}, by_zone),
        chart("investment-cluster", _("%(year)d年各产业集群重点项目完成投资（按月累计）") % {"year": year}, by_cluster),
    ]


def board_workbook(rows, *, year: int, today: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("挂图作战")
    sheet.append([_("%(year)d年重点项目挂图作战表（截至%(today)s）") % {"year": year, "today": dates.day(today)}])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = [
        _("项目编号"),
        _("项目名称"),
        _("开发区"),
        _("产业集群"),
        _("项目阶段"),
        _("牵头单位"),
        _("包挂领导"),
        _("年度计划投资（万元）"),
        _("序时进度（万元）"),
        _("已完成投资（万元）"),
        _("状态"),
        _("倒排工期节点"),
    ]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        project = row.project
        nodes = _("；").join(_milestone_words(m) for m in row.milestones)
        sheet.append(
            [
                project.code,
                project.name,
                project.zone.name,
                project.cluster.name if project.cluster else "",
                project.get_stage_display(),
                project.lead_unit.name if project.lead_unit else "",
                project.leader_in_charge,
                row.investment.planned,
                row.investment.expected,
                row.investment.done,
                status_label(row.status),
                nodes,
            ]
        )
        sheet.cell(row=sheet.max_row, column=11).fill = PatternFill("solid", fgColor=FILLS[row.status])
        sheet.cell(row=sheet.max_row, column=12).alignment = Alignment(wrap_text=True)
    for column, width in zip("ABCDEFGHIJKL", (16, 30, 16, 12, 10, 16, 10, 12, 12, 12, 8, 60), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _milestone_words(milestone) -> str:
    """One node of the export's 倒排工期 column, 「主体完工 计划2026年10月20日 实际2025年7月22日 按期完成」, worded
    whole in the reader's language (the words glued to the dates read as "Planned2026-10-20" in English)."""
    words = {
        "node": milestone.label,
        "planned": dates.day(milestone.planned_on),
        "state": state_label(milestone.state.code),
    }
    if milestone.actual_on:
        return _("%(node)s 计划%(planned)s 实际%(actual)s %(state)s") % {
            **words,
            "actual": dates.day(milestone.actual_on),
        }
    return _("%(node)s 计划%(planned)s %(state)s") % words
