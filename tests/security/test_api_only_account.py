"""The provincial sync client is an API account: with a session it still opens no page, only the API."""

import pytest

from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create


@pytest.fixture
def sync_user(plan):
    return user_create(username="sync-client", password=None, role=Role.PROVINCIAL_SYNC, full_name="省统计系统")


@pytest.mark.parametrize("path", ["/", "/todo/", "/zones/lufeng/", "/bulletin/", "/evaluations/", "/projects/"])
def test_a_signed_in_sync_account_opens_no_page(client_for, sync_user, path):
    response = client_for(sync_user).get(path)
    assert response.status_code == 403
    assert "此账号仅用于数据接口" in response.content.decode()


def test_it_still_reads_the_api_and_logs_out(client_for, sync_user):
    client = client_for(sync_user)
    assert client.get("/api/v1/indicator-values/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/api/v1/indicator-values/").status_code in (401, 403)


def test_every_other_role_still_opens_its_pages(client_for, olga, leo):
    assert client_for(olga).get("/").status_code == 200
    assert client_for(leo).get("/zones/lufeng/").status_code == 200
