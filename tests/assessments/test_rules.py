"""Accountability rules of task 8: plain functions, no database."""

import json

import pytest

from assessments.rules import (
    CONSEQUENCES,
    FIRED,
    NOT_EVALUABLE,
    PASSED,
    RankingInput,
    RuleResult,
    evaluate_zone,
    is_bottom_five,
)

ZONE = "楚雄高新技术产业开发区"
COUNTY = "禄丰市"
PROVINCIAL_ORDER = ["bottom_five", "drop_over_ten", "bottom_five_twice", "no_improvement", "funding_priority"]


def rankings(*entries: tuple[int, int, int] | RankingInput) -> dict[int, RankingInput]:
    """Rankings by year from (year, rank, total) tuples or ready-made inputs."""
    result = {}
    for entry in entries:
        ranking = entry if isinstance(entry, RankingInput) else RankingInput(*entry)
        result[ranking.year] = ranking
    return result


def run(year: int, data: dict[int, RankingInput], scheme: str = "provincial") -> dict[str, RuleResult]:
    results = evaluate_zone(year=year, rankings=data, zone_name=ZONE, county_name=COUNTY, scheme=scheme)
    return {result.rule: result for result in results}


# --- is_bottom_five --------------------------------------------------------------------


def test_it_puts_rank_n_minus_4_in_the_bottom_five_but_not_rank_n_minus_5():
    assert is_bottom_five(46, 50) is True
    assert is_bottom_five(45, 50) is False
    assert is_bottom_five(50, 50) is True
    assert is_bottom_five(1, 50) is False


def test_it_rejects_a_rank_outside_the_field():
    with pytest.raises(ValueError):
        is_bottom_five(51, 50)
    with pytest.raises(ValueError):
        is_bottom_five(0, 50)


# --- shape -----------------------------------------------------------------------------


def test_it_returns_the_five_provincial_rules_in_the_plans_order():
    results = evaluate_zone(
        year=2024, rankings=rankings((2023, 10, 50), (2024, 8, 50)), zone_name=ZONE, county_name=COUNTY
    )
    assert [result.rule for result in results] == PROVINCIAL_ORDER


def test_it_applies_only_no_improvement_to_the_national_ranking():
    results = evaluate_zone(
        year=2024,
        rankings=rankings((2023, 120, 178), (2024, 175, 178)),
        zone_name=ZONE,
        county_name=COUNTY,
        scheme="national",
    )
    assert [result.rule for result in results] == ["no_improvement"]
    assert results[0].outcome == FIRED
    assert results[0].evidence["scheme"] == "national"
    # The warning quotes the plan's goal for 高新区's national place, not the provincial evaluation's.
    assert "提升楚雄国家高新区在国家高新区年度综合评价的排名" in results[0].consequence
    assert "全省" not in results[0].consequence


def test_it_rejects_an_unknown_scheme():
    with pytest.raises(ValueError):
        evaluate_zone(year=2024, rankings={}, zone_name=ZONE, county_name=COUNTY, scheme="county")


# --- bottom_five -----------------------------------------------------------------------


def test_it_does_not_fire_bottom_five_at_rank_n_minus_5():
    result = run(2024, rankings((2023, 45, 50), (2024, 45, 50)))["bottom_five"]
    assert result.outcome == PASSED
    assert result.evidence["threshold"] == 45


def test_it_fires_bottom_five_at_rank_n_minus_4_for_the_county_government():
    result = run(2024, rankings((2023, 40, 50), (2024, 46, 50)))["bottom_five"]
    assert result.outcome == FIRED
    assert result.consequence == "进行通报，并按相关规定对属地县市人民政府主要领导进行约谈"
    assert result.responsible_party == "禄丰市人民政府"
    assert result.evidence["current_rank"] == 46
    assert result.evidence["current_total_zones"] == 50
    assert result.evidence["current_year"] == 2024
    assert "后五位" in result.reason


# --- drop_over_ten ---------------------------------------------------------------------


def test_it_does_not_fire_for_a_drop_of_exactly_ten_places():
    result = run(2024, rankings((2023, 10, 50), (2024, 20, 50)))["drop_over_ten"]
    assert result.outcome == PASSED
    assert result.evidence["drop"] == 10


def test_it_fires_for_a_drop_of_eleven_places():
    result = run(2024, rankings((2023, 10, 50), (2024, 21, 50)))["drop_over_ten"]
    assert result.outcome == FIRED
    assert result.evidence["drop"] == 11
    assert result.evidence["previous_rank"] == 10
    assert result.evidence["current_rank"] == 21
    assert result.responsible_party == "禄丰市人民政府"
    assert result.consequence == CONSEQUENCES["bottom_five"]
    assert "下降11位" in result.reason


def test_it_does_not_fire_drop_over_ten_for_a_rise():
    result = run(2024, rankings((2023, 30, 50), (2024, 5, 50)))["drop_over_ten"]
    assert result.outcome == PASSED
    assert result.evidence["drop"] == -25


# --- bottom_five_twice -----------------------------------------------------------------


def test_it_fires_bottom_five_twice_with_a_different_n_in_each_year():
    result = run(2024, rankings((2023, 56, 60), (2024, 47, 50)))["bottom_five_twice"]
    assert result.outcome == FIRED
    assert result.evidence["previous_total_zones"] == 60
    assert result.evidence["current_total_zones"] == 50
    assert result.evidence["previous_bottom_five"] is True
    assert result.evidence["current_bottom_five"] is True
    assert result.consequence == "对连续2年评价排名全省后5位的开发区领导班子主要负责人和相关责任人进行调整"  # verbatim
    assert result.responsible_party == f"{ZONE}领导班子"


def test_it_judges_the_same_rank_against_each_years_own_n():
    # Rank 47 is bottom five of 50 but not of 60.
    bottom_then_not = run(2024, rankings((2023, 47, 50), (2024, 47, 60)))
    not_then_bottom = run(2024, rankings((2023, 47, 60), (2024, 47, 50)))
    assert bottom_then_not["bottom_five_twice"].outcome == PASSED
    assert bottom_then_not["bottom_five_twice"].evidence["previous_bottom_five"] is True
    assert bottom_then_not["bottom_five_twice"].evidence["current_bottom_five"] is False
    assert bottom_then_not["bottom_five"].outcome == PASSED
    assert not_then_bottom["bottom_five_twice"].outcome == PASSED
    assert not_then_bottom["bottom_five"].outcome == FIRED


def test_it_does_not_fire_bottom_five_twice_for_non_consecutive_years():
    data = rankings((2023, 48, 50), (2024, 30, 50), (2025, 49, 50))
    results = run(2025, data)
    assert results["bottom_five"].outcome == FIRED
    assert results["bottom_five_twice"].outcome == PASSED
    assert results["bottom_five_twice"].evidence["previous_year"] == 2024


def test_it_does_not_fire_bottom_five_twice_when_only_the_earlier_year_was_bottom():
    result = run(2024, rankings((2023, 50, 50), (2024, 20, 50)))["bottom_five_twice"]
    assert result.outcome == PASSED


# --- no_improvement --------------------------------------------------------------------


def test_it_warns_when_the_rank_stays_the_same():
    result = run(2024, rankings((2023, 12, 50), (2024, 12, 50)))["no_improvement"]
    assert result.outcome == FIRED
    # The plan sets the goal but no consequence: the warning is the portal's wording, and says so.
    assert result.consequence.startswith("（平台提示，非方案原文）")
    assert "“力争在全省开发区高质量发展评价中每年有提升，实现争先进位”" in result.consequence
    assert result.responsible_party == f"{ZONE}管委会"
    assert result.evidence["comparison"] == "12 >= 12: True"


def test_it_passes_no_improvement_when_the_rank_rises_by_one():
    result = run(2024, rankings((2023, 12, 50), (2024, 11, 50)))["no_improvement"]
    assert result.outcome == PASSED
    assert "提升1位" in result.reason


def test_it_warns_when_the_rank_falls():
    result = run(2024, rankings((2023, 12, 50), (2024, 13, 50)))["no_improvement"]
    assert result.outcome == FIRED


# --- funding_priority ------------------------------------------------------------------


def test_it_fires_funding_priority_for_the_finance_bureau_when_funding_was_awarded():
    data = rankings(RankingInput(2024, 3, 50, score=92.5, funding_awarded=True))
    result = run(2024, data)["funding_priority"]
    assert result.outcome == FIRED
    assert result.responsible_party == "州财政局"
    assert result.consequence == "州级财政要在项目建设政策支持、专项债争取方面优先给予倾斜"  # verbatim
    assert result.evidence["score"] == 92.5


def test_it_passes_funding_priority_without_an_award():
    result = run(2024, rankings((2024, 3, 50)))["funding_priority"]
    assert result.outcome == PASSED


# --- missing rankings ------------------------------------------------------------------


def test_it_cannot_evaluate_comparative_rules_without_the_previous_year():
    data = rankings(RankingInput(2023, 48, 50, funding_awarded=True))
    results = run(2023, data)
    for rule in ("drop_over_ten", "bottom_five_twice", "no_improvement"):
        assert results[rule].outcome == NOT_EVALUABLE
        assert results[rule].reason == "缺少2022年排名，无法判定"
        assert results[rule].evidence["missing_years"] == [2022]
    assert results["bottom_five"].outcome == FIRED
    assert results["funding_priority"].outcome == FIRED


def test_it_cannot_evaluate_any_rule_without_the_years_own_ranking():
    data = rankings((2023, 48, 50), (2025, 49, 50))
    results = evaluate_zone(year=2024, rankings=data, zone_name=ZONE, county_name=COUNTY)
    assert len(results) == 5
    assert {result.outcome for result in results} == {NOT_EVALUABLE}
    assert {result.reason for result in results} == {"缺少2024年排名，无法判定"}


def test_it_cannot_evaluate_a_national_ranking_without_the_years_own_ranking():
    results = evaluate_zone(year=2024, rankings={}, zone_name=ZONE, county_name=COUNTY, scheme="national")
    assert [(result.rule, result.outcome) for result in results] == [("no_improvement", NOT_EVALUABLE)]


def test_it_treats_a_rank_beyond_the_field_as_not_evaluable():
    results = run(2024, rankings((2023, 10, 50), (2024, 55, 50)))
    assert {result.outcome for result in results.values()} == {NOT_EVALUABLE}
    assert "数据有误" in results["bottom_five"].reason


# --- evidence --------------------------------------------------------------------------


def test_it_records_years_ranks_and_n_used_as_json():
    results = evaluate_zone(
        year=2024,
        rankings=rankings((2023, 56, 60), (2024, 47, 50)),
        zone_name=ZONE,
        county_name=COUNTY,
    )
    decoded = [json.loads(json.dumps(result.evidence)) for result in results]
    twice = decoded[PROVINCIAL_ORDER.index("bottom_five_twice")]
    assert (twice["previous_year"], twice["previous_rank"], twice["previous_total_zones"]) == (2023, 56, 60)
    assert (twice["current_year"], twice["current_rank"], twice["current_total_zones"]) == (2024, 47, 50)
    assert "56 > 60 - 5" in twice["comparison"]
    assert all(item["year"] == 2024 for item in decoded)


def test_every_consequence_is_the_plan_s_words_or_marked_as_the_portal_s():
    from pathlib import Path

    from assessments.rules import CONSEQUENCES, PORTAL_WORDING_MARK

    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_71de2baef6091f5c.txt"
    if not seed.exists():
        pytest.skip("the plan's text (shared/seed) is not beside this checkout")
    plan = "".join(line.strip() for line in seed.read_text(encoding="utf-8").splitlines()).replace(" ", "")
    for rule, text in CONSEQUENCES.items():
        assert text.startswith(PORTAL_WORDING_MARK) or text in plan, rule
