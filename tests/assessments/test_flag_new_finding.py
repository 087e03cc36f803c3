"""A rule that could not be judged and later fires (its missing ranking came in) is a new finding: it is open again,
whatever the office did with the notice that the rule could not be judged."""

from assessments.models import Evaluation, Flag, Ranking
from assessments.services import flag_transition, flags_recompute


def _rank(year, zone, rank, total=60):
    evaluation, _ = Evaluation.objects.get_or_create(scheme="provincial", year=year, defaults={"total_zones": total})
    return Ranking.objects.update_or_create(evaluation=evaluation, zone=zone, defaults={"rank": rank})[0]


def test_it_reopens_a_resolved_not_evaluable_flag_when_the_rule_then_fires(plan, olga):
    wuding = plan["wuding"]
    _rank(2023, wuding, 57)
    flags_recompute()
    notice = Flag.objects.get(zone=wuding, year=2023, rule="drop_over_ten")
    assert notice.outcome == "not_evaluable"
    flag_transition(flag=notice, user=olga, state="resolved", note="已向省统计局索取2022年排名")

    _rank(2022, wuding, 40)  # 40 → 57: a drop of 17 places
    flags_recompute()

    notice.refresh_from_db()
    assert notice.outcome == "fired"
    assert notice.state == "open"  # to be handled: 通报 and 约谈 are due
    assert notice.note == "已向省统计局索取2022年排名"  # what was done with the notice stays on record
    assert [h.state for h in notice.history.order_by("history_date")] == ["open", "resolved", "open"]


def test_it_keeps_the_handling_when_a_fired_flags_evidence_is_corrected(plan, olga):
    lufeng = plan["lufeng"]
    _rank(2022, lufeng, 10)
    ranking = _rank(2023, lufeng, 58)
    flags_recompute()
    flag = Flag.objects.get(zone=lufeng, year=2023, rule="bottom_five")
    flag_transition(flag=flag, user=olga, state="acknowledged", note="已安排约谈")
    ranking.rank = 59  # still among the last five
    ranking.save()
    flags_recompute()
    flag.refresh_from_db()
    assert flag.outcome == "fired" and flag.evidence["current_rank"] == 59
    assert flag.state == "acknowledged"
