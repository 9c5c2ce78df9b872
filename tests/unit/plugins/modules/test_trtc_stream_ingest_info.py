# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible_collections.tencentcloud.trtc.plugins.modules import trtc_stream_ingest, trtc_stream_ingest_info
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import Call, FakeService


def test_info_reports_status_and_what_the_record_knows(runner):
    runner.run(trtc_stream_ingest.main, dict(sdk_app_id=1, task_id='a', volume=7),
               FakeService(Call('UpdateStreamIngest', TaskId='a', Volume=7).answers(Status='InProgress')))
    session = FakeService(Call('DescribeStreamIngest', SdkAppId=1, TaskId='a').answers('r-a', Status='InProgress'),
                          Call('DescribeStreamIngest', SdkAppId=1, TaskId='b').answers('r-b', Status='NotExist'))
    result = runner.run(trtc_stream_ingest_info.main, dict(sdk_app_id=1, task_ids=['a', 'b']), session)
    assert result['changed'] is False
    assert result['tasks'] == [
        dict(sdk_app_id=1, task_id='a', status='InProgress', request_id='r-a', volume=7),
        dict(sdk_app_id=1, task_id='b', status='NotExist', request_id='r-b'),
    ]
    assert session.actions == ['DescribeStreamIngest', 'DescribeStreamIngest']


def test_info_fails_with_the_api_error(runner):
    refused = Call('DescribeStreamIngest', TaskId='a').fails('AuthFailure.SecretIdNotFound', 'no such id', 'r-x')
    session = FakeService(refused)
    result = runner.run(trtc_stream_ingest_info.main, dict(sdk_app_id=1, task_ids=['a']), session)
    assert result['failed'] is True and result['error']['code'] == 'AuthFailure.SecretIdNotFound'


def test_info_refuses_an_empty_task_id(runner):
    result = runner.run(trtc_stream_ingest_info.main, dict(sdk_app_id=1, task_ids=['a', '']), FakeService())
    assert 'task_ids: must be a non-empty string' in result['msg']


def test_info_reads_around_a_file_that_is_no_record_with_a_warning_and_leaves_it(runner):
    with open(runner.record_file, 'w') as handle:
        handle.write('not json')
    session = FakeService(Call('DescribeStreamIngest', TaskId='a').answers('r-a', Status='InProgress'))
    result = runner.run(trtc_stream_ingest_info.main, dict(sdk_app_id=1, task_ids=['a']), session)
    assert result['tasks'] == [dict(sdk_app_id=1, task_id='a', status='InProgress', request_id='r-a')]
    assert len(result['warnings']) == 1 and runner.record_file in json.dumps(result['warnings'])
    with open(runner.record_file) as handle:
        assert handle.read() == 'not json'


def test_info_shows_a_setting_sent_by_an_interrupted_run_as_unknown(runner):
    runner.run(trtc_stream_ingest.main, dict(sdk_app_id=1, task_id='a', volume=7, paused=True),
               FakeService(Call('UpdateStreamIngest', TaskId='a').answers(Status='InProgress')))
    with pytest.raises(KeyboardInterrupt):
        runner.run(trtc_stream_ingest.main, dict(sdk_app_id=1, task_id='a', volume=9),
                   FakeService(Call('UpdateStreamIngest', TaskId='a', Volume=9).raises(KeyboardInterrupt())))
    result = runner.run(trtc_stream_ingest_info.main, dict(sdk_app_id=1, task_ids=['a']),
                        FakeService(Call('DescribeStreamIngest', TaskId='a').answers('r-a', Status='InProgress')))
    assert result['tasks'] == [dict(sdk_app_id=1, task_id='a', status='InProgress', request_id='r-a', paused=True)]


def test_info_answers_for_relays_named_by_room_and_user(runner):
    start = Call('StartStreamIngest', RoomId='8888', UserId='cam-1').answers('r-start', TaskId='CR6Lq+abc/def.')
    runner.run(trtc_stream_ingest.main, dict(sdk_app_id=1, room_id='8888', user_id='cam-1', volume=40,
                                             stream_url='https://a.example/x.flv', sdk_secret_key='k' * 20),
               FakeService(start))
    session = FakeService(Call('DescribeStreamIngest', TaskId='CR6Lq+abc/def.').answers('r-d', Status='InProgress'))
    result = runner.run(trtc_stream_ingest_info.main, dict(sdk_app_id=1, room_id='8888',
                                                           relays=[dict(user_id='cam-1'), dict(user_id='cam-2')]),
                        session)
    assert result['relays'] == [
        dict(sdk_app_id=1, room_id='8888', room_id_type='integer', user_id='cam-1', task_id='CR6Lq+abc/def.',
             status='InProgress', request_id='r-d', stream_url='https://a.example/x.flv', volume=40, paused=False),
        dict(sdk_app_id=1, room_id='8888', room_id_type='integer', user_id='cam-2', task_id=None,
             status='NotExist', request_id=None),
    ]
    assert session.actions == ['DescribeStreamIngest']
