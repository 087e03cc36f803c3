"""The unit page's on-time record, counted in Python from plain rows: a report is on time when it was first submitted
on or before its deadline's day in the portal's time zone (Asia/Shanghai), not in UTC."""

from datetime import UTC, date, datetime

from pages.dashboards.tasks import on_time_record

DEADLINE = date(2025, 12, 5)
TODAY = date(2025, 12, 20)


def test_it_judges_a_submission_by_the_local_day():
    rows = [
        (2025, "approved", datetime(2025, 12, 5, 15, 30, tzinfo=UTC), DEADLINE),  # 23:30 on the 5th in Chuxiong
        (2025, "approved", datetime(2025, 12, 5, 16, 30, tzinfo=UTC), DEADLINE),  # 00:30 on the 6th in Chuxiong
    ]
    record, owed, overdue = on_time_record(rows, today=TODAY)
    assert [(r["total"], r["on_time"], r["late"]) for r in record] == [(2, 1, 1)]
    assert (owed, overdue) == (0, 0)


def test_it_counts_what_is_owed_and_leaves_waived_reports_out_of_the_record():
    rows = [
        (2025, "pending", None, DEADLINE),  # owed and overdue
        (2025, "returned", datetime(2025, 12, 1, 2, tzinfo=UTC), DEADLINE),  # owed, submitted once: not overdue
        (2025, "draft", None, date(2025, 12, 25)),  # owed, not due yet
        (2024, "waived", None, date(2024, 3, 5)),  # counts nowhere
        (2026, "waived", None, date(2026, 1, 5)),
    ]
    record, owed, overdue = on_time_record(rows, today=TODAY)
    assert record == [{"period__year": 2025, "total": 3, "on_time": 1, "late": 0, "overdue": 1, "not_due": 1}]
    assert (owed, overdue) == (3, 1)
