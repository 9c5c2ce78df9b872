# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The official Python SDK against the emulator: the emulator must behave as the service does."""

import concurrent.futures
import json
import os
import sys
import time
import urllib.request
from unittest import mock

from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

URL = sys.argv[1]
APP = 1400188366


def client(secret_id=None, secret_key=None, token=None, region='ap-singapore'):
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=URL.split('://', 1)[1], protocol='http'))
    cred = credential.Credential(secret_id or os.environ['TEST_SECRET_ID'], secret_key or os.environ['TEST_SECRET_KEY'],
                                 token)
    return CommonClient('trtc', '2019-07-22', cred, region, profile=profile)


def error_code(call, *args):
    code = error_code_or_none(call, *args)
    if code is None:
        raise AssertionError('%s%r should have failed' % (call, args))
    return code


def error_code_or_none(call, *args):
    try:
        call(*args)
    except TencentCloudSDKException as exc:
        return exc.get_code()
    return None


def state():
    with urllib.request.urlopen(URL + '/_emulator/state') as reply:
        return json.load(reply)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    sdk = client()
    started = sdk.call_json('StartStreamIngest', {'SdkAppId': APP, 'RoomId': 'room-1', 'RoomIdType': 0,
                                                  'UserId': 'relay-bot', 'UserSig': 'sig',
                                                  'StreamUrl': 'https://example.com/live/a.m3u8'})
    task_id = started['Response']['TaskId']
    check(sdk.call_json('DescribeStreamIngest', {'SdkAppId': APP, 'TaskId': task_id})['Response']['Status']
          == 'InProgress', 'a started task runs')
    sdk.call_json('UpdateStreamIngest', {'SdkAppId': APP, 'TaskId': task_id, 'Volume': 20, 'IsPause': True})
    task = [t for t in state()['tasks'] if t['task_id'] == task_id][0]
    check((task['volume'], task['paused']) == (20, True), 'the update reached the task: %r' % task)
    sdk.call_json('StopStreamIngest', {'SdkAppId': APP, 'TaskId': task_id})
    check(sdk.call_json('DescribeStreamIngest', {'SdkAppId': APP, 'TaskId': task_id})['Response']['Status']
          == 'NotExist', 'a stopped task is gone')

    describe = {'SdkAppId': APP, 'TaskId': 'task-sdk'}
    expectations = [
        ('a wrong key', client(secret_key='wrong').call_json, ('DescribeStreamIngest', describe),
         'AuthFailure.SignatureFailure'),
        ('an unknown SecretId', client(secret_id='AKIDunknown').call_json, ('DescribeStreamIngest', describe),
         'AuthFailure.SecretIdNotFound'),
        ('temporary keys without their token', client(os.environ['TEST_TEMP_SECRET_ID'],
                                                      os.environ['TEST_TEMP_SECRET_KEY']).call_json,
         ('DescribeStreamIngest', describe), 'AuthFailure.TokenFailure'),
        ('a region the API does not serve', client(region='eu-frankfurt').call_json,
         ('DescribeStreamIngest', describe), 'UnsupportedRegion'),
        ('an update of a missing task', sdk.call_json, ('UpdateStreamIngest', {'SdkAppId': APP, 'TaskId': 'nope'}),
         'FailedOperation.TaskNotExist'),
        ('a missing TaskId', sdk.call_json, ('UpdateStreamIngest', {'SdkAppId': APP}), 'MissingParameter.TaskId'),
        ('a missing SdkAppId', sdk.call_json, ('DescribeStreamIngest', {'TaskId': 'x'}), 'MissingParameter.SdkAppId'),
        ('a bad StreamUrl', sdk.call_json, ('UpdateStreamIngest', dict(describe, StreamUrl='not a url')),
         'InvalidParameter.StreamUrl'),
        ('a string SdkAppId', sdk.call_json, ('DescribeStreamIngest', {'SdkAppId': str(APP), 'TaskId': 'x'}),
         'InvalidParameterValue'),
        ('an integer IsPause', sdk.call_json, ('UpdateStreamIngest', dict(describe, IsPause=1)),
         'InvalidParameterValue'),
        ('a volume of 101', sdk.call_json, ('UpdateStreamIngest', dict(describe, Volume=101)),
         'InvalidParameterValue'),
        ('an unknown parameter', sdk.call_json, ('DescribeStreamIngest', dict(describe, Tempo=1.5)),
         'UnknownParameter'),
        ('an unknown action', sdk.call_json, ('DescribeStreamIngestX', describe), 'InvalidAction'),
    ]
    for what, call, args, code in expectations:
        got = error_code(call, *args)
        check(got == code, '%s: expected %s, got %s' % (what, code, got))

    with mock.patch('tencentcloud.common.abstract_client.time.time', return_value=time.time() - 600):
        got = error_code(sdk.call_json, 'DescribeStreamIngest', describe)
    check(got == 'AuthFailure.SignatureExpire', 'a timestamp 10 minutes old: %s' % got)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda dummy: error_code_or_none(sdk.call_json, 'DescribeStreamIngest', describe),
                              range(40)))
    check('RequestLimitExceeded' in codes, '40 quick calls must exceed 20 per second: %r' % codes)
    accepted = sorted(entry['time'] for entry in state()['requests']
                      if entry['action'] == 'DescribeStreamIngest' and entry['code'] is None)
    crowded = [(first, last) for first, last in zip(accepted, accepted[20:]) if last - first < 1.0]
    check(not crowded, 'more than 20 calls were accepted within a second: %r' % crowded)
    print('official SDK: all checks passed')


if __name__ == '__main__':
    main()
