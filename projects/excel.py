"""A project report as an Excel workbook: download it pre-filled, fill it offline, upload it back.

Reuses the indicator reports' Excel plumbing (indicators.reporting.services.excel: the safe opening of an upload,
the cell parsers, the error format) and saves through `project_report_save`, so an upload meets the same rights,
locking and rules as the form. A hidden sheet carries the report id and the version it was exported at; a hidden
column each row's field name. A refused file writes nothing and every problem names its row.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from indicators.reporting.services.excel import (
    XLSX_CONTENT_TYPE,
    CellError,
    ExcelImportError,
    cell_date,
    cell_decimal,
    cell_text,
    formula_errors,
    open_upload,
    reading,
    refuse,
    row_error,
    sheet_rows,
)
from tasks.models import Department

from . import services
from .models import ProjectReport, Stage

__all__ = ["XLSX_CONTENT_TYPE", "ExcelImportError", "project_report_import", "project_report_workbook"]

SHEET, META = "项目调度报告", "_meta"
FIELDS = (  # (field, label, kind)
    ("investment_period", _lazy("本期完成投资（万元）"), "decimal"),
    ("investment_to_date", _lazy("累计完成投资（万元）"), "decimal"),
    ("image_progress", _lazy("形象进度"), "text"),
    ("stage_reached", _lazy("达到阶段"), "stage"),
    ("stage_reached_on", _lazy("达到阶段日期"), "date"),
    ("problems", _lazy("存在问题"), "text"),
    ("coordination", _lazy("需协调事项"), "text"),
    ("coordination_unit", _lazy("协调单位"), "unit"),
)
FIRST_ROW = 3
MAX_ROWS = 40


def project_report_workbook(report: ProjectReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([f"{report.project.name} · {report.period.label}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([pgettext("list heading", "项目"), _("填报内容"), "field"])
    values = {
        "stage_reached": report.get_stage_reached_display() if report.stage_reached else None,
        "coordination_unit": report.coordination_unit.name if report.coordination_unit_id else None,
    }
    for name, label, _kind in FIELDS:
        value = values[name] if name in values else getattr(report, name)
        sheet.append([str(label), value if value not in ("", None) else None, name])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 24, 60
    sheet.column_dimensions["C"].hidden = True
    meta = book.create_sheet(META)
    meta.append(["report", report.pk])
    meta.append(["version", report.version])
    meta.sheet_state = "hidden"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(kind: str, raw):
    if kind == "decimal":
        return cell_decimal(raw, max_places=2)  # the amounts' two places, refused beyond (never rounded away)
    if kind == "date":
        return cell_date(raw)
    text = cell_text(raw)
    if kind == "stage":
        if not text:
            return ""
        by_label = {str(label): value for value, label in Stage.choices if value != Stage.EXITED}
        if text not in by_label:
            raise CellError(_("请填写以下阶段之一：%(stages)s。") % {"stages": _("、").join(by_label)})
        return by_label[text]
    if kind == "unit":
        if not text:
            return None
        unit = Department.objects.filter(name=text).first()
        if unit is None:
            raise CellError(_("未知的单位“%(name)s”，请填写单位全称。") % {"name": text[:40]})
        return unit.pk
    return text


def project_report_import(*, report: ProjectReport, user, content: bytes, submit: bool) -> ProjectReport:
    """Read the upload and save it as the form would; ExcelImportError (nothing written) when anything is wrong."""
    with reading(open_upload(content)) as book:
        if SHEET not in book.sheetnames or META not in book.sheetnames:
            raise refuse(row_error(_("不是本报告的模板：请从本页面下载模板填写后上传。")))
        meta = {row[0].value: row[1].value for row in book[META].iter_rows(min_row=1, max_row=2, max_col=2)}
        if meta.get("report") != report.pk:
            raise refuse(row_error(_("该文件是另一份报告的模板，请从本页面下载本报告的模板。")))
        # A formula is refused, as in the dispatch reports' upload: read as typed it is its text ("=B3*2" stored as the
        # image progress, or "请输入数字" for an amount), and a cached result is what some other program computed.
        if formulas := formula_errors(book, max_rows=MAX_ROWS, max_columns=3):
            raise refuse(*formulas)
        try:
            lines = [
                (number, *[cells[i].value if len(cells) > i else None for i in (1, 2)])
                for number, cells in sheet_rows(book[SHEET], max_rows=MAX_ROWS, max_columns=3)
            ]
        except CellError as error:
            raise refuse(row_error(str(error), sheet=SHEET)) from None
    by_name = {name: (label, kind) for name, label, kind in FIELDS}
    data, errors, rows_of = {}, [], {}
    for number, raw, name in lines:
        if number < FIRST_ROW or name not in by_name:
            continue
        label, kind = by_name[name]
        rows_of[name] = number
        try:
            data[name] = _cell(kind, raw)
        except CellError as error:
            errors.append(row_error(str(error), sheet=SHEET, row=number, column=str(label)))
    if missing := [str(label) for name, label, _kind in FIELDS if name not in rows_of]:
        # The hidden key column is what ties a row to its field: a row it does not name would be read as blank and wipe
        # the value stored. Such a workbook is not this report's template as downloaded.
        raise refuse(
            row_error(
                _("不是本报告的模板：隐藏的字段列（C列）缺少“%(fields)s”，请从本页面下载模板填写后上传。")
                % {"fields": _("、").join(missing)},
                sheet=SHEET,
            )
        )
    if errors:
        raise refuse(*errors)
    entry = services.ProjectReportInput(
        investment_period=data.get("investment_period"),
        investment_to_date=data.get("investment_to_date"),
        image_progress=data.get("image_progress") or "",
        stage_reached=data.get("stage_reached") or "",
        stage_reached_on=data.get("stage_reached_on"),
        problems=data.get("problems") or "",
        coordination=data.get("coordination") or "",
        coordination_unit_id=data.get("coordination_unit"),
    )
    version = meta.get("version")
    if type(version) is float and version.is_integer():
        version = int(version)
    if type(version) is not int:  # the hidden sheet was edited
        raise refuse(row_error(_("模板的版本信息已被改动：请从本页面重新下载模板填写后上传。")))
    try:
        return services.project_report_save(report=report, user=user, data=entry, version=version, submit=submit)
    except services.ReportError as error:
        found = [
            row_error(message, sheet=SHEET, row=rows_of.get(name), column=str(by_name[name][0]))
            for name, messages in error.errors.items()
            if name in by_name
            for message in messages
        ]
        raise refuse(*(found or [row_error(error.message)])) from None
