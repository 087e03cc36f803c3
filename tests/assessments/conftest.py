"""What the flag tests share."""

import pytest

from assessments.models import Evaluation, Flag, Ranking
from assessments.services import flags_recompute


@pytest.fixture
def flag(plan):
    """禄丰's 排名全省后5位 of 2023 (58th of 60, after 10th in 2022), raised by the recompute."""
    for year, rank in ((2022, 10), (2023, 58)):
        evaluation = Evaluation.objects.create(year=year, total_zones=60)
        Ranking.objects.create(evaluation=evaluation, zone=plan["lufeng"], rank=rank)
    flags_recompute()
    return Flag.objects.get(zone=plan["lufeng"], year=2023, rule="bottom_five")
