"""One dispatch report as an Excel workbook: download it pre-filled, fill it offline, upload it.

The upload goes through the same rules as the browser form: values are checked with
`value_error`, and only a file that is valid in every row reaches `report_save`, which
checks rights, the version (optimistic locking) and the report's own rules again, in one
transaction. A refused file writes nothing; every problem is reported with its sheet,
row and column, in Chinese.

The workbook carries hidden metadata (a hidden sheet with the report id and the version it
was exported at, and a hidden column with each row's slot key), so that an upload is matched
to its report and its rows reliably even when the user reorders rows.
"""

import io
import logging
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from .. import permissions
from ..models import DispatchReport
from ..selectors import ValueSlot, report_slots
from .reports import ReportError, ReportInput, StaleReportError, report_save, value_error

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT = "chuxiong-dispatch-report/1"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 10 * 1024 * 1024  # a 5 MB file that inflates beyond this is not a report
MAX_VALUE_ROWS = 2000
MAX_REPORT_ROWS = 200
MAX_COLUMNS = 40
MAX_TEXT = 5000
FOUR_PLACES = Decimal("0.0001")
TOO_BIG = Decimal("1e14")  # value_error refuses it with its own message

REPORT_SHEET = "调度报告"
VALUES_SHEET = "指标数据"
META_SHEET = "_meta"

LABEL_ID = "报告编号"
LABEL_VERSION = "版本"
COL_CODE = "指标代码"
COL_WHERE = "范围"
COL_NAME = "指标名称"
COL_SCOPE_NAME = "范围名称"
COL_PERIOD = "期别"
COL_UNIT = "计量单位"
COL_VALUE = "本期值"
COL_DONE = "完成日期"
COL_PREVIOUS = "上期值"
COL_KEY = "行键"  # hidden; the slot key
VALUE_COLUMNS = [COL_CODE, COL_WHERE, COL_NAME, COL_SCOPE_NAME, COL_PERIOD, COL_UNIT, COL_VALUE, COL_DONE,
                 COL_PREVIOUS, COL_KEY]
REQUIRED_COLUMNS = [COL_CODE, COL_WHERE, COL_UNIT, COL_VALUE, COL_DONE]
COLUMN_WIDTHS = [28, 18, 40, 18, 16, 10, 14, 14, 16, 40]

# The narrative fields, labelled in Chinese whatever the user's language: the labels are the file format.
NARRATIVE = [
    ("progress", "推进情况"),
    ("progress_pct", "完成进度（%）"),
    ("work_done", "工作进展"),
    ("problems", "存在问题"),
    ("next_steps", "下步措施"),
    ("delay_reason", "滞后原因"),
]
PROGRESS_LABELS = {
    DispatchReport.Progress.NOT_STARTED: "未启动",
    DispatchReport.Progress.IN_PROGRESS: "推进中",
    DispatchReport.Progress.DONE: "已完成",
    DispatchReport.Progress.DELAYED: "滞后",
}
BLANKS = {"", "-", "—", "–", "－", "——", "/"}
GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
EXCEL_SERIAL_RANGE = (36526, 73051)  # 2000-01-01 .. 2099-12-31


# --- results and errors ------------------------------------------------------------------


@dataclass
class ImportResult:
    report: DispatchReport
    submitted: bool
    rows: int  # value rows read from the file
    changed: int  # values that differ from what was stored before


class ExcelImportError(Exception):
    """A refused upload. `errors` is a list of {sheet, row, column, message}; nothing was written."""

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


def row_error(message: str, *, sheet: str = "", row: int | None = None, column: str = "") -> dict:
    return {"sheet": sheet, "row": row, "column": column, "message": str(message)}


def _refuse(*errors: dict) -> ExcelImportError:
    return ExcelImportError(_("上传未成功，没有写入任何数据。请按提示修改后重新上传。"), list(errors))


def error_text(error: dict) -> str:
    """One error as a line for the user: “指标数据”第5行“本期值”：……"""
    where = ""
    if error.get("sheet"):
        where += f"“{error['sheet']}”"
    if error.get("row"):
        where += _("第%(row)s行") % {"row": error["row"]}
    if error.get("column"):
        where += f"“{error['column']}”"
    return f"{where}：{error['message']}" if where else error["message"]


def edit_refusal(user, report: DispatchReport) -> str | None:
    """Why `user` may not change `report`, with the same messages as `report_save`; None when they may."""
    if permissions.can_edit(user, report):
        return None
    if report.period.is_locked:
        return _("该调度期已关闭，不能再修改。")
    if report.state == DispatchReport.State.APPROVED:
        return _("该报告已审核锁定，如需修改请联系州开发区办重新开放。")
    if report.state == DispatchReport.State.SUBMITTED and permissions.can_edit(user, _as_draft(report)):
        return _("该报告已提交，正在等待审核，暂不能修改。")
    return _("您没有修改该报告的权限。")


def _as_draft(report: DispatchReport) -> DispatchReport:
    copy = DispatchReport(pk=report.pk, department_id=report.department_id, zone_id=report.zone_id,
                          task_id=report.task_id, period=report.period, state=DispatchReport.State.DRAFT)
    return copy


# --- export --------------------------------------------------------------------------------


def _where(slot: ValueSlot) -> str:
    return slot.zone.code if slot.zone else slot.cluster.code if slot.cluster else "all"


def _narrative_fields(report: DispatchReport) -> list[tuple[str, str]]:
    """The fields the report page shows: all of them for a task, only the progress text for a zone."""
    if report.task_id:
        return NARRATIVE
    return [(name, label) for name, label in NARRATIVE if name == "work_done"]


def _number(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def report_workbook(report: DispatchReport) -> bytes:
    """The report as a pre-filled .xlsx: narrative on “调度报告”, one row per value on “指标数据”."""
    slots = report_slots(report)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    ws = wb.active
    ws.title = REPORT_SHEET
    ws.append([_("楚雄州开发区调度报告（Excel填报模板）")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("说明：只填写黄色单元格；“推进情况”请从下拉列表选择；请勿修改A列标签。"
                 "“指标数据”表中，节点类指标只填“完成日期”（未完成留空），其他指标按“计量单位”填写“本期值”；"
                 "请勿修改指标代码、范围和计量单位。文件全部校验通过才会写入系统。")])
    ws.merge_cells("A2:B2")
    ws["A2"].alignment = wrap
    ws.row_dimensions[2].height = 60
    who_label = _("填报单位") if report.department_id else _("开发区")
    task = f"{report.task.number}. {report.task.title}" if report.task_id else _("园区指标")
    header = [
        (LABEL_ID, report.pk),
        (who_label, str(report.department or report.zone)),
        (_("任务"), task),
        (_("调度期"), report.period.label),
        (_("报送截止"), report.period.deadline),
        (LABEL_VERSION, report.version),
        (_("状态"), report.get_state_display()),
    ]
    for label, value in header:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = bold
        ws.cell(ws.max_row, 2).alignment = Alignment(horizontal="left")
        if isinstance(value, date):
            ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    ws.append([])
    for name, label in _narrative_fields(report):
        value = getattr(report, name)
        if name == "progress":
            value = PROGRESS_LABELS.get(value, "")
        ws.append([label, value if value not in (None, "") else None])
        row = ws.max_row
        ws.cell(row, 1).font = bold
        ws.cell(row, 1).alignment = Alignment(vertical="top")
        cell = ws.cell(row, 2)
        cell.fill = input_fill
        cell.alignment = wrap
        if name == "progress":
            choices = DataValidation(type="list", formula1='"' + ",".join(PROGRESS_LABELS.values()) + '"',
                                     allow_blank=True, showErrorMessage=True, errorTitle=_("推进情况"),
                                     error=_("请从下拉列表选择：未启动、推进中、已完成、滞后。"))
            ws.add_data_validation(choices)
            choices.add(cell.coordinate)
        elif name == "progress_pct":
            cell.number_format = "0"
        else:
            ws.row_dimensions[row].height = 60
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90

    vs = wb.create_sheet(VALUES_SHEET)
    vs.append(VALUE_COLUMNS)
    for cell in vs[1]:
        cell.font, cell.fill = bold, head_fill
    for slot in slots:
        current, previous = slot.current, slot.previous
        if slot.is_milestone:
            value = None
            done_on = current.done_on if current else None
            before = (previous.done_on or _("未完成")) if previous else None
        else:
            value = _number(current.value) if current else None
            done_on = None
            before = _number(previous.value) if previous else None
        vs.append([slot.indicator.code, _where(slot), slot.indicator.name, slot.scope_label, slot.period.label,
                   slot.indicator.unit, value, done_on, before, slot.key])
        row = vs.max_row
        vs.cell(row, VALUE_COLUMNS.index(COL_DONE) + 1).number_format = "yyyy-mm-dd"
        vs.cell(row, VALUE_COLUMNS.index(COL_PREVIOUS) + 1).number_format = "yyyy-mm-dd" if slot.is_milestone \
            else "General"
        target = COL_DONE if slot.is_milestone else COL_VALUE
        vs.cell(row, VALUE_COLUMNS.index(target) + 1).fill = input_fill
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        vs.column_dimensions[vs.cell(1, index).column_letter].width = width
    vs.column_dimensions[vs.cell(1, len(VALUE_COLUMNS)).column_letter].hidden = True
    vs.freeze_panes = "A2"

    meta = wb.create_sheet(META_SHEET)
    for key, value in (("format", FORMAT), ("report_id", report.pk), ("version", report.version),
                       ("exported_at", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"))):
        meta.append([key, value])
    meta.sheet_state = "hidden"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_filename(report: DispatchReport) -> str:
    who = str(report.department or report.zone)
    what = _("任务%(number)s") % {"number": report.task.number} if report.task_id else _("园区指标")
    name = f"{_('调度报告')}_{who}_{what}_{report.period.label}_{report.pk}.xlsx"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name)


# --- import: reading cells ----------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return _("是") if raw else _("否")
    if isinstance(raw, datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if raw.time() != time() else raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _is_percent_format(number_format) -> bool:
    return bool(number_format) and "%" in str(number_format)


def _decimal(raw, *, number_format=None, unit: str = "") -> Decimal | None:
    """A number from a cell, rounded to 4 places; CellError with the user's message when it is none."""
    invalid = _("请输入数字，例如 123.45。")
    if raw is None:
        return None
    if isinstance(raw, bool) or isinstance(raw, (datetime, date, time)):
        raise CellError(invalid)
    if isinstance(raw, (int, float, Decimal)):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise CellError(invalid)
        value = Decimal(str(raw))
        if _is_percent_format(number_format):
            if unit != "%":
                raise CellError(_("该单元格是百分比格式，请改为常规数字格式，按“%(unit)s”填写。")
                                % {"unit": unit or "—"})
            value *= 100  # shown as 45%, stored as 0.45: the user means 45 (%)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
        if text in BLANKS:
            return None
        if GROUPED.fullmatch(text):
            text = text.replace(",", "")  # 1,234.5 — thousands separators only, never a decimal comma
        if text.endswith("%") and unit == "%":
            text = text[:-1]
        if not NUMBER.fullmatch(text):
            raise CellError(invalid)
        value = Decimal(text)
    else:
        raise CellError(invalid)
    if abs(value) < TOO_BIG:
        value = value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    return value


def _date(raw) -> date | None:
    invalid = _("请输入有效日期，例如 2024-06-30。")
    if raw is None:
        return None
    if isinstance(raw, datetime):
        day = raw.date()
    elif isinstance(raw, date):
        day = raw
    elif isinstance(raw, bool) or isinstance(raw, time):
        raise CellError(invalid)
    elif isinstance(raw, (int, float)):
        low, high = EXCEL_SERIAL_RANGE
        if not (isinstance(raw, int) or math.isfinite(raw)) or not low <= raw <= high:
            raise CellError(invalid)
        day = from_excel(raw).date()
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if text in BLANKS:
            return None
        text = text.split(" ")[0].split("T")[0]
        for fmt in DATE_FORMATS:
            try:
                day = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise CellError(invalid)
    else:
        raise CellError(invalid)
    if not 2000 <= day.year <= 2099:
        raise CellError(_("日期%(day)s超出合理范围，请检查。") % {"day": day.isoformat()})
    return day


def _int_pct(raw, number_format=None) -> int | None:
    invalid = _("请输入0到100之间的整数。")
    try:
        value = _decimal(raw, number_format=number_format, unit="%")
    except CellError:
        raise CellError(invalid) from None
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(invalid)
    if value < 0:
        raise CellError(_("完成进度不能小于0。"))
    if value > 100:
        raise CellError(_("完成进度不能大于100。"))
    return int(value)


# --- import: the workbook -------------------------------------------------------------------


def _open(content: bytes):
    """The workbook, or ExcelImportError when the bytes are not a usable .xlsx."""
    if not content:
        raise _refuse(row_error(_("文件为空，请选择填写好的Excel文件（.xlsx）。")))
    if len(content) > MAX_UPLOAD_BYTES:
        raise _refuse(row_error(_("文件过大（%(size).1f MB），不能超过5 MB。请只保留本报告的模板内容后重新上传。")
                             % {"size": len(content) / 1024 / 1024}))
    not_xlsx = _("该文件不是有效的Excel工作簿（.xlsx）。请上传从本页面下载并填写的模板。")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(row_error(_("这是旧版Excel（.xls）或其他Office文件，请在Excel中“另存为”.xlsx格式后再上传。")))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            inflated = sum(info.file_size for info in infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _refuse(row_error(not_xlsx)) from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse(row_error(not_xlsx))
    if inflated > MAX_UNZIPPED_BYTES:
        raise _refuse(row_error(_("文件内容过大，无法处理。请使用本页面下载的模板。")))
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for damaged files
        logger.info("unreadable workbook upload", exc_info=True)
        raise _refuse(row_error(_("文件已损坏或格式不受支持，无法读取。请重新下载模板填写后上传。"))) from None


def _rows(ws, *, max_rows: int, max_columns: int):
    """(row number, cells) for every non-empty row; CellError past `max_rows`."""
    for number, cells in enumerate(ws.iter_rows(min_row=1, max_row=max_rows + 1, max_col=max_columns), start=1):
        if all(cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()) for cell in cells):
            continue
        if number > max_rows:
            raise CellError(_("行数过多（超过%(max)s行），请使用本页面下载的模板。") % {"max": max_rows})
        yield number, cells


@dataclass
class _Parsed:
    report_id: int | None = None
    version: int | None = None
    narrative: dict[str, object] = field(default_factory=dict)
    narrative_rows: dict[str, int] = field(default_factory=dict)
    values: dict[str, tuple[Decimal | None, date | None]] = field(default_factory=dict)
    value_rows: dict[str, int] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def _read_meta(wb, parsed: _Parsed) -> None:
    if META_SHEET not in wb.sheetnames:
        return
    meta = {}
    for _row, cells in _rows(wb[META_SHEET], max_rows=50, max_columns=2):
        meta[_text(cells[0].value)] = cells[1].value
    for name in ("report_id", "version"):
        try:
            setattr(parsed, name, int(_text(meta.get(name))))
        except (TypeError, ValueError):
            pass


def _read_report_sheet(wb, report: DispatchReport, parsed: _Parsed) -> None:
    if REPORT_SHEET not in wb.sheetnames:
        parsed.errors.append(row_error(_("缺少工作表“%(sheet)s”，请使用本页面下载的模板。") % {"sheet": REPORT_SHEET}))
        return
    ws = wb[REPORT_SHEET]
    rows: dict[str, tuple[int, object]] = {}
    for number, cells in _rows(ws, max_rows=MAX_REPORT_ROWS, max_columns=2):
        label = unicodedata.normalize("NFKC", _text(cells[0].value)).replace(" ", "")
        if label and label not in rows:
            rows[label] = (number, cells[1])
    if parsed.report_id is None and LABEL_ID in rows:
        try:
            parsed.report_id = int(_decimal(rows[LABEL_ID][1].value))
        except (CellError, TypeError, ValueError, InvalidOperation):
            pass
    if parsed.version is None and LABEL_VERSION in rows:
        try:
            parsed.version = int(_decimal(rows[LABEL_VERSION][1].value))
        except (CellError, TypeError, ValueError, InvalidOperation):
            pass
    for name, label in _narrative_fields(report):
        key = unicodedata.normalize("NFKC", label).replace(" ", "")
        if key not in rows:
            parsed.errors.append(row_error(_("缺少“%(label)s”一行（A列标签请勿修改或删除）。") % {"label": label},
                                        sheet=REPORT_SHEET, column=label))
            continue
        number, cell = rows[key]
        parsed.narrative_rows[name] = number
        try:
            parsed.narrative[name] = _narrative_value(name, cell)
        except CellError as error:
            parsed.errors.append(row_error(str(error), sheet=REPORT_SHEET, row=number, column=label))


def _narrative_value(name: str, cell):
    if name == "progress_pct":
        return _int_pct(cell.value, cell.number_format)
    text = _text(cell.value)
    if name == "progress":
        if not text:
            return ""
        by_label = {label: code for code, label in PROGRESS_LABELS.items()}
        code = by_label.get(text) or (text if text in DispatchReport.Progress.values else None)
        if code is None:
            raise CellError(_("请选择有效的推进情况（未启动、推进中、已完成、滞后）。"))
        return str(code)
    if len(text) > MAX_TEXT:
        raise CellError(_("内容过长（%(length)s个字），不能超过%(max)s个字。") % {"length": len(text), "max": MAX_TEXT})
    return text


def _read_values_sheet(wb, slots: list[ValueSlot], parsed: _Parsed) -> None:
    if VALUES_SHEET not in wb.sheetnames:
        if slots:
            parsed.errors.append(row_error(_("缺少工作表“%(sheet)s”，请使用本页面下载的模板。")
                                           % {"sheet": VALUES_SHEET}))
        return
    ws = wb[VALUES_SHEET]
    rows = _rows(ws, max_rows=MAX_VALUE_ROWS, max_columns=MAX_COLUMNS)
    first = next(rows, None)
    if first is None:
        if slots:
            parsed.errors.append(row_error(_("表头为空，请使用本页面下载的模板。"), sheet=VALUES_SHEET, row=1))
        return
    header_row, header_cells = first
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        name = unicodedata.normalize("NFKC", _text(cell.value)).replace(" ", "")
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        parsed.errors.append(row_error(_("缺少“%(column)s”列，请勿删除或重命名表头。") % {"column": name},
                                    sheet=VALUES_SHEET, row=header_row, column=name))
    if missing:
        return

    by_key = {slot.key: slot for slot in slots}
    by_visible = {(slot.indicator.code.lower(), _where(slot).lower()): slot for slot in slots}
    seen: dict[str, int] = {}
    for number, cells in rows:
        def get(column, cells=cells):
            index = columns.get(column)
            return cells[index] if index is not None else None

        def fail(message, column="", number=number):
            parsed.errors.append(row_error(message, sheet=VALUES_SHEET, row=number, column=column))

        code = _text(get(COL_CODE).value)
        where = _text(get(COL_WHERE).value)
        key = _text(get(COL_KEY).value) if get(COL_KEY) is not None else ""
        if not code and not where and not key:
            continue  # a note or a stray cell, not a value row
        if code or where:
            slot = by_visible.get((code.lower(), where.lower()))
            if slot is None:
                fail(_("本报告不包含指标“%(code)s”（范围“%(where)s”）。请勿添加行或修改指标代码、范围。")
                     % {"code": code or "—", "where": where or "—"}, COL_CODE)
                continue
            if key and key != slot.key:
                fail(_("指标代码或范围与模板记录不一致，请勿修改这两列。"), COL_CODE)
                continue
        else:
            slot = by_key.get(key)
            if slot is None:
                fail(_("无法识别该行对应的指标，请填写指标代码和范围。"), COL_CODE)
                continue
        if slot.key in seen:
            fail(_("与第%(row)s行重复：同一指标、同一范围只能填写一行。") % {"row": seen[slot.key]}, COL_CODE)
            continue
        seen[slot.key] = number
        indicator = slot.indicator
        unit = _text(get(COL_UNIT).value)
        expected = indicator.unit or ""
        if unicodedata.normalize("NFKC", unit).replace(" ", "") != unicodedata.normalize("NFKC", expected):
            if expected:
                fail(_("计量单位应为“%(expected)s”，不能改为“%(unit)s”。请按%(expected)s换算后填写本期值，"
                       "并把计量单位改回“%(expected)s”。") % {"expected": expected, "unit": unit or _("空白")},
                     COL_UNIT)
            else:
                fail(_("“%(name)s”没有计量单位，请清空该单元格。") % {"name": indicator.name}, COL_UNIT)
            continue
        value_cell, done_cell = get(COL_VALUE), get(COL_DONE)
        try:
            value = _decimal(value_cell.value, number_format=value_cell.number_format, unit=expected)
        except CellError as error:
            fail(str(error), COL_VALUE)
            value = error
        try:
            done_on = _date(done_cell.value)
        except CellError as error:
            fail(str(error) if slot.is_milestone else _("该指标不是节点指标，“完成日期”请留空。"), COL_DONE)
            done_on = error
        if isinstance(value, CellError) or isinstance(done_on, CellError):
            continue
        message = value_error(indicator, value)
        if message:
            fail(message, COL_VALUE)
            continue
        if slot.is_milestone:
            if done_on is None and value == 1:
                fail(_("节点已完成时请填写“完成日期”。"), COL_DONE)
                continue
            if done_on is not None and value == 0:
                fail(_("本期值为0（未完成）却填写了完成日期，请二选一。"), COL_VALUE)
                continue
            parsed.values[slot.key] = (None, done_on) if done_on else (Decimal(0), None)
        else:
            if done_on is not None:
                fail(_("该指标不是节点指标，“完成日期”请留空。"), COL_DONE)
                continue
            parsed.values[slot.key] = (value, None)
        parsed.value_rows[slot.key] = number


def _changed(slots: list[ValueSlot], values: dict) -> int:
    count = 0
    for slot in slots:
        if slot.key not in values:
            continue
        value, done_on = values[slot.key]
        if slot.is_milestone:
            value = Decimal(1) if done_on else value
        old = (slot.current.value, slot.current.done_on) if slot.current else (None, None)
        if old != (value, done_on) and not (slot.current is None and (value, done_on) == (None, None)):
            count += 1
    return count


def report_import(*, report: DispatchReport, user, content: bytes, version: int,
                  submit: bool = False) -> ImportResult:
    """Save (or submit) a report from an uploaded workbook; ExcelImportError, and nothing written, when any
    part of it is wrong."""
    report = DispatchReport.objects.select_related("department", "zone", "task", "period").get(pk=report.pk)
    refusal = edit_refusal(user, report)
    if refusal:
        raise _refuse(row_error(refusal))
    wb = _open(content)
    parsed = _Parsed()
    slots = report_slots(report)
    try:
        try:
            _read_meta(wb, parsed)
            _read_report_sheet(wb, report, parsed)
            if parsed.report_id is None:
                raise _refuse(row_error(_("无法确认该文件对应哪份报告（缺少“报告编号”）。请使用本页面下载的模板。"),
                                     sheet=REPORT_SHEET, column=LABEL_ID))
            if parsed.report_id != report.pk:
                raise _refuse(row_error(_("该文件属于报告（编号%(theirs)s），不是当前报告（编号%(ours)s）。"
                                       "请下载本报告的模板后填写。") % {"theirs": parsed.report_id, "ours": report.pk},
                                     sheet=REPORT_SHEET, column=LABEL_ID))
            if parsed.version is not None and parsed.version != report.version:
                raise _refuse(row_error(_("该文件导出于第%(theirs)s版，报告现已更新到第%(ours)s版（已被修改）。"
                                       "请重新下载最新模板，填写后再上传。")
                                     % {"theirs": parsed.version, "ours": report.version},
                                     sheet=REPORT_SHEET, column=LABEL_VERSION))
            _read_values_sheet(wb, slots, parsed)
        except CellError as error:
            raise _refuse(row_error(str(error))) from None
        except ExcelImportError:
            raise
        except Exception:  # a damaged sheet found while reading it lazily
            logger.info("unreadable workbook upload", exc_info=True)
            raise _refuse(row_error(_("文件已损坏或格式不受支持，无法读取。请重新下载模板填写后上传。"))) from None
    finally:
        wb.close()
    if parsed.errors:
        raise _refuse(*parsed.errors)

    narrative = {name: getattr(report, name) for name, _label in NARRATIVE}
    narrative.update(parsed.narrative)
    data = ReportInput(values=parsed.values, **narrative)
    changed = _changed(slots, parsed.values)
    try:
        saved = report_save(report=report, user=user, data=data, version=version, submit=submit,
                            reason=_("通过Excel导入并提交") if submit else _("通过Excel导入"))
    except StaleReportError as error:
        raise _refuse(row_error(error.message)) from None
    except ReportError as error:
        raise _refuse(*_service_errors(error, parsed)) from None
    return ImportResult(report=saved, submitted=submit, rows=len(parsed.values), changed=changed)


def _service_errors(error: ReportError, parsed: _Parsed) -> list[dict]:
    """`report_save`'s field errors, placed on the rows they came from."""
    labels = dict(NARRATIVE)
    errors = []
    for key, messages in error.errors.items():
        for message in messages:
            if key in parsed.value_rows:
                errors.append(row_error(message, sheet=VALUES_SHEET, row=parsed.value_rows[key], column=COL_VALUE))
            elif key in labels:
                errors.append(row_error(message, sheet=REPORT_SHEET, row=parsed.narrative_rows.get(key),
                                     column=labels[key]))
            else:
                errors.append(row_error(message))
    return errors or [row_error(error.message)]
