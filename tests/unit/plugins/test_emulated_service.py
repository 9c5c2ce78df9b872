# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""EmulatedService answers the collection's client as the emulator does: what it keeps, what it refuses."""

from __future__ import annotations

import time

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError, TrtcClient
from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import make_user_sig
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.emulated_service import EmulatedService
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import CONNECTION, SECRET_KEY

APP = 1400188366
SDK_KEY = 'emulated-service-test-sdk-key'


def client(service, secret_key=SECRET_KEY):
    return TrtcClient((CONNECTION['secret_id'], secret_key, None), 'ap-singapore', CONNECTION['endpoint'],
                      session=service, sleep=lambda seconds: None)


def start(service, user_id='cam-1', sdk_key=SDK_KEY):
    sig = make_user_sig(APP, sdk_key, user_id, 600, int(time.time()))
    return client(service).call('StartStreamIngest', dict(
        SdkAppId=APP, RoomId='8888', RoomIdType=1, UserId=user_id, UserSig=sig,
        StreamUrl='https://cdn.example.com/a.flv'))


def test_tasks_are_kept_between_clients_and_end_as_told():
    service = EmulatedService({APP: SDK_KEY})
    task_id = start(service)['TaskId']
    assert list(service.tasks) == [task_id] and service.tasks[task_id]['user_id'] == 'cam-1'
    key = dict(SdkAppId=APP, TaskId=task_id)
    assert client(service).call('DescribeStreamIngest', key)['Status'] == 'InProgress'
    service.end(APP, task_id)
    assert client(service).call('DescribeStreamIngest', key)['Status'] == 'NotExist'
    service.put_tasks(dict(sdk_app_id=APP, task_id='elsewhere', room_id='8888', user_id='cam-2'))
    with pytest.raises(TencentCloudError) as refused:
        start(service, user_id='cam-2')
    assert refused.value.code == 'FailedOperation.TaskExist'
    assert refused.value.request_id == service.request_ids('StartStreamIngest', UserId='cam-2')[-1]
    assert service.actions == ['StartStreamIngest', 'DescribeStreamIngest', 'DescribeStreamIngest',
                               'StartStreamIngest']


@pytest.mark.parametrize('call, code', [
    (lambda service: client(service, 'not-the-key').call('DescribeStreamIngest', dict(SdkAppId=APP, TaskId='t')),
     'AuthFailure.SignatureFailure'),
    (lambda service: start(service, sdk_key='another-sdk-key'), 'InvalidParameter.UserSig'),
    (lambda service: client(service).call('DescribeStreamIngest', dict(SdkAppId=APP, TaskId='t', Volume=1)),
     'UnknownParameter'),
], ids=['signature', 'user-sig', 'parameter'])
def test_requests_the_emulator_refuses_are_refused(call, code):
    service = EmulatedService({APP: SDK_KEY})
    with pytest.raises(TencentCloudError) as refused:
        call(service)
    assert refused.value.code == code and service.tasks == {}
