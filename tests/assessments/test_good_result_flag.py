"""The positive rule in the flag list: raised with its evidence and words, beside the five."""

from assessments.models import Evaluation, Flag, Ranking
from assessments.services import flags_recompute


def _rank(year, zone, rank, total=66):
    evaluation, _ = Evaluation.objects.get_or_create(scheme="provincial", year=year, defaults={"total_zones": total})
    Ranking.objects.update_or_create(evaluation=evaluation, zone=zone, defaults={"rank": rank})


def test_a_top_quarter_place_raises_the_priority_flag_for_the_finance_bureau(plan):
    _rank(2023, plan["lufeng"], 20)
    _rank(2024, plan["lufeng"], 12)
    _rank(2023, plan["wuding"], 45)
    _rank(2023, plan["hitech"], 5)
    _rank(2024, plan["wuding"], 40)
    flags_recompute()
    flag = Flag.objects.get(zone=plan["lufeng"], year=2024, rule="good_result")
    assert (flag.outcome, flag.responsible_party) == ("fired", "州财政局")
    assert flag.evidence["threshold"] == 16 and flag.evidence["current_rank"] == 12
    assert flag.reason.startswith("2024年排名第12位（共66个），进入全省前四分之一（前16位）（“考核结果好”按")
    assert flag.reason.endswith("为平台标准，非方案原文）")
    assert not Flag.objects.filter(zone=plan["wuding"], year=2024, rule="good_result").exists()
    hitech = Flag.objects.get(zone=plan["hitech"], year=2024, rule="good_result")  # ranked in 2023 only
    assert (hitech.outcome, hitech.reason) == ("not_evaluable", "缺少2024年排名，无法判定")
    # The same list as the five, in the same evaluated years.
    assert set(Flag.objects.filter(zone=plan["lufeng"], year=2024).values_list("rule", flat=True)) == {"good_result"}


def test_a_corrected_rank_withdraws_it(plan):
    _rank(2023, plan["lufeng"], 31)
    _rank(2024, plan["lufeng"], 12)
    flags_recompute()
    _rank(2024, plan["lufeng"], 30)
    flags_recompute()
    assert Flag.objects.get(zone=plan["lufeng"], year=2024, rule="good_result").state == "withdrawn"
