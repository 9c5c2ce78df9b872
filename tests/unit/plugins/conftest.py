# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.emulated_service import emulator_module
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import ModuleRunner


@pytest.fixture(autouse=True)
def home_of_its_own(tmp_path_factory, monkeypatch):
    """Every test in a HOME of its own: what a controller keeps there (rate files, notes of the stores it used) is
    never another test's."""
    home = tmp_path_factory.mktemp('home')
    monkeypatch.setenv('HOME', str(home))
    # The rate files live in one directory per user of the host: each test has its own.
    monkeypatch.setenv('TENCENTCLOUD_TRTC_RATE_LIMIT_DIR', str(home / 'rate'))


@pytest.fixture(scope='session')
def emulator():
    """The emulator's command line (emulator/trtc_emulator.py)."""
    return emulator_module('trtc_emulator')


@pytest.fixture(scope='session')
def emulator_server():
    """The emulator's HTTP server (emulator/trtc_server.py)."""
    return emulator_module('trtc_server')


@pytest.fixture(scope='session')
def emulator_service():
    """The service the emulator plays, without HTTP (emulator/trtc_service.py)."""
    return emulator_module('trtc_service')


@pytest.fixture(scope='session')
def emulator_callbacks():
    """The relay callbacks the emulator sends, without HTTP (emulator/trtc_callbacks.py)."""
    return emulator_module('trtc_callbacks')


@pytest.fixture
def runner(capsys, tmp_path, monkeypatch):
    """Runs a module's main() with arguments and a scripted HTTP session, in a HOME of its own."""
    return ModuleRunner(capsys, tmp_path, monkeypatch)


# ansible-test runs each test in a fork of its own (pytest --forked), and a fork ends without running the
# session's teardowns: a server started inside a test would outlive it. So the servers start here, in the
# process that forks the tests, and stop when its session ends.
REDIS_SERVERS = {}


def redis_available():
    import importlib.util
    import shutil
    return shutil.which('redis-server') is not None and importlib.util.find_spec('redis') is not None


def pytest_sessionstart(session):
    if redis_available():
        from ansible_collections.tencentcloud.trtc.tests.unit.plugins.redis_server import RedisServer
        REDIS_SERVERS.update(plain=RedisServer(), tls=RedisServer(tls=True))


def pytest_sessionfinish(session, exitstatus):
    for server in REDIS_SERVERS.values():
        server.stop()
    REDIS_SERVERS.clear()


def session_redis_server(kind):
    """A real redis-server (.ci/run installs it) started for the session, or a skip where there is none."""
    if not redis_available():
        pytest.skip('redis-server or redis-py is not installed (Debian: apt-get install redis-server; pip install '
                    'redis; .ci/run installs both)')
    if kind not in REDIS_SERVERS:  # this conftest was loaded after the session began: start one now
        from ansible_collections.tencentcloud.trtc.tests.unit.plugins.redis_server import RedisServer
        REDIS_SERVERS[kind] = RedisServer(tls=kind == 'tls')
    return REDIS_SERVERS[kind]


@pytest.fixture
def redis_server():
    """A real redis-server with a password on a free loopback port."""
    return session_redis_server('plain')


@pytest.fixture
def tls_redis_server():
    """A real redis-server speaking TLS only, its certificate signed by a CA of its own (ca_file)."""
    return session_redis_server('tls')


@pytest.fixture
def redis_url(redis_server):
    """The store's URL, on an empty store, with no store object left from another test."""
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import RedisStore
    redis_server.client().flushall()
    RedisStore.forget_all()
    yield redis_server.url
    RedisStore.forget_all()
