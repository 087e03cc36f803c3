"""Fixtures of the dashboard tests: the compact dataset, and a few more personas."""

import pytest

from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
from tests.conftest import PASSWORD
from tests.dashboards.data import build_small


@pytest.fixture
def data(plan):
    return build_small()


@pytest.fixture
def hana(plan):
    """hana leads 楚雄国家高新区: another zone than leo's."""
    return user_create(username="hana", password=PASSWORD, role=Role.ZONE_LEADER, zone=plan["hitech"], full_name="hana")
