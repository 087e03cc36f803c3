"""The upload, cell by cell: opening the file safely and turning raw cell values into text, numbers and dates."""

import io
import math
import unicodedata
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal

from django.db import DatabaseError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from chuxiong_portal import dates

from ...number_words import number_error_text
from ...numbers import NumberFormatError, number_parse
from .common import (
    BLANKS,
    DATE_FORMATS,
    EXCEL_SERIAL_RANGE,
    FOUR_PLACES,
    MAX_UNZIPPED_BYTES,
    MAX_UPLOAD_BYTES,
    TOO_BIG,
    ExcelImportError,
    logger,
    refuse,
    row_error,
)

# --- import: reading cells ----------------------------------------------------------------


class CellError(ValueError):
    pass


def cell_text(raw) -> str:
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


def cell_decimal(raw, *, number_format=None, unit: str = "", max_places: int | None = None) -> Decimal | None:
    """A number from a cell as it was typed, never rounded; CellError with the user's message when it is none, or,
    with ``max_places``, when it has more decimals than that (the form's rule, so nothing is rounded away unseen).

    A number that fits four places (the stored precision) comes with four; one with more is returned as it is, when
    no ``max_places`` refuses it (the reports' workbook allows four, the projects' two)."""
    invalid = _("请输入数字，例如 123.45。")
    if raw is None:
        return None
    if isinstance(raw, bool) or isinstance(raw, (datetime, date, time)):
        raise CellError(invalid)
    if isinstance(raw, (int, float, Decimal)):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise CellError(invalid)
        # A float as Excel shows it: 15 significant digits, what a person can type and see in a cell. That drops the
        # binary noise of a pasted result (0.1 + 0.2 = 0.30000000000000004 reads 0.3) and keeps 1397.1 as 1397.1.
        value = Decimal(format(raw, ".15g")) if isinstance(raw, float) else Decimal(raw)
        if _is_percent_format(number_format):
            if unit != "%":
                raise CellError(
                    _("该单元格是百分比格式，请改为常规数字格式，按“%(unit)s”填写。") % {"unit": unit or "—"}
                )
            value *= 100  # shown as 45%, stored as 0.45: the user means 45 (%)
    elif isinstance(raw, str):
        try:
            value = number_parse(raw, percent=unit == "%")
        except NumberFormatError as error:
            raise CellError(number_error_text(error, unit)) from None
        if value is None:
            return None
    else:
        raise CellError(invalid)
    if abs(value) < TOO_BIG:  # beyond it value_error refuses the number, and quantizing it could overflow
        if max_places is not None and value != value.quantize(Decimal(1).scaleb(-max_places)):
            raise CellError(_("最多保留%(places)s位小数。") % {"places": max_places})
        if value == value.quantize(FOUR_PLACES):
            value = value.quantize(FOUR_PLACES)
    return value


def cell_date(raw) -> date | None:
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
        raise CellError(_("日期%(day)s超出合理范围，请检查。") % {"day": dates.day(day)})
    return day


def _int_pct(raw, number_format=None) -> int | None:
    invalid = _("请输入0到100之间的整数。")
    try:
        value = cell_decimal(raw, number_format=number_format, unit="%")
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


def upload_content(upload) -> bytes:
    """An uploaded file's bytes; one over the limit is refused by its size before any of it is read into memory
    (and read no further than one byte past the limit where its size is not known)."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise refuse(row_error(_too_large(upload.size)))
    return upload.read(MAX_UPLOAD_BYTES + 1)


def _too_large(size: int) -> str:
    return _("文件过大（%(size).1f MB），不能超过5 MB。请只保留本报告的模板内容后重新上传。") % {
        "size": size / 1024 / 1024
    }


def open_upload(content: bytes):
    """The workbook, or ExcelImportError when the bytes are not a usable .xlsx."""
    if not content:
        raise refuse(row_error(_("文件为空，请选择填写好的Excel文件（.xlsx）。")))
    if len(content) > MAX_UPLOAD_BYTES:
        raise refuse(row_error(_too_large(len(content))))
    not_xlsx = _("该文件不是有效的Excel工作簿（.xlsx）。请上传从本页面下载并填写的模板。")
    if content.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in content:
        # Excel saves a workbook with an opening password as an encrypted package inside an OLE container: the
        # bytes of a .xls, but the cure is to remove the password, not to save it again as .xlsx.
        message = _("该文件设置了打开密码，系统无法读取。请在Excel中取消密码（文件→信息→保护工作簿）后再上传。")
        raise refuse(row_error(message))
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(row_error(_("这是旧版Excel（.xls）或其他Office文件，请在Excel中“另存为”.xlsx格式后再上传。")))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            inflated = sum(info.file_size for info in infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise refuse(row_error(not_xlsx)) from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise refuse(row_error(not_xlsx))
    if inflated > MAX_UNZIPPED_BYTES:
        raise refuse(row_error(_("文件内容过大，无法处理。请使用本页面下载的模板。")))
    try:
        # Not data_only: a formula cell must be seen as one (and refused, `formula_errors`), not read as the value
        # the program that saved the file happened to cache, or as nothing when it cached none.
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for damaged files
        logger.info("unreadable workbook upload", exc_info=True)
        raise refuse(row_error(_("文件已损坏或格式不受支持，无法读取。请重新下载模板填写后上传。"))) from None


@contextmanager
def reading(wb):
    """Read `wb` inside the block and close it after. A read-only workbook parses each sheet only when it is read,
    so a damaged sheet (a truncated or hand-edited XML part) shows only then, as any of the parser's many
    exceptions: it becomes the refusal `open_upload` gives a damaged file, not a server error. The upload's own
    refusals and the database's errors (a busy database is answered by the busy page) pass through."""
    try:
        yield wb
    except (ExcelImportError, CellError, DatabaseError):
        raise
    except Exception:
        logger.info("unreadable workbook upload", exc_info=True)
        raise refuse(row_error(_("文件已损坏或格式不受支持，无法读取。请重新下载模板填写后上传。"))) from None
    finally:
        wb.close()


def sheet_rows(ws, *, max_rows: int, max_columns: int):
    """(row number, cells) for every non-empty row; CellError past `max_rows`."""
    for number, cells in enumerate(ws.iter_rows(min_row=1, max_row=max_rows + 1, max_col=max_columns), start=1):
        if all(cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()) for cell in cells):
            continue
        if number > max_rows:
            raise CellError(_("行数过多（超过%(max)s行），请使用本页面下载的模板。") % {"max": max_rows})
        yield number, cells


def formula_errors(wb, *, max_rows: int, max_columns: int) -> list[dict]:
    """One error per formula cell of the workbook: the portal stores what was typed, never what a formula gave."""
    errors = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=max_rows, max_col=max_columns):
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    message = _("单元格 %(cell)s 是公式，系统不读取公式。请复制后“选择性粘贴为数值”再上传。")
                    errors.append(row_error(message % {"cell": cell.coordinate}, sheet=ws.title, row=cell.row))
    return errors
