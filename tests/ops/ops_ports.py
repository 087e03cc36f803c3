"""Ports for the fault tests (a module of its own: `conftest` names clash between test folders)."""

import socket


def free_port() -> int:
    """A local port where nothing listens (a stopped Redis)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
