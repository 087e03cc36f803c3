"""The zone, unit and to-do pages keep their supervision blocks inside the cached body.

A repeat view then reads only the session, the user and the object the view checks access on; the blocks are the
same for every reader of the page (the zone's or unit's record and letter; a to-do scope's items), so they are
never another reader's; and a supervision write shows on the next view although the body is cached.
"""

from datetime import date

import pytest

from chuxiong_portal.roles import Role
from parks.models import County
from supervision import services
from tests.conftest import _persona


def issue(olga, body, requirement):
    return services.supervision_issue(
        user=olga,
        body=body,
        source="instruction",
        requirement=requirement,
        deadline=date(date.today().year + 1, 12, 10),
    )


@pytest.mark.parametrize(
    "url,queries",
    [
        ("/zones/lufeng/", 3),  # session, user, zone
        ("/departments/ndrc/", 4),  # session, user, plan, unit
        ("/todo/", 2),  # session, user
    ],
)
def test_a_repeat_view_reads_nothing_but_who_asks(client_for, olga, plan, url, queries, django_assert_max_num_queries):
    client = client_for(olga)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url,body",
    [("/zones/lufeng/", "lufeng"), ("/departments/ndrc/", "ndrc")],
)
def test_a_new_supervision_item_shows_on_the_cached_page(client_for, olga, plan, url, body):
    client = client_for(olga)
    before = client.get(url).content.decode()
    assert 'id="supervision-record"' in before
    item = issue(olga, plan[body], "报送整改进展")
    after = client.get(url).content.decode()
    assert item.number not in before and item.number in after
    assert after.count('id="supervision-record"') == 1


def test_the_zone_letter_block_is_drawn_once_inside_the_page(client_for, olga, plan):
    page = client_for(olga).get("/zones/lufeng/").content.decode()
    assert page.count('id="supervision-record"') == 1
    assert page.index('id="task-status"') < page.index('id="supervision-record"') < page.index("</main>")


def test_two_counties_staff_see_their_own_supervision_items_on_the_to_do_page(client, olga, plan):
    """The to-do body is cached per scope: the county is part of it, so one county never reads another's items."""
    wuding, mouding = County.objects.get(code="wuding"), County.objects.get(code="mouding")
    cora = _persona("cora", Role.COUNTY_STAFF, county=wuding)
    mona = _persona("mona", Role.COUNTY_STAFF, county=mouding)
    own = issue(olga, wuding, "武定县报送进展")
    other = issue(olga, mouding, "牟定县报送进展")

    client.force_login(cora)
    first = client.get("/todo/").content.decode()
    client.force_login(mona)
    second = client.get("/todo/").content.decode()

    assert own.number in first and other.number not in first
    assert other.number in second and own.number not in second


def test_staff_of_one_unit_share_one_to_do_body_and_a_new_item_reaches_it(client, olga, alice, plan):
    client.force_login(alice)
    before = client.get("/todo/").content.decode()
    item = issue(olga, plan["ndrc"], "发改委报送进展")
    after = client.get("/todo/").content.decode()
    assert item.number not in before and item.number in after
