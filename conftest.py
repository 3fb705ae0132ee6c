"""Shared test setup: no network, a private cache per test session, quiet model notices.

Tests that look inside the cache folder (count files, plant or damage
entries, clear it) take the ``isolated_cache`` fixture: a fresh folder of
their own, so another test, or another process writing its temporary files
into the session cache, cannot disturb them.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys

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


class _CurrentStderr(logging.StreamHandler):
    """Writes to sys.stderr as it is at the time, so capsys and pytest's capture see it."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


@pytest.fixture(autouse=True, scope="session")
def model_notices_to_stderr():
    """embedkit's "model loaded from ..." notices print to stdout; in tests send them to
    stderr, so a doctest's expected output does not depend on which test loaded a model first."""
    logger = logging.getLogger("embedkit")
    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter("embedkit: %(message)s"))
    saved = (list(logger.handlers), logger.level, logger.propagate)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield
    logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    """A cache folder for this test alone (EMBEDKIT_CACHE points at it while the test runs)."""
    folder = tmp_path / "embedkit-cache"
    folder.mkdir()
    monkeypatch.setenv("EMBEDKIT_CACHE", str(folder))
    return folder
