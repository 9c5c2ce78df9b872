# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Module runs through a shared store (record_store) on a real redis-server: controllers with empty disks agree."""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest import main
from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest_info import main as info_main
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import FakeService
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.modules.test_trtc_stream_ingest_relay import (
    RELAY, SDK_KEY, STREAM, emulated_trtc,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.redis_server import PASSWORD

RUNNER = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._runner'


def run(runner, service, record_file, **args):
    runner.record_file = record_file
    result = runner.run(main, args, service)
    assert PASSWORD not in json.dumps(result) and SDK_KEY not in json.dumps(result)
    return result


def test_a_second_controller_with_an_empty_disk_sees_the_relay_the_first_started(runner, redis_url, tmp_path):
    service = emulated_trtc()
    first = run(runner, service, str(tmp_path / 'a.json'), record_store=redis_url, stream_url=STREAM, **RELAY)
    assert first['changed'] is True and service.actions == ['StartStreamIngest']
    second = run(runner, service, str(tmp_path / 'b.json'), record_store=redis_url, stream_url=STREAM, volume=None,
                 **RELAY)
    assert second['changed'] is False and second['task_id'] == first['task_id']
    assert service.actions == ['StartStreamIngest', 'DescribeStreamIngest']
    third = run(runner, service, str(tmp_path / 'c.json'), record_store=redis_url, stream_url=STREAM, volume=70,
                **RELAY)
    fourth = run(runner, service, str(tmp_path / 'd.json'), record_store=redis_url, stream_url=STREAM, volume=70,
                 **RELAY)
    assert (third['changed'], fourth['changed']) == (True, False)
    assert service.actions.count('UpdateStreamIngest') == 1 and service.actions.count('StartStreamIngest') == 1
    assert not (tmp_path / 'a.json').exists(), 'the store replaces the file'


@contextlib.contextmanager
def free_memory(redis_server, free_bytes):
    """The store with maxmemory (noeviction) set free_bytes above the memory it uses now; no limit again after."""
    admin = redis_server.client()
    admin.config_set('maxmemory-policy', 'noeviction')
    admin.config_set('maxmemory', admin.info('memory')['used_memory'] + free_bytes)
    try:
        yield
    finally:
        admin.config_set('maxmemory', 0)


def test_a_store_too_near_its_maxmemory_for_a_start_refuses_it_before_any_request(runner, redis_server, redis_url,
                                                                                  tmp_path):
    """A Start whose TaskId the store might refuse to take once the relay runs is not sent: the store is checked
    for room first. Room for its mark and entry alone (here 256 KiB) is not room to spare."""
    service = emulated_trtc()
    with free_memory(redis_server, 256 * 1024):
        refused = run(runner, service, str(tmp_path / 'a.json'), record_store=redis_url, stream_url=STREAM, **RELAY)
        assert refused['failed'] is True and service.actions == []
        assert 'maxmemory' in refused['msg'], refused['msg']
        assert 'the relay is not started (neither its StartStreamIngest nor' in refused['msg'], refused['msg']
        assert redis_server.client().keys('tencentcloud_trtc:record:*') == [], 'no starting mark'
    with free_memory(redis_server, 16 * 1024 * 1024):
        started = run(runner, service, str(tmp_path / 'a.json'), record_store=redis_url, stream_url=STREAM, **RELAY)
    assert started['changed'] is True and service.actions == ['StartStreamIngest']


def test_a_store_that_is_down_sends_nothing_and_says_which_and_why(runner, refused_port):
    url = 'redis://:%s@127.0.0.1:%d/0' % (PASSWORD, refused_port)
    for module_main, args in ((main, dict(RELAY, stream_url=STREAM)),
                              (info_main, dict(sdk_app_id=1400188366, task_ids=['t-1']))):
        result = runner.run(module_main, dict(args, record_store=url), FakeService())
        assert result['failed'] is True
        assert 'redis://:' in result['msg'] and 'refused' in result['msg'].lower()
        assert PASSWORD not in json.dumps(result)


def test_a_wrong_password_sends_nothing(runner, redis_server, redis_url):
    url = 'redis://:not-the-password@127.0.0.1:%d/0' % redis_server.port
    result = runner.run(main, dict(RELAY, stream_url=STREAM, record_store=url), FakeService())
    assert result['failed'] is True and 'redis://:***@127.0.0.1:%d/0' % redis_server.port in result['msg']
    assert 'not-the-password' not in json.dumps(result)


def test_without_redis_py_a_store_fails_with_missing_required_lib_before_any_request(runner, redis_url):
    with mock.patch(RUNNER + '.redis_import_error', return_value='Traceback: No module named redis'):
        result = runner.run(main, dict(RELAY, stream_url=STREAM, record_store=redis_url), FakeService())
    assert result['failed'] is True and 'Failed to import the required Python library (redis)' in result['msg']


def test_a_url_that_is_no_redis_store_is_refused_before_any_request(runner):
    result = runner.run(main, dict(RELAY, stream_url=STREAM, record_store='http://cache:6379'), FakeService())
    assert result['failed'] is True and result['msg'].startswith('record_store: must be a redis://')
