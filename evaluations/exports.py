"""A scheme's results as an Excel workbook (openpyxl) and a Word document (python-docx)."""

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Font

from chuxiong_portal import dates
from chuxiong_portal.words import bracketed

from .models import EvaluationResult, SchemeVersion, SubIndicator


def _heading(scheme: SchemeVersion) -> str:
    return bracketed(scheme.title, scheme.get_state_display())


def _rows(subs: list[SubIndicator], results: list[EvaluationResult]) -> list[list]:
    rows = []
    for result in results:
        scores = {s.sub_indicator_id: s.score for s in result.sub_scores.all()}
        rows.append([result.rank, result.zone_name, *[scores.get(sub.pk) for sub in subs], result.total])
    return rows


def _header(subs: list[SubIndicator]) -> list[str]:
    return [_("排名"), _("开发区"), *[bracketed(sub.name, sub.weight) for sub in subs], _("总分")]


def results_workbook(*, scheme: SchemeVersion, subs: list[SubIndicator], results: list[EvaluationResult]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("考评结果")
    sheet.append([_heading(scheme)])
    sheet["A1"].font = Font(bold=True, size=14)
    if scheme.purpose:
        sheet.append([_("结果用途：%(purpose)s") % {"purpose": scheme.purpose}])
    sheet.append(_header(subs))
    for row in _rows(subs, results):
        sheet.append([float(v) if v is not None and not isinstance(v, str | int) else v for v in row])
    detail = book.create_sheet(_("评分明细"))
    detail.append([_("开发区"), _("分组"), _("分项"), _("权重"), _("得分"), _("来源"), _("评分人"), _("评分理由")])
    for result in results:
        for score in result.sub_scores.all():
            sub = score.sub_indicator
            detail.append(
                [
                    result.zone_name,
                    sub.group,
                    sub.name,
                    float(sub.weight),
                    None if score.score is None else float(score.score),
                    score.get_source_display(),
                    score.scorer.get_full_name() or score.scorer.username if score.scorer else "",
                    score.reason,
                ]
            )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def results_document(*, scheme: SchemeVersion, subs: list[SubIndicator], results: list[EvaluationResult]) -> bytes:
    document = Document()
    document.add_heading(_heading(scheme), level=1)
    if scheme.purpose:
        document.add_paragraph(_("结果用途：%(purpose)s") % {"purpose": scheme.purpose})
    if scheme.published_at:
        # The day in Chuxiong, as the scheme's page shows it (the stored moment is in UTC).
        when = dates.day(scheme.published_at)
        document.add_paragraph(_("发布时间：%(when)s") % {"when": when})
    header = _header(subs)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in _rows(subs, results):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    hand = [(r, s) for r in results for s in r.sub_scores.all() if s.source == "manual"]
    if hand:
        document.add_heading(_("人工评分说明"), level=2)
        for result, score in hand:
            scorer = score.scorer.get_full_name() or score.scorer.username if score.scorer else ""
            line = _("%(zone)s · %(sub)s：%(score)s（%(scorer)s）%(reason)s") % {
                "zone": result.zone_name,
                "sub": score.sub_indicator.name,
                "score": score.score,
                "scorer": scorer,
                "reason": score.reason,
            }
            document.add_paragraph(line, style="List Bullet")
    out = BytesIO()
    document.save(out)
    return out.getvalue()
