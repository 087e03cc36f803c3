"""Operations tests: backups, migrations, faults. Those marked `ops` need the local production stack
(deploy/stack) and run only with PORTAL_OPS_TESTS=1."""

import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "ops: needs the local production stack (deploy/stack); PORTAL_OPS_TESTS=1")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PORTAL_OPS_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="ops test: set PORTAL_OPS_TESTS=1 (starts the production stack with deploy/stack)")
    for item in items:
        if item.get_closest_marker("ops"):
            item.add_marker(skip)
