"""The bootstrap dates the demo's accountability flags when their year's evaluation came in, so that an old period's
bulletin, which reads the flags as they stood at its end (from their history), shows the demo's flags of that time."""

from datetime import UTC, date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Flag
from assessments.rules import POSITIVE_RULES
from indicators.models import ReportingPeriod
from pages.bulletin import bulletin_build

CHUXIONG = ZoneInfo("Asia/Shanghai")


def _raised(year: int) -> datetime:
    """When the demo's evaluation of `year` came in: the next year's 30 April, never later than now."""
    return min(datetime.combine(date(year + 1, 4, 30), time(10), tzinfo=CHUXIONG), timezone.now())


@pytest.mark.parametrize("today", [datetime(2026, 12, 7, 4, tzinfo=UTC), datetime(2025, 6, 15, 4, tzinfo=UTC)])
def test_the_bootstraps_demo_flags_are_raised_when_their_evaluation_came_in(db, today):
    with time_machine.travel(today, tick=False):
        call_command("bootstrap", stdout=StringIO())
        flags = list(Flag.objects.order_by("pk"))
        assert {f.year for f in flags} >= {2023, 2024}
        for flag in flags:
            assert flag.created_at == _raised(flag.year), flag
            assert flag.history.earliest().history_date == _raised(flag.year), flag
        # April 2024's bulletin (its window holds 30 April) lists the flags of 2023 as raised in it, March's none.
        april, march = (
            ReportingPeriod.objects.get(cadence="monthly", year=2024, index=month, plan__code__isnull=False)
            for month in (4, 3)
        )
        fired_2023 = {f.pk for f in flags if f.year == 2023 and f.outcome == Flag.Outcome.FIRED}
        fired_2023 -= {f.pk for f in flags if f.rule in POSITIVE_RULES}
        assert fired_2023
        new = {row["flag"].pk for row in bulletin_build(period=april, today=timezone.localdate())["flags_new"]}
        assert new == fired_2023
        before = bulletin_build(period=march, today=timezone.localdate())
        assert before["flags_new"] == before["flags_open"] == []
