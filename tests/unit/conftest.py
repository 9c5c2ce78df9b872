# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Real redis-servers for the unit tests of the plugins and of the event source (both may use a shared store)."""

from __future__ import annotations

import pytest


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
def refused_port():
    """A loopback port where a connection is refused for the whole test (redis_server.held_port)."""
    from ansible_collections.tencentcloud.trtc.tests.unit.plugins.redis_server import held_port
    with held_port() as holder:
        yield holder.getsockname()[1]


@pytest.fixture
def redis_url(redis_server):
    """The store's URL, on an empty store, with no store object left from another test."""
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import RedisStore
    redis_server.client().flushall()
    RedisStore.forget_all()
    yield redis_server.url
    RedisStore.forget_all()
