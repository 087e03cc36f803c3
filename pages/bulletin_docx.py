"""The dispatch bulletin as an editable Word document (python-docx): the office edits it before sending.

Drawn from the same data as the page (`bulletin.bulletin_build`): the issuing office's heading, 第N期 (or
"待印发" while the bulletin is a draft), the sections of the page, the units' 存在问题 and 下步打算, then the
落款 (office and date), 抄送 and 印发 lines. A4 portrait, Chinese text in 宋体.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from chuxiong_portal import dates
from chuxiong_portal.words import bracketed
from projects.board import amount

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_RED = RGBColor(0xC0, 0x00, 0x00)


def bulletin_docx(data: dict, *, projects: dict | None = None) -> bytes:
    """The bulletin of ``data`` (``bulletin_build``) as a .docx; ``projects`` adds the key projects' counts."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")

    period, issue = data["period"], data["issue"]
    _centred(document, data["issuer"], size=20, bold=True, colour=_RED)
    _centred(document, _("开发区提质增效三年行动调度通报"), size=18, bold=True)
    number = (
        _("%(y)s年第%(n)s期") % {"y": issue.year, "n": issue.number} if issue else _("（待印发：期号在印发时编定）")
    )
    _centred(document, number, size=12)
    _centred(document, bracketed(period.label, f"{dates.day(period.start)}—{dates.day(period.end)}"), size=12)

    board, totals = data["board"], data["dispatch"]["totals"]
    document.add_heading(_("一、总体进展"), level=1)
    document.add_paragraph(board["summary"])
    # Each red task under its own number in the plan, not a list's running count beside it (1. 1. …, 2. 5. …).
    for task in data["red_tasks"]:
        reasons = _("；").join(str(reason) for reason in task.get("reasons") or [])
        line = f"{task['task'].number}. {task['task'].title}"
        document.add_paragraph(f"{line}{_('：')}{reasons}" if reasons else line)

    document.add_heading(_("二、各开发区核心指标"), level=1)
    headlines = data["headlines"]
    if headlines:
        names = [card["name"] for card in headlines[0]["cards"]]
        rows = [
            [
                row["zone"].name,
                *[
                    (bracketed(card["value"], card["status_label"]) if card["has_target"] else _("无目标"))
                    for card in row["cards"]
                ],
            ]
            for row in headlines
        ]
        _table(document, [_("开发区"), *names], rows)
    # Task 9's cluster goals, as the page and the workbook print them under the same section.
    if data["clusters"]:
        year = {"year": data["goal_year"]}
        document.add_heading(_("产业集群（任务9）"), level=2)
        _table(
            document,
            [_("产业集群"), _("最新值"), _("预计%(year)s年") % year, _("%(year)s年目标") % year, _("状态")],
            [
                [
                    row["cluster"].name,
                    " ".join(part for part in (row["card"]["value"], row["card"]["as_of"]) if part),
                    row["card"]["projection"] or "—",
                    _cluster_goal(row["card"]),
                    row["card"]["status_label"],
                ]
                for row in data["clusters"]
            ],
        )

    document.add_heading(_("三、问责提示"), level=1)
    document.add_paragraph(
        _("待处理问责提示%(n)s条，其中%(w)s新增%(m)s条。")
        % {"n": len(data["flags_open"]), "w": data["window_label"], "m": len(data["flags_new"])}
    )
    # Each flag with the evaluation it rests on, as the page and the workbook give it: the national high-tech zone's
    # national ranking raises flags of its own (高新区 2024 reads 考核结果好 in the province and 未实现每年有提升 in
    # the national evaluation).
    _table(
        document,
        [_("开发区"), _("评价体系"), _("年度"), _("规则"), _("处理状态")],
        [
            [
                row["flag"].zone.name,
                row["flag"].get_scheme_display(),
                str(row["flag"].year),
                row["flag"].get_rule_display(),
                row["flag"].get_state_display(),
            ]
            for row in data["flags_open"]
        ],
    )

    document.add_heading(_("四、报送情况"), level=1)
    document.add_paragraph(
        _("本期应报%(t)s份，按时报送%(o)s份，迟报%(l)s份，逾期未报%(v)s份；报送率%(c)s，按时率%(r)s。")
        % {
            "t": totals["total"],
            "o": totals["on_time"],
            "l": totals["late"],
            "v": totals["overdue"],
            "c": totals["completeness_label"],
            "r": totals["on_time_label"],
        }
    )
    if data["late_units"]:
        _table(
            document,
            [_("单位"), _("应报"), _("迟报"), _("逾期未报"), _("按时率")],
            [
                [str(r["unit"]), str(r["total"]), str(r["late"]), str(r["overdue"]), str(r["on_time_label"])]
                for r in data["late_units"]
            ],
        )

    document.add_heading(_("五、与上期相比"), level=1)
    document.add_paragraph(
        _("目标状态发生变化%(n)s项；本期审核通过报告%(a)s份。")
        % {"n": len(data["changes"]), "a": data["approvals"]["count"]}
    )

    if projects is not None:
        document.add_heading(_("六、重点项目"), level=1)
        counts = projects["counts"]
        document.add_paragraph(
            _(
                "%(year)s年度重点项目建设清单共%(n)s个项目：正常%(green)s个、预警%(amber)s个、滞后%(red)s个；"
                "年度计划投资%(planned)s万元，已完成%(done)s万元。"
            )
            % {
                "year": projects["year"],
                "n": len(projects["rows"]),
                "green": counts["green"],
                "amber": counts["amber"],
                "red": counts["red"],
                "planned": amount(projects["planned"]),
                "done": amount(projects["done"]),
            }
        )

    document.add_heading(_("七、各单位存在问题和下步打算"), level=1)
    for report in data["unit_problems"]:
        document.add_heading(f"{report.task.number}. {report.task.title} · {report.department or report.zone}", level=2)
        if report.problems:
            _labelled(document, _("存在问题"), report.problems)
        if report.next_steps:
            _labelled(document, _("下步打算"), report.next_steps)
    if not data["unit_problems"]:
        document.add_paragraph(_("本期已报送的报告中没有填写存在问题和下步打算。"))

    for line in (data["issuer"], data["issued"]):  # 落款: the office and the date, on the right
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(f"{_('抄送')}{_('：')}{_('，').join(data['copies_to'])}{_('。')}")
    document.add_paragraph(
        _("%(who)s %(when)s印发") % {"who": data["issuer"], "when": data["issued"]}
        if issue
        else f"{data['issuer']} {_('（待印发）')}"
    )

    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _cluster_goal(card: dict) -> str:
    """A cluster's goal as the page shows it: ≥ a committed value, 力争 a stretch one (task 9's are all 力争)."""
    if card["goal"]:
        return f"≥{card['goal']}"
    if card["stretch"]:
        return f"{_('力争')}{card['stretch']}"
    return "—"


def _centred(document, text: str, *, size: int, bold: bool = False, colour: RGBColor | None = None) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    if colour is not None:
        run.font.color.rgb = colour


def _labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}{_('：')}").bold = True
    paragraph.add_run(text)


def _table(document, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
