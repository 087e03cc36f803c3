"""Accountability rules of task 8 (考核结果运用): pure functions, no Django.

Each rule reads a zone's ranking in the evaluated year (and, for the comparative
rules, the year before) and says whether the plan's consequence applies. A rule
that lacks the rankings it needs is "not_evaluable" with the reason, never a
silent pass.
"""

from collections.abc import Mapping
from dataclasses import dataclass

BOTTOM_FIVE = "bottom_five"
DROP_OVER_TEN = "drop_over_ten"
BOTTOM_FIVE_TWICE = "bottom_five_twice"
NO_IMPROVEMENT = "no_improvement"
FUNDING_PRIORITY = "funding_priority"
GOOD_RESULT = "good_result"

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

CONSEQUENCES: dict[str, str] = {
    BOTTOM_FIVE: "进行通报，并按相关规定对属地县市人民政府主要领导进行约谈",
    DROP_OVER_TEN: "进行通报，并按相关规定对属地县市人民政府主要领导进行约谈",
    BOTTOM_FIVE_TWICE: "对开发区领导班子主要负责人和相关责任人进行调整",
    NO_IMPROVEMENT: "未实现“每年有提升、争先进位”目标，予以预警",
    FUNDING_PRIORITY: "州级财政在项目建设政策支持、专项债争取方面优先给予倾斜",
    GOOD_RESULT: "对考核结果好的开发区加大政策及资金扶持力度",
}

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
    reason: str  # Chinese explanation (empty where `reason_code` says it)
    reason_code: str = ""  # the positive rule speaks in codes; its words are chosen where it is shown


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
        outcome, reason, evidence = _apply(
            rule, year=year, current=current, previous=previous, rankings=rankings
        )
        results.append(
            RuleResult(
                rule=rule,
                outcome=outcome,
                evidence={"rule": rule, "scheme": scheme, "year": year, **evidence},
                consequence=CONSEQUENCES[rule],
                responsible_party=responsible_party_for(rule, zone_name=zone_name, county_name=county_name),
                reason=reason,
            )
        )
    return results


# --- rule logic ------------------------------------------------------------------------

_Verdict = tuple[str, str, dict]


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
        return NOT_EVALUABLE, _missing_reason(year, rankings), {"missing_years": [year]}
    if rule == BOTTOM_FIVE:
        return _bottom_five(year, current)
    if rule == FUNDING_PRIORITY:
        return _funding_priority(year, current)
    if previous is None:
        evidence = {"missing_years": [year - 1], **_ranking_evidence("current", year, current)}
        return NOT_EVALUABLE, _missing_reason(year - 1, rankings), evidence
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
    return (FIRED if fired else PASSED), reason, evidence


def _drop_over_ten(year: int, current: RankingInput, previous: RankingInput) -> _Verdict:
    drop = current.rank - previous.rank
    fired = drop > MAX_DROP
    evidence = {
        **_both_years(year, current, previous),
        "drop": drop,
        "comparison": f"{current.rank} - {previous.rank} = {drop} > {MAX_DROP}: {fired}",
    }
    change = f"{year - 1}年第{previous.rank}位→{year}年第{current.rank}位"
    if drop > 0:
        movement = f"下降{drop}位"
    elif drop < 0:
        movement = f"上升{-drop}位"
    else:
        movement = "名次不变"
    verdict = f"，超过{MAX_DROP}位" if fired else f"，未超过{MAX_DROP}位"
    reason = f"排名{movement}（{change}）" + (verdict if drop > 0 else "")
    return (FIRED if fired else PASSED), reason, evidence


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
    return (FIRED if fired else PASSED), reason, evidence


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
    return (FIRED if fired else PASSED), reason, evidence


def _funding_priority(year: int, current: RankingInput) -> _Verdict:
    fired = current.funding_awarded
    evidence = {
        **_ranking_evidence("current", year, current),
        "funding_awarded": fired,
        "score": current.score,
    }
    reason = f"{year}年获得资金奖励，享受优先支持" if fired else f"{year}年未获得资金奖励"
    return (FIRED if fired else PASSED), reason, evidence


# --- the positive side --------------------------------------------------------------------

# 「对考核结果好的开发区加大政策及资金扶持力度」: the plan does not say what "good" is. The portal reads it as
# a place in the top quarter of the zones evaluated that year (r ≤ ⌊N / 4⌋), or a rise of more than ten
# places (the mirror image of the drop rule). Reason codes:
GOOD_TOP_QUARTER = "top_quarter"
GOOD_BIG_RISE = "big_rise"
GOOD_NOT_MET = "not_good"
GOOD_MISSING = "missing_ranking"
GOOD_SHARE_DENOMINATOR = 4


def evaluate_good_result(*, year: int, rankings: Mapping[int, RankingInput], scheme: str = PROVINCIAL) -> RuleResult:
    """The positive consequence of task 8 for one zone and year (provincial ranking), with its evidence."""
    current = _valid(rankings.get(year))
    previous = _valid(rankings.get(year - 1))
    base = {"rule": GOOD_RESULT, "scheme": scheme, "year": year}
    if current is None:
        return RuleResult(rule=GOOD_RESULT, outcome=NOT_EVALUABLE, evidence={**base, "missing_years": [year]},
                          consequence=CONSEQUENCES[GOOD_RESULT], responsible_party=FINANCE_BUREAU, reason="",
                          reason_code=GOOD_MISSING)
    threshold = current.total_zones // GOOD_SHARE_DENOMINATOR
    top = current.rank <= threshold
    rise = None if previous is None else previous.rank - current.rank
    big_rise = rise is not None and rise > MAX_DROP
    evidence = {
        **base, **_ranking_evidence("current", year, current),
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
    return RuleResult(rule=GOOD_RESULT, outcome=FIRED if top or big_rise else PASSED, evidence=evidence,
                      consequence=CONSEQUENCES[GOOD_RESULT], responsible_party=FINANCE_BUREAU, reason="",
                      reason_code=code)
