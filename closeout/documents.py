"""The evaluation as an editable Word document (python-docx) and as an Excel workbook (openpyxl).

Both are drawn from `present.sections`, the same tables the page shows, in the plan's Chinese.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .present import Section, heading, sections
from .selectors import PlanEvaluation

# Text a spreadsheet would read as a formula (or as a DDE call) when it begins with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def neutralise(text: str) -> str:
    """User text as inert text in a cell: a leading apostrophe before = + - @ (and tab, CR)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def evaluation_docx(ev: PlanEvaluation) -> bytes:
    head = heading(ev)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    style = document.styles["Normal"]
    style.font.size = Pt(10)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")  # Chinese text in 宋体
    document.add_heading(head["title"], level=0)
    document.add_paragraph(_reference(head))
    document.add_paragraph(f"{head['as_of']}。{head['demo']}")
    for part in sections(ev):
        _docx_table(document, part)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, part: Section) -> None:
    document.add_heading(part.title, level=1)
    if part.note:
        document.add_paragraph(part.note)
    table = document.add_table(rows=1, cols=len(part.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, part.headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in part.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value.text


def _reference(head: dict) -> str:
    """The plan's reference line under the title, as the page has it: 文号 · issuing body · years · status."""
    return f"{head['document_number']} · {head['issuer']} · {head['years']} · {head['status']}"


def evaluation_xlsx(ev: PlanEvaluation) -> bytes:
    head = heading(ev)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, part in enumerate(sections(ev)):
        sheet = workbook.create_sheet(part.title[:31])
        top = 1
        if index == 0:
            for line in (head["title"], _reference(head), head["as_of"]):
                sheet.cell(row=top, column=1, value=neutralise(line))
                top += 1
            sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
            top += 1
        if part.note:
            sheet.cell(row=top, column=1, value=neutralise(part.note))
            top += 1
        for col, text in enumerate(part.headers, start=1):
            cell = sheet.cell(row=top, column=col, value=text)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
        for r, row in enumerate(part.rows, start=top + 1):
            for col, value in enumerate(row, start=1):
                if value.number is not None:
                    sheet.cell(row=r, column=col, value=value.number)
                else:
                    sheet.cell(row=r, column=col, value=neutralise(value.text)).data_type = "s"
        for col, text in enumerate(part.headers, start=1):
            widest = max([len(text), *(len(row[col - 1].text) for row in part.rows)])
            sheet.column_dimensions[get_column_letter(col)].width = min(max(8, widest * 1.6), 60)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(ev: PlanEvaluation, extension: str) -> str:
    return f"{ev.plan.title}终期评估.{extension}"
