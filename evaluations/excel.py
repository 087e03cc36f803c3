"""The office's Excel route for a year's provincial or national results: a template with one row per zone and
one column per sub-indicator, and its upload, which goes through `results_import` (the API's bulk contract:
all or nothing, row errors)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from chuxiong_portal.words import bracketed
from indicators.reporting.services.excel import ExcelImportError, open_upload

from .models import EvaluationResult, SchemeVersion, SubIndicator
from .services import result_seen, results_import

FIXED = ("zone", "zone_name", "total", "rank", "funding_awarded")
HEADER_ROWS = 2  # row 1: the keys the upload reads; row 2: their names for people
SEEN = "seen"  # the hidden sheet: each result the template holds, with `result_seen` of it as downloaded
MAX_ROWS = 1000


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
    """Read the template back and import it. Returns the import summary; errors name the Excel row."""
    book = open_upload(content)
    sheet = book.worksheets[0]
    rows_in = list(sheet.iter_rows(min_row=1, max_row=MAX_ROWS + HEADER_ROWS, values_only=True))
    if not rows_in or [_cell(v) for v in rows_in[0][: len(FIXED)]] != list(FIXED):
        raise ExcelImportError(_("请使用本页面下载的模板（第1行的列名不能修改）。"))
    codes = [_cell(v) for v in rows_in[0][len(FIXED) :]]
    rows, numbers = [], []
    for number, values in enumerate(rows_in[HEADER_ROWS:], start=HEADER_ROWS + 1):
        values = [_cell(v) for v in values]
        if all(v is None for v in values):
            continue
        zone, name, total, rank, funding = (values + [None] * len(FIXED))[: len(FIXED)]
        row = {
            "scheme": scheme.kind,
            "year": scheme.year,
            "zone": zone,
            "total": total,
            "rank": rank,
            "funding_awarded": {_("是"): True, _("否"): False, None: False}.get(funding, funding),
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
    summary = results_import(rows=rows, user=user, expected=_expected(book, scheme, rows), from_template=True)
    for error in summary.errors:
        if error["index"] is not None and error["index"] < len(numbers):
            error["row"] = numbers[error["index"]]
    return summary


def _expected(book, scheme: SchemeVersion, rows: list[dict]) -> dict[tuple, str]:
    """`results_import`'s `expected`: each zone's result as the template was downloaded with it (none, for a zone
    it did not hold), so that a result entered or changed since is not overwritten by a template drawn before. A
    template without its hidden sheet (made by hand) expects nothing."""
    if SEEN not in book.sheetnames:
        return {}
    seen = {
        str(code): str(when or "")
        for code, when, *_rest in book[SEEN].iter_rows(max_row=MAX_ROWS, max_col=2, values_only=True)
        if code
    }
    codes = {row["zone"] for row in rows if isinstance(row["zone"], str)}
    return {(scheme.kind, scheme.year, code): seen.get(code, "") for code in codes}
