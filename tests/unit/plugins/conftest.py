# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import ModuleRunner


@pytest.fixture
def runner(capsys, tmp_path, monkeypatch):
    """Runs a module's main() with arguments and a scripted HTTP session, in a HOME of its own."""
    return ModuleRunner(capsys, tmp_path, monkeypatch)


def started_redis_server(**options):
    """A real redis-server (.ci/run installs it), or a skip where there is none."""
    import shutil
    if shutil.which('redis-server') is None:
        pytest.skip('redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)')
    pytest.importorskip('redis', reason='redis-py is not installed (it is in tests/unit/requirements.txt)')
    from ansible_collections.tencentcloud.trtc.tests.unit.plugins.redis_server import RedisServer
    return RedisServer(**options)


@pytest.fixture(scope='session')
def redis_server():
    """A real redis-server with a password on a free loopback port, for the whole session."""
    server = started_redis_server()
    yield server
    server.stop()


@pytest.fixture(scope='session')
def tls_redis_server():
    """A real redis-server speaking TLS only, its certificate signed by a CA of its own (ca_file)."""
    server = started_redis_server(tls=True)
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """The store's URL, on an empty store, with no store object left from another test."""
    from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import RedisStore
    redis_server.client().flushall()
    RedisStore.forget_all()
    yield redis_server.url
    RedisStore.forget_all()
