"""The positive side of task 8 (「对考核结果好的开发区加大政策及资金扶持力度」): a pure rule, reason codes."""

from assessments.rules import (
    FIRED,
    GOOD_BIG_RISE,
    GOOD_MISSING,
    GOOD_NOT_MET,
    GOOD_TOP_QUARTER,
    NOT_EVALUABLE,
    PASSED,
    RankingInput,
    evaluate_good_result,
)


def run(year, *entries):
    return evaluate_good_result(year=year, rankings={e[0]: RankingInput(*e) for e in entries})


def test_it_fires_for_a_place_in_the_top_quarter_and_not_one_below():
    assert run(2024, (2024, 16, 66)).outcome == FIRED  # 66 // 4 = 16
    result = run(2024, (2023, 17, 66), (2024, 17, 66))
    assert (result.outcome, result.reason_code) == (PASSED, GOOD_NOT_MET)
    fired = run(2024, (2024, 16, 66))
    assert fired.reason_code == GOOD_TOP_QUARTER and fired.evidence["threshold"] == 16
    assert fired.responsible_party == "州财政局" and "扶持" in fired.consequence
    assert fired.reason == ""  # the words are chosen where the flag is shown


def test_it_fires_for_a_rise_of_more_than_ten_places_and_not_for_ten():
    risen = run(2024, (2023, 50, 66), (2024, 39, 66))
    assert (risen.outcome, risen.reason_code, risen.evidence["rise"]) == (FIRED, GOOD_BIG_RISE, 11)
    assert run(2024, (2023, 50, 66), (2024, 40, 66)).outcome == PASSED


def test_it_cannot_judge_a_year_without_its_ranking():
    result = run(2024, (2023, 3, 66))
    assert (result.outcome, result.reason_code, result.evidence["missing_years"]) == (
        NOT_EVALUABLE,
        GOOD_MISSING,
        [2024],
    )


def test_without_the_year_before_it_judges_the_place_alone_and_says_so():
    result = run(2024, (2024, 17, 66))
    assert (result.outcome, result.reason_code, result.evidence["rise_missing_year"]) == (PASSED, GOOD_NOT_MET, 2023)
    assert run(2024, (2024, 3, 66)).outcome == FIRED  # the top quarter needs no comparison
