"""The prefecture's own 综合考评 through its pages: defined by the office, computed where the portal holds the
data, hand-scored with scorer and reason, published, exported; and who may do what."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document
from openpyxl import load_workbook

from evaluations.models import EvaluationResult, SchemeVersion, SubScore
from indicators.models import DispatchReport, ProgressResult, ReportingPeriod, Target
from parks.models import Zone
from tools.demo import demo_load

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBS = [  # group, code, name, weight, method
    ("党建", "party", "抓党建促发展成效", "20", "manual"),
    ("重点任务", "tasks", "重点任务清单完成情况", "30", "manual"),
    ("产业发展", "targets", "主要指标达标率", "30", "targets_met"),
    ("调度管理", "ontime", "调度按时报送率", "20", "reports_on_time"),
]


def define_post(year=2024, subs=SUBS):
    data = {
        "year": str(year),
        "title": f"{year}年度全州开发区综合考评",
        "subs-TOTAL_FORMS": str(len(subs) + 1),
        "subs-INITIAL_FORMS": "0",
        "subs-MIN_NUM_FORMS": "1",
        "subs-MAX_NUM_FORMS": "40",
    }
    for i, (group, code, name, weight, method) in enumerate(subs):
        data.update(
            {
                f"subs-{i}-group": group,
                f"subs-{i}-code": code,
                f"subs-{i}-name": name,
                f"subs-{i}-weight": weight,
                f"subs-{i}-method": method,
            }
        )
    return data


@pytest.fixture
def lufeng_data(plan):
    """lufeng 2024: 2 of its targets green at their latest period; 3 reports due, 2 first submitted in time."""
    lufeng = plan["lufeng"]
    periods = list(ReportingPeriod.objects.filter(cadence="monthly", year=2024).order_by("index")[:3])
    targets = list(Target.objects.filter(zone=lufeng, year=2024).order_by("pk"))
    assert len(targets) >= 3
    for target in targets[:2]:
        ProgressResult.objects.create(target=target, period=periods[0], status="red")
        ProgressResult.objects.create(target=target, period=periods[1], status="green")
    ProgressResult.objects.create(target=targets[2], period=periods[1], status="amber")
    for period, late in zip(periods, (0, 0, 30), strict=True):
        deadline = period.deadline
        moment = datetime(deadline.year, deadline.month, deadline.day, 23, 30, tzinfo=SHANGHAI) + timedelta(days=late)
        DispatchReport.objects.create(zone=lufeng, period=period, state="submitted", first_submitted_at=moment)
    return len(targets)


def test_the_office_defines_computes_hand_scores_publishes_and_exports(client_for, olga, lufeng_data, plan):
    client = client_for(olga)
    response = client.post("/evaluations/define/", define_post())
    assert response.status_code == 302 and response["Location"] == "/evaluations/prefecture/2024/"
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2024)
    assert scheme.purpose == "干部选拔、职级晋升的重要依据"
    assert client.post("/evaluations/prefecture/2024/compute/").status_code == 302

    lufeng = EvaluationResult.objects.get(scheme=scheme, zone_code="lufeng")
    computed = {s.sub_indicator.code: s for s in lufeng.sub_scores.select_related("sub_indicator")}
    targets = lufeng_data
    assert computed["targets"].inputs == {"method": "targets_met", "done": 2, "due": targets}
    assert computed["ontime"].inputs == {"method": "reports_on_time", "done": 2, "due": 3}
    assert str(computed["ontime"].score) == "66.67"

    refused = client.post("/evaluations/prefecture/2024/publish/", follow=True)
    assert "全部评定后才能发布" in refused.content.decode()
    zones = list(Zone.objects.all())
    party = scheme.sub_indicators.get(code="party")
    tasks = scheme.sub_indicators.get(code="tasks")
    no_reason = client.post(
        "/evaluations/prefecture/2024/score/",
        {"zone": "lufeng", "sub_indicator": party.pk, "score": "90", "reason": ""},
        follow=True,
    )
    assert "评分理由" in no_reason.content.decode()
    assert not SubScore.objects.filter(sub_indicator=party).exists()
    for zone in zones:
        for sub, score in ((party, "90"), (tasks, "80")):
            client.post(
                "/evaluations/prefecture/2024/score/",
                {"zone": zone.code, "sub_indicator": sub.pk, "score": score, "reason": f"{zone.name}年度述职评议"},
            )
    # Where the portal has nothing to compute from, the office scores by hand too.
    for empty in SubScore.objects.filter(result__scheme=scheme, score=None).select_related("result"):
        client.post(
            "/evaluations/prefecture/2024/score/",
            {
                "zone": empty.result.zone_code,
                "sub_indicator": empty.sub_indicator_id,
                "score": "60",
                "reason": "本年度无可计算的数据，按评议打分",
            },
        )
    client.post("/evaluations/prefecture/2024/compute/")  # recomputing keeps every hand score
    assert not SubScore.objects.filter(result__scheme=scheme, score=None).exists()
    hand = SubScore.objects.get(result=lufeng, sub_indicator=party)
    assert (hand.source, hand.scorer, hand.reason) == ("manual", olga, "禄丰产业园区年度述职评议")

    assert client.post("/evaluations/prefecture/2024/publish/").status_code == 302
    scheme.refresh_from_db()
    assert scheme.state == "published" and scheme.published_by == olga
    lufeng.refresh_from_db()
    # 20×90% + 30×80% + 30×(2/N) + 20×66.67% = 18 + 24 + 30×share + 13.33
    share = round(100 * 2 / targets, 2)
    assert float(lufeng.total) == pytest.approx(18 + 24 + round(0.3 * share, 2) + 13.33, abs=0.011)
    late = client.post(
        "/evaluations/prefecture/2024/score/",
        {"zone": "lufeng", "sub_indicator": party.pk, "score": "10", "reason": "改分"},
        follow=True,
    )
    assert "已发布" in late.content.decode()
    assert SubScore.objects.get(result=lufeng, sub_indicator=party).score == 90

    book = load_workbook(BytesIO(client.get("/evaluations/prefecture/2024/results.xlsx").content))
    sheet = book.worksheets[0]
    assert "干部选拔、职级晋升的重要依据" in sheet["A2"].value
    assert any(row[1] == "禄丰产业园区" for row in sheet.iter_rows(min_row=4, values_only=True))
    document = Document(BytesIO(client.get("/evaluations/prefecture/2024/results.docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "干部选拔、职级晋升的重要依据" in text and "禄丰产业园区年度述职评议" in text
    assert document.tables[0].rows[0].cells[-1].text == "总分"


def test_weights_that_do_not_make_100_are_refused_with_a_message(client_for, olga, plan):
    response = client_for(olga).post("/evaluations/define/", define_post(subs=SUBS[:3]))
    assert response.status_code == 400
    assert "权重之和应为100分" in response.content.decode()
    assert not SchemeVersion.objects.exists()


def test_only_the_office_works_on_the_prefecture_evaluation_and_others_do_not_see_the_draft(
    client_for, olga, leo, plan
):
    client_for(olga).post("/evaluations/define/", define_post())
    client = client_for(leo)
    assert client.get("/evaluations/define/").status_code == 403
    assert client.post("/evaluations/prefecture/2024/compute/").status_code == 403
    assert client.get("/evaluations/prefecture/2024/").status_code == 404
    assert "2024年度全州开发区综合考评" not in client.get("/evaluations/").content.decode()
    assert not EvaluationResult.objects.exists()


@pytest.mark.parametrize("reader", ["leo", "sync"])
def test_the_api_keeps_the_draft_from_all_but_the_office_until_it_is_published(client_for, olga, leo, reader):
    """The pages answer 404 on a draft to all but the office; the API lists neither its scheme nor its results."""
    from django.test import Client

    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create

    client_for(olga).post("/evaluations/define/", define_post())
    client_for(olga).post("/evaluations/prefecture/2024/compute/")
    assert EvaluationResult.objects.filter(scheme__kind="prefecture").count() == Zone.objects.count()
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2024)
    if reader == "sync":
        leo = user_create(username="sync-client", password=None, role=Role.PROVINCIAL_SYNC, full_name="省统计系统")

    def rows(user, path):
        client = Client()
        client.force_login(user)
        response = client.get(path, {"scheme": "prefecture"} if "results" in path else {"kind": "prefecture"})
        return response.json()["results"]

    assert len(rows(olga, "/api/v1/evaluation-schemes/")) == 1
    assert len(rows(olga, "/api/v1/evaluation-results/")) == Zone.objects.count()
    assert rows(leo, "/api/v1/evaluation-schemes/") == []
    assert rows(leo, "/api/v1/evaluation-results/") == []
    one = Client()
    one.force_login(leo)
    assert one.get(f"/api/v1/evaluation-schemes/{scheme.pk}/").status_code == 404
    SchemeVersion.objects.filter(pk=scheme.pk).update(state=SchemeVersion.State.PUBLISHED)
    assert [row["year"] for row in rows(leo, "/api/v1/evaluation-schemes/")] == [2024]
    assert len(rows(leo, "/api/v1/evaluation-results/")) == Zone.objects.count()


def test_publishing_scores_the_computed_parts_from_the_data_as_it_stands(client_for, olga, lufeng_data, plan):
    """The office computed in spring; a target turned green since: the published 主要指标达标率 counts it."""
    client = client_for(olga)
    client.post("/evaluations/define/", define_post(subs=[SUBS[-2], ("评议", "party", "评议", "70", "manual")]))
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2024)
    client.post("/evaluations/prefecture/2024/compute/")
    lufeng = EvaluationResult.objects.get(scheme=scheme, zone_code="lufeng")
    assert lufeng.sub_scores.get(sub_indicator__code="targets").inputs["done"] == 2
    party = scheme.sub_indicators.get(code="party")
    for zone in Zone.objects.all():
        client.post(
            "/evaluations/prefecture/2024/score/",
            {"zone": zone.code, "sub_indicator": party.pk, "score": "80", "reason": "年度述职评议"},
        )
    for empty in SubScore.objects.filter(result__scheme=scheme, score=None).select_related("result"):
        client.post(
            "/evaluations/prefecture/2024/score/",
            {"zone": empty.result.zone_code, "sub_indicator": empty.sub_indicator_id, "score": "60", "reason": "评议"},
        )
    third = Target.objects.filter(zone=plan["lufeng"], year=2024).order_by("pk")[2]
    ProgressResult.objects.filter(target=third).update(status="green")
    assert client.post("/evaluations/prefecture/2024/publish/").status_code == 302
    scheme.refresh_from_db()
    assert scheme.state == "published"
    assert lufeng.sub_scores.get(sub_indicator__code="targets").inputs["done"] == 3


def test_the_demos_published_evaluations_score_targets_met_from_the_demos_progress(plan):
    """The demo's 考评 of past years were computed before any progress existed: 主要指标达标率 0 for every zone."""
    demo_load()
    published = SubScore.objects.filter(
        result__scheme__kind="prefecture", result__scheme__state="published", sub_indicator__method="targets_met"
    )
    assert published.exists() and any(score.inputs["done"] > 0 for score in published)


def test_the_word_export_dates_the_publication_on_the_same_shanghai_day_as_the_page(client_for, olga, plan):
    """Published at 07:14 in Chuxiong, 23:14 the day before in UTC: both the page and the document say 12-05."""
    client = client_for(olga)
    client.post("/evaluations/define/", define_post())
    published = datetime(2026, 12, 5, 7, 14, tzinfo=SHANGHAI)
    SchemeVersion.objects.filter(kind="prefecture", year=2024).update(
        state="published", published_at=published, published_by=olga
    )
    assert "2026年12月5日 07:14" in client.get("/evaluations/prefecture/2024/").content.decode()
    document = Document(BytesIO(client.get("/evaluations/prefecture/2024/results.docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "发布时间：2026年12月5日" in text


@pytest.mark.parametrize(
    "moment, year",
    [
        (datetime(2022, 6, 15, 10), 2023),  # before the plan: its first year, not 2021
        (datetime(2024, 3, 1, 10), 2023),  # inside: the year just over
        (datetime(2026, 12, 5, 10), 2025),
        (datetime(2030, 6, 15, 10), 2025),  # long after: its last year, not 2029
    ],
)
def test_the_definition_form_suggests_a_year_of_the_plan(client_for, olga, plan, moment, year):
    with time_machine.travel(moment.replace(tzinfo=SHANGHAI), tick=False):
        html = client_for(olga).get("/evaluations/define/").content.decode()
    assert f'name="year" value="{year}"' in html
    assert f"{year}年度全州开发区综合考评" in html


def test_the_publish_button_asks_first_as_it_locks_the_results(client_for, olga, plan):
    client = client_for(olga)
    client.post("/evaluations/define/", define_post())
    page = client.get("/evaluations/prefecture/2024/").content.decode()
    button = page.split('id="publish"', 1)[1].split(">", 1)[0]
    assert 'data-confirm="发布后2024年考评结果将锁定' in button


def test_the_results_table_is_headed_results_in_english_as_in_chinese(client_for, olga, plan):
    """The scheme page's 结果 are the zones' evaluation results, not a rule's outcome (a flag's 结果)."""
    client = client_for(olga)
    client.post("/evaluations/define/", define_post())
    english = client.get("/evaluations/prefecture/2024/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/evaluations/prefecture/2024/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<h2>Results <span class="count">' in english
    assert '<h2>结果 <span class="count">' in chinese


@time_machine.travel(datetime(2026, 12, 5, 10, tzinfo=SHANGHAI), tick=False)
def test_the_definition_form_does_not_suggest_a_year_already_published(client_for, olga, plan):
    client = client_for(olga)
    for year in (2025, 2026):
        client.post("/evaluations/define/", define_post(year=year))
        SchemeVersion.objects.filter(kind="prefecture", year=year).update(state="published")
        html = client.get("/evaluations/define/").content.decode()
        assert f'name="year" value="{year + 1}"' in html and f"{year + 1}年度全州开发区综合考评" in html
    SchemeVersion.objects.filter(year=2025).update(state="draft")  # a draft is defined again: it is offered
    assert 'name="year" value="2025"' in client.get("/evaluations/define/").content.decode()


def test_a_refused_publication_names_the_zones_and_sub_indicators_still_unscored(client_for, olga, plan):
    client = client_for(olga)
    client.post("/evaluations/define/", define_post())
    client.post("/evaluations/prefecture/2024/compute/")
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2024)
    zones = list(Zone.objects.order_by("order"))
    subs = list(scheme.sub_indicators.all())
    count = len(zones) * len(subs) - SubScore.objects.filter(result__scheme=scheme, score__isnull=False).count()
    assert count > 5
    page = client.post("/evaluations/prefecture/2024/publish/", follow=True).content.decode()
    assert f"还有{count}项得分未评定，全部评定后才能发布：{zones[0].name}·抓党建促发展成效、" in page
    assert "等。" in page
    for result in EvaluationResult.objects.filter(scheme=scheme):  # scored by hand: publishing keeps them
        for sub in subs:
            if (result.zone.code, sub.code) != ("wuding", "tasks"):
                SubScore.objects.update_or_create(
                    result=result, sub_indicator=sub, defaults={"score": 60, "source": "manual"}
                )
    SubScore.objects.filter(result__zone__code="wuding", sub_indicator__code="tasks").delete()
    page = client.post("/evaluations/prefecture/2024/publish/", follow=True).content.decode()
    assert "还有1项得分未评定，全部评定后才能发布：武定产业园区·重点任务清单完成情况。" in page
    scheme.refresh_from_db()
    assert scheme.state == "draft"


def test_a_scheme_page_left_open_does_not_score_over_a_score_given_since(client_for, olga, plan):
    """The 人工评分 form carries every score its page showed (`sub_score_token` per cell): drawn before someone else
    scored the cell, it is refused in words naming the score now stored and nothing is written; drawn again, it
    carries the new score and is taken. A cell the page showed empty is refused once it was scored meanwhile."""
    import re
    from decimal import Decimal

    from evaluations.services import prefecture_hand_score

    client = client_for(olga)
    assert client.post("/evaluations/define/", define_post()).status_code == 302
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2024)
    party = scheme.sub_indicators.get(code="party")
    lufeng = plan["lufeng"]

    def shown() -> str:
        page = client.get("/evaluations/prefecture/2024/").content.decode()
        form = page.split('id="score-form"', 1)[1].split("</form>", 1)[0]
        return re.search(r'name="seen"(?: value="([^"]*)")?', form).group(1) or ""  # no value: nothing scored

    def post(seen: str, score: str):
        data = {"zone": "lufeng", "sub_indicator": party.pk, "score": score, "reason": "述职评议", "seen": seen}
        return client.post("/evaluations/prefecture/2024/score/", data, follow=True)

    def stored() -> SubScore:
        return SubScore.objects.get(result__scheme=scheme, result__zone_code="lufeng", sub_indicator=party)

    empty = shown()
    prefecture_hand_score(scheme=scheme, zone=lufeng, sub_indicator=party, score=Decimal(85), reason="初评", user=olga)
    refused = post(empty, "90").content.decode()
    assert "禄丰产业园区“抓党建促发展成效”的得分已被他人改为85.00" in refused
    assert (stored().score, stored().reason) == (85, "初评")

    scored = shown()
    prefecture_hand_score(scheme=scheme, zone=lufeng, sub_indicator=party, score=Decimal(70), reason="复评", user=olga)
    assert "已被他人改为70.00" in post(scored, "90").content.decode()
    assert (stored().score, stored().reason) == (70, "复评")

    assert "人工评分已保存" in post(shown(), "90").content.decode()
    assert (stored().score, stored().reason) == (90, "述职评议")


def test_a_define_page_left_open_does_not_replace_a_scheme_saved_since(client_for, olga, plan):
    """The define form carries the year it was opened for and when that year's scheme was last saved: drawn before
    someone else saved the year's scheme, it is refused in words naming when, and the scheme stays as saved; drawn
    again, it replaces it."""
    import re

    from evaluations.services import SubIndicatorSpec, scheme_define

    client = client_for(olga)

    def shown() -> tuple[str, str]:
        page = client.get("/evaluations/define/").content.decode()
        year = re.search(r'name="year" value="(\d+)"', page).group(1)
        return year, re.search(r'name="seen" value="([^"]*)"', page).group(1)

    year, stale = shown()
    assert stale == f"{year}@"
    scheme = scheme_define(
        kind="prefecture",
        year=int(year),
        title="他人的方案",
        sub_indicators=[SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=100)],
    )
    refused = client.post("/evaluations/define/", {**define_post(year=int(year)), "seen": stale})
    assert refused.status_code == 400 and f"{year}年已有评价方案（" in refused.content.decode()
    scheme.refresh_from_db()
    assert scheme.title == "他人的方案" and list(scheme.sub_indicators.values_list("code", flat=True)) == ["party"]

    taken = client.post("/evaluations/define/", {**define_post(year=int(year)), "seen": shown()[1]})
    assert taken.status_code == 302
    assert scheme.sub_indicators.count() == len(SUBS)


@time_machine.travel(datetime(2024, 3, 1, 10, tzinfo=SHANGHAI), tick=False)
def test_the_define_page_starts_from_the_years_stored_draft_and_sent_unchanged_keeps_it(client_for, olga, plan):
    """Opened for a year whose draft is stored, the define form shows that draft (title, sub-indicators, weights,
    methods), not the template: sent as the page drew it, the draft keeps every sub-indicator with its score, and
    what the form does not edit (a sub-indicator's direction and the plan's indicators feeding it, the scheme's
    purpose) is kept too."""
    from decimal import Decimal

    from lxml import html

    from evaluations.services import SubIndicatorSpec, prefecture_hand_score, scheme_define
    from indicators.models import Indicator

    feed = Indicator.objects.order_by("code").first()
    scheme = scheme_define(
        kind="prefecture",
        year=2023,
        title="2023年度考评（草稿）",
        purpose="年度评先评优依据",
        sub_indicators=[
            SubIndicatorSpec(group="党建", code="party-building", name="抓党建促发展成效", weight=40, method="manual"),
            SubIndicatorSpec(
                group="创新",
                code="innovation",
                name="科技创新成效",
                unit="项",
                weight=Decimal(60),
                method="manual",
                direction="lower",
                feeds=(feed.code,),
            ),
        ],
    )
    innovation = scheme.sub_indicators.get(code="innovation")
    prefecture_hand_score(
        scheme=scheme, zone=plan["lufeng"], sub_indicator=innovation, score=Decimal(75), reason="专利", user=olga
    )
    client = client_for(olga)

    page = client.get("/evaluations/define/").content.decode()
    assert 'name="year" value="2023"' in page and "2023年度考评（草稿）" in page
    assert 'value="innovation"' in page and "科技创新成效" in page
    assert 'value="task-list"' not in page  # the template's rows are not offered over the stored ones

    form = html.fromstring(page).get_element_by_id("define-form")
    response = client.post("/evaluations/define/", dict(form.form_values()))
    assert response.status_code == 302

    scheme.refresh_from_db()
    assert scheme.title == "2023年度考评（草稿）" and scheme.purpose == "年度评先评优依据"
    subs = list(scheme.sub_indicators.order_by("order"))
    assert [(s.code, s.weight, s.method, s.unit) for s in subs] == [
        ("party-building", 40, "manual", ""),
        ("innovation", 60, "manual", "项"),
    ]
    innovation = subs[1]
    assert innovation.direction == "lower" and list(innovation.feeds.all()) == [feed]
    score = SubScore.objects.get(result__scheme=scheme, result__zone_code="lufeng", sub_indicator=innovation)
    assert (score.score, score.reason) == (75, "专利")


def test_another_year_typed_in_does_not_replace_that_years_draft_unseen_and_opens_with_year(client_for, olga, plan):
    """The define page shows one year's scheme: a year typed into it whose draft is stored (which the page did not
    show) is refused in words, that draft kept; `?year=` opens that year's draft, and sent from there it is taken."""
    import re

    from evaluations.services import SubIndicatorSpec, scheme_define

    client = client_for(olga)
    page = client.get("/evaluations/define/").content.decode()
    opened = int(re.search(r'name="year" value="(\d+)"', page).group(1))
    other = opened - 1
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    draft = scheme_define(
        kind="prefecture",
        year=other,
        title="另一年度的草稿",
        sub_indicators=[SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=100)],
    )
    refused = client.post("/evaluations/define/", {**define_post(year=other), "seen": seen})
    assert refused.status_code == 400
    assert f"{other}年已有评价方案（" in refused.content.decode() and "本页未显示它" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.title == "另一年度的草稿" and list(draft.sub_indicators.values_list("code", flat=True)) == ["party"]

    page = client.get(f"/evaluations/define/?year={other}").content.decode()
    assert f'name="year" value="{other}"' in page and "另一年度的草稿" in page
    for bad in ("²", "99999", "abc"):  # not a year: the year proposed, never a 500
        assert f'name="year" value="{opened}"' in client.get(f"/evaluations/define/?year={bad}").content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    assert client.post("/evaluations/define/", {**define_post(year=other), "seen": seen}).status_code == 302
    assert draft.sub_indicators.count() == len(SUBS)


def test_a_refused_hand_score_comes_back_with_what_was_typed_and_the_score_now_stored_to_send_again(
    client_for, olga, plan
):
    """Refused for a cell scored since, the 人工评分 form comes back (the scheme's page, not a redirect) with the zone,
    sub-indicator, score and reason typed and the cell's current token: pressed again, after the message naming the
    score now stored, it is taken."""
    from decimal import Decimal

    from evaluations.services import prefecture_hand_score, sub_score_token
    from tests.resend import form_data

    client = client_for(olga)
    assert client.post("/evaluations/define/", define_post()).status_code == 302
    scheme = SchemeVersion.objects.get(kind="prefecture", year=2024)
    party = scheme.sub_indicators.get(code="party")
    prefecture_hand_score(
        scheme=scheme, zone=plan["lufeng"], sub_indicator=party, score=Decimal(85), reason="初评", user=olga
    )
    typed = {"zone": "lufeng", "sub_indicator": str(party.pk), "score": "90", "reason": "述职评议"}
    refused = client.post("/evaluations/prefecture/2024/score/", {**typed, "seen": ""})
    page = refused.content.decode()
    assert refused.status_code == 400 and "禄丰产业园区“抓党建促发展成效”的得分已被他人改为85.00" in page
    assert "您填写的内容已保留" in page

    def stored() -> SubScore:
        return SubScore.objects.get(result__scheme=scheme, result__zone_code="lufeng", sub_indicator=party)

    assert (stored().score, stored().reason) == (85, "初评")
    again = form_data(page, '//form[@id="score-form"]')
    assert {name: again[name] for name in typed} == typed
    assert again["seen"].endswith(f"lufeng/{party.pk}={sub_score_token(stored())}")
    assert "人工评分已保存" in client.post("/evaluations/prefecture/2024/score/", again, follow=True).content.decode()
    assert (stored().score, stored().reason) == (90, "述职评议")


def test_a_refused_define_page_comes_back_with_what_was_typed_and_the_scheme_now_stored_to_send_again(
    client_for, olga, plan
):
    """Refused for a scheme saved since, the define page comes back with the title and sub-indicators typed and the
    year's scheme as stored now: pressed again, after the message naming when it was saved, it replaces it."""
    from evaluations.services import SubIndicatorSpec, scheme_define, scheme_seen
    from tests.resend import form_data

    client = client_for(olga)
    scheme = scheme_define(
        kind="prefecture",
        year=2024,
        title="他人的方案",
        sub_indicators=[SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=100)],
    )
    typed = define_post(year=2024)
    refused = client.post("/evaluations/define/", {**typed, "seen": "2024@"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "2024年已有评价方案（" in page and "您填写的内容已保留" in page
    scheme.refresh_from_db()
    assert scheme.title == "他人的方案"

    again = form_data(page, '//form[@id="define-form"]')
    assert {name: again[name] for name in typed} == typed
    assert again["seen"] == f"2024@{scheme_seen(scheme)}"
    assert client.post("/evaluations/define/", again).status_code == 302
    scheme.refresh_from_db()
    assert scheme.title == typed["title"] and scheme.sub_indicators.count() == len(SUBS)
