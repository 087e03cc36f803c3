"""Counted things read as whole numbers: task 1's 1名 deputy secretary, task 26's 0笔 of irregular financing and
task 4's 批 of civil servants sent east for training, not 1.00名, 0.00笔, 1.00批."""

import pytest

from pages.dashboards import decimals_for, fmt_number


@pytest.mark.parametrize(("value", "unit", "shown"), [(1, "名", "1名"), (0, "笔", "0笔"), (2, "批", "2批")])
def test_it_shows_a_count_of_people_or_cases_without_decimals(value, unit, shown):
    assert fmt_number(value, unit) == shown
    assert decimals_for(unit) == 0
