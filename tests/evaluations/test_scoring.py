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


def test_it_ranks_by_total_and_ties_share_a_place():
    assert competition_ranks({"a": D(80), "b": D(90), "c": D(80), "d": D(70), "e": None}) == {
        "b": 1,
        "a": 2,
        "c": 2,
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


def test_the_gap_tells_a_sub_indicator_new_this_year_from_one_last_year_left_unscored():
    rows = gap_analysis(
        weights={"a": D(50), "b": D(30), "c": D(20)},
        zone_scores={"a": D(0), "b": D(80), "c": D(70)},
        reference_scores=[{"a": D(90), "b": D(90), "c": D(90)}],
        previous_weights={"a": D(50), "b": D(50)},
        previous_scores={"a": D(25), "b": None},
    )
    by_code = {r.code: r for r in rows}
    assert (by_code["a"].points, by_code["a"].movement, by_code["a"].had_previous) == (D("0.00"), D("-12.50"), True)
    assert (by_code["b"].movement, by_code["b"].had_previous) == (None, True)  # last year: the sub, no score
    assert (by_code["c"].movement, by_code["c"].had_previous) == (None, False)  # new this year


def test_the_gap_page_shows_a_score_of_nought_and_says_which_kind_of_missing(client_for, olga, plan):
    from django.template.loader import render_to_string

    from evaluations.scoring import GapRow

    class Sub:
        code, group, name = "a", "创新", "创新能力"

        class feeds:
            @staticmethod
            def all():
                return []

    def line(**row):
        fields = dict(code="a", weight=D(50), score=D(0), points=D("0.00"), reference_points=D("45.00"), gap=None)
        fields.update(previous_points=None, movement=None, status="compared", had_previous=False)
        fields.update(row)
        return {"sub": Sub, "row": GapRow(**fields)}

    lines = [line(had_previous=True), line()]
    html = render_to_string(
        "evaluations/gap.html", {"gap": type("G", (), {"lines": lines, "benchmark": None, "references": []})}
    )
    cells = html.split("<tbody>")[1]
    assert cells.count('<td class="num">0</td>') == 2 and cells.count('<td class="num">0.00</td>') == 2
    assert "上年无得分" in cells and "上年无此分项" in cells
