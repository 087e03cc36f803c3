"""Smoke tests in a real browser: sign-in, the overview, a task page, the matrix filter, the login guard."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ZONES = ["楚雄国家高新区", "禄丰产业园区", "武定产业园区", "牟定产业园区"]


def test_office_signs_in_and_sees_the_overview(page, login, screenshot, live_server, olga):
    login(page, olga)

    assert page.url == f"{live_server.url}/"
    expect(page.locator("h1")).to_have_text("三年行动总览")
    for zone in ZONES:
        expect(page.get_by_role("heading", name=zone, exact=True)).to_be_visible()
    screenshot(page, "overview")


def test_task_9_lists_its_lead_unit_first(page, login, screenshot, olga):
    login(page, olga)

    page.goto("/tasks/9/")

    expect(page.locator("h1")).to_contain_text("9. 培育壮大主导产业")
    units = page.locator("section", has=page.get_by_role("heading", name="责任单位", exact=True))
    first_unit = units.get_by_role("listitem").first
    expect(first_unit).to_contain_text("州工业和信息化局")
    expect(first_unit).to_contain_text("牵头")
    screenshot(page, "task-9")


def test_anonymous_visitor_is_sent_to_the_login_page(page, screenshot, live_server):
    response = page.goto("/")

    assert response is not None and response.ok
    redirect = response.request.redirected_from
    assert redirect is not None and redirect.url == f"{live_server.url}/"
    assert redirect.response().status == 302
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    screenshot(page, "login-redirect")


def test_wrong_password_shows_the_chinese_error(page, login, screenshot, live_server, olga):
    login(page, olga, password="not-the-password")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value(olga.get_username())
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
    screenshot(page, "wrong-password")


def test_matrix_filters_by_unit(page, login, screenshot, live_server, olga):
    login(page, olga)
    page.goto("/matrix/")

    page.locator("select[name=unit]").select_option(label="州工业和信息化局")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()

    assert "unit=" in page.url
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="9. 培育壮大主导产业", exact=True))
    expect(row.locator("td")).to_have_text(["●"])
    screenshot(page, "matrix-industry-unit")
