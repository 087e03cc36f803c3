"""整改 from the gap analysis: a weak sub-indicator, the measure, the body and the deadline, opened by the office
as a supervision item of source "evaluation gap" and followed through the one supervision workflow."""

import importlib
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from evaluations.models import SubScore
from evaluations.services import SubIndicatorSpec, rectification_open, results_import, scheme_define
from supervision.models import SupervisionItem
from supervision.services import supervision_answer, supervision_close

# The source line of 研发经费投入强度's 整改 in Chinese, as it was kept before its facts were.
LINE = "2024年全省开发区高质量发展评价 · 禄丰产业园区 · 创新能力 · 研发经费投入强度（失分30.00分）"


@pytest.fixture
def gap_2024(plan):
    scheme_define(
        kind="provincial",
        year=2024,
        title="2024年全省开发区高质量发展评价",
        sub_indicators=[
            SubIndicatorSpec(group="创新能力", code="innovation", name="研发经费投入强度", weight=D(60)),
            SubIndicatorSpec(group="绿色发展", code="green", name="单位土地产出", weight=D(40)),
        ],
    )
    rows = [
        {
            "year": 2024,
            "zone": code,
            "zone_name": name,
            "sub_scores": [{"indicator": "innovation", "score": s1}, {"indicator": "green", "score": s2}],
        }
        for code, name, s1, s2 in (
            ("yn-a", "甲", "90", "80"),
            ("yn-b", "乙", "90", "80"),
            ("yn-c", "丙", "90", "80"),
            ("lufeng", None, "40", "80"),
        )
    ]
    rows[3].pop("zone_name")
    assert not results_import(rows=rows, user=None).errors


def test_the_office_opens_a_rectification_that_the_zone_answers_and_the_office_closes(client_for, olga, zack, gap_2024):
    client = client_for(olga)
    page = client.get("/evaluations/provincial/2024/zones/lufeng/rectify/?sub=innovation").content.decode()
    assert "研发经费投入强度（失分 30.00）" in page and "单位土地产出（失分" not in page  # only what lost points
    deadline = timezone.localdate() + timedelta(days=60)
    response = client.post(
        "/evaluations/provincial/2024/zones/lufeng/rectify/",
        {
            "sub_indicator": "innovation",
            "measure": "引进研发机构2家，规上企业研发投入增长20%",
            "body": f"zone:{zack.zone_id}",
            "deadline": deadline.isoformat(),
        },
    )
    item = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.source, item.zone_id, item.deadline) == ("evaluation_gap", zack.zone_id, deadline)
    assert item.requirement == "引进研发机构2家，规上企业研发投入增长20%"
    assert item.source_object == SubScore.objects.get(result__zone_code="lufeng", sub_indicator__code="innovation")
    assert item.source_shown == LINE

    gap_page = client_for(olga).get("/evaluations/provincial/2024/zones/lufeng/").content.decode()
    assert item.number in gap_page.split('id="rectifications"')[1]

    supervision_answer(item=item, user=zack, text="已与两家科研院所签约")
    item.refresh_from_db()
    supervision_close(item=item, user=olga, assessment="on_time")
    item.refresh_from_db()
    assert (item.state, item.assessment) == ("closed", "on_time")


def test_a_rectification_needs_a_loss_a_body_and_a_deadline_not_in_the_past(client_for, olga, plan, gap_2024):
    client = client_for(olga)
    refused = client.post(
        "/evaluations/provincial/2024/zones/lufeng/rectify/",
        {"sub_indicator": "green", "measure": "x", "body": "", "deadline": "2020-01-01"},
    )
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert set(errors) == {"sub_indicator", "body"}
    late = client.post(
        "/evaluations/provincial/2024/zones/lufeng/rectify/",
        {"sub_indicator": "innovation", "measure": "x", "body": f"zone:{plan['lufeng'].pk}", "deadline": "2020-01-01"},
    )
    assert late.status_code == 400 and "早于交办日期" in late.content.decode()
    assert not SupervisionItem.objects.exists()


def test_only_the_office_opens_rectifications(client_for, leo, gap_2024):
    assert client_for(leo).get("/evaluations/provincial/2024/zones/lufeng/rectify/").status_code == 403


@pytest.mark.parametrize(
    ("persona", "opens"),
    [
        ("olga", {"zone", "ndrc"}),
        ("zack", {"zone"}),  # 禄丰's committee: its own item
        ("leo", {"zone"}),  # 禄丰's leader reads his zone's items
        ("alice", {"ndrc"}),  # 州发展改革委: its own item, not the zone's
        ("cora", set()),  # 武定县人民政府 reads the page, neither item
    ],
)
def test_a_rectification_is_linked_only_for_a_reader_who_may_open_it(
    request, client_for, olga, plan, gap_2024, persona, opens
):
    """The gap page's 整改 numbers were links for every reader, and a 404 for the departments and counties that may read
    the page but not another body's item: a link where the reader may open the item, the plain number elsewhere."""
    sub_score = SubScore.objects.get(result__zone_code="lufeng", sub_indicator__code="innovation")
    deadline = timezone.localdate() + timedelta(days=60)
    items = {
        key: rectification_open(user=olga, sub_score=sub_score, measure="整改", body=body, deadline=deadline)
        for key, body in (("zone", plan["lufeng"]), ("ndrc", plan["ndrc"]))
    }
    client = client_for(request.getfixturevalue(persona))
    page = client.get("/evaluations/provincial/2024/zones/lufeng/").content.decode()
    section = page.split('id="rectifications"')[1]
    for key, item in items.items():
        assert item.number in section
        linked = f'href="{item.get_absolute_url()}"' in section
        assert linked is (key in opens)
        assert client.get(item.get_absolute_url()).status_code == (200 if linked else 404)


def _open_innovation(client, zack) -> SupervisionItem:
    client.post(
        "/evaluations/provincial/2024/zones/lufeng/rectify/",
        {
            "sub_indicator": "innovation",
            "measure": "引进研发机构",
            "body": f"zone:{zack.zone_id}",
            "deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
        },
    )
    return SupervisionItem.objects.get()


def _source_cells(client, item) -> tuple[str, str]:
    """The source line on the item's page and its row on the gap page."""
    detail = client.get(item.get_absolute_url()).content.decode()
    detail = detail.split('id="item-summary"', 1)[1].split("</section>", 1)[0]
    gap = client.get("/evaluations/provincial/2024/zones/lufeng/").content.decode()
    return detail, gap.split('id="rectifications"', 1)[1].split("</section>", 1)[0]


def test_a_rectifications_source_reads_in_the_readers_language_whoever_opened_it(client_for, olga, zack, gap_2024):
    """In English the source read 「Evaluation gap (rectification) · 2025年全省开发区高质量发展评价 · …
    （失分1.87分）」: a Chinese line written when the item was opened. It is worded on each page from its facts."""
    client = client_for(olga)
    client.cookies["django_language"] = "en"
    item = _open_innovation(client, zack)
    assert item.source_text == ""
    assert item.source_facts == {
        "year": 2024,
        "scheme": "全省开发区高质量发展评价",
        "zone": "禄丰产业园区",
        "group": "创新能力",
        "name": "研发经费投入强度",
        "lost": "30.00",
    }
    english = "2024 Provincial high-quality development evaluation of development zones · 禄丰产业园区 · 创新能力 · "
    english += "研发经费投入强度 (30.00 points lost)"
    for cell in _source_cells(client, item):
        assert english in cell and "年" not in cell and "失分" not in cell
    client.cookies["django_language"] = "zh-hans"
    for cell in _source_cells(client, item):
        assert LINE in cell


def test_the_migration_reads_a_rectifications_facts_back_from_its_sub_score(client_for, olga, zack, gap_2024):
    """Items opened before the facts were kept hold only the Chinese line: the facts are read back from the sub-score
    and the points lost from the line's end; an item without its sub-score keeps its line as before."""
    item = _open_innovation(client_for(olga), zack)
    facts = item.source_facts
    SupervisionItem.objects.filter(pk=item.pk).update(source_facts={}, source_text=LINE)
    orphan = SupervisionItem.objects.create(
        number="楚开督〔2024〕99号",
        source="evaluation_gap",
        source_type=item.source_type,
        source_id=10**9,
        source_text="旧的整改来源",
        requirement="x",
        issued_on=item.issued_on,
        deadline=item.deadline,
        zone_id=item.zone_id,
    )

    migration = importlib.import_module("evaluations.migrations.0003_rectification_source_facts")
    migration.fill_source_facts(django_apps, None)
    item.refresh_from_db()
    orphan.refresh_from_db()
    assert item.source_facts == facts
    assert (orphan.source_facts, orphan.source_shown) == ({}, "旧的整改来源")


@pytest.mark.parametrize("facts", [{"scheme": "x"}, [1, 2], "str", {"year": None, "scheme": "s", "zone": "z"}])
def test_a_rectification_whose_facts_are_not_whole_reads_its_written_source_not_a_500(
    client_for, olga, zack, gap_2024, facts
):
    """Facts edited by hand (the admin showed them as a field) that are not a 整改's whole set gave a 500 on the item's
    page (KeyError): the page shows the source as written, and the admin no longer offers the facts for editing."""
    client = client_for(olga)
    item = _open_innovation(client, zack)
    SupervisionItem.objects.filter(pk=item.pk).update(source_facts=facts, source_text="手写来源")
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        page = client.get(item.get_absolute_url())
        assert page.status_code == 200 and "手写来源" in page.content.decode()
    change = client.get(f"/admin/supervision/supervisionitem/{item.pk}/change/").content.decode()
    assert 'name="source_facts"' not in change


def test_a_gap_item_is_issued_from_the_gap_page_only(client_for, olga, zack, gap_2024):
    """/supervision/new/ took any sub-score as a 评价差距整改's source (a peer zone's, a full score): such an item had
    no facts to word it by, and no loss. It is refused there in words, nothing written; the gap page issues it."""
    sub_score = SubScore.objects.get(result__zone_code="lufeng", sub_indicator__code="innovation")
    response = client_for(olga).post(
        "/supervision/new/",
        {
            "source": "evaluation_gap",
            "source_ref": sub_score.pk,
            "body": f"zone:{zack.zone_id}",
            "requirement": "整改",
            "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 400 and "请在该开发区的差距分析页面" in response.content.decode()
    assert not SupervisionItem.objects.exists()
    assert _open_innovation(client_for(olga), zack).source_facts  # the gap page's way still issues it


def test_a_rectification_sent_when_no_loss_is_left_says_it_was_not_issued(client_for, olga, zack, gap_2024):
    """The form sent after the zone's scores were raised to the benchmark's (the page was opened before): the page
    came back 400 without its form and without a word that nothing was issued; it now says so in an alert."""
    SubScore.objects.filter(result__zone_code="lufeng", sub_indicator__code="innovation").update(score=D(90))
    client = client_for(olga)
    response = client.post(
        "/evaluations/provincial/2024/zones/lufeng/rectify/",
        {
            "sub_indicator": "innovation",
            "measure": "引进研发机构2家",
            "body": f"zone:{zack.zone_id}",
            "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert">未交办整改：该开发区各分项均不低于对标开发区，没有可整改的分项。' in page
    assert not SupervisionItem.objects.exists()
    client.cookies["django_language"] = "en"
    english = client.post("/evaluations/provincial/2024/zones/lufeng/rectify/", {"sub_indicator": "innovation"})
    assert english.status_code == 400 and "Nothing was issued" in english.content.decode()
