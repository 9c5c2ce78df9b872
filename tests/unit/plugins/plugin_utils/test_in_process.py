# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The same arguments give the same result as a module and inside the controller."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils.module_runs import (
    STREAM_INGEST_ARGUMENT_SPEC, STREAM_INGEST_INFO_ARGUMENT_SPEC, STREAM_INGEST_INFO_KWARGS, STREAM_INGEST_KWARGS,
    run_stream_ingest, run_stream_ingest_info,
)
from ansible_collections.tencentcloud.trtc.plugins.modules import trtc_stream_ingest, trtc_stream_ingest_info
from ansible_collections.tencentcloud.trtc.plugins.plugin_utils.in_process import InProcessRunner
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import FakeSession, api_error, ok
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import CONNECTION, SECRET_KEY

MODULES = {
    'stream_ingest': (trtc_stream_ingest.main, STREAM_INGEST_ARGUMENT_SPEC, STREAM_INGEST_KWARGS, run_stream_ingest),
    'info': (trtc_stream_ingest_info.main, STREAM_INGEST_INFO_ARGUMENT_SPEC, STREAM_INGEST_INFO_KWARGS,
             run_stream_ingest_info),
}

CASES = [
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', volume=80), [ok('r', Status='InProgress')], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', volume=80), [ok('r', Status='InProgress')], True),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', state='absent'), [ok('r')], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', volume=101), [], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', bogus=1), [], False),
    ('stream_ingest', dict(sdk_app_id='one', task_id='t'), [], False),
    ('stream_ingest', dict(sdk_app_id=1), [], False),
    ('stream_ingest', dict(sdk_app_id=1, task_id='t', paused=True),
     [api_error('FailedOperation.TaskNotExist', 'gone', 'r-gone')], False),
    ('stream_ingest', dict(sdk_app_id=1, tasks=[dict(task_id='a', volume=1)], secret_key='other-secret-key-value'),
     [api_error('AuthFailure.SignatureFailure', 'bad', 'r-auth')], False),
    ('info', dict(sdk_app_id=1, task_ids=['a', 'b']), [ok('r1', Status='InProgress'), ok('r2', Status='NotExist')],
     False),
    ('info', dict(sdk_app_id=1, task_ids=['']), [], False),
]


def in_process(runner, module_name, name, args, replies, check_mode):
    dummy, spec, kwargs, run_function = MODULES[name]
    full_args = dict(CONNECTION, record_file=runner.record_file, **args)
    session = FakeSession(*replies)
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils.client.requests.Session',
                    return_value=session):
        result = InProcessRunner(module_name, spec, kwargs, full_args, check_mode).run(run_function)
    session.assert_done()
    return json.loads(json.dumps(result))


@pytest.mark.parametrize('name, args, replies, check_mode', CASES)
def test_same_result_as_the_module(runner, tmp_path, name, args, replies, check_mode):
    module_name = 'tencentcloud.trtc.trtc_stream_ingest' + ('_info' if name == 'info' else '')
    as_module = runner.run(MODULES[name][0], args, FakeSession(*replies), check_mode=check_mode, module_name=module_name)
    runner.record_file = str(tmp_path / 'record-in-process.json')
    inside = in_process(runner, module_name, name, args, replies, check_mode)
    assert SECRET_KEY not in json.dumps(inside)
    assert 'other-secret-key-value' not in json.dumps(inside)
    for result in (as_module, inside):
        result.pop('exception', None)  # a module's fail_json adds "(traceback unavailable)"
        result['invocation']['module_args'].pop('record_file')
    assert inside == as_module, module_name


def test_an_unexpected_error_is_a_failed_result_inside_the_controller_too(runner):
    limiter = 'ansible_collections.tencentcloud.trtc.plugins.module_utils.ratelimit.HostRateLimiter.__call__'
    with mock.patch(limiter, side_effect=OSError(28, 'No space left on device')):
        result = in_process(runner, 'tencentcloud.trtc.trtc_stream_ingest', 'stream_ingest',
                            dict(sdk_app_id=1, task_id='t', volume=3), [], False)
    assert result['failed'] is True
    assert result['msg'] == 'unexpected error in run_stream_ingest: OSError: [Errno 28] No space left on device'
