# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The official Python SDK against the emulator: the emulator must behave as the service does.

Run: python official_clients.py EMULATOR_URL [--seeded SEED_FILE | --demo-sdk-key | --china]
- without a mode, the emulator runs with the TEST_* credentials of test_env.sh, the SDK secret key
  TEST_SDK_SECRET_KEY for APP (--sdk-secret-key) and the task task-sdk (the international site);
- --seeded SEED_FILE: it runs with --seed SEED_FILE only;
- --demo-sdk-key: it runs with the TEST_* credentials and no SDK secret key at all;
- --china: as without a mode, but with --site china and the task task-cn instead of task-sdk.
UserSigs are made by the official generator (tls-sig-api-v2 on PyPI), never by the emulator's code.
"""

import concurrent.futures
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from unittest import mock

import TLSSigAPIv2
from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

URL = sys.argv[1]
APP = 1400188366
OTHER_APP = 1400000001  # an application whose SDK secret key the emulator is not given
DEMO_SECRET_ID = 'AKIDEMULATORDEMOKEY0000000000000000'
DEMO_SECRET_KEY = 'emulator-demo-secret-key-not-real'
DEMO_SDK_SECRET_KEY = 'emulator-demo-sdk-secret-key-not-real'
TASK_ID_PATTERN = re.compile(r'^[A-Za-z0-9+/=.]{60,}$')
INTL_REGIONS = ('ap-bangkok', 'ap-guangzhou', 'ap-jakarta', 'ap-mumbai', 'ap-singapore', 'ap-tokyo')
CHINA_REGIONS = ('ap-beijing', 'ap-chongqing', 'ap-guangzhou', 'ap-shanghai', 'ap-singapore')


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


def control_request(what, data=None):
    """A control request, with the token of the emulator's control API (start_emulator exports it)."""
    return urllib.request.Request(URL + '/_emulator/' + what, data=data,
                                  headers={'X-Emulator-Token': os.environ.get('EMULATOR_TOKEN', '')})


def state():
    with urllib.request.urlopen(control_request('state')) as reply:
        return json.load(reply)


def control(what, document):
    """(HTTP status, JSON answer) of a control request."""
    data = document if isinstance(document, bytes) else json.dumps(document).encode('utf-8')
    try:
        with urllib.request.urlopen(control_request(what, data)) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def user_sig(user_id, key, app=APP, expire=3600):
    """A UserSig made by the official generator."""
    return TLSSigAPIv2.TLSSigAPIv2(app, key).gen_sig(user_id, expire)


def paced(call, action, params):
    """call(action, params), waiting out RequestLimitExceeded: these checks are not about the rate limit."""
    for dummy in range(10):
        try:
            return call(action, params)
        except TencentCloudSDKException as exc:
            if exc.get_code() != 'RequestLimitExceeded':
                raise
            time.sleep(0.5)
    raise AssertionError('%s stayed over its rate limit' % action)


def start_failure(sdk, params):
    """(code, message) of a StartStreamIngest that must fail, else AssertionError."""
    try:
        paced(sdk.call_json, 'StartStreamIngest', params)
    except TencentCloudSDKException as exc:
        return exc.get_code(), exc.get_message()
    raise AssertionError('StartStreamIngest %r should have failed' % sorted(params))


def task_of(task_id):
    tasks = [task for task in state()['tasks'] if task['task_id'] == task_id]
    return tasks[0] if tasks else None


def check_task_id(task_id, seen):
    check(isinstance(task_id, str) and TASK_ID_PATTERN.match(task_id) and all(c in task_id for c in '+/.'),
          'a TaskId shaped like the service\'s (60+ characters with +, / and .): %r' % task_id)
    check(task_id not in seen, 'TaskIds are unique: %r came twice' % task_id)
    seen.add(task_id)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    sdk = client()
    sdk_key = os.environ['TEST_SDK_SECRET_KEY']
    started = sdk.call_json('StartStreamIngest', {'SdkAppId': APP, 'RoomId': 'room-1', 'RoomIdType': 0,
                                                  'UserId': 'relay-bot', 'UserSig': user_sig('relay-bot', sdk_key),
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
        # The international site knows none of the China site's parameters, nor its Volume range or regions.
        ('Tempo in an update', sdk.call_json, ('UpdateStreamIngest', dict(describe, Tempo=1.5)), 'UnknownParameter'),
        ('EnableProgress in an update', sdk.call_json, ('UpdateStreamIngest', dict(describe, EnableProgress=True)),
         'UnknownParameter'),
        ('a volume of 150', sdk.call_json, ('UpdateStreamIngest', dict(describe, Volume=150)),
         'InvalidParameterValue'),
        ('a region of the China site only', client(region='ap-beijing').call_json,
         ('UpdateStreamIngest', dict(describe, Volume=10)), 'UnsupportedRegion'),
        ('an unknown action', sdk.call_json, ('DescribeStreamIngestX', describe), 'InvalidAction'),
    ]
    for what, call, args, code in expectations:
        got = error_code(call, *args)
        check(got == code, '%s: expected %s, got %s' % (what, code, got))
    task = task_of('task-sdk')
    check(state()['site'] == 'intl' and 'tempo' not in task and 'enable_progress' not in task,
          'the international site has no tempo nor progress: %r' % task)
    status, answer = control('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-tempo', 'tempo': 1.5}]})
    check(status == 400 and 'China site' in answer.get('error', '') and task_of('task-tempo') is None,
          'a task with a tempo is refused on the international site: %s %r' % (status, answer))

    check_start(sdk, sdk_key)

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


def check_start(sdk, sdk_key):
    """StartStreamIngest: every parameter, the UserSig, TaskExist, the end control and its own rate budget."""
    seen = set()
    private_map_key = 'private-map-key-must-not-be-logged'
    sig = user_sig('cam-1', sdk_key)
    full = {'SdkAppId': APP, 'RoomId': 'event-room', 'RoomIdType': 0, 'UserId': 'cam-1', 'UserSig': sig,
            'StreamUrl': 'rtmp://example.com/live/cam-1', 'PrivateMapKey': private_map_key, 'SeekSecond': 5,
            'AutoPush': False, 'RepeatNum': -1, 'MaxDuration': 60, 'Volume': 70}
    response = paced(sdk.call_json, 'StartStreamIngest', full)['Response']
    check(sorted(response) == ['RequestId', 'TaskId'], 'Start answers TaskId and RequestId: %r' % response)
    task_id = response['TaskId']
    check_task_id(task_id, seen)
    task = task_of(task_id)
    check(task == {'sdk_app_id': APP, 'task_id': task_id, 'stream_url': 'rtmp://example.com/live/cam-1',
                   'volume': 70, 'paused': False, 'room_id': 'event-room', 'room_id_type': 0, 'user_id': 'cam-1',
                   'seek_second': 5, 'auto_push': False, 'repeat_num': -1, 'max_duration': 60,
                   'private_map_key_sent': True}, 'the started task holds what Start gave it: %r' % task)
    entry = [e for e in state()['requests'] if e['action'] == 'StartStreamIngest' and e['code'] is None][-1]
    check(entry['params']['UserSig'] == entry['params']['PrivateMapKey'] == '<redacted>'
          and entry['user_sig']['identifier'] == 'cam-1' and entry['user_sig']['expire'] == 3600,
          'the log says the secrets were sent, not what they are: %r' % entry)
    status = sdk.call_json('DescribeStreamIngest', {'SdkAppId': APP, 'TaskId': task_id})['Response']['Status']
    check(status == 'InProgress', 'a started task runs: %s' % status)
    sdk.call_json('UpdateStreamIngest', {'SdkAppId': APP, 'TaskId': task_id, 'Volume': 30, 'IsPause': True,
                                         'StreamUrl': 'rtmp://example.com/live/backup'})
    task = task_of(task_id)
    check((task['volume'], task['paused'], task['stream_url']) == (30, True, 'rtmp://example.com/live/backup'),
          'Update reaches a started task: %r' % task)

    # One relay per SdkAppId, RoomIdType, RoomId and UserId while it runs.
    again = dict(full, StreamUrl='rtmp://example.com/live/other')
    code, message = start_failure(sdk, again)
    check(code == 'FailedOperation.TaskExist', 'a second Start for the same room and user: %s' % code)
    check(task_id not in message, 'TaskExist does not hand out the TaskId: %r' % message)
    for what, params in (('another user', dict(full, UserId='cam-2', UserSig=user_sig('cam-2', sdk_key))),
                         ('another room', dict(full, RoomId='event-room-2')),
                         ('the same text as an integer room', dict(full, RoomId='1234', RoomIdType=1,
                                                                   RepeatNum=1, MaxDuration=None)),
                         ('the same integer room as a string room', dict(full, RoomId='1234'))):
        params = dict((name, value) for name, value in params.items() if value is not None)
        check_task_id(paced(sdk.call_json, 'StartStreamIngest', params)['Response']['TaskId'], seen)
    code = start_failure(sdk, {'SdkAppId': APP, 'RoomId': '1234', 'UserId': 'cam-1', 'UserSig': sig,
                               'StreamUrl': 'https://example.com/a.flv'})[0]
    check(code == 'FailedOperation.TaskExist', 'RoomIdType defaults to 1: %s' % code)
    sdk.call_json('StopStreamIngest', {'SdkAppId': APP, 'TaskId': task_id})
    status = sdk.call_json('DescribeStreamIngest', {'SdkAppId': APP, 'TaskId': task_id})['Response']['Status']
    check(status == 'NotExist', 'a stopped task is gone: %s' % status)
    check_task_id(paced(sdk.call_json, 'StartStreamIngest', again)['Response']['TaskId'], seen)

    # A task set up through the control API for a room and user, as if started outside: TaskExist too.
    check(control('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-outside', 'room_id': '777',
                                       'user_id': 'cam-9'}]}) == (200, {'ok': True}), 'a task with a room is added')
    code = start_failure(sdk, {'SdkAppId': APP, 'RoomId': '777', 'UserId': 'cam-9',
                               'UserSig': user_sig('cam-9', sdk_key), 'StreamUrl': 'https://example.com/a.flv'})[0]
    check(code == 'FailedOperation.TaskExist', 'Start for the room and user of a task added by control: %s' % code)

    check_user_sig_refusals(sdk, sdk_key)
    check_parameter_refusals(sdk, sdk_key, seen)
    check_end_control(sdk, sdk_key)
    text = json.dumps(state())
    for secret in (sdk_key, private_map_key, sig):
        check(secret not in text, 'a secret is in /_emulator/state')
    check_start_rate_limit(sdk)


def check_user_sig_refusals(sdk, sdk_key):
    """Wrong key, other user, other application, expired, unknown application, garbage -> InvalidParameter.UserSig."""
    base = {'SdkAppId': APP, 'RoomId': '2024', 'UserId': 'cam-sig', 'StreamUrl': 'https://example.com/a.flv'}
    with mock.patch('TLSSigAPIv2.time.time', return_value=time.time() - 7200):
        expired = user_sig('cam-sig', sdk_key, expire=3600)
    cases = [
        ('a UserSig made with another key', user_sig('cam-sig', 'not-the-sdk-secret-key'), 'signature'),
        ('a UserSig of another user', user_sig('cam-other', sdk_key), 'user'),
        ('a UserSig of another application', user_sig('cam-sig', sdk_key, app=OTHER_APP), 'SdkAppId'),
        ('an expired UserSig', expired, 'expired'),
        ('a UserSig that is not base64', 'not a user sig!', 'base64'),
        ('a UserSig that is not zlib', 'bm90IHpsaWI_', 'zlib'),
        ('an empty UserSig', '', ''),
    ]
    for what, sig, reason in cases:
        code, message = start_failure(sdk, dict(base, UserSig=sig))
        check(code == 'InvalidParameter.UserSig', '%s: expected InvalidParameter.UserSig, got %s' % (what, code))
        check(reason in message and sdk_key not in message, '%s: the message says why, never the key: %r'
              % (what, message))
    code, message = start_failure(sdk, {'SdkAppId': OTHER_APP, 'RoomId': '2024', 'UserId': 'cam-sig',
                                        'UserSig': user_sig('cam-sig', sdk_key, app=OTHER_APP),
                                        'StreamUrl': 'https://example.com/a.flv'})
    check(code == 'InvalidParameter.UserSig' and 'no SDK secret key' in message,
          'an application without a known SDK secret key (no demo key once keys are given): %s %r' % (code, message))
    userbuf = TLSSigAPIv2.TLSSigAPIv2(APP, sdk_key).gen_sig_with_userbuf('cam-buf', 600, b'privilege')
    paced(sdk.call_json, 'StartStreamIngest', dict(base, UserId='cam-buf', UserSig=userbuf))


def check_parameter_refusals(sdk, sdk_key, seen):
    """Each parameter's type and range, international site; a refused Start starts nothing."""
    base = {'SdkAppId': APP, 'RoomId': '3000', 'UserId': 'cam-p', 'UserSig': user_sig('cam-p', sdk_key),
            'StreamUrl': 'https://example.com/a.flv'}
    missing = dict((name, 'MissingParameter.%s' % name) for name in ('SdkAppId', 'RoomId', 'UserId', 'UserSig'))
    missing['StreamUrl'] = 'MissingParameter'
    refusals = [('no %s' % name, dict((k, v) for k, v in base.items() if k != name), code)
                for name, code in missing.items()]
    wrong = 'InvalidParameterValue'
    for name, value, code in (
            ('SdkAppId', str(APP), wrong), ('SdkAppId', True, wrong), ('SdkAppId', 0, 'InvalidParameter.SdkAppId'),
            ('RoomId', 3000, wrong), ('RoomIdType', '1', wrong), ('RoomIdType', True, wrong), ('RoomIdType', 2, wrong),
            ('RoomIdType', -1, wrong), ('UserId', 5, wrong), ('UserId', '', 'InvalidParameter.UserId'),
            ('UserSig', 5, wrong), ('StreamUrl', 5, wrong), ('StreamUrl', 'not a url', 'InvalidParameter.StreamUrl'),
            ('StreamUrl', 'ftp://example.com/a.flv', 'InvalidParameter.StreamUrl'), ('PrivateMapKey', 5, wrong),
            ('SeekSecond', -1, wrong), ('SeekSecond', '5', wrong), ('SeekSecond', 1.5, wrong),
            ('SeekSecond', False, wrong), ('AutoPush', 1, wrong), ('AutoPush', 'true', wrong),
            ('RepeatNum', 0, wrong), ('RepeatNum', -2, wrong), ('RepeatNum', 1001, wrong), ('RepeatNum', True, wrong),
            ('RepeatNum', '3', wrong), ('Volume', 101, wrong), ('Volume', -1, wrong), ('Volume', True, wrong),
            ('Volume', 50.5, wrong), ('Foo', 1, 'UnknownParameter'), ('EnableProgress', True, 'UnknownParameter'),
            ('Tempo', 1.0, 'UnknownParameter'), ('IdleTimeout', 10, 'UnknownParameter'),
            ('SourceUrl', ['https://example.com/a.flv'], 'InvalidParameter'),
            ('VideoEncodeParams', {'Width': 1280}, 'InvalidParameter'),
            ('AudioEncodeParams', {'SampleRate': 48000}, 'InvalidParameter')):
        refusals.append(('%s %r' % (name, value), dict(base, **{name: value}), code))
    for room_id, room_id_type in (('0', 1), ('4294967295', 1), ('abc', 1), ('0123', 1), ('12 ', 1), ('-5', 1),
                                  ('1e3', 1), ('', 0), ('x' * 65, 0)):
        refusals.append(('RoomId %r with RoomIdType %d' % (room_id, room_id_type),
                         dict(base, RoomId=room_id, RoomIdType=room_id_type), 'InvalidParameterValue.RoomId'))
    for what, extra in (('MaxDuration 0', {'RepeatNum': -1, 'MaxDuration': 0}),
                        ('MaxDuration 10081', {'RepeatNum': -1, 'MaxDuration': 10081}),
                        ('MaxDuration without RepeatNum', {'MaxDuration': 60}),
                        ('MaxDuration with RepeatNum 3', {'RepeatNum': 3, 'MaxDuration': 60}),
                        ('MaxDuration True', {'RepeatNum': -1, 'MaxDuration': True})):
        refusals.append((what, dict(base, **extra), wrong))
    tasks_before = [task['task_id'] for task in state()['tasks']]
    failures = []
    for what, params, code in refusals:
        got, message = start_failure(sdk, params)
        if got != code:
            failures.append('%s: expected %s, got %s (%s)' % (what, code, got, message))
        elif code == 'InvalidParameter' and 'deprecated' not in message:
            failures.append('%s: the message says it is deprecated: %r' % (what, message))
    check(not failures, '%d of %d Start refusals answered otherwise:\n  %s'
          % (len(failures), len(refusals), '\n  '.join(failures)))
    check([task['task_id'] for task in state()['tasks']] == tasks_before, 'a refused Start starts nothing')

    accepted = [('RoomId 1', {'RoomId': '1'}), ('RoomId 4294967294', {'RoomId': '4294967294'}),
                ('a 64-character string room', {'RoomId': 'r' * 64, 'RoomIdType': 0}),
                ('RepeatNum -1 and MaxDuration 1', {'RepeatNum': -1, 'MaxDuration': 1}),
                ('RepeatNum -1 and MaxDuration 10080', {'RepeatNum': -1, 'MaxDuration': 10080}),
                ('RepeatNum 1000, SeekSecond 0, AutoPush true, Volume 0', {'RepeatNum': 1000, 'SeekSecond': 0,
                                                                           'AutoPush': True, 'Volume': 0}),
                ('Volume 100 and a PrivateMapKey', {'Volume': 100, 'PrivateMapKey': 'pmk'})]
    for index, (what, extra) in enumerate(accepted):
        user = 'cam-ok-%d' % index
        params = dict(base, UserId=user, UserSig=user_sig(user, sdk_key), **extra)
        try:
            check_task_id(paced(sdk.call_json, 'StartStreamIngest', params)['Response']['TaskId'], seen)
        except TencentCloudSDKException as exc:
            raise AssertionError('%s must be accepted: %s' % (what, exc))


def check_end_control(sdk, sdk_key):
    """POST /_emulator/end: the task ends as when its file has played RepeatNum times."""
    params = {'SdkAppId': APP, 'RoomId': '4000', 'UserId': 'cam-end', 'UserSig': user_sig('cam-end', sdk_key),
              'StreamUrl': 'https://example.com/a.flv', 'RepeatNum': 3}
    task_id = paced(sdk.call_json, 'StartStreamIngest', params)['Response']['TaskId']
    check(control('end', {'sdk_app_id': APP, 'task_id': task_id}) == (200, {'ok': True}), 'a task ends')
    task = {'SdkAppId': APP, 'TaskId': task_id}
    status = sdk.call_json('DescribeStreamIngest', task)['Response']['Status']
    check(status == 'NotExist', 'an ended task does not exist: %s' % status)
    code = error_code(sdk.call_json, 'UpdateStreamIngest', dict(task, Volume=10))
    check(code == 'FailedOperation.TaskNotExist', 'Update of an ended task: %s' % code)
    code = error_code(sdk.call_json, 'StopStreamIngest', task)
    check(code == 'FailedOperation.TaskFinished', 'Stop of an ended task: %s' % code)
    check(task_of(task_id) is None, 'an ended task is not in the state')
    paced(sdk.call_json, 'StartStreamIngest', params)  # the room and user are free again
    status, answer = control('end', {'sdk_app_id': APP, 'task_id': task_id})
    check(status == 404 and task_id in answer.get('error', ''), 'ending an unknown task: %s %r' % (status, answer))
    check(control('end', {'sdk_app_id': str(APP), 'task_id': 'task-outside'}) == (200, {'ok': True}),
          'an sdk_app_id given as a string of digits')
    for body in (b'not json', [], {}, {'sdk_app_id': APP}, {'task_id': task_id}, {'sdk_app_id': 'abc', 'task_id': 'x'},
                 {'sdk_app_id': APP, 'task_id': ''}, {'sdk_app_id': APP, 'task_id': 'x', 'repeat_num': 3}):
        status, answer = control('end', body)
        check(status == 400 and answer.get('error'), 'a malformed end request %r: %s %r' % (body, status, answer))


def check_start_rate_limit(sdk):
    """Start has its own budget of 20 a second: 40 quick Starts exceed it while Describe is not limited."""
    control('reset', {})
    refused_start = {'SdkAppId': APP, 'RoomId': '5000', 'UserId': 'cam-rate', 'UserSig': 'not a user sig!',
                     'StreamUrl': 'https://example.com/a.flv'}
    describe = ('DescribeStreamIngest', {'SdkAppId': APP, 'TaskId': 'task-sdk'})
    calls = ([('StartStreamIngest', refused_start)] * 4 + [describe]) * 10  # Describes among the Starts
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(lambda call: (call[0], error_code_or_none(sdk.call_json, *call)), calls))
    starts = [code for action, code in codes if action == 'StartStreamIngest']
    describes = [code for action, code in codes if action == 'DescribeStreamIngest']
    check('RequestLimitExceeded' in starts, '40 quick Starts must exceed 20 per second: %r' % starts)
    check(describes == [None] * 10, 'Describe has a budget of its own while Start is over its own: %r' % describes)
    accepted = sorted(entry['time'] for entry in state()['requests']
                      if entry['action'] == 'StartStreamIngest' and entry['code'] != 'RequestLimitExceeded')
    crowded = [(first, last) for first, last in zip(accepted, accepted[20:]) if last - first < 1.0]
    check(not crowded, 'more than 20 Starts were accepted within a second: %r' % crowded)
    time.sleep(1.1)


def main_seeded(seed_path):
    """A seed file alone: its first API key, its tasks (a task naming a room and user holds them), and its SDK
    secret keys, for those applications only."""
    with open(seed_path) as handle:
        seed = json.load(handle)
    keys = dict((int(app), key) for app, key in seed['sdk_secret_keys'].items())
    sdk = client(seed['credentials'][0]['secret_id'], seed['credentials'][0]['secret_key'])
    seen = set()
    check(state()['site'] == seed.get('site', 'intl'), 'the seed\'s site: %r' % state()['site'])
    for task in seed.get('tasks', []):
        status = sdk.call_json('DescribeStreamIngest', {'SdkAppId': task['sdk_app_id'], 'TaskId': task['task_id']})
        check(status['Response']['Status'] == 'InProgress', 'the seeded task %r runs' % task)
        if 'tempo' in task:
            check(task_of(task['task_id'])['tempo'] == task['tempo'], 'the seeded tempo: %r' % task_of(task['task_id']))
        if 'room_id' in task:
            params = {'SdkAppId': task['sdk_app_id'], 'RoomId': task['room_id'], 'UserId': task['user_id'],
                      'RoomIdType': task.get('room_id_type', 1), 'StreamUrl': 'https://example.com/a.flv',
                      'UserSig': user_sig(task['user_id'], keys[task['sdk_app_id']], app=task['sdk_app_id'])}
            code = start_failure(sdk, params)[0]
            check(code == 'FailedOperation.TaskExist', 'Start for the room and user of a seeded task: %s' % code)
    for app, key in sorted(keys.items()):
        params = {'SdkAppId': app, 'RoomId': '1001', 'UserId': 'relay-cam-1', 'StreamUrl': 'https://example.com/a.flv',
                  'UserSig': user_sig('relay-cam-1', key, app=app)}
        check_task_id(paced(sdk.call_json, 'StartStreamIngest', params)['Response']['TaskId'], seen)
    check(OTHER_APP not in keys, 'the seed has no key for %d' % OTHER_APP)
    params = {'SdkAppId': OTHER_APP, 'RoomId': '1001', 'UserId': 'relay-cam-1', 'StreamUrl': 'https://example.com/a.flv',
              'UserSig': user_sig('relay-cam-1', DEMO_SDK_SECRET_KEY, app=OTHER_APP)}
    code, message = start_failure(sdk, params)
    check(code == 'InvalidParameter.UserSig' and 'no SDK secret key' in message,
          'the seed gives keys: the demo SDK secret key is no longer accepted for other apps: %s %r' % (code, message))
    print('official SDK, seeded emulator (%s): all checks passed' % os.path.basename(seed_path))


def main_demo_sdk_key():
    """No SDK secret key given: the demo one is accepted for every SdkAppId, and eight Starts of one relay at
    once start exactly one task."""
    sdk = client()
    for app in (APP, OTHER_APP):
        params = {'SdkAppId': app, 'RoomId': '1001', 'UserId': 'relay-cam-1', 'StreamUrl': 'https://example.com/a.flv',
                  'UserSig': user_sig('relay-cam-1', DEMO_SDK_SECRET_KEY, app=app)}
        paced(sdk.call_json, 'StartStreamIngest', params)
        code = start_failure(sdk, dict(params, RoomId='1002', UserSig=user_sig('relay-cam-1', 'another-key', app=app)))[0]
        check(code == 'InvalidParameter.UserSig', 'only the demo SDK secret key is accepted: %s' % code)
    time.sleep(1.1)
    params = {'SdkAppId': APP, 'RoomId': '8008', 'UserId': 'relay-fork', 'StreamUrl': 'https://example.com/a.flv',
              'UserSig': user_sig('relay-fork', DEMO_SDK_SECRET_KEY)}

    def start(dummy):
        try:
            return sdk.call_json('StartStreamIngest', params)['Response']['TaskId']
        except TencentCloudSDKException as exc:
            return exc.get_code()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(start, range(8)))
    task_ids = [answer for answer in answers if answer != 'FailedOperation.TaskExist']
    check(len(task_ids) == 1 and TASK_ID_PATTERN.match(task_ids[0]),
          'eight Starts of one relay at once start exactly one task: %r' % answers)
    check([task['task_id'] for task in state()['tasks'] if task.get('user_id') == 'relay-fork'] == task_ids,
          'one task runs for the relay')
    print('official SDK, demo SDK secret key: all checks passed')


def main_china():
    """The emulator plays the China site: its regions, Volume up to 200, Tempo, EnableProgress and IdleTimeout."""
    sdk = client(region='ap-beijing')
    sdk_key = os.environ['TEST_SDK_SECRET_KEY']
    task = {'SdkAppId': APP, 'TaskId': 'task-cn'}
    check(state()['site'] == 'china', 'the state says which site the emulator plays: %r' % state()['site'])
    check(task_of('task-cn') == {'sdk_app_id': APP, 'task_id': 'task-cn', 'volume': 100, 'paused': False,
                                 'stream_url': 'https://example.com/live/seed.flv', 'tempo': 1.0,
                                 'enable_progress': False},
          'a task given with --task has the default tempo and progress: %r' % task_of('task-cn'))
    for region in CHINA_REGIONS:
        status = client(region=region).call_json('DescribeStreamIngest', task)['Response']['Status']
        check(status == 'InProgress', 'the China site serves %s: %s' % (region, status))
    for region in sorted(set(INTL_REGIONS) - set(CHINA_REGIONS)) + ['eu-frankfurt']:
        for action, params in (('UpdateStreamIngest', dict(task, Volume=10)), ('DescribeStreamIngest', task)):
            code = error_code(client(region=region).call_json, action, params)
            check(code == 'UnsupportedRegion', '%s in %s on the China site: %s' % (action, region, code))
    try:
        client(region='ap-tokyo').call_json('DescribeStreamIngest', task)
        raise AssertionError('ap-tokyo must be refused on the China site')
    except TencentCloudSDKException as exc:
        check('start it with --site intl' in exc.get_message(), 'a region of the other site says so: %r' % exc)

    # The official SDK sends the China site's settings in an update.
    sdk.call_json('UpdateStreamIngest', dict(task, Volume=150, Tempo=1.5, EnableProgress=True))
    got = task_of('task-cn')
    check((got['volume'], got['tempo'], got['enable_progress']) == (150, 1.5, True), 'the update reached it: %r' % got)
    update = [e for e in state()['requests'] if e['action'] == 'UpdateStreamIngest' and e['code'] is None][-1]
    check(update['params'] == dict(task, Volume=150, Tempo=1.5, EnableProgress=True)
          and update['region'] == 'ap-beijing', 'the update as logged: %r' % update)
    sdk.call_json('UpdateStreamIngest', dict(task, Volume=200, Tempo=2, EnableProgress=False))
    got = task_of('task-cn')
    check((got['volume'], got['tempo'], got['enable_progress']) == (200, 2.0, False),
          'Volume 200 and an integer Tempo 2 are accepted: %r' % got)
    wrong = 'InvalidParameterValue'
    failures = []
    for name, value, code in (('Volume', 201, wrong), ('Volume', -1, wrong), ('Tempo', 1.1, wrong), ('Tempo', 0, wrong),
                              ('Tempo', 2.5, wrong), ('Tempo', '1.5', wrong), ('Tempo', True, wrong),
                              ('EnableProgress', 1, wrong), ('EnableProgress', 'true', wrong),
                              ('IdleTimeout', 60, 'UnknownParameter')):  # IdleTimeout: Start only
        got = error_code_or_none(sdk.call_json, 'UpdateStreamIngest', dict(task, **{name: value}))
        if got != code:
            failures.append('Update with %s %r: expected %s, got %s' % (name, value, code, got))
    check(not failures, '\n  '.join(failures))
    got = task_of('task-cn')
    check((got['volume'], got['tempo'], got['enable_progress']) == (200, 2.0, False),
          'a refused update changes nothing: %r' % got)

    # ... and a Start with IdleTimeout, Tempo, EnableProgress and a Volume above 100.
    seen = set()
    base = {'SdkAppId': APP, 'RoomId': '6000', 'UserId': 'cam-cn', 'UserSig': user_sig('cam-cn', sdk_key),
            'StreamUrl': 'https://example.com/live/cn.flv'}
    params = dict(base, IdleTimeout=300, Tempo=0.75, EnableProgress=True, Volume=180)
    task_id = paced(sdk.call_json, 'StartStreamIngest', params)['Response']['TaskId']
    check_task_id(task_id, seen)
    check(task_of(task_id) == {'sdk_app_id': APP, 'task_id': task_id, 'stream_url': 'https://example.com/live/cn.flv',
                               'volume': 180, 'paused': False, 'room_id': '6000', 'room_id_type': 1,
                               'user_id': 'cam-cn', 'seek_second': 0, 'auto_push': False, 'repeat_num': 1,
                               'max_duration': None, 'private_map_key_sent': False, 'tempo': 0.75,
                               'enable_progress': True, 'idle_timeout': 300},
          'the started task holds what Start gave it: %r' % task_of(task_id))
    sdk.call_json('UpdateStreamIngest', {'SdkAppId': APP, 'TaskId': task_id, 'Tempo': 1.25})
    check(task_of(task_id)['tempo'] == 1.25, 'an update of a started task: %r' % task_of(task_id))
    user = 'cam-cn-defaults'
    params = dict(base, UserId=user, UserSig=user_sig(user, sdk_key))
    got = task_of(paced(sdk.call_json, 'StartStreamIngest', params)['Response']['TaskId'])
    check((got['tempo'], got['enable_progress'], got['idle_timeout'], got['volume']) == (1.0, False, None, 100),
          'the defaults of a Start on the China site: %r' % got)
    tasks_before = [t['task_id'] for t in state()['tasks']]
    failures = []
    refused = dict(base, UserId='cam-no', UserSig=user_sig('cam-no', sdk_key))
    for name, value, code in (('Volume', 201, wrong), ('Tempo', 1.1, wrong), ('Tempo', '1', wrong),
                              ('EnableProgress', 0, wrong), ('IdleTimeout', -1, wrong), ('IdleTimeout', 601, wrong),
                              ('IdleTimeout', 1.5, wrong), ('IdleTimeout', True, wrong), ('IdleTimeout', '60', wrong),
                              ('Foo', 1, 'UnknownParameter'),
                              ('SourceUrl', ['https://example.com/a.flv'], 'InvalidParameter')):
        got = start_failure(sdk, dict(refused, **{name: value}))[0]
        if got != code:
            failures.append('Start with %s %r: expected %s, got %s' % (name, value, code, got))
    check(not failures, '\n  '.join(failures))
    check([t['task_id'] for t in state()['tasks']] == tasks_before, 'a refused Start starts nothing')
    for index, extra in enumerate(({'IdleTimeout': 0, 'Tempo': 0.5},
                                   {'IdleTimeout': 600, 'Volume': 200, 'Tempo': 2.0})):
        user = 'cam-cn-%d' % index
        params = dict(base, UserId=user, UserSig=user_sig(user, sdk_key), **extra)
        check_task_id(paced(sdk.call_json, 'StartStreamIngest', params)['Response']['TaskId'], seen)

    # Tasks given to the control API on the China site take a tempo and a progress flag, checked.
    check(control('tasks', {'tasks': [{'sdk_app_id': APP, 'task_id': 'task-cn-2', 'tempo': 1.75,
                                       'enable_progress': True, 'volume': 160}]}) == (200, {'ok': True}),
          'a task with a tempo is added')
    got = task_of('task-cn-2')
    check((got['tempo'], got['enable_progress'], got['volume']) == (1.75, True, 160), 'as given: %r' % got)
    for bad in ({'tempo': 1.1}, {'tempo': '1.5'}, {'tempo': True}, {'enable_progress': 1}):
        status, answer = control('tasks', {'tasks': [dict({'sdk_app_id': APP, 'task_id': 'task-bad'}, **bad)]})
        check(status == 400 and answer.get('error') and task_of('task-bad') is None,
              'a malformed China task %r: %s %r' % (bad, status, answer))
    print('official SDK, China site: all checks passed')


if __name__ == '__main__':
    if sys.argv[2:3] == ['--seeded']:
        main_seeded(sys.argv[3])
    elif sys.argv[2:3] == ['--demo-sdk-key']:
        main_demo_sdk_key()
    elif sys.argv[2:3] == ['--china']:
        main_china()
    else:
        main()
