# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The service the emulator plays (emulator/trtc_service.py), without HTTP: requests signed by the collection's
signer and UserSigs made by its generator, answered as the service answers them."""

from __future__ import annotations

import json

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._signer import signed_headers
from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import make_user_sig

NOW = 1_800_000_000
SECRET_ID = 'AKIDSERVICETEST'
SECRET_KEY = 'service-test-secret-key'
SDK_SECRET_KEY = 'service-test-sdk-secret-key'
APP = 1400188366
ROBOT = dict(SdkAppId=APP, RoomId='1234', UserId='cam-1', StreamUrl='https://example.com/live/a.flv')


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def service(emulator_service):
    return emulator_service.Emulator({SECRET_ID: {'secret_key': SECRET_KEY, 'token': None}}, clock=Clock(),
                                     sdk_secret_keys={APP: SDK_SECRET_KEY})


def call(emulator, action, params, region='ap-singapore', secret_key=SECRET_KEY):
    """The Response of one API request, and its log entry."""
    body = json.dumps(params).encode('utf-8')
    headers = signed_headers((SECRET_ID, secret_key, None), 'trtc', 'trtc.tencentcloudapi.com', action, '2019-07-22',
                             region, body, emulator.clock())
    headers = dict((name.lower(), value) for name, value in headers.items())
    entry = emulator.arrived(headers)
    return emulator.answer(entry, headers, body), entry


def start(emulator, **params):
    sig = make_user_sig(APP, SDK_SECRET_KEY, params.get('UserId', ROBOT['UserId']), 600, emulator.clock())
    return call(emulator, 'StartStreamIngest', dict(ROBOT, UserSig=sig, **params))[0]


def code(response):
    return response.get('Error', {}).get('Code')


def test_a_task_is_started_described_updated_and_stopped(service):
    task_id = start(service)['TaskId']
    key = dict(SdkAppId=APP, TaskId=task_id)
    assert call(service, 'DescribeStreamIngest', key)[0]['Status'] == 'InProgress'
    assert call(service, 'UpdateStreamIngest', dict(key, Volume=30, IsPause=True))[0]['Status'] == 'InProgress'
    assert [(task['volume'], task['paused']) for task in service.snapshot()['tasks']] == [(30, True)]
    assert call(service, 'StopStreamIngest', key)[0] == {'RequestId': service.snapshot()['requests'][-1]['request_id']}
    assert call(service, 'DescribeStreamIngest', key)[0]['Status'] == 'NotExist'
    assert code(call(service, 'StopStreamIngest', key)[0]) == 'FailedOperation.TaskFinished'
    assert code(call(service, 'UpdateStreamIngest', key)[0]) == 'FailedOperation.TaskNotExist'


def test_a_second_start_for_the_same_room_and_user_answers_task_exist(service):
    start(service)
    assert code(start(service)) == 'FailedOperation.TaskExist'
    assert 'TaskId' in start(service, UserId='cam-2')


def test_the_log_keeps_every_request_without_its_secrets(service):
    # '-' is not in a TaskId's alphabet (base64), so the password cannot turn up in one by chance
    password = 'url-pass-word'
    start(service, PrivateMapKey='pmk', StreamUrl='rtmp://u:%s@example.com/live/a' % password)
    logged = service.snapshot()['requests'][0]
    assert logged['params']['UserSig'] == logged['params']['PrivateMapKey'] == '<redacted>'
    assert logged['params']['StreamUrl'] == 'rtmp://u:***@example.com/live/a'
    assert logged['user_sig']['identifier'] == 'cam-1'
    assert password not in json.dumps(service.snapshot())


@pytest.mark.parametrize('params, expected', [
    (dict(SdkAppId=APP), 'MissingParameter.TaskId'),
    (dict(SdkAppId=APP, TaskId='t', Volume=1), 'UnknownParameter'),
    (dict(SdkAppId=True, TaskId='t'), 'InvalidParameterValue'),
    (dict(SdkAppId=APP, TaskId=' '), 'InvalidParameter.TaskId'),
])
def test_parameters_are_checked_against_the_action_table(service, params, expected):
    assert code(call(service, 'DescribeStreamIngest', params)[0]) == expected


def test_the_china_site_parameters_are_unknown_on_the_international_site(service):
    response = start(service, Tempo=1.5)
    assert code(response) == 'UnknownParameter'
    assert 'on the China site only' in response['Error']['Message']
    assert code(start(service, SourceUrl='https://example.com/a.flv')) == 'InvalidParameter'


def test_the_china_site_takes_them(emulator_service):
    china = emulator_service.Emulator({SECRET_ID: {'secret_key': SECRET_KEY, 'token': None}}, clock=lambda: NOW,
                                      sdk_secret_keys={APP: SDK_SECRET_KEY}, site='china')
    assert 'TaskId' in start(china, Tempo=1.5, Volume=150)
    assert china.snapshot()['tasks'][0]['tempo'] == 1.5
    assert code(call(china, 'DescribeStreamIngest', dict(SdkAppId=APP, TaskId='t'), region='ap-bangkok')[0]) \
        == 'UnsupportedRegion'


def test_a_wrong_key_or_a_stale_signature_is_refused(service):
    assert code(call(service, 'DescribeStreamIngest', dict(SdkAppId=APP, TaskId='t'), secret_key='wrong')[0]) \
        == 'AuthFailure.SignatureFailure'
    body = b'{}'
    headers = signed_headers((SECRET_ID, SECRET_KEY, None), 'trtc', 'h', 'DescribeStreamIngest', '2019-07-22',
                             'ap-singapore', body, NOW - 301)
    headers = dict((name.lower(), value) for name, value in headers.items())
    assert code(service.answer(service.arrived(headers), headers, body)) == 'AuthFailure.SignatureExpire'


def test_a_user_sig_of_another_key_is_refused(service):
    sig = make_user_sig(APP, 'another-key', 'cam-1', 600, NOW)
    response = call(service, 'StartStreamIngest', dict(ROBOT, UserSig=sig))[0]
    assert code(response) == 'InvalidParameter.UserSig'
    assert 'another-key' not in json.dumps(response)


def test_each_action_is_limited_per_second(service):
    service.rate_limit = 2
    key = dict(SdkAppId=APP, TaskId='t')
    assert [code(call(service, 'DescribeStreamIngest', key)[0]) for dummy in range(3)] \
        == [None, None, 'RequestLimitExceeded']
    assert code(call(service, 'StopStreamIngest', key)[0]) == 'FailedOperation.TaskFinished'
    service.clock.now += 1
    assert code(call(service, 'DescribeStreamIngest', key)[0]) is None


def test_faults_are_taken_in_order_and_reset_clears_them_and_the_log(service, emulator_service):
    service.add_fault(dict(action='StopStreamIngest', kind='error', code='InternalError', count=2))
    with pytest.raises(emulator_service.ControlError, match='count must be an integer'):
        service.add_fault(dict(action='StopStreamIngest', kind='drop', count=-1))
    assert service.snapshot()['faults'] == {'StopStreamIngest': 2}
    assert service.take_fault('StopStreamIngest')['kind'] == 'error'
    assert service.take_fault('DescribeStreamIngest') is None
    call(service, 'DescribeStreamIngest', dict(SdkAppId=APP, TaskId='t'))
    service.reset([dict(sdk_app_id=APP, task_id='seeded', room_id='1', user_id='u')])
    state = service.snapshot()
    assert (state['faults'], state['requests'], [task['task_id'] for task in state['tasks']]) == ({}, [], ['seeded'])
    assert code(start(service, RoomId='1', UserId='u')) == 'FailedOperation.TaskExist'


def test_ending_a_task_answers_whether_it_ran(service):
    service.put_tasks([dict(sdk_app_id=APP, task_id='t')])
    assert service.end(dict(sdk_app_id=APP, task_id='t')) is True
    assert service.end(dict(sdk_app_id=APP, task_id='t')) is False


def test_each_action_of_the_table_has_its_method(emulator_service):
    for action, row in emulator_service.ACTION_TABLE.items():
        assert callable(getattr(emulator_service.Emulator, row.answer)), action
        assert set(row.required) <= set(row.parameters), action
