"""One dispatch report as an Excel workbook: download it pre-filled, fill it offline, upload it.

The upload goes through the same rules as the browser form: values are checked with
`value_error`, and only a file that is valid in every row reaches `report_save`, which
checks rights, the version (optimistic locking) and the report's own rules again, in one
transaction. A refused file writes nothing; every problem is reported with its sheet,
row and column, in Chinese.

The workbook carries hidden metadata (a hidden sheet with the report id and the version it
was exported at, and a hidden column with each row's slot key), so that an upload is matched
to its report and its rows reliably even when the user reorders rows.

The modules, each importing only those before it:
- `common`: the file format (sheet, label and column names, limits), the results and errors;
- `writer`: the download (`report_workbook`, `workbook_filename`);
- `cells`: opening an uploaded file safely and parsing its cells;
- `reader`: reading the sheets of an upload into `_Parsed`, collecting every problem;
- `importer`: who may upload (`edit_refusal`) and `report_import`, which saves only a file valid throughout.

Import from here: the package's public names (the cell parsers `cell_text`, `cell_decimal`, `cell_date`,
`open_upload`, `reading`, `sheet_rows`, `formula_errors` and `refuse` serve the projects' report workbook too).
"""

from .cells import (
    CellError,
    cell_date,
    cell_decimal,
    cell_text,
    formula_errors,
    open_upload,
    reading,
    sheet_rows,
    upload_content,
)
from .common import (
    BLANKS,
    COL_CODE,
    COL_DONE,
    COL_KEY,
    COL_NAME,
    COL_PERIOD,
    COL_PREVIOUS,
    COL_SCOPE_NAME,
    COL_UNIT,
    COL_VALUE,
    COL_WHERE,
    COLUMN_WIDTHS,
    DATE_FORMATS,
    EXCEL_SERIAL_RANGE,
    FORMAT,
    FOUR_PLACES,
    LABEL_ID,
    LABEL_VERSION,
    MACHINE_COLUMNS,
    MAX_COLUMNS,
    MAX_REPORT_ROWS,
    MAX_TEXT,
    MAX_UNZIPPED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_VALUE_ROWS,
    META_SHEET,
    NARRATIVE,
    PROGRESS_LABELS,
    REPORT_SHEET,
    REQUIRED_COLUMNS,
    TOO_BIG,
    VALUE_COLUMNS,
    VALUES_SHEET,
    XLSX_CONTENT_TYPE,
    ExcelImportError,
    ImportResult,
    error_text,
    logger,
    refuse,
    row_error,
)
from .importer import edit_refusal, report_import
from .writer import report_workbook, workbook_filename

__all__ = [
    # common: the file format, results and errors
    "BLANKS",
    "COL_CODE",
    "COL_DONE",
    "COL_KEY",
    "COL_NAME",
    "COL_PERIOD",
    "COL_PREVIOUS",
    "COL_SCOPE_NAME",
    "COL_UNIT",
    "COL_VALUE",
    "COL_WHERE",
    "COLUMN_WIDTHS",
    "DATE_FORMATS",
    "EXCEL_SERIAL_RANGE",
    "FORMAT",
    "FOUR_PLACES",
    "LABEL_ID",
    "LABEL_VERSION",
    "MACHINE_COLUMNS",
    "MAX_COLUMNS",
    "MAX_REPORT_ROWS",
    "MAX_TEXT",
    "MAX_UNZIPPED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_VALUE_ROWS",
    "META_SHEET",
    "NARRATIVE",
    "PROGRESS_LABELS",
    "REPORT_SHEET",
    "REQUIRED_COLUMNS",
    "TOO_BIG",
    "VALUE_COLUMNS",
    "VALUES_SHEET",
    "XLSX_CONTENT_TYPE",
    "ExcelImportError",
    "ImportResult",
    "error_text",
    "logger",
    "refuse",
    "row_error",
    # writer
    "report_workbook",
    "workbook_filename",
    # cells
    "CellError",
    "cell_date",
    "cell_decimal",
    "formula_errors",
    "open_upload",
    "upload_content",
    "reading",
    "sheet_rows",
    "cell_text",
    # importer
    "edit_refusal",
    "report_import",
]
