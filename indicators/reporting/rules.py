"""When a report is overdue (逾期未报), one rule for every page that says so: pure, no queries."""

from datetime import date, datetime

from indicators.models import DispatchReport

# What a unit still owes: not yet submitted, or sent back to it.
OPEN_STATES = (DispatchReport.State.PENDING, DispatchReport.State.DRAFT, DispatchReport.State.RETURNED)


def is_overdue(*, state: str, first_submitted_at: datetime | None, deadline: date, today: date) -> bool:
    """Owed, never submitted, and its deadline's day over: what the bulletin, the unit pages, the to-do list and
    `timeliness_summary` count as 逾期未报. A report submitted and then returned (or reopened) is not: it was
    delivered, its lateness judged by its first submission, and it waits to be submitted again (退回未重报)."""
    return state in OPEN_STATES and first_submitted_at is None and deadline < today
