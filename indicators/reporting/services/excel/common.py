"""The file format shared by the template and its upload: sheet, label and column names, limits, and errors.

The labels are Chinese whatever the user's language: they are the file format.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.models import DispatchReport
from indicators.selectors import ValueSlot

from ...numbers import BLANKS  # noqa: F401 (the file format reads numbers as the forms do)

logger = logging.getLogger("indicators.reporting.services.excel")  # the package's name: one logger, as before the split

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT = "chuxiong-dispatch-report/1"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 10 * 1024 * 1024  # a 5 MB file that inflates beyond this is not a report
MAX_VALUE_ROWS = 2000
MAX_REPORT_ROWS = 200
MAX_COLUMNS = 40
MAX_TEXT = 5000
CLEAR_WORD = "清除"  # typed as 本期值 to remove a stored value (a blank cell where one was is refused)
FOUR_PLACES = Decimal("0.0001")
VALUE_PLACES = 4  # a value's decimals at most, as the report form allows (and the database keeps)
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
# What people read first (the indicator's and the scope's Chinese names), what they fill, and last — hidden —
# the machine keys the upload matches rows by. The upload finds every column by its header, so a file of the
# earlier layout (codes first) is read as well.
VALUE_COLUMNS = [
    COL_NAME,
    COL_SCOPE_NAME,
    COL_PERIOD,
    COL_UNIT,
    COL_VALUE,
    COL_DONE,
    COL_PREVIOUS,
    COL_CODE,
    COL_WHERE,
    COL_KEY,
]
MACHINE_COLUMNS = [COL_CODE, COL_WHERE, COL_KEY]
REQUIRED_COLUMNS = [COL_CODE, COL_WHERE, COL_UNIT, COL_VALUE, COL_DONE]
COLUMN_WIDTHS = [40, 18, 16, 10, 14, 14, 16, 28, 18, 40]

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


def refuse(*errors: dict) -> ExcelImportError:
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
    return f"{where}{_('：')}{error['message']}" if where else error["message"]


# --- the template's layout, read back by the upload ------------------------------------


def _where(slot: ValueSlot) -> str:
    return slot.zone.code if slot.zone else slot.cluster.code if slot.cluster else "all"


def _narrative_fields(report: DispatchReport) -> list[tuple[str, str]]:
    """The fields the report page shows: all of them for a task, only the progress text for a zone."""
    if report.task_id:
        return NARRATIVE
    return [(name, label) for name, label in NARRATIVE if name == "work_done"]
