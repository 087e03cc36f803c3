"""The 挂图作战 board and the investment figures open on the list in force, on any date: this year's once projects are
listed on it, else the latest earlier year's (in January, and after the plan's last year), as the to-do and the zone
page read it — not an empty list of a year nobody has drawn up."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from chuxiong_portal import pagecache

pytestmark = pytest.mark.django_db


def _get(client_for, user, day, name, query=""):
    with time_machine.travel(day, tick=False):
        pagecache.data_changed()
        response = client_for(user).get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("day", [date(2026, 6, 15), date(2026, 12, 31), date(2027, 1, 5), date(2028, 1, 2)])
def test_the_board_opens_on_the_list_in_force(listed, client_for, olga, day):
    page = _get(client_for, olga, day, "project-board")
    assert "2026年重点项目挂图作战" in page
    assert 'data-project="p-0001"' in page
    assert 'name="year" value="2026"' in page


@pytest.mark.parametrize("day", [date(2027, 1, 5), date(2028, 1, 2)])
def test_a_year_asked_for_is_shown_even_without_a_list(listed, client_for, olga, day):
    page = _get(client_for, olga, day, "project-board", f"?year={day.year}")
    assert f"{day.year}年重点项目挂图作战" in page and 'data-project="p-0001"' not in page


@pytest.mark.parametrize("day", [date(2026, 6, 15), date(2027, 1, 5), date(2028, 1, 2)])
def test_the_figures_open_on_the_list_in_force(listed, client_for, olga, day):
    page = _get(client_for, olga, day, "project-figures")
    assert "2026年重点项目投资完成与招商三率" in page
