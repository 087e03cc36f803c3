"""Evaluation arithmetic: points, weighted sums and their check, ranks, computed shares. No database."""

from decimal import Decimal as D

from evaluations.scoring import TOTAL_MISMATCH, competition_ranks, gap_analysis, share_score, total_review, weighted_sum


def test_it_sums_the_points_of_weighted_scores():
    assert weighted_sum([(D(30), D(40)), (D(70), D("55.5"))]) == D("50.85")  # 12 + 38.85
    assert weighted_sum([(D(30), D(40)), (D(70), None)]) is None


def test_it_marks_a_total_off_by_more_than_five_cents_only_where_the_scheme_says_it_must_match():
    assert total_review(total=D("50.05"), computed=D("50.00"), must_match=True) == ""
    assert total_review(total=D("50.06"), computed=D("50.00"), must_match=True) == TOTAL_MISMATCH
    assert total_review(total=D("60"), computed=D("50.00"), must_match=False) == ""


def test_it_ranks_by_total_with_unique_places():
    assert competition_ranks({"a": D(80), "b": D(90), "c": D(80), "d": D(70), "e": None}) == {
        "b": 1,
        "a": 2,
        "c": 3,
        "d": 4,
    }


def test_it_computes_a_share_on_the_hundred_scale():
    assert share_score(2, 3) == D("66.67")
    assert share_score(0, 0) is None


def test_the_gap_reads_each_year_with_its_own_weights():
    rows = gap_analysis(
        weights={"a": D(60), "b": D(40)},
        zone_scores={"a": D(50), "b": D(100)},
        reference_scores=[{"a": D(100), "b": D(50)}, {"a": D(80), "b": D(50)}],
        previous_weights={"a": D(50)},
        previous_scores={"a": D(50), "b": D(90)},
    )
    # a: 30 earned, leaders 60 and 48 → 54, lost 24; last year 25 under weight 50 → +5. b: 40 vs 20, no loss.
    assert [(r.code, r.points, r.reference_points, r.gap, r.movement) for r in rows] == [
        ("a", D("30.00"), D("54.00"), D("24.00"), D("5.00")),
        ("b", D("40.00"), D("20.00"), D("-20.00"), None),
    ]
