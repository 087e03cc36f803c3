"""Accountability rules of task 8 (考核结果运用): pure functions, no Django.

Each rule reads a zone's ranking in the evaluated year (and, for the comparative
rules, the year before) and says whether the plan's consequence applies. A rule
that lacks the rankings it needs is "not_evaluable" with the reason, never a
silent pass.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

BOTTOM_FIVE = "bottom_five"
DROP_OVER_TEN = "drop_over_ten"
BOTTOM_FIVE_TWICE = "bottom_five_twice"
NO_IMPROVEMENT = "no_improvement"
FUNDING_PRIORITY = "funding_priority"
GOOD_RESULT = "good_result"

# The plan's positive consequences (资金倾斜, 扶持), beside the four that hold a zone to account.
POSITIVE_RULES = (FUNDING_PRIORITY, GOOD_RESULT)

PROVINCIAL = "provincial"
NATIONAL = "national"
# The provincial ranking drives all five rules; the national high-tech zone's
# national ranking only carries the "improve every year" warning.
RULES_BY_SCHEME: dict[str, tuple[str, ...]] = {
    PROVINCIAL: (BOTTOM_FIVE, DROP_OVER_TEN, BOTTOM_FIVE_TWICE, NO_IMPROVEMENT, FUNDING_PRIORITY),
    NATIONAL: (NO_IMPROVEMENT,),
}

FIRED = "fired"
NOT_EVALUABLE = "not_evaluable"
PASSED = "passed"

BOTTOM_PLACES = 5  # "后五位"
MAX_DROP = 10  # a drop of more than 10 places fires

# The plan's words, verbatim (task 8), except where marked as the portal's own: the plan states the
# yearly-improvement goal (「力争在全省开发区高质量发展评价中每年有提升，实现争先进位」) but no consequence,
# so the warning is the portal's and says so.
PORTAL_WORDING_MARK = "（平台提示，非方案原文）"
IMPROVEMENT_GOAL = "力争在全省开发区高质量发展评价中每年有提升，实现争先进位"  # the plan's words
CONSEQUENCES: dict[str, str] = {
    BOTTOM_FIVE: "进行通报，并按相关规定对属地县市人民政府主要领导进行约谈",
    DROP_OVER_TEN: "进行通报，并按相关规定对属地县市人民政府主要领导进行约谈",
    BOTTOM_FIVE_TWICE: "对连续2年评价排名全省后5位的开发区领导班子主要负责人和相关责任人进行调整",
    NO_IMPROVEMENT: PORTAL_WORDING_MARK + f"未实现方案“{IMPROVEMENT_GOAL}”的要求，予以预警",
    FUNDING_PRIORITY: "州级财政要在项目建设政策支持、专项债争取方面优先给予倾斜",
    GOOD_RESULT: "对考核结果好的开发区加大政策及资金扶持力度",
}
# In the national evaluation of high-tech zones the plan's goal is 高新区's place (task 8), not the province's yearly
# improvement: the warning quotes that sentence.
NATIONAL_IMPROVEMENT_GOAL = "提升楚雄国家高新区在国家高新区年度综合评价的排名"  # the plan's words
NATIONAL_CONSEQUENCES: dict[str, str] = {
    NO_IMPROVEMENT: PORTAL_WORDING_MARK + f"未实现方案“{NATIONAL_IMPROVEMENT_GOAL}”的要求，予以预警",
}


def consequence_for(rule: str, scheme: str = PROVINCIAL) -> str:
    """The consequence of `rule` in `scheme`: the plan's words, or the portal's warning quoting the plan's goal."""
    if scheme == NATIONAL and rule in NATIONAL_CONSEQUENCES:
        return NATIONAL_CONSEQUENCES[rule]
    return CONSEQUENCES[rule]


FINANCE_BUREAU = "州财政局"


@dataclass(frozen=True)
class RankingInput:
    year: int
    rank: int  # 1 is best
    total_zones: int  # N_Y, number of zones evaluated that year
    score: float | None = None
    funding_awarded: bool = False


@dataclass(frozen=True)
class RuleResult:
    rule: str  # one of RULES_BY_SCHEME[PROVINCIAL]
    outcome: str  # "fired" | "not_evaluable" | "passed"
    evidence: dict  # years, ranks, N values used and the comparison made (JSON-serialisable)
    consequence: str  # the plan's words
    responsible_party: str
    reason: str  # the Chinese explanation, stored as the fallback (empty for the positive rule)
    reason_code: str = ""  # what the explanation says, as a code; its words are chosen where it is shown
    reason_params: dict = field(default_factory=dict)  # the numbers the words need (JSON-serialisable)


def is_bottom_five(rank: int, total: int) -> bool:
    """Whether `rank` of `total` zones is among the last five (rank > total − 5)."""
    if total < 1 or not 1 <= rank <= total:
        raise ValueError(f"rank {rank} is not a valid place among {total} zones")
    return rank > total - BOTTOM_PLACES


def responsible_party_for(rule: str, *, zone_name: str, county_name: str) -> str:
    """Who the consequence of `rule` is addressed to, as the plan names them."""
    if rule in (BOTTOM_FIVE, DROP_OVER_TEN):
        return f"{county_name}人民政府"
    if rule == BOTTOM_FIVE_TWICE:
        return f"{zone_name}领导班子"
    if rule == NO_IMPROVEMENT:
        return f"{zone_name}管委会"
    if rule in (FUNDING_PRIORITY, GOOD_RESULT):
        return FINANCE_BUREAU
    raise ValueError(f"unknown rule {rule!r}")


def evaluate_zone(
    *,
    year: int,
    rankings: Mapping[int, RankingInput],
    zone_name: str,
    county_name: str,
    scheme: str = PROVINCIAL,
) -> list[RuleResult]:
    """Apply the scheme's rules to one zone's ranking in `year`, in the plan's order."""
    if scheme not in RULES_BY_SCHEME:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {tuple(RULES_BY_SCHEME)}")
    current = _valid(rankings.get(year))
    previous = _valid(rankings.get(year - 1))
    results = []
    for rule in RULES_BY_SCHEME[scheme]:
        outcome, reason, evidence, code, params = _apply(
            rule, year=year, current=current, previous=previous, rankings=rankings
        )
        results.append(
            RuleResult(
                rule=rule,
                outcome=outcome,
                evidence={"rule": rule, "scheme": scheme, "year": year, **evidence},
                consequence=consequence_for(rule, scheme),
                responsible_party=responsible_party_for(rule, zone_name=zone_name, county_name=county_name),
                reason=reason,
                reason_code=code,
                reason_params=params,
            )
        )
    return results


# --- rule logic ------------------------------------------------------------------------

# outcome, Chinese reason, evidence, reason code, reason parameters
_Verdict = tuple[str, str, dict, str, dict]

# Reason codes of the five rules (the positive rule's are below it). The parameters of each: years, ranks,
# numbers of zones and places moved, named as in `assessments/reasons.py`, which words them.
MISSING_RANKING = "missing_ranking"  # {"missing_years": [year]}
INVALID_RANKING = "invalid_ranking"  # {"year"}: the rank lies outside 1..N
IN_BOTTOM_FIVE = "in_bottom_five"  # {"year", "rank", "total"}
NOT_IN_BOTTOM_FIVE = "not_in_bottom_five"
DROPPED_OVER_LIMIT = "dropped_over_limit"  # {"previous_year", "previous_rank", "year", "rank", "places", "limit"}
DROPPED_WITHIN_LIMIT = "dropped_within_limit"
ROSE = "rose"  # {"previous_year", "previous_rank", "year", "rank", "places"}
RANK_UNCHANGED = "rank_unchanged"  # {"previous_year", "previous_rank", "year", "rank"}
BOTTOM_FIVE_TWO_YEARS = "bottom_five_two_years"  # {"previous_year", "previous_rank", "previous_total", "year", ...}
NOT_BOTTOM_FIVE_TWO_YEARS = "not_bottom_five_two_years"
NOT_IMPROVED = "not_improved"  # {"previous_year", "previous_rank", "year", "rank"}
IMPROVED = "improved"  # the same and {"places"}
FUNDING_AWARDED = "funding_awarded"  # {"year"}
NO_FUNDING = "no_funding"  # {"year"}


def _valid(ranking: RankingInput | None) -> RankingInput | None:
    # A rank outside 1..N cannot be judged against N; treat it like a missing ranking
    # (the reason then points at the year whose data needs fixing).
    if ranking is None or ranking.total_zones < 1 or not 1 <= ranking.rank <= ranking.total_zones:
        return None
    return ranking


def _apply(
    rule: str,
    *,
    year: int,
    current: RankingInput | None,
    previous: RankingInput | None,
    rankings: Mapping[int, RankingInput],
) -> _Verdict:
    if current is None:
        return NOT_EVALUABLE, _missing_reason(year, rankings), {"missing_years": [year]}, *_missing_code(year, rankings)
    if rule == BOTTOM_FIVE:
        return _bottom_five(year, current)
    if rule == FUNDING_PRIORITY:
        return _funding_priority(year, current)
    if previous is None:
        evidence = {"missing_years": [year - 1], **_ranking_evidence("current", year, current)}
        return NOT_EVALUABLE, _missing_reason(year - 1, rankings), evidence, *_missing_code(year - 1, rankings)
    comparative = {
        DROP_OVER_TEN: _drop_over_ten,
        BOTTOM_FIVE_TWICE: _bottom_five_twice,
        NO_IMPROVEMENT: _no_improvement,
    }
    return comparative[rule](year, current, previous)


def _missing_reason(year: int, rankings: Mapping[int, RankingInput]) -> str:
    if year in rankings:
        return f"{year}年排名数据有误（名次不在1至参评总数之间），无法判定"
    return f"缺少{year}年排名，无法判定"


def _missing_code(year: int, rankings: Mapping[int, RankingInput]) -> tuple[str, dict]:
    if year in rankings:
        return INVALID_RANKING, {"year": year}
    return MISSING_RANKING, {"missing_years": [year]}


def _place_params(year: int, current: RankingInput, previous: RankingInput | None = None) -> dict:
    params = {"year": year, "rank": current.rank, "total": current.total_zones}
    if previous is not None:
        params.update(previous_year=year - 1, previous_rank=previous.rank, previous_total=previous.total_zones)
    return params


def _ranking_evidence(prefix: str, year: int, ranking: RankingInput) -> dict:
    return {
        f"{prefix}_year": year,
        f"{prefix}_rank": ranking.rank,
        f"{prefix}_total_zones": ranking.total_zones,
    }


def _both_years(year: int, current: RankingInput, previous: RankingInput) -> dict:
    return {
        **_ranking_evidence("current", year, current),
        **_ranking_evidence("previous", year - 1, previous),
    }


def _bottom_five(year: int, current: RankingInput) -> _Verdict:
    threshold = current.total_zones - BOTTOM_PLACES
    fired = is_bottom_five(current.rank, current.total_zones)
    evidence = {
        **_ranking_evidence("current", year, current),
        "threshold": threshold,
        "comparison": f"{current.rank} > {current.total_zones} - {BOTTOM_PLACES} = {threshold}: {fired}",
    }
    place = f"{year}年排名第{current.rank}位（共{current.total_zones}个）"
    reason = f"{place}，位列后五位" if fired else f"{place}，未列后五位"
    code = IN_BOTTOM_FIVE if fired else NOT_IN_BOTTOM_FIVE
    return (FIRED if fired else PASSED), reason, evidence, code, _place_params(year, current)


def _drop_over_ten(year: int, current: RankingInput, previous: RankingInput) -> _Verdict:
    drop = current.rank - previous.rank
    fired = drop > MAX_DROP
    evidence = {
        **_both_years(year, current, previous),
        "drop": drop,
        "comparison": f"{current.rank} - {previous.rank} = {drop} > {MAX_DROP}: {fired}",
    }
    change = f"{year - 1}年第{previous.rank}位→{year}年第{current.rank}位"
    params = {**_place_params(year, current, previous), "places": abs(drop), "limit": MAX_DROP}
    if drop > 0:
        movement = f"下降{drop}位"
        code = DROPPED_OVER_LIMIT if fired else DROPPED_WITHIN_LIMIT
    elif drop < 0:
        movement = f"上升{-drop}位"
        code = ROSE
    else:
        movement = "名次不变"
        code = RANK_UNCHANGED
    verdict = f"，超过{MAX_DROP}位" if fired else f"，未超过{MAX_DROP}位"
    reason = f"排名{movement}（{change}）" + (verdict if drop > 0 else "")
    return (FIRED if fired else PASSED), reason, evidence, code, params


def _bottom_five_twice(year: int, current: RankingInput, previous: RankingInput) -> _Verdict:
    # Each year is judged against its own N: the number of zones evaluated changes.
    was_bottom = is_bottom_five(previous.rank, previous.total_zones)
    is_bottom = is_bottom_five(current.rank, current.total_zones)
    fired = was_bottom and is_bottom
    evidence = {
        **_both_years(year, current, previous),
        "previous_bottom_five": was_bottom,
        "current_bottom_five": is_bottom,
        "comparison": (
            f"{previous.rank} > {previous.total_zones} - {BOTTOM_PLACES} ({year - 1}): {was_bottom}; "
            f"{current.rank} > {current.total_zones} - {BOTTOM_PLACES} ({year}): {is_bottom}"
        ),
    }
    places = (
        f"{year - 1}年第{previous.rank}位（共{previous.total_zones}个）、"
        f"{year}年第{current.rank}位（共{current.total_zones}个）"
    )
    if fired:
        reason = f"连续两年位列后五位：{places}"
    else:
        reason = f"未连续两年位列后五位：{places}"
    code = BOTTOM_FIVE_TWO_YEARS if fired else NOT_BOTTOM_FIVE_TWO_YEARS
    return (FIRED if fired else PASSED), reason, evidence, code, _place_params(year, current, previous)


def _no_improvement(year: int, current: RankingInput, previous: RankingInput) -> _Verdict:
    # The target is to move up every year, so holding the same place is not enough.
    fired = current.rank >= previous.rank
    evidence = {
        **_both_years(year, current, previous),
        "comparison": f"{current.rank} >= {previous.rank}: {fired}",
    }
    change = f"{year - 1}年第{previous.rank}位→{year}年第{current.rank}位"
    if fired:
        reason = f"排名未提升（{change}）"
    else:
        reason = f"排名提升{previous.rank - current.rank}位（{change}）"
    params = {**_place_params(year, current, previous), "places": previous.rank - current.rank}
    return (FIRED if fired else PASSED), reason, evidence, (NOT_IMPROVED if fired else IMPROVED), params


def _funding_priority(year: int, current: RankingInput) -> _Verdict:
    fired = current.funding_awarded
    evidence = {
        **_ranking_evidence("current", year, current),
        "funding_awarded": fired,
        "score": current.score,
    }
    reason = f"{year}年评价获得省级资金补助，州级财政优先给予倾斜" if fired else f"{year}年评价未获得省级资金补助"
    return (FIRED if fired else PASSED), reason, evidence, (FUNDING_AWARDED if fired else NO_FUNDING), {"year": year}


# --- the positive side --------------------------------------------------------------------

# 「对考核结果好的开发区加大政策及资金扶持力度」: the plan does not say what "good" is. The portal reads it as
# a place in the top quarter of the zones evaluated that year (r ≤ ⌊N / 4⌋), or a rise of more than ten
# places (the mirror image of the drop rule). Reason codes:
GOOD_TOP_QUARTER = "top_quarter"
GOOD_BIG_RISE = "big_rise"
GOOD_NOT_MET = "not_good"
GOOD_MISSING = MISSING_RANKING
GOOD_SHARE_DENOMINATOR = 4


def evaluate_good_result(*, year: int, rankings: Mapping[int, RankingInput], scheme: str = PROVINCIAL) -> RuleResult:
    """The positive consequence of task 8 for one zone and year (provincial ranking), with its evidence."""
    current = _valid(rankings.get(year))
    previous = _valid(rankings.get(year - 1))
    base = {"rule": GOOD_RESULT, "scheme": scheme, "year": year}
    if current is None:
        return RuleResult(
            rule=GOOD_RESULT,
            outcome=NOT_EVALUABLE,
            evidence={**base, "missing_years": [year]},
            consequence=CONSEQUENCES[GOOD_RESULT],
            responsible_party=FINANCE_BUREAU,
            reason="",
            reason_code=GOOD_MISSING,
            reason_params={"missing_years": [year]},
        )
    threshold = current.total_zones // GOOD_SHARE_DENOMINATOR
    top = current.rank <= threshold
    rise = None if previous is None else previous.rank - current.rank
    big_rise = rise is not None and rise > MAX_DROP
    evidence = {
        **base,
        **_ranking_evidence("current", year, current),
        "threshold": threshold,
        "comparison": f"{current.rank} <= {current.total_zones} // {GOOD_SHARE_DENOMINATOR} = {threshold}: {top}",
    }
    if previous is not None:
        evidence.update(_ranking_evidence("previous", year - 1, previous))
        evidence["rise"] = rise
        evidence["rise_comparison"] = f"{previous.rank} - {current.rank} = {rise} > {MAX_DROP}: {big_rise}"
    if current.score is not None:
        evidence["score"] = current.score
    if previous is None:
        # Without the year before only the place is judged (the rise is left out, and the evidence says so):
        # a zone outside the top quarter passes, as the flag lists have always read for a first year.
        evidence["rise_missing_year"] = year - 1
    code = GOOD_TOP_QUARTER if top else GOOD_BIG_RISE if big_rise else GOOD_NOT_MET
    params = _place_params(year, current, previous)
    if code == GOOD_TOP_QUARTER:
        params["threshold"] = threshold
    elif code == GOOD_BIG_RISE:
        params["places"] = rise
    return RuleResult(
        rule=GOOD_RESULT,
        outcome=FIRED if top or big_rise else PASSED,
        evidence=evidence,
        consequence=CONSEQUENCES[GOOD_RESULT],
        responsible_party=FINANCE_BUREAU,
        reason="",
        reason_code=code,
        reason_params=params,
    )
