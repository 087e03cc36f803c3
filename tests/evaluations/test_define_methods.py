"""The define page and the scoring methods a stored 综合考评 scheme may hold: every method the model allows is shown
and kept when the page is saved unchanged; 导入得分, which only the admin sets on the prefecture's scheme (its
考评 is scored in the portal, never imported), is kept where held and refused where newly chosen."""

import pytest
from lxml import html

from evaluations.models import SchemeVersion, SubIndicator
from evaluations.services import SubIndicatorSpec, scheme_define


def stored_scheme(*, year=2024, method="imported"):
    """A prefecture draft with a hand-scored part and a part set to `method`, as the admin would set it."""
    scheme = scheme_define(
        kind="prefecture",
        year=year,
        title=f"{year}年度考评（草稿）",
        sub_indicators=[
            SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=40, method="manual"),
            SubIndicatorSpec(group="安全", code="safety", name="安全生产考核", weight=60, method="manual"),
        ],
    )
    SubIndicator.objects.filter(scheme=scheme, code="safety").update(method=method)  # the admin's change
    return scheme


def define_page(client, year=2024):
    return html.fromstring(client.get(f"/evaluations/define/?year={year}").content.decode())


def method_select(page, row):
    return page.get_element_by_id(f"id_subs-{row}-method")


@pytest.mark.parametrize("method", SubIndicator.Method.values)
def test_it_keeps_every_method_a_stored_scheme_holds_when_the_page_is_saved_unchanged(client_for, olga, plan, method):
    scheme = stored_scheme(method=method)
    client = client_for(olga)
    page = define_page(client)
    select = method_select(page, 1)
    assert select.value == method  # shown as stored, not as the blank first choice

    response = client.post("/evaluations/define/", dict(page.get_element_by_id("define-form").form_values()))

    assert response.status_code == 302
    assert list(scheme.sub_indicators.order_by("order").values_list("code", "method")) == [
        ("party", "manual"),
        ("safety", method),
    ]


def test_it_offers_imported_only_on_the_row_that_holds_it_and_says_why(client_for, olga, plan):
    stored_scheme()
    page = define_page(client_for(olga))
    held, other, blank = (method_select(page, row) for row in (1, 0, 2))
    assert "imported" in held.value_options
    assert "imported" not in other.value_options and "imported" not in blank.value_options
    for method in ("manual", "targets_met", "reports_on_time", "work_items"):  # what the page may set, on every row
        assert method in other.value_options and method in blank.value_options
    help_text = page.get_element_by_id("method-help").text_content()
    assert "只能在管理后台设置" in help_text and "在考评页人工评分" in help_text


def posted(page, **changes):
    data = dict(page.get_element_by_id("define-form").form_values())
    data.update(changes)
    return data


def test_it_refuses_imported_chosen_on_the_page_and_writes_nothing(client_for, olga, plan):
    scheme = stored_scheme(method="manual")
    before = (scheme.title, scheme.updated_at)
    client = client_for(olga)
    page = define_page(client)

    refused = client.post(
        "/evaluations/define/",
        posted(
            page, **{"title": "改过的名称", "subs-0-method": "imported", "subs-0-weight": "30", "subs-1-weight": "70"}
        ),
    )

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "评分方式“导入得分”只能在管理后台设置，不能在本页选择（分项：抓党建促发展成效）" in text
    scheme.refresh_from_db()
    assert (scheme.title, scheme.updated_at) == before
    assert list(scheme.sub_indicators.order_by("order").values_list("code", "method", "weight")) == [
        ("party", "manual", 40),
        ("safety", "manual", 60),
    ]
    # The page drawn again keeps the choice posted, so the office sees what was refused.
    assert html.fromstring(text).get_element_by_id("id_subs-0-method").value == "imported"


def test_it_refuses_imported_on_a_new_row_or_a_new_scheme_and_creates_nothing(client_for, olga, plan):
    scheme = stored_scheme()
    client = client_for(olga)
    page = define_page(client)
    new_row = {"subs-2-group": "环保", "subs-2-code": "green", "subs-2-name": "绿色发展", "subs-2-weight": "10"}
    response = client.post(
        "/evaluations/define/", posted(page, **new_row, **{"subs-2-method": "imported", "subs-1-weight": "50"})
    )
    assert response.status_code == 400 and "（分项：绿色发展）" in response.content.decode()
    assert list(scheme.sub_indicators.values_list("code", flat=True)) == ["party", "safety"]

    page = define_page(client, year=2023)  # no scheme yet: the template
    response = client.post("/evaluations/define/", posted(page, **{"subs-0-method": "imported"}))
    assert response.status_code == 400 and "只能在管理后台设置" in response.content.decode()
    assert not SchemeVersion.objects.filter(kind="prefecture", year=2023).exists()


def test_a_row_set_to_imported_may_be_changed_to_a_method_the_page_offers(client_for, olga, plan):
    scheme = stored_scheme()
    client = client_for(olga)
    response = client.post("/evaluations/define/", posted(define_page(client), **{"subs-1-method": "manual"}))
    assert response.status_code == 302
    assert scheme.sub_indicators.get(code="safety").method == "manual"


def test_a_sub_indicator_set_to_imported_is_scored_by_hand_published_and_exported(client_for, olga, plan):
    """The prefecture's 考评 has no import route (the enter page answers 404 for it): a part set to 导入得分 is left
    by 计算得分, offered to 人工评分 on the scheme page, needed before publishing and exported like any other."""
    from io import BytesIO

    from openpyxl import load_workbook

    from evaluations.models import SubScore
    from parks.models import Zone

    scheme = stored_scheme()
    safety = scheme.sub_indicators.get(code="safety")
    client = client_for(olga)
    assert client.get("/evaluations/prefecture/2024/enter/").status_code == 404
    assert client.post("/evaluations/prefecture/2024/compute/").status_code == 302
    assert not SubScore.objects.filter(sub_indicator=safety).exists()

    page = html.fromstring(client.get("/evaluations/prefecture/2024/").content.decode())
    assert "导入得分" in page.get_element_by_id("scheme-subs").text_content()
    assert str(safety.pk) in page.get_element_by_id("id_sub_indicator").value_options
    for sub, score, reason in (("party", "90", "述职评议"), ("safety", "80", "应急管理局年度考核结果")):
        if sub == "safety":  # every other part scored: publishing still waits for it
            assert client.post("/evaluations/prefecture/2024/publish/").status_code == 302
            assert SchemeVersion.objects.get(pk=scheme.pk).state == "draft"
        for zone in Zone.objects.all():
            response = client.post(
                "/evaluations/prefecture/2024/score/",
                {
                    "zone": zone.code,
                    "sub_indicator": scheme.sub_indicators.get(code=sub).pk,
                    "score": score,
                    "reason": reason,
                },
            )
            assert response.status_code == 302
    assert client.post("/evaluations/prefecture/2024/publish/").status_code == 302
    scheme.refresh_from_db()
    assert scheme.state == "published"
    lufeng = scheme.results.get(zone_code="lufeng")
    assert lufeng.total == 40 * 90 / 100 + 60 * 80 / 100

    book = load_workbook(BytesIO(client.get("/evaluations/prefecture/2024/results.xlsx").content))
    assert "安全生产考核（60.00）" in [cell.value for cell in book.worksheets[0][3]]
    detail = [row for row in book.worksheets[1].iter_rows(values_only=True) if row[2] == "安全生产考核"]
    assert len(detail) == Zone.objects.count()
    assert all((row[4], row[5], row[7]) == (80, "人工评分", "应急管理局年度考核结果") for row in detail)


def test_the_help_text_and_the_refusal_read_in_english(client_for, olga, plan, settings):
    scheme = stored_scheme(method="manual")
    client = client_for(olga)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = define_page(client)
    assert "is set in the admin only" in page.get_element_by_id("method-help").text_content()
    refused = client.post("/evaluations/define/", posted(page, **{"subs-1-method": "imported"}))
    assert refused.status_code == 400
    assert "“Imported score” is set in the admin only and cannot be chosen on this page" in refused.content.decode()
    assert scheme.sub_indicators.get(code="safety").method == "manual"
