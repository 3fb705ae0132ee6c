"""Shared test setup: no network, and a private cache per test session."""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest


def _is_loopback(address) -> bool:
    if isinstance(address, tuple):
        host = address[0]
    else:
        return True  # Unix sockets (Jupyter kernels may use them) stay local
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded(real):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise OSError(f"tests must not use the network: blocked a connection to {address!r}")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True, scope="session")
def no_network_and_private_cache(tmp_path_factory):
    """Fail any test that opens a socket to anything but loopback; isolate the cache."""
    socket.socket.connect = _guarded(_real_connect)
    socket.socket.connect_ex = _guarded(_real_connect_ex)
    before = os.environ.get("EMBEDKIT_CACHE")
    os.environ["EMBEDKIT_CACHE"] = str(tmp_path_factory.mktemp("embedkit-cache"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    yield
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex
    if before is None:
        os.environ.pop("EMBEDKIT_CACHE", None)
    else:
        os.environ["EMBEDKIT_CACHE"] = before
