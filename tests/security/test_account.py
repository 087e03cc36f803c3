"""The signed-in user's own account page: who they are, the language of their notices, a new password."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from chuxiong_portal.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT, PASSWORD_CHANGE = "/accounts/", "/accounts/password/"


def test_the_account_page_says_who_the_user_is_and_every_page_links_to_it(client_for, bob):
    bob.email = "bob@example.cn"
    bob.save()
    client = client_for(bob)
    page = client.get(ACCOUNT).content.decode()
    assert "bob" in page and str(bob.get_role_display()) in page
    assert bob.department.name in page and "bob@example.cn" in page
    assert 'href="/accounts/"' in client.get("/todo/").content.decode()


def test_a_user_without_an_email_is_told_that_notices_stay_in_the_portal(client_for, sam):
    page = client_for(sam).get(ACCOUNT).content.decode()
    assert "未填写：通知只在平台内显示" in page and sam.zone.name in page


def test_signed_out_the_account_and_password_pages_send_to_the_login(client):
    for path in (ACCOUNT, PASSWORD_CHANGE):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_notice_language_is_chosen_on_the_account_page_and_the_pages_keep_theirs(client_for, bob):
    client = client_for(bob)
    assert 'value="zh-hans" selected' in client.get(ACCOUNT).content.decode()  # blank: Chinese
    response = client.post(ACCOUNT, {"language": "en"}, follow=True)
    bob.refresh_from_db()
    assert bob.language == "en" and bob.notice_language == "en"
    page = response.content.decode()
    assert "通知语言已保存。" in page  # the page itself stays in the language the browser chose
    assert 'value="en" selected' in page


def test_an_unknown_language_is_refused_and_nothing_is_saved(client_for, bob):
    response = client_for(bob).post(ACCOUNT, {"language": "fr"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    bob.refresh_from_db()
    assert bob.language == ""


def test_a_new_password_needs_the_current_one_and_keeps_the_user_signed_in(client_for, bob):
    client = client_for(bob)
    new = "Chuxiong-Zone-2026"
    wrong = client.post(PASSWORD_CHANGE, {"old_password": "not-it", "new_password1": new, "new_password2": new})
    assert wrong.status_code == 200 and "旧密码不正确" in wrong.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)

    done = client.post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}, follow=True
    )
    assert done.redirect_chain == [(ACCOUNT, 302)] and "密码已修改。" in done.content.decode()  # still signed in
    bob.refresh_from_db()
    assert bob.check_password(new) and not bob.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new1", "new2", "says"),
    [
        ("12345678901", "12345678901", "全都是数字"),
        ("short", "short", "密码长度太短"),
        ("Chuxiong-Zone-2026", "Chuxiong-Zone-2027", "两个密码不一致"),
        (PASSWORD, PASSWORD, "新密码不能与当前密码相同。"),  # a "change" that changes nothing
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused_in_chinese(client_for, bob, new1, new2, says):
    response = client_for(bob).post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200 and says in response.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_another_browser_of_the_user_is_signed_out_by_a_new_password(client_for, bob):
    other = Client()
    other.force_login(bob)
    assert other.get(ACCOUNT).status_code == 200
    new = "Chuxiong-Zone-2026"
    client_for(bob).post(PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert other.get(ACCOUNT).status_code == 302
    assert SESSION_KEY not in other.session
    assert User.objects.get(pk=bob.pk).check_password(new)
