"""The evaluation page and its downloads run the same number of SQL queries however much data there is.

Measured with the page cache off on the compact dataset, then after the full demo history replaced it.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Flag
from indicators.models import DispatchReport, IndicatorValue
from tests.dashboards.data import build_small, grow

CODE = "zones-2023-2025"
MAX_QUERIES = 17  # 12, and the roll-ups the progress engine computes too (zones, areas, parts, periods)
LATE_2026 = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def get_all(client, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for name in ("plan-evaluation", "plan-evaluation-docx", "plan-evaluation-xlsx"):
        url = reverse(name, args=[CODE])
        client.get(url)  # warm up: session, content types
        with django_assert_max_num_queries(MAX_QUERIES) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    return counts


@pytest.fixture
def no_page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@time_machine.travel(LATE_2026, tick=False)
def test_it_keeps_the_evaluations_queries_bounded_as_data_grows(
    client_for, olga, plan, no_page_cache, django_assert_max_num_queries
):
    build_small()
    client = client_for(olga)
    small = (DispatchReport.objects.count(), IndicatorValue.objects.count(), Flag.objects.count())
    small_counts = get_all(client, django_assert_max_num_queries)

    grow()
    client.force_login(olga)
    large = (DispatchReport.objects.count(), IndicatorValue.objects.count(), Flag.objects.count())
    assert large[0] > 100 * small[0] and large[1] > 20 * small[1] and large[2] > small[2], (small, large)
    assert get_all(client, django_assert_max_num_queries) == small_counts
