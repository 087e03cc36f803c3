"""Removing a sub-indicator of a stored 综合考评 draft on the define page: by its row's 删除 box, the others
re-weighted to 100; a cleared row is refused as incomplete rather than taken as a removal, and the last one cannot
be removed."""

from lxml import html

from evaluations.services import SubIndicatorSpec, scheme_define


def stored_scheme():
    return scheme_define(
        kind="prefecture",
        year=2024,
        title="2024年度考评（草稿）",
        sub_indicators=[
            SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=40, method="manual"),
            SubIndicatorSpec(group="安全", code="safety", name="安全生产考核", weight=60, method="manual"),
        ],
    )


def define_form(client):
    page = html.fromstring(client.get("/evaluations/define/?year=2024").content.decode())
    return page, dict(page.get_element_by_id("define-form").form_values())


def test_a_stored_rows_delete_box_removes_it_and_the_others_are_kept(client_for, olga, plan):
    scheme = stored_scheme()
    client = client_for(olga)
    page, values = define_form(client)
    assert page.get_element_by_id("id_subs-1-DELETE").get("type") == "checkbox"
    assert not page.xpath('//*[@id="id_subs-2-DELETE"]')  # an empty extra row has nothing to remove
    values.update({"subs-1-DELETE": "on", "subs-0-weight": "100"})

    response = client.post("/evaluations/define/", values)

    assert response.status_code == 302
    assert list(scheme.sub_indicators.values_list("code", "weight")) == [("party", 100)]


def test_a_cleared_row_is_refused_and_nothing_is_removed(client_for, olga, plan):
    scheme = stored_scheme()
    client = client_for(olga)
    _page, values = define_form(client)
    values.update({f"subs-1-{name}": "" for name in ("group", "code", "name", "unit", "weight", "method")})
    values["subs-0-weight"] = "100"

    response = client.post("/evaluations/define/", values)

    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    assert sorted(scheme.sub_indicators.values_list("code", flat=True)) == ["party", "safety"]


def test_the_last_sub_indicator_cannot_be_removed(client_for, olga, plan):
    scheme = stored_scheme()
    client = client_for(olga)
    _page, values = define_form(client)
    values.update({"subs-0-DELETE": "on", "subs-1-DELETE": "on"})

    response = client.post("/evaluations/define/", values)

    assert response.status_code == 400
    assert "评价方案至少需要一个分项" in response.content.decode()
    assert sorted(scheme.sub_indicators.values_list("code", flat=True)) == ["party", "safety"]
