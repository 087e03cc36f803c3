"""Writes of the indicators app, one module per concern; import them from here."""

from .calendar import deadline_days, obligations_generate, periods_generate

__all__ = ["deadline_days", "obligations_generate", "periods_generate"]
from .progress import progress_recompute, targets_for_report, targets_for_values  # noqa: E402

__all__ += ["progress_recompute", "targets_for_report", "targets_for_values"]
from .timeliness import reminders_send, reports_mark_overdue, reports_open  # noqa: E402

__all__ += ["reminders_send", "reports_mark_overdue", "reports_open"]
from .reports import (  # noqa: E402
    ReportError,
    ReportForbidden,
    ReportInput,
    StaleReportError,
    bump,
    check_version,
    report_approve,
    report_reopen,
    report_return,
    report_save,
    report_waive,
    required_on_submit,
    value_error,
)

__all__ += ["ReportError", "ReportForbidden", "ReportInput", "StaleReportError", "report_approve", "report_reopen",
            "report_return", "report_save", "report_waive", "required_on_submit", "value_error", "bump",
            "check_version"]
from .excel import ExcelImportError, ImportResult, report_import, report_workbook  # noqa: E402

__all__ += ["ExcelImportError", "ImportResult", "report_import", "report_workbook"]
from .values_import import ImportConflict, ImportSummary, values_import  # noqa: E402

__all__ += ["ImportConflict", "ImportSummary", "values_import"]
from .quality import QualityError, can_acknowledge, quality_recheck, quality_warning_acknowledge  # noqa: E402

__all__ += ["QualityError", "can_acknowledge", "quality_recheck", "quality_warning_acknowledge"]
from .areas import area_figure_delete, area_figure_save  # noqa: E402

__all__ += ["area_figure_delete", "area_figure_save"]
from .safeguards import (  # noqa: E402
    SafeguardError,
    safeguard_check,
    safeguard_item_is_counted,
    safeguard_record,
)

__all__ += ["SafeguardError", "safeguard_check", "safeguard_item_is_counted", "safeguard_record"]
from .bulletins import BulletinIssueError, bulletin_issue  # noqa: E402

__all__ += ["BulletinIssueError", "bulletin_issue"]
