"""The office types a zone's provincial result of a year into a form: checked and written by the bulk import
(the rules of the API and the Excel route), all or nothing, with the review mark and the rankings derived."""

import re
from decimal import Decimal as D

import pytest

from assessments.models import Ranking
from chuxiong_portal import dates
from evaluations.models import EvaluationResult, SubScore
from evaluations.services import SubIndicatorSpec, results_import, scheme_define

URL = "/evaluations/provincial/2024/enter/"


@pytest.fixture
def scheme(plan):
    return scheme_define(
        kind="provincial",
        year=2024,
        title="2024年全省开发区高质量发展评价",
        sub_indicators=[
            SubIndicatorSpec(group="创新能力", code="innovation", name="研发投入强度", unit="%", weight=D(60)),
            SubIndicatorSpec(group="绿色发展", code="green", name="亩均税收", unit="万元/亩", weight=D(40)),
        ],
    )


@pytest.fixture
def province(scheme):
    """Eleven zones outside the prefecture, all behind lufeng's 60 points: a rank up to 12 is a place of the year."""
    rows = [
        {
            "year": 2024,
            "zone": f"yn-{number:02d}",
            "zone_name": f"省内开发区{number:02d}",
            "sub_scores": [{"indicator": "innovation", "score": "40"}, {"indicator": "green", "score": "40"}],
        }
        for number in range(1, 12)
    ]
    assert not results_import(rows=rows, user=None).errors


def post(zone="lufeng", total="", rank="", **subs):
    data = {"zone": zone, "total": total, "rank": rank, "funding_awarded": "on"}
    for key, value in {
        "value_innovation": "1.8",
        "score_innovation": "50",
        "rank_innovation": "30",
        "value_green": "12.5",
        "score_green": "75",
        "rank_green": "8",
        **subs,
    }.items():
        data[key] = value
    return data


def test_the_office_enters_a_result_from_the_scheme_page(client_for, olga, scheme, province):
    client = client_for(olga)
    page = client.get("/evaluations/provincial/2024/").content.decode()
    assert f'href="{URL}"' in page
    form = client.get(URL)
    assert form.status_code == 200 and 'name="score_green"' in form.content.decode()

    response = client.post(URL, post(total="60.00", rank="12"), follow=True)
    assert response.redirect_chain == [("/evaluations/provincial/2024/", 302)]
    assert "总分60.00，排名12" in response.content.decode()
    result = EvaluationResult.objects.get(zone_code="lufeng")
    # 60 × 50 / 100 + 40 × 75 / 100 = 30 + 30
    assert (result.weighted_sum, result.total, result.rank, result.review) == (D("60.00"), D("60.00"), 12, "")
    assert result.funding_awarded is True
    scores = {
        s.sub_indicator.code: (s.value, s.score, s.rank) for s in result.sub_scores.select_related("sub_indicator")
    }
    assert scores == {"innovation": (D("1.8"), D("50"), 30), "green": (D("12.5"), D("75"), 8)}
    # The rankings the rules read follow, as after an import.
    ranking = Ranking.objects.get(evaluation__scheme="provincial", evaluation__year=2024, zone__code="lufeng")
    assert (ranking.rank, ranking.score, ranking.funding_awarded) == (12, D("60.00"), True)

    # The form opens again with what is stored.
    again = client.get(URL + "?zone=lufeng").content.decode()
    assert 'name="score_green" value="75.00"' in again and 'name="rank" value="12"' in again


def test_a_total_that_is_not_the_weighted_sum_is_kept_and_marked_for_review(client_for, olga, scheme):
    response = client_for(olga).post(URL, post(total="70"), follow=True)
    page = response.content.decode()
    assert "公布总分70.00与加权合计60.00不一致，已标记为待复核" in page
    result = EvaluationResult.objects.get(zone_code="lufeng")
    assert (result.total, result.weighted_sum, result.review) == (D("70.00"), D("60.00"), "total_mismatch")
    assert result.rank == 1  # ranked by its total, the only one


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        (
            post(score_green="120", rank_innovation="abc"),
            ["得分应在0—100之间（百分制）", "分项排名应为 1—10000 之间的整数"],
        ),
        (post(score_bogus="80"), ["2024年评价方案中没有分项：bogus"]),
        (post(zone="yn-outside"), ["州外开发区“yn-outside”须填写开发区名称"]),
        (post(total="很多"), ["总分必须是有效数字"]),
        (post(zone="not a code!"), ["有效"]),
    ],
)
def test_bad_input_gets_a_message_and_writes_nothing(client_for, olga, scheme, province, data, messages):
    client = client_for(olga)
    assert client.post(URL, post(total="60", rank="12")).status_code == 302
    before = list(SubScore.objects.order_by("pk").values_list("score", "rank", "value"))
    response = client.post(URL, {**data, "total": data["total"] or "61"})
    assert response.status_code == 400
    page = response.content.decode()
    for message in messages:
        assert message in page
    assert list(SubScore.objects.order_by("pk").values_list("score", "rank", "value")) == before
    assert EvaluationResult.objects.count() == 12
    assert EvaluationResult.objects.get(zone_code="lufeng").total == D("60.00")


def test_the_form_is_for_the_provincial_and_national_results_only(client_for, olga, plan):
    scheme_define(
        kind="prefecture",
        year=2024,
        title="考评",
        sub_indicators=[
            SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=D(100), method="manual")
        ],
    )
    assert client_for(olga).get("/evaluations/prefecture/2024/enter/").status_code == 404


def _seen(page: str) -> str:
    return re.search(r'name="seen" value="([^"]*)"', page).group(1)


def test_two_office_users_typing_one_result_at_once_the_second_is_told_and_nothing_of_theirs_is_written(
    client_for, olga, scheme
):
    client = client_for(olga)
    client.post(URL, post(total="60.00"))
    first = _seen(client.get(f"{URL}?zone=lufeng").content.decode())
    second = _seen(client.get(f"{URL}?zone=lufeng").content.decode())
    assert first == second and first.startswith("lufeng@")
    # The first saves 70, the second, from the page they opened before, 80.
    assert client.post(URL, {**post(total="70.00"), "seen": first}).status_code == 302
    response = client.post(URL, {**post(total="80.00"), "seen": second})
    assert response.status_code == 400
    page = response.content.decode()
    stored = EvaluationResult.objects.get(zone_code="lufeng")
    assert stored.stated_total == D("70.00")
    # Told what is stored now, and when; what they typed is kept, and the refused page is ready to send again.
    assert f"已被他人于{dates.moment(stored.updated_at)}保存为总分{stored.total}、排名{stored.rank}" in page
    assert 'value="80.00"' in page
    resend = _seen(page)
    assert resend == _seen(client.get(f"{URL}?zone=lufeng").content.decode()) != second
    assert client.post(URL, {**post(total="80.00"), "seen": resend}).status_code == 302
    assert EvaluationResult.objects.get(zone_code="lufeng").stated_total == D("80.00")


def test_a_refusal_for_bad_input_keeps_what_the_page_saw_so_a_change_meanwhile_is_still_caught(
    client_for, olga, scheme
):
    client = client_for(olga)
    client.post(URL, post(total="60.00"))
    opened = _seen(client.get(f"{URL}?zone=lufeng").content.decode())
    assert client.post(URL, post(total="70.00")).status_code == 302  # someone else, meanwhile
    refused = client.post(URL, {**post(total="80.00", rank="0"), "seen": opened})
    assert refused.status_code == 400
    assert _seen(refused.content.decode()) == opened  # not told of the change yet: not taken as seen
    again = client.post(URL, {**post(total="80.00"), "seen": _seen(refused.content.decode())})
    assert again.status_code == 400
    assert "已被他人于" in again.content.decode()
    assert EvaluationResult.objects.get(zone_code="lufeng").stated_total == D("70.00")


def test_a_result_entered_by_someone_else_after_the_empty_form_was_opened_is_not_overwritten(client_for, olga, scheme):
    client = client_for(olga)
    opened = _seen(client.get(f"{URL}?zone=lufeng").content.decode())
    assert opened == "lufeng@"
    assert client.post(URL, post(total="60.00")).status_code == 302  # another entry, meanwhile
    assert client.post(URL, {**post(total="90.00"), "seen": opened}).status_code == 400
    assert EvaluationResult.objects.get(zone_code="lufeng").total == D("60.00")


def test_a_change_of_the_sub_scores_alone_counts_as_a_change_of_the_result(client_for, olga, scheme):
    client = client_for(olga)
    client.post(URL, post(total="60.00"))
    opened = _seen(client.get(f"{URL}?zone=lufeng").content.decode())
    assert client.post(URL, {**post(total="60.00", score_green="80"), "seen": opened}).status_code == 302
    assert client.post(URL, {**post(total="60.00", score_green="90"), "seen": opened}).status_code == 400
    score = SubScore.objects.get(result__zone_code="lufeng", sub_indicator__code="green")
    assert score.score == D("80")


def test_on_a_phone_the_total_and_the_rank_bring_up_the_number_keyboard(client_for, olga, scheme):
    """The sub-indicators' boxes asked for the number keyboard; 公布总分 and 公布排名, typed beside them, brought up the
    letters. Both are plain text still (the import reads and checks them), with the keyboard of their numbers."""
    page = client_for(olga).get(URL).content.decode()
    tags = {name: re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0) for name in ("total", "rank")}
    assert 'inputmode="decimal"' in tags["total"], tags
    assert 'inputmode="numeric"' in tags["rank"], tags
