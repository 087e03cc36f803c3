"""No English and no debug pages in front of a user: the portal's own 404/403/500 pages, in both languages,
under the README's serve command (DEBUG on) and in production (DEBUG off); a favicon; the flag form's label."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_a_mistyped_url_with_the_portals_404(client, olga, debug, settings):
    settings.DEBUG = debug
    client.force_login(olga)
    response = client.get("/zonez/lufeng/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and 'class="topbar"' in page
    assert "URLconf" not in page and "Page not found" not in page and "chuxiong_portal.urls" not in page


def test_it_shows_the_404_in_english_when_english_is_chosen(client, olga, settings):
    settings.DEBUG = False
    client.force_login(olga)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/zonez/").content.decode()
    assert "Page not found" in page and "页面不存在" not in page


@override_settings(DEBUG=False)
def test_it_renders_the_500_page_in_the_portals_style(rf):
    from django.views.defaults import server_error

    with translation.override("zh-hans"):  # no middleware here: not the language a test before left active
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统暂时出错" in response.content.decode() and "portal.css" in response.content.decode()


def test_it_links_a_favicon_that_exists(client, olga):
    client.force_login(olga)
    page = client.get(reverse("todo")).content.decode()
    assert 'rel="icon" href="/static/portal/favicon.svg"' in page


@pytest.mark.parametrize("path", ["/admin/", "/admin/tasks/plan/", "/admin/tasks/plan/add/", "/admin/login/"])
def test_the_admin_links_the_favicon_too_so_that_browsers_ask_for_no_missing_favicon_ico(client, olga, path):
    """Without a link, a browser asks /favicon.ico, a 404 in the console of every admin page."""
    olga.is_staff = olga.is_superuser = True
    olga.save()
    if path != "/admin/login/":
        client.force_login(olga)
    page = client.get(path).content.decode()
    assert page.count('rel="icon" href="/static/portal/favicon.svg"') == 1
    assert "<title>" in page and "</head>" in page


def test_it_names_the_admin_sections_in_chinese(client, olga, settings):
    client.force_login(olga)
    olga.is_staff = olga.is_superuser = True
    olga.save()
    page = client.get("/admin/").content.decode()
    assert "登录防护" in page and ">Axes<" not in page and "AXES" not in page


def test_it_describes_the_api_in_chinese(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert "调度平台" in schema["info"]["description"] and "Provincial" not in schema["info"]["description"]


@pytest.mark.parametrize("path", ["/projects/?plan=%00", "/zones/lufeng/?plan=lu%00feng", "/zones/lu%00feng/"])
def test_it_answers_an_address_with_a_null_character_with_a_400_page(client, olga, path):
    """PostgreSQL refuses a null character in any query: every page reading ?plan= answered 500 with one."""
    client.force_login(olga)
    response = client.get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "地址中含有不可用的字符（空字符）" in page and 'class="topbar"' in page


def test_it_says_so_in_english_and_the_api_keeps_its_own_answers(client, olga, settings):
    client.force_login(olga)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "contains a character that cannot be used" in client.get("/flags/?zone=%00").content.decode()
    # The API's filters match nothing with one (tests/api/test_api_strict_input.py); a plan code with one names no
    # plan, so its documentation page (which shows no plan) is read as without one (on PostgreSQL: was a 500).
    assert client.get("/api/v1/docs/?plan=zones%002023").status_code == 200
