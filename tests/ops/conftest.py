"""Operations tests: backups, migrations, faults. Those marked `ops` need the local production stack
(deploy/stack) and run only with PORTAL_OPS_TESTS=1."""

import os
import socket
import threading

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


@pytest.fixture
def silent_port():
    """A TCP server that accepts connections and never says a word (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for connection in accepted:
        connection.close()
    server.close()
