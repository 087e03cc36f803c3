"""Date rules of the responsibility cycle (pure: no Django). Codes and numbers, no sentences."""

from datetime import date

CLOSED = "closed"
ANSWERED = "answered"
OPEN = "open"  # a work item still 推进中


def is_late(*, state: str, deadline: date, closed_on: date | None, today: date) -> bool:
    """An open item past its deadline, or an item closed after it."""
    if state == CLOSED:
        return closed_on is not None and closed_on > deadline
    return today > deadline


def is_overdue(*, state: str, deadline: date, answered_on: date | None, today: date) -> bool:
    """What the pages mark 逾期 (the badge, the row's red bar): an item past its deadline that still waits for its
    body. An item answered by its deadline waits for the office (办结 or 退回), not for the body: it is not overdue
    (its assessment is offered as 按时, `suggest_assessment`); one answered after it stays marked, it was late. A
    closed item is done with: whether it was closed late is its assessment's to say (逾期办结); `is_late` counts it
    in the record."""
    if state == CLOSED or (state == ANSWERED and answered_on is not None and answered_on <= deadline):
        return False
    return today > deadline


def answer_counts_from(*, state: str, answered_on: date | None, today: date) -> date:
    """The day an item counts as answered after an answer given on `today`: a supplement to an answer that stands
    (the item is still ANSWERED) keeps the first answer's day, so adding evidence after the deadline does not make an
    item answered in time late. The first answer, or a new one after a 退回 (which clears `answered_on`), counts from
    `today`."""
    if state == ANSWERED and answered_on is not None:
        return answered_on
    return today


def work_item_is_overdue(*, status: str, due_date: date, today: date, issued: bool) -> bool:
    """What the pages mark 逾期 on a work item (the badge, the row's red bar), and what the reminders call late: still
    推进中 (open) after its 完成时限, on a list that was issued (`issued`: 印发). A done or not-done item is settled,
    whatever its date; a draft's item is owed by no one yet (the to-do, the reminders and the 考评 read adopted lists
    only), even when the draft is read after its items' dates."""
    return issued and status == OPEN and today > due_date


# How far after its issue a 督办's deadline may be, in years: it chases a matter within the plan's yearly cycle, and
# a date further off (9999-12-31) is a typing slip that would keep the item from ever being overdue.
DEADLINE_YEARS_AT_MOST = 2


def latest_deadline(issued_on: date) -> date:
    """The latest deadline an item issued on `issued_on` may have: the same day DEADLINE_YEARS_AT_MOST years on."""
    try:
        return issued_on.replace(year=issued_on.year + DEADLINE_YEARS_AT_MOST)
    except ValueError:  # 29 February
        return issued_on.replace(year=issued_on.year + DEADLINE_YEARS_AT_MOST, day=28)


def days_late(*, deadline: date, today: date) -> int:
    return max((today - deadline).days, 0)


def was_late(*, answered_on: date | None, deadline: date, today: date) -> bool:
    """Whether an item closed on `today` was late (what 逾期办结 says): answered after its deadline, or, with no
    answer standing, closed after it. One answered by its deadline was not, whenever the office closes it."""
    if answered_on is not None:
        return answered_on > deadline
    return today > deadline


def suggest_assessment(*, answered_on: date | None, deadline: date) -> str:
    """The assessment the office is offered first: on time when answered by the deadline."""
    if answered_on is None:
        return "not_done"
    return "on_time" if answered_on <= deadline else "late"


def same_day_next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def on_time_record(items) -> dict:
    """Counts over (state, assessment, deadline, closed_on, answered_on, today) tuples: how a body handled its items
    (its open ones overdue by `is_overdue`)."""
    record = {"total": 0, "on_time": 0, "late": 0, "not_done": 0, "open": 0, "open_late": 0}
    for state, assessment, deadline, _closed_on, answered_on, today in items:
        record["total"] += 1
        if state == CLOSED:
            record[assessment or "not_done"] += 1
        else:
            record["open"] += 1
            record["open_late"] += is_overdue(state=state, deadline=deadline, answered_on=answered_on, today=today)
    return record
