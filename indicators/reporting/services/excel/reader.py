"""The upload, sheet by sheet: the metadata, the narrative and the values, read into `_Parsed` with every
problem collected as an error on its sheet, row and column."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from indicators.models import DispatchReport
from indicators.selectors import ValueSlot

from ..reports import value_error
from .cells import CellError, _int_pct, cell_date, cell_decimal, cell_text, sheet_rows
from .common import (
    CLEAR_WORD,
    COL_CODE,
    COL_DONE,
    COL_KEY,
    COL_UNIT,
    COL_VALUE,
    COL_WHERE,
    LABEL_ID,
    LABEL_VERSION,
    MAX_COLUMNS,
    MAX_REPORT_ROWS,
    MAX_TEXT,
    MAX_VALUE_ROWS,
    META_SHEET,
    PROGRESS_LABELS,
    REPORT_SHEET,
    REQUIRED_COLUMNS,
    VALUE_PLACES,
    VALUES_SHEET,
    _narrative_fields,
    _where,
    row_error,
)

# --- import: the sheets ---------------------------------------------------------------------


@dataclass
class _Parsed:
    report_id: int | None = None
    version: int | None = None
    narrative: dict[str, object] = field(default_factory=dict)
    narrative_rows: dict[str, int] = field(default_factory=dict)
    values: dict[str, tuple[Decimal | None, date | None]] = field(default_factory=dict)
    value_rows: dict[str, int] = field(default_factory=dict)
    cleared: set[str] = field(default_factory=set)  # rows whose 本期值 says 清除: remove the stored value
    errors: list[dict] = field(default_factory=list)


def _read_meta(wb, parsed: _Parsed) -> None:
    if META_SHEET not in wb.sheetnames:
        return
    meta = {}
    for _row, cells in sheet_rows(wb[META_SHEET], max_rows=50, max_columns=2):
        meta[cell_text(cells[0].value)] = cells[1].value
    for name in ("report_id", "version"):
        try:
            setattr(parsed, name, int(cell_text(meta.get(name))))
        except (TypeError, ValueError):
            pass


def _read_report_sheet(wb, report: DispatchReport, parsed: _Parsed) -> None:
    if REPORT_SHEET not in wb.sheetnames:
        parsed.errors.append(row_error(_("缺少工作表“%(sheet)s”，请使用本页面下载的模板。") % {"sheet": REPORT_SHEET}))
        return
    ws = wb[REPORT_SHEET]
    rows: dict[str, tuple[int, object]] = {}
    for number, cells in sheet_rows(ws, max_rows=MAX_REPORT_ROWS, max_columns=2):
        label = unicodedata.normalize("NFKC", cell_text(cells[0].value)).replace(" ", "")
        if label and label not in rows:
            rows[label] = (number, cells[1])
    if parsed.report_id is None and LABEL_ID in rows:
        try:
            parsed.report_id = int(cell_decimal(rows[LABEL_ID][1].value))
        except (CellError, TypeError, ValueError, InvalidOperation):
            pass
    if parsed.version is None and LABEL_VERSION in rows:
        try:
            parsed.version = int(cell_decimal(rows[LABEL_VERSION][1].value))
        except (CellError, TypeError, ValueError, InvalidOperation):
            pass
    for name, label in _narrative_fields(report):
        key = unicodedata.normalize("NFKC", label).replace(" ", "")
        if key not in rows:
            parsed.errors.append(
                row_error(
                    _("缺少“%(label)s”一行（A列标签请勿修改或删除）。") % {"label": label},
                    sheet=REPORT_SHEET,
                    column=label,
                )
            )
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
    text = cell_text(cell.value)
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
            parsed.errors.append(
                row_error(_("缺少工作表“%(sheet)s”，请使用本页面下载的模板。") % {"sheet": VALUES_SHEET})
            )
        return
    ws = wb[VALUES_SHEET]
    rows = sheet_rows(ws, max_rows=MAX_VALUE_ROWS, max_columns=MAX_COLUMNS)
    first = next(rows, None)
    if first is None:
        if slots:
            parsed.errors.append(row_error(_("表头为空，请使用本页面下载的模板。"), sheet=VALUES_SHEET, row=1))
        return
    header_row, header_cells = first
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        name = unicodedata.normalize("NFKC", cell_text(cell.value)).replace(" ", "")
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for name in missing:
        parsed.errors.append(
            row_error(
                _("缺少“%(column)s”列，请勿删除或重命名表头。") % {"column": name},
                sheet=VALUES_SHEET,
                row=header_row,
                column=name,
            )
        )
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

        code = cell_text(get(COL_CODE).value)
        where = cell_text(get(COL_WHERE).value)
        key = cell_text(get(COL_KEY).value) if get(COL_KEY) is not None else ""
        if not code and not where and not key:
            # `sheet_rows` skips empty rows, so this one holds something (a value, a note) that would be dropped
            # without a word: say so rather than ignore it.
            fail(
                _(
                    "该行填写了内容，但没有指标代码和范围（模板最后几列，已隐藏），无法对应到本报告的指标。"
                    "请把数值填在模板原有的指标行中，并删除该行。"
                ),
                COL_CODE,
            )
            continue
        if code or where:
            slot = by_visible.get((code.lower(), where.lower()))
            if slot is None:
                fail(
                    _("本报告不包含指标“%(code)s”（范围“%(where)s”）。请勿添加行或修改指标代码、范围。")
                    % {"code": code or "—", "where": where or "—"},
                    COL_CODE,
                )
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
        unit = cell_text(get(COL_UNIT).value)
        expected = indicator.unit or ""
        if unicodedata.normalize("NFKC", unit).replace(" ", "") != unicodedata.normalize("NFKC", expected):
            if expected:
                fail(
                    _(
                        "计量单位应为“%(expected)s”，不能改为“%(unit)s”。请按%(expected)s换算后填写本期值，"
                        "并把计量单位改回“%(expected)s”。"
                    )
                    % {"expected": expected, "unit": unit or _("空白")},
                    COL_UNIT,
                )
            else:
                fail(_("“%(name)s”没有计量单位，请清空该单元格。") % {"name": indicator.name}, COL_UNIT)
            continue
        value_cell, done_cell = get(COL_VALUE), get(COL_DONE)
        clear = unicodedata.normalize("NFKC", cell_text(value_cell.value)).replace(" ", "") == CLEAR_WORD
        if clear:
            parsed.cleared.add(slot.key)
        try:
            value = (
                None
                if clear
                else cell_decimal(
                    value_cell.value, number_format=value_cell.number_format, unit=expected, max_places=VALUE_PLACES
                )
            )
        except CellError as error:
            fail(str(error), COL_VALUE)
            value = error
        try:
            done_on = cell_date(done_cell.value)
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
