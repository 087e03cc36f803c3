"""Writes of the indicators app, one module per concern; import them from here."""

from chuxiong_portal.bulk_import import ImportConflict, ImportSummary

from .areas import area_figure_delete, area_figure_queued, area_figure_save
from .bulletins import BulletinIssueError, BulletinNotDueError, bulletin_issuable, bulletin_issue
from .calendar import deadline_days, obligations_generate, periods_generate
from .excel import ExcelImportError, ImportResult, report_import, report_workbook
from .quality import (
    QualityError,
    can_acknowledge,
    quality_recheck,
    quality_warning_acknowledge,
    quality_warning_token,
)
from .reports import (
    ReportError,
    ReportForbidden,
    ReportInput,
    StaleReportError,
    approval_reason,
    bump,
    check_version,
    closed_reason,
    report_approve,
    report_reopen,
    report_return,
    report_save,
    report_waive,
    required_on_submit,
    value_error,
)
from .safeguards import (
    SafeguardChanged,
    SafeguardError,
    safeguard_check,
    safeguard_default_day,
    safeguard_item_is_counted,
    safeguard_record,
    safeguard_records,
    safeguard_token,
    safeguard_value_words,
)
from .timeliness import obligation_start, reminders_send, reports_mark_overdue, reports_open
from .values_import import values_import

__all__ = [
    "approval_reason",
    "obligation_start",
    "BulletinIssueError",
    "BulletinNotDueError",
    "bulletin_issuable",
    "ExcelImportError",
    "ImportConflict",
    "ImportResult",
    "ImportSummary",
    "QualityError",
    "ReportError",
    "ReportForbidden",
    "ReportInput",
    "SafeguardChanged",
    "SafeguardError",
    "StaleReportError",
    "area_figure_delete",
    "area_figure_queued",
    "area_figure_save",
    "bulletin_issue",
    "bump",
    "can_acknowledge",
    "check_version",
    "closed_reason",
    "deadline_days",
    "obligations_generate",
    "periods_generate",
    "quality_recheck",
    "quality_warning_acknowledge",
    "quality_warning_token",
    "reminders_send",
    "report_approve",
    "report_import",
    "report_reopen",
    "report_return",
    "report_save",
    "report_waive",
    "required_on_submit",
    "report_workbook",
    "reports_mark_overdue",
    "reports_open",
    "safeguard_check",
    "safeguard_default_day",
    "safeguard_item_is_counted",
    "safeguard_record",
    "safeguard_records",
    "safeguard_token",
    "safeguard_value_words",
    "value_error",
    "values_import",
]
