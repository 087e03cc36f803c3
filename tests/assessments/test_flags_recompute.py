"""Accountability flags in the database: idempotent, handling states kept, corrections withdraw."""

import pytest

from assessments.models import Evaluation, Flag, Ranking
from assessments.services import FlagTransitionError, flag_transition, flags_recompute


def _rank(year, zone, rank, total=60, funding=False, scheme="provincial"):
    evaluation, _ = Evaluation.objects.get_or_create(scheme=scheme, year=year, defaults={"total_zones": total})
    return Ranking.objects.update_or_create(
        evaluation=evaluation, zone=zone, defaults={"rank": rank, "funding_awarded": funding}
    )[0]


def _flag(zone, year, rule, scheme="provincial"):
    return Flag.objects.get(zone=zone, year=year, rule=rule, scheme=scheme)


def test_it_raises_bottom_five_against_the_host_county_government(plan):
    wuding = plan["lufeng"].__class__.objects.get(code="wuding")
    _rank(2022, wuding, 40)
    _rank(2023, wuding, 57)
    flags_recompute()
    flag = _flag(wuding, 2023, "bottom_five")
    assert flag.outcome == "fired"
    assert flag.responsible_party == "武定县人民政府"
    assert "约谈" in flag.consequence
    assert flag.evidence["current_rank"] == 57 and flag.evidence["current_total_zones"] == 60
    assert _flag(wuding, 2023, "drop_over_ten").outcome == "fired"  # 40 → 57


def test_it_records_rules_it_cannot_evaluate(plan):
    _rank(2023, plan["lufeng"], 20)
    flags_recompute()
    for rule in ("drop_over_ten", "bottom_five_twice", "no_improvement"):
        flag = _flag(plan["lufeng"], 2023, rule)
        assert flag.outcome == "not_evaluable"
        assert "2022" in flag.reason
    assert not Flag.objects.filter(zone=plan["lufeng"], rule="bottom_five").exists()


def test_it_is_idempotent_and_keeps_the_handling_state(plan, olga):
    _rank(2022, plan["lufeng"], 10)
    _rank(2023, plan["lufeng"], 58)
    flags_recompute()
    before = sorted(Flag.objects.values_list("zone_id", "year", "rule", "outcome"))
    flag = _flag(plan["lufeng"], 2023, "bottom_five")
    flag_transition(flag=flag, user=olga, state="acknowledged", note="已安排约谈")
    summary = flags_recompute()
    assert summary.raised == 0 and summary.withdrawn == 0
    assert sorted(Flag.objects.values_list("zone_id", "year", "rule", "outcome")) == before
    flag.refresh_from_db()
    assert flag.state == "acknowledged" and flag.note == "已安排约谈" and flag.handled_by == olga


def test_a_corrected_rank_withdraws_the_flag_and_keeps_its_history(plan):
    _rank(2022, plan["lufeng"], 10)
    ranking = _rank(2023, plan["lufeng"], 58)
    flags_recompute()
    ranking.rank = 30
    ranking.save()
    summary = flags_recompute()
    flag = _flag(plan["lufeng"], 2023, "bottom_five")
    assert flag.state == "withdrawn"
    assert summary.withdrawn >= 1
    assert [h.state for h in flag.history.order_by("history_date")] == ["open", "withdrawn"]
    ranking.rank = 59
    ranking.save()
    flags_recompute()
    flag.refresh_from_db()
    assert flag.state == "open"


def test_it_fires_bottom_five_twice_only_for_consecutive_years(plan):
    zone = plan["lufeng"]
    _rank(2022, zone, 58)
    _rank(2023, zone, 30)
    _rank(2024, zone, 59)
    flags_recompute()
    assert not Flag.objects.filter(zone=zone, rule="bottom_five_twice", outcome="fired").exists()
    _rank(2025, zone, 60)
    flags_recompute()
    assert _flag(zone, 2025, "bottom_five_twice").responsible_party == "禄丰产业园区领导班子"


def test_it_keeps_the_national_ranking_to_the_improvement_rule(plan):
    hitech = plan["hitech"]
    _rank(2023, hitech, 140, total=178, scheme="national")
    _rank(2024, hitech, 141, total=178, scheme="national")
    flags_recompute()
    assert set(Flag.objects.filter(scheme="national", year=2024).values_list("rule", flat=True)) == {"no_improvement"}


def test_resolving_a_flag_needs_a_note_and_follows_the_states(plan, olga):
    _rank(2022, plan["lufeng"], 10)
    _rank(2023, plan["lufeng"], 58)
    flags_recompute()
    flag = _flag(plan["lufeng"], 2023, "bottom_five")
    with pytest.raises(FlagTransitionError, match="处理说明"):
        flag_transition(flag=flag, user=olga, state="resolved", note="  ")
    flag_transition(flag=flag, user=olga, state="resolved", note="已约谈禄丰市人民政府主要领导")
    with pytest.raises(FlagTransitionError):
        flag_transition(flag=flag, user=olga, state="acknowledged")
    flag.refresh_from_db()
    assert flag.state == "resolved"
