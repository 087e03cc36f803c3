"""Who sees which dashboard: zone users only their own zone, the bulletin for the office and reviewers."""

import pytest
from django.urls import reverse

from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create


def test_a_zone_leader_opens_their_own_zone(client_for, leo, data):
    assert client_for(leo).get(reverse("zone-detail", args=["lufeng"])).status_code == 200


def test_a_zone_leader_cannot_open_another_zone(client_for, leo, hana, data):
    response = client_for(leo).get(reverse("zone-detail", args=["wuding"]))
    assert response.status_code == 403
    assert "您只能查看本园区的页面，无权查看武定产业园区" in response.content.decode()
    assert client_for(hana).get(reverse("zone-detail", args=["lufeng"])).status_code == 403


def test_a_zone_statistician_is_held_to_their_zone_too(client_for, sam, data):
    client = client_for(sam)
    assert client.get(reverse("overview")).status_code == 302
    assert client.get(reverse("zone-detail", args=["mouding"])).status_code == 403


def test_the_office_and_departments_open_every_zone(client_for, olga, alice, data):
    for user in (olga, alice):
        for code in ("lufeng", "wuding", "chuxiong-hitech", "mouding"):
            assert client_for(user).get(reverse("zone-detail", args=[code])).status_code == 200


def test_an_unknown_zone_is_not_found(client_for, olga, data):
    assert client_for(olga).get(reverse("zone-detail", args=["atlantis"])).status_code == 404


def test_a_zone_leader_cannot_open_the_admin(client_for, leo):
    response = client_for(leo).get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("olga", True),
        ("rita", True),
        ("alice", False),
        ("leo", False),
        ("sam", False),
        ("charlie", False),
    ],
)
def test_the_bulletin_is_for_the_office_and_department_reviewers(request, client_for, data, who, allowed):
    user = request.getfixturevalue(who)
    client = client_for(user)
    page = client.get(reverse("bulletin"))
    workbook = client.get(reverse("bulletin-xlsx", args=[data["period"].pk]))
    assert (page.status_code, workbook.status_code) == ((200, 200) if allowed else (403, 403))
    if not allowed:
        assert "调度通报仅供州开发区办和部门审核员查阅" in page.content.decode()


def test_a_superuser_without_a_role_sees_everything(client_for, data):
    root = user_create(username="root", password="x-Pass-123", role=Role.PREFECTURE_OFFICE)
    root.role, root.is_superuser = "", True
    root.save()
    client = client_for(root)
    assert client.get(reverse("overview")).status_code == 200
    assert client.get(reverse("zone-detail", args=["wuding"])).status_code == 200
    assert client.get(reverse("bulletin")).status_code == 200
