"""Every result of the task-8 rules has a reason code, and its words come from the code in the reader's language.

In Chinese the words chosen from the code and parameters are the rule's own sentence, character for character
(the positive rule has no sentence of its own: its words are checked against the ones stored before codes);
in English they hold no Chinese. The responsible party and the portal's warning are worded the same way. The
migration that added the codes reads the same code and parameters back from a stored flag's evidence.
"""

import importlib
import itertools
import re

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from assessments import rules
from assessments.models import Evaluation, Flag, Ranking
from assessments.reasons import consequence_text, reason_text, responsible_party_text
from assessments.services import flags_recompute

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
ZONE, COUNTY = "禄丰产业园区", "禄丰市"
# Ranks (out of the year's total) for the year before and the year judged: every code of every rule.
TOTALS = {2023: 64, 2024: 66}
PLACES = [None, 0, 1, 5, 12, 14, 16, 17, 30, 60, 62, 64, 65, 70]
FUNDING = (False, True)


def _cases():
    for before, now, funding in itertools.product(PLACES, PLACES, FUNDING):
        history = {}
        for year, rank in ((2023, before), (2024, now)):
            if rank is not None:
                history[year] = rules.RankingInput(
                    year=year, rank=rank, total_zones=TOTALS[year], funding_awarded=funding
                )
        yield history


def _results(history):
    return [
        *rules.evaluate_zone(year=2024, rankings=history, zone_name=ZONE, county_name=COUNTY),
        rules.evaluate_good_result(year=2024, rankings=history),
    ]


def test_every_result_has_a_code_and_its_chinese_words_are_the_rules_sentence():
    codes = set()
    with translation.override("zh-hans"):
        for history in _cases():
            for result in _results(history):
                assert result.reason_code, result
                codes.add(result.reason_code)
                words = reason_text(result.reason_code, result.reason_params)
                if result.reason:  # the five rules: their own sentence
                    assert words == result.reason, result
                else:  # the positive rule: the words it has always stored
                    assert words and CJK.search(words), result
    # Every code was reached: the table of words is checked whole.
    assert codes == {
        rules.MISSING_RANKING,
        rules.INVALID_RANKING,
        rules.IN_BOTTOM_FIVE,
        rules.NOT_IN_BOTTOM_FIVE,
        rules.DROPPED_OVER_LIMIT,
        rules.DROPPED_WITHIN_LIMIT,
        rules.ROSE,
        rules.RANK_UNCHANGED,
        rules.BOTTOM_FIVE_TWO_YEARS,
        rules.NOT_BOTTOM_FIVE_TWO_YEARS,
        rules.NOT_IMPROVED,
        rules.IMPROVED,
        rules.FUNDING_AWARDED,
        rules.NO_FUNDING,
        rules.GOOD_TOP_QUARTER,
        rules.GOOD_BIG_RISE,
        rules.GOOD_NOT_MET,
    }


def test_in_english_the_words_hold_no_chinese():
    with translation.override("en"):
        for history in _cases():
            for result in _results(history):
                words = reason_text(result.reason_code, result.reason_params)
                assert words and not CJK.search(words), (result, words)
        assert reason_text(
            rules.DROPPED_OVER_LIMIT,
            {"year": 2024, "rank": 30, "previous_year": 2023, "previous_rank": 12, "places": 18, "limit": 10},
        ) == ("Down 18 places (12 in 2023 → 30 in 2024), more than 10")


def test_an_unknown_code_or_broken_parameters_give_no_words():
    assert reason_text("", {}) is None
    assert reason_text("no_such_code", {"year": 2024}) is None
    assert reason_text(rules.IN_BOTTOM_FIVE, {"year": 2024}) is None  # parameters of another shape


@pytest.mark.parametrize("rule", list(rules.CONSEQUENCES))
def test_the_responsible_party_and_the_consequence_in_both_languages(rule):
    with translation.override("zh-hans"):
        assert responsible_party_text(rule, zone_name=ZONE, county_name=COUNTY) == rules.responsible_party_for(
            rule, zone_name=ZONE, county_name=COUNTY
        )
        assert consequence_text(rule, rules.CONSEQUENCES[rule]) == rules.CONSEQUENCES[rule]
    with translation.override("en"):
        party = responsible_party_text(rule, zone_name=ZONE, county_name=COUNTY)
        # Only names are left in Chinese: the zone's, the county's, the finance bureau's.
        assert not CJK.search(party.replace(ZONE, "").replace(COUNTY, "").replace(rules.FINANCE_BUREAU, "")), party
        consequence = consequence_text(rule, rules.CONSEQUENCES[rule])
        if rule == rules.NO_IMPROVEMENT:  # the portal's own words, around the plan's goal
            assert not CJK.search(consequence.replace(rules.IMPROVEMENT_GOAL, "")), consequence
            national = consequence_text(rule, rules.consequence_for(rule, rules.NATIONAL))
            assert rules.NATIONAL_IMPROVEMENT_GOAL in national
            assert not CJK.search(national.replace(rules.NATIONAL_IMPROVEMENT_GOAL, "")), national
        else:  # the plan's words, verbatim
            assert consequence == rules.CONSEQUENCES[rule]


def test_a_flag_shows_its_reason_in_the_readers_language_and_the_api_says_its_code(plan, client_for, olga):
    for year, rank in ((2022, 12), (2023, 61)):
        evaluation = Evaluation.objects.create(year=year, total_zones=64)
        Ranking.objects.create(evaluation=evaluation, zone=plan["wuding"], rank=rank)
    flags_recompute()
    flag = Flag.objects.select_related("zone__county").get(zone=plan["wuding"], year=2023, rule=rules.DROP_OVER_TEN)
    assert (flag.reason_code, flag.reason_params["places"]) == (rules.DROPPED_OVER_LIMIT, 49)
    assert flag.reason == "排名下降49位（2022年第12位→2023年第61位），超过10位"  # stored in Chinese
    with translation.override("en"):
        assert flag.reason_words == "Down 49 places (12 in 2022 → 61 in 2023), more than 10"
        assert flag.responsible_party_words == "武定县 government"
    with translation.override("zh-hans"):
        assert flag.reason_words == flag.reason
        assert flag.responsible_party_words == flag.responsible_party == "武定县人民政府"

    client = client_for(olga)

    def api_row(language: str) -> dict:
        response = client.get("/api/v1/flags/?zone=wuding&year=2023", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, response.content
        body = response.json()
        return next(r for r in body.get("results", body) if r["rule"] == rules.DROP_OVER_TEN)

    row = api_row("en")
    assert row["reason"] == "Down 49 places (12 in 2022 → 61 in 2023), more than 10"
    assert (row["reason_code"], row["reason_params"]) == (rules.DROPPED_OVER_LIMIT, flag.reason_params)
    assert api_row("zh-hans")["reason"] == flag.reason


def test_the_migration_reads_each_flags_code_back_from_its_evidence(plan):
    """Flags stored before codes (an empty code) get the code and parameters the rules give them now."""
    for year, ranks in (
        (2022, {"lufeng": 12, "wuding": 50, "hitech": 63}),
        (2023, {"lufeng": 12, "wuding": 61, "hitech": 64}),
        (2024, {"lufeng": 14, "wuding": 63, "hitech": 3}),
    ):
        evaluation = Evaluation.objects.create(year=year, total_zones=64 if year < 2024 else 66)
        for code, rank in ranks.items():
            Ranking.objects.create(evaluation=evaluation, zone=plan[code], rank=rank, funding_awarded=rank < 10)
    Evaluation.objects.create(year=2025, total_zones=66)  # a year without rankings: not evaluable
    flags_recompute()
    # A corrected rank withdraws a flag: it keeps the words of the passing result.
    Ranking.objects.filter(evaluation__year=2024, zone=plan["lufeng"]).update(rank=8)
    flags_recompute()
    assert Flag.objects.get(zone=plan["lufeng"], year=2024, rule=rules.NO_IMPROVEMENT).reason_code == rules.IMPROVED
    expected = dict(Flag.objects.values_list("pk", "reason_code"))
    params = dict(Flag.objects.values_list("pk", "reason_params"))
    assert len(set(expected.values())) >= 8
    Flag.objects.update(reason_code="", reason_params={})

    migration = importlib.import_module("assessments.migrations.0005_flag_reason_code_and_params")
    migration.fill_reason_codes(django_apps, None)
    assert dict(Flag.objects.values_list("pk", "reason_code")) == expected
    assert dict(Flag.objects.values_list("pk", "reason_params")) == params


def test_the_good_result_flag_says_its_measure_is_the_portal_s_not_the_plan_s():
    """The plan rewards 「考核结果好的开发区」 without saying what a good result is: the portal's measure (top quarter,
    or a rise of more than 10 places) is marked as its own, in both languages, as the portal's warning is."""
    codes = {rules.GOOD_TOP_QUARTER, rules.GOOD_BIG_RISE, rules.GOOD_NOT_MET}
    seen = set()
    for history in _cases():
        result = rules.evaluate_good_result(year=2024, rankings=history)
        if result.reason_code not in codes:
            continue
        seen.add(result.reason_code)
        with translation.override("zh-hans"):
            assert "为平台标准，非方案原文" in reason_text(result.reason_code, result.reason_params)
        with translation.override("en"):
            assert "not the plan's" in reason_text(result.reason_code, result.reason_params)
    assert seen == codes
    with translation.override("zh-hans"):  # the five rules' sentences carry no such mark
        assert "非方案原文" not in reason_text(rules.IN_BOTTOM_FIVE, {"year": 2024, "rank": 62, "total": 66})
