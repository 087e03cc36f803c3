"""Workbooks the portal produces are safe to open: no text a user typed can become a live formula.

Spreadsheet programs read a cell that starts with = + - @ (or a tab or carriage return before them) as a formula
("CSV/formula injection": `=HYPERLINK(...)`, DDE). `neutralise_formulas` turns every such text cell into a plain
text cell marked the way Excel marks text typed with a leading apostrophe (quotePrefix): it shows and reads back
exactly as written ("=1+1" stays "=1+1"), and is never evaluated. The portal writes no formulas of its own.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(workbook) -> int:
    """Make every text cell of `workbook` that a spreadsheet could evaluate plain text; the number changed."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"  # openpyxl made "=..." a formula ("f"): written as a string instead
                    cell.quotePrefix = True
                    changed += 1
    return changed
