"""The office's Excel route for a year's provincial or national results: a template with one row per zone and
one column per sub-indicator, and its upload, which goes through `results_import` (the API's bulk contract:
all or nothing, row errors)."""

import re
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from chuxiong_portal.words import bracketed
from indicators.reporting.services.excel import (
    ExcelImportError,
    formula_errors,
    open_upload,
    reading,
    refuse,
    row_error,
)

from .models import EvaluationResult, SchemeVersion, SubIndicator
from .services import result_seen, results_import

FIXED = ("zone", "zone_name", "total", "rank", "funding_awarded")
HEADER_ROWS = 2  # row 1: the keys the upload reads; row 2: their names for people
SEEN = "seen"  # the hidden sheet: each result the template holds, with `result_seen` of it as downloaded
MAX_ROWS = 1000
MAX_COLUMNS = 200  # the fixed columns and a scheme's sub-indicators, with room to spare
SUB_SCORE = re.compile(r"sub_scores\[(\d+)\]\.score")


def results_template(*, scheme: SchemeVersion, subs: list[SubIndicator], results: list[EvaluationResult]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("评价结果")
    sheet.append([*FIXED, *[sub.code for sub in subs]])
    sheet.append(
        [
            _("开发区代码"),
            _("开发区名称（州外开发区必填）"),
            _("总分（可空）"),
            _("排名（可空）"),
            _("获省级资金补助（是/否）"),
            *[bracketed(f"{sub.group}·{sub.name}", sub.weight) for sub in subs],
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for result in results:
        scores = {s.sub_indicator_id: s.score for s in result.sub_scores.all()}
        sheet.append(
            [
                result.zone_code,
                result.zone_name,
                result.stated_total,
                result.stated_rank,
                _("是") if result.funding_awarded else _("否"),
                *[scores.get(sub.pk) for sub in subs],
            ]
        )
    seen = book.create_sheet(SEEN)
    for result in results:
        seen.append([result.zone_code, result_seen(result)])
    seen.sheet_state = "hidden"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def results_upload(*, scheme: SchemeVersion, content: bytes, user):
    """Read the template back and import it. Returns the import summary; errors name the Excel row and column.

    Refused before the import, in the workbook's words (ExcelImportError, nothing written): a damaged sheet, a
    formula, a zone given on two rows and a 是/否 cell that is neither."""
    with reading(open_upload(content)) as book:
        sheet = book.worksheets[0]
        rows_in = list(
            sheet.iter_rows(min_row=1, max_row=MAX_ROWS + HEADER_ROWS, max_col=MAX_COLUMNS, values_only=True)
        )
        if not rows_in or [_cell(v) for v in rows_in[0][: len(FIXED)]] != list(FIXED):
            raise ExcelImportError(_("请使用本页面下载的模板（第1行的列名不能修改）。"))
        # A formula is refused, as in the reports' uploads: read as typed it is its text, which no score is.
        if formulas := formula_errors(book, max_rows=MAX_ROWS + HEADER_ROWS, max_columns=MAX_COLUMNS):
            raise refuse(*formulas)
        seen = _seen(book)
    codes = [_cell(v) for v in rows_in[0][len(FIXED) :]]
    rows, numbers, problems, first_of = [], [], [], {}
    for number, values in enumerate(rows_in[HEADER_ROWS:], start=HEADER_ROWS + 1):
        values = [_cell(v) for v in values]
        if all(v is None for v in values):
            continue
        zone, name, total, rank, funding = (values + [None] * len(FIXED))[: len(FIXED)]
        # Told here with the workbook's row numbers: the import names the other row by its index from 0.
        if isinstance(zone, str) and (first := first_of.setdefault(zone.lower(), number)) != number:
            message = _("与第%(row)s行是同一开发区“%(zone)s”，每个开发区只能填写一行。") % {"row": first, "zone": zone}
            problems.append(row_error(message, row=number, column=FIXED[0]))
        awarded = _funding(funding)
        if awarded is None:
            problems.append(row_error(_("是否获省级资金补助请填写“是”或“否”。"), row=number, column=FIXED[4]))
        row = {
            "scheme": scheme.kind,
            "year": scheme.year,
            "zone": zone,
            "total": total,
            "rank": rank,
            "funding_awarded": awarded,
            "sub_scores": [
                {"indicator": code, "score": values[len(FIXED) + i] if len(FIXED) + i < len(values) else None}
                for i, code in enumerate(codes)
                if code
            ],
        }
        if name:
            row["zone_name"] = name
        rows.append(row)
        numbers.append(number)
    if problems:
        raise refuse(*problems)
    summary = results_import(rows=rows, user=user, expected=_expected(seen, scheme, rows), from_template=True)
    columns = [code for code in codes if code]
    for error in summary.errors:
        if error["index"] is not None and error["index"] < len(numbers):
            error["row"] = numbers[error["index"]]
        error["field"] = _column(error["field"], columns)
    return summary


def _funding(value) -> bool | None:
    """The 是/否 cell, in either language's words (the template is written in its downloader's); None when neither."""
    if value is None:
        return False
    if isinstance(value, bool):  # a TRUE/FALSE cell
        return value
    words = {"是": True, "否": False, "yes": True, "no": False, str(_("是")).lower(): True, str(_("否")).lower(): False}
    return words.get(str(value).strip().lower())


def _column(field: str | None, codes: list[str]) -> str | None:
    """The import's field path (``sub_scores[1].score``) as the column the user filled: its key in row 1."""
    if field and (match := SUB_SCORE.fullmatch(field)) and int(match[1]) < len(codes):
        return str(codes[int(match[1])])
    return field


def _seen(book) -> dict[str, str] | None:
    """Each zone's `result_seen` on the hidden sheet, as the template was downloaded; None without the sheet."""
    if SEEN not in book.sheetnames:
        return None
    return {
        str(code): str(when or "")
        for code, when, *_rest in book[SEEN].iter_rows(max_row=MAX_ROWS, max_col=2, values_only=True)
        if code
    }


def _expected(seen: dict[str, str] | None, scheme: SchemeVersion, rows: list[dict]) -> dict[tuple, str]:
    """`results_import`'s `expected`: each zone's result as the template was downloaded with it (none, for a zone
    it did not hold), so that a result entered or changed since is not overwritten by a template drawn before. A
    template without its hidden sheet (made by hand) expects nothing."""
    if seen is None:
        return {}
    codes = {row["zone"] for row in rows if isinstance(row["zone"], str)}
    return {(scheme.kind, scheme.year, code): seen.get(code, "") for code in codes}
