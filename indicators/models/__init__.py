"""The indicators app's models: what is reported (`reporting`) and the progress computed from it (`progress`).

Django finds the models here; `from indicators.models import …` is how the code reads them.
"""

from .progress import ProgressResult, reads_stored_reason, reason_inputs, result_reason_words
from .reporting import (
    COUNTED_STATES,
    AreaFigure,
    BulletinIssue,
    Cadence,
    DataQualityWarning,
    DispatchReport,
    Indicator,
    IndicatorValue,
    Obligation,
    ReportingPeriod,
    SafeguardValue,
    Scope,
    Target,
    keep_official,
    scope_name,
)

__all__ = [
    "COUNTED_STATES",
    "AreaFigure",
    "BulletinIssue",
    "Cadence",
    "DataQualityWarning",
    "DispatchReport",
    "Indicator",
    "IndicatorValue",
    "Obligation",
    "ProgressResult",
    "ReportingPeriod",
    "SafeguardValue",
    "Scope",
    "Target",
    "keep_official",
    "scope_name",
    "reads_stored_reason",
    "reason_inputs",
    "result_reason_words",
]
