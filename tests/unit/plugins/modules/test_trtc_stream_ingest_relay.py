# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Relays named by room and robot user: started, converged, replaced and stopped through the record."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from unittest import mock

import pytest
import requests

from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TrtcClient
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    STOPPED_KEEP_SECONDS, LastAppliedRecord, RecordError, relay_name, stopped_key,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._executor import Executor
from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import Target
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay_list import converge_many
from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import decode_user_sig, make_user_sig
from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest import main
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.emulated_service import EmulatedService
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import (
    READ_TIMEOUT, Call, FakeReply, FakeService, api_error, connection_refused,
)
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.module_runner import CONNECTION, SECRET_KEY
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.usersig_checks import signature_matches

APP = 1400188366
SDK_KEY = 'unit-test-sdk-secret-key-5a5a5a5a'
PRIVATE_MAP_KEY = 'unit-test-private-map-key-7b7b7b'
RELAY = dict(sdk_app_id=APP, room_id='8888', user_id='relay-cam-1', sdk_secret_key=SDK_KEY)
STREAM = 'https://cdn.example.com/live/main.flv'
ENDPOINT_URL = 'http://127.0.0.1:9/'
TASK_ID = 'CR6LqvF7abcdefghijklmnop+rTEL2p6/vnZV4vXYZ0123456789abcdefghij.'
START = Call('StartStreamIngest', RoomId='8888', UserId='relay-cam-1').answers('r-start', TaskId=TASK_ID)


def emulated_trtc():
    """The service as the emulator plays it, keeping its tasks between runs; it knows the SDK secret key of APP
    (and of APP + 1, another application)."""
    return EmulatedService({APP: SDK_KEY, APP + 1: SDK_KEY})


def run(runner, service, **args):
    """One module run against the service (an EmulatedService or a FakeService), the result checked for secrets."""
    result = runner.run(main, args, service)
    shown = json.dumps(result)
    for secret in (SDK_KEY, PRIVATE_MAP_KEY):
        assert secret not in shown
    for call in service.calls:
        user_sig = call['params'].get('UserSig')
        if user_sig:
            assert user_sig not in shown
    return result


def record_text(runner):
    with open(runner.record_file) as handle:
        return handle.read()


def test_a_relay_named_by_room_and_user_is_started_once_and_then_left_alone(runner):
    service = emulated_trtc()
    result = run(runner, service, stream_url=STREAM, repeat_num=1, **RELAY)
    assert result['changed'] is True and list(service.tasks) == [result['task_id']]
    start = service.calls[0]['params']
    assert service.actions == ['StartStreamIngest']
    assert (start['RoomId'], start['RoomIdType'], start['UserId'], start['StreamUrl'], start['RepeatNum']) == (
        '8888', 1, 'relay-cam-1', STREAM, 1)
    assert 'Volume' not in start and 'PrivateMapKey' not in start
    fields = decode_user_sig(start['UserSig'])
    assert (fields['TLS.identifier'], fields['TLS.sdkappid'], fields['TLS.expire']) == ('relay-cam-1', APP, 86400)
    assert signature_matches(fields, SDK_KEY)
    assert result['task_id'] in record_text(runner) and SDK_KEY not in record_text(runner)
    assert start['UserSig'] not in record_text(runner)

    again = run(runner, service, stream_url=STREAM, repeat_num=1, **RELAY)
    assert again['changed'] is False and again['task_id'] == result['task_id']
    assert service.actions == ['StartStreamIngest', 'DescribeStreamIngest']


def test_a_known_relay_is_updated_with_only_what_differs(runner):
    service = emulated_trtc()
    run(runner, service, stream_url=STREAM, volume=50, **RELAY)
    result = run(runner, service, stream_url=STREAM, volume=70, **RELAY)
    update = service.calls[-1]
    assert update['action'] == 'UpdateStreamIngest'
    assert update['params'] == {'SdkAppId': APP, 'TaskId': result['task_id'], 'Volume': 70}


def test_the_key_and_stream_url_are_needed_only_when_a_start_is_due(runner):
    service = emulated_trtc()
    no_key = dict(RELAY)
    del no_key['sdk_secret_key']
    result = run(runner, service, stream_url=STREAM, **no_key)
    assert result['failed'] and 'sdk_secret_key' in result['msg'] and service.actions == []
    result = run(runner, service, **RELAY)
    assert result['failed'] and 'stream_url: required to start' in result['msg'] and service.actions == []
    run(runner, service, stream_url=STREAM, **RELAY)
    result = run(runner, service, volume=10, **no_key)
    assert result['changed'] is True and service.actions[-1] == 'UpdateStreamIngest'


def test_a_relay_that_ended_is_started_again(runner):
    service = emulated_trtc()
    first = run(runner, service, stream_url=STREAM, **RELAY)
    service.end_all()
    result = run(runner, service, stream_url=STREAM, volume=20, **RELAY)
    assert service.actions[-2:] == ['UpdateStreamIngest', 'StartStreamIngest']
    assert result['changed'] is True and result['task_id'] != first['task_id']
    assert service.calls[-1]['params']['Volume'] == 20


def test_paused_on_a_new_relay_is_a_start_then_an_update(runner):
    service = emulated_trtc()
    result = run(runner, service, stream_url=STREAM, paused=True, **RELAY)
    assert service.actions == ['StartStreamIngest', 'UpdateStreamIngest']
    assert service.calls[1]['params'] == {'SdkAppId': APP, 'TaskId': result['task_id'], 'IsPause': True}
    assert run(runner, service, stream_url=STREAM, paused=True, **RELAY)['changed'] is False


def test_a_start_only_option_that_differs_warns_and_replace_restarts(runner):
    service = emulated_trtc()
    first = run(runner, service, stream_url=STREAM, repeat_num=1, **RELAY)
    result = runner.run(main, dict(RELAY, stream_url=STREAM, repeat_num=-1), service, diff=True)
    assert result['changed'] is False and service.actions[-1] == 'DescribeStreamIngest'
    assert 'repeat_num: 1 -> -1' in json.dumps(result['warnings']) and 'replace=true' in json.dumps(result['warnings'])
    assert result['diff']['after']['start']['repeat_num'] == -1
    replaced = run(runner, service, stream_url=STREAM, repeat_num=-1, replace=True, **RELAY)
    assert service.actions[-2:] == ['StopStreamIngest', 'StartStreamIngest']
    assert replaced['changed'] is True and replaced['task_id'] != first['task_id']
    assert run(runner, service, stream_url=STREAM, repeat_num=-1, **RELAY)['changed'] is False


def test_absent_stops_the_recorded_relay_and_warns_about_an_unknown_one(runner):
    service = emulated_trtc()
    run(runner, service, stream_url=STREAM, **RELAY)
    result = run(runner, service, state='absent', **RELAY)
    assert result['changed'] is True and service.actions[-1] == 'StopStreamIngest' and not service.tasks
    result = run(runner, service, state='absent', **RELAY)
    assert result['changed'] is False and 'nothing is recorded' in json.dumps(result['warnings'])
    assert service.actions[-1] == 'StopStreamIngest'


@pytest.mark.parametrize('fault', [FakeReply(502, content=b'bad gateway'), api_error('InternalError', 'x', 'r-i')])
def test_a_start_whose_answer_is_lost_is_not_sent_again(runner, fault):
    session = FakeService(Call('StartStreamIngest', UserId='relay-cam-1').gives(fault))
    result = runner.run(main, dict(RELAY, stream_url=STREAM), session)
    assert result['failed'] and len(session.calls) == 1
    assert "A relay may be running under robot user 'relay-cam-1' in room '8888'" in result['msg']
    result = runner.run(main, dict(RELAY, stream_url=STREAM), FakeService())
    assert result['failed'] and 'is not started again' in result['msg'] and 'force=true' in result['msg']
    service = FakeService(START)
    assert run(runner, service, stream_url=STREAM, force=True, **RELAY)['changed'] is True
    assert service.actions == ['StartStreamIngest']


def test_a_lost_start_says_how_long_it_was_tried_and_what_bounds_that(runner):
    """A Start throttled, then lost: its message keeps the call's length and bound beside the lost-start guidance."""
    throttled = Call('StartStreamIngest').fails('RequestLimitExceeded', 'slow down', 'r-slow')
    lost = Call('StartStreamIngest').raises(READ_TIMEOUT)
    result = runner.run(main, dict(RELAY, stream_url=STREAM, timeout=7), FakeService(throttled, lost))
    message = result['msg']
    assert result['failed'] and 'StartStreamIngest failed after 2 attempts in ' in message, message
    assert "A relay may be running under robot user 'relay-cam-1' in room '8888'" in message, message
    assert ('each attempt waits for its answer up to timeout=7 s, and a Start whose answer is lost is not sent again '
            '(only refusals are): at most ') in message, message


def test_a_start_the_service_refused_leaves_nothing_recorded_and_throttling_is_retried(runner):
    refused = Call('StartStreamIngest').fails('InvalidParameter.UserSig', 'bad sig', 'r-sig')
    throttled = Call('StartStreamIngest').fails('RequestLimitExceeded', 'slow down', 'r-slow')
    result = runner.run(main, dict(RELAY, stream_url=STREAM), FakeService(throttled, refused))
    assert result['failed'] and 'InvalidParameter.UserSig' in result['msg']
    service = FakeService(START)
    assert run(runner, service, stream_url=STREAM, **RELAY)['changed'] is True


def test_a_start_that_the_rate_limit_stops_before_sending_leaves_no_mark(runner):
    """The shared store failing at the rate limit: nothing was sent, so the next run may start the relay."""
    limiter = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._ratelimit.HostRateLimiter.__call__'
    session = FakeService()
    with mock.patch(limiter, side_effect=RecordError('the record store redis://:***@h/0 cannot be used')):
        result = runner.run(main, dict(RELAY, stream_url=STREAM), session)
    assert result['failed'] and 'cannot be used' in result['msg'] and session.calls == []
    service = FakeService(START)
    assert run(runner, service, stream_url=STREAM, **RELAY)['changed'] is True
    assert service.actions == ['StartStreamIngest']


@pytest.mark.parametrize('never_applied', [
    [connection_refused()] * 6,
    [FakeReply(429, content=b'too many requests')] * 10,
    [requests.exceptions.ConnectionError(socket.gaierror(-2, 'Name or service not known'))],
], ids=['connection refused', 'HTTP 429', 'name not resolved'])
def test_a_start_surely_never_applied_leaves_no_mark_even_without_a_request_id(runner, never_applied):
    start = Call('StartStreamIngest', RoomId='8888', UserId='relay-cam-1')
    attempts = [start.gives(answer) for answer in never_applied]
    result = runner.run(main, dict(RELAY, stream_url=STREAM), FakeService(*attempts))
    assert result['failed'] and 'answer to StartStreamIngest was lost' not in result['msg']
    service = FakeService(START)
    assert run(runner, service, stream_url=STREAM, **RELAY)['changed'] is True
    assert service.actions == ['StartStreamIngest']


def test_a_forced_start_the_service_refuses_keeps_the_mark_of_an_earlier_lost_start(runner):
    runner.run(main, dict(RELAY, stream_url=STREAM), FakeService(Call('StartStreamIngest').raises(READ_TIMEOUT)))
    refused = Call('StartStreamIngest').fails('InvalidParameter.UserSig', 'bad sig', 'r-sig')
    result = runner.run(main, dict(RELAY, stream_url=STREAM, force=True), FakeService(refused))
    assert result['failed'] and 'InvalidParameter.UserSig' in result['msg']
    result = runner.run(main, dict(RELAY, stream_url=STREAM), FakeService())
    assert result['failed'] and 'is not started again' in result['msg']


def test_a_started_relay_whose_task_id_the_record_cannot_take_still_reports_it(runner):
    service = FakeService(START)
    started = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._record.LastAppliedRecord.started'
    with mock.patch(started, side_effect=RecordError('the record store redis://:***@h/0 cannot be used')):
        result = run(runner, service, stream_url=STREAM, **RELAY)
    task_id = TASK_ID
    assert result['failed'] and result['changed'] is True and result['task_id'] == task_id
    assert 'started relay task %s' % task_id in result['msg'] and 'Keep this TaskId' in result['msg']


def statvfs_with(free_bytes, free_inodes=1000, counted=True):
    """os.statvfs as it would answer on a file system with free_bytes (and free_inodes) left; counted=False: one that
    counts neither blocks nor inodes (a tmpfs mounted with size=0 and nr_inodes=0)."""
    real = os.statvfs

    def statvfs(path):
        space = real(path)
        return os.statvfs_result((space.f_bsize, 4096, 100000 if counted else 0, free_bytes // 4096,
                                  free_bytes // 4096, 1000000 if counted else 0, free_inodes, free_inodes, space.f_flag,
                                  space.f_namemax))
    return statvfs


ROOM = statvfs_with(64 * 1024 * 1024)
NOT_SENT = 'the relay is not started (neither its StartStreamIngest nor, for a replace, its StopStreamIngest was sent)'


@pytest.mark.parametrize('free_bytes, free_inodes, says', [
    (512 * 1024, 1000, 'with 512 KiB and 1000 inodes free; a Start needs 1024 KiB and 2 inodes there'),
    (64 * 1024 * 1024, 0, 'with 65536 KiB and 0 inodes free'),
    # the record's first write, and the temporary file of the write of its TaskId beside it (the lock file is made)
    (64 * 1024 * 1024, 1, 'with 65536 KiB and 1 inode free; a Start needs 1024 KiB and 2 inodes there'),
], ids=['little space', 'no inode', 'one inode for a record not made yet'])
def test_a_record_on_a_nearly_full_file_system_refuses_a_start_before_any_request(
        runner, free_bytes, free_inodes, says):
    """A Start whose TaskId the record's file could not take once the relay runs is not sent, and check mode says
    so too; with room, it is."""
    with mock.patch('os.statvfs', statvfs_with(free_bytes, free_inodes)):
        predicted = runner.run(main, dict(RELAY, stream_url=STREAM), FakeService(), check_mode=True)
        service = FakeService()
        refused = run(runner, service, stream_url=STREAM, **RELAY)
    assert refused['failed'] is True and service.calls == [] and predicted['failed'] is True
    assert NOT_SENT in predicted['msg'] and says.split('; ')[0] in predicted['msg']  # no lock file made: 3 inodes
    assert says in refused['msg'] and NOT_SENT in refused['msg'] and runner.record_file in refused['msg']
    assert not os.path.exists(runner.record_file) or 'starting' not in record_text(runner)
    with mock.patch('os.statvfs', ROOM):
        service = FakeService(START)
        assert run(runner, service, stream_url=STREAM, **RELAY)['changed'] is True


def started_with_room(runner):
    """(the service, the TaskId) of the relay started while its record had room."""
    service = emulated_trtc()
    with mock.patch('os.statvfs', ROOM):
        return service, run(runner, service, stream_url=STREAM, **RELAY)['task_id']


def test_a_replace_refused_for_want_of_room_names_the_relay_that_still_runs(runner):
    service, task_id = started_with_room(runner)
    with mock.patch('os.statvfs', statvfs_with(512 * 1024)):
        predicted = runner.run(main, dict(RELAY, stream_url=STREAM, repeat_num=3, replace=True), service,
                               check_mode=True)
        refused = run(runner, service, stream_url=STREAM, repeat_num=3, replace=True, **RELAY)
    assert refused['failed'] is True and NOT_SENT in refused['msg']
    assert service.actions == ['StartStreamIngest', 'DescribeStreamIngest'], 'check mode asked whether it runs'
    assert refused['task_id'] == predicted['task_id'] == task_id, 'the relay started before runs on under its TaskId'


def test_a_file_system_that_counts_neither_blocks_nor_inodes_is_not_taken_for_a_full_one(runner):
    with mock.patch('os.statvfs', statvfs_with(0, 0, counted=False)):
        service = FakeService(START)
        assert run(runner, service, stream_url=STREAM, **RELAY)['changed'] is True


def test_a_start_refused_for_want_of_room_after_an_update_found_the_task_gone_does_not_say_nothing_was_sent(runner):
    service, task_id = started_with_room(runner)
    service.end(APP, task_id)
    with mock.patch('os.statvfs', statvfs_with(512 * 1024)):
        refused = run(runner, service, stream_url=STREAM, volume=50, **RELAY)
    assert refused['failed'] is True and service.actions == ['StartStreamIngest', 'UpdateStreamIngest']
    assert NOT_SENT in refused['msg'] and 'nothing was sent' not in refused['msg']


def predicted_and_applied_diffs(runner, service, args):
    """The diff check mode predicts for args, then the one the run reports."""
    predicted = runner.run(main, args, service, check_mode=True, diff=True)
    applied = runner.run(main, args, service, diff=True)
    assert predicted['changed'] is applied['changed'] is True
    return predicted['diff'], applied['diff']


def test_check_mode_and_the_run_show_one_diff_for_a_replace_and_for_a_start_after_the_relay_ended(runner):
    """A replace shows what the running relay loses (its volume, its pause, its start options); a relay that ended
    outside Ansible shows as ended, with its TaskId. Check mode says so as the run does."""
    service = emulated_trtc()
    first = run(runner, service, stream_url=STREAM, repeat_num=-1, volume=60, paused=True, **RELAY)['task_id']
    predicted, applied = predicted_and_applied_diffs(runner, service, dict(RELAY, stream_url=STREAM, repeat_num=3,
                                                                           replace=True))
    label = "relay of user 'relay-cam-1' in room '8888'"
    assert predicted['before'] == applied['before']
    assert (applied['before']['task_id'], applied['before']['volume'], applied['before']['paused']) == (first, 60, True)
    assert applied['before']['start']['repeat_num'] == -1
    assert predicted['before_header'] == applied['before_header'] == label + ' (running)'
    second = applied['after']['task_id']
    assert predicted['after'] == dict(applied['after'], task_id=None) and second not in (None, first)
    assert (applied['after']['volume'], applied['after']['paused'], applied['after']['start']['repeat_num']) == (
        100, False, 3)
    assert (predicted['after_header'], applied['after_header']) == (label + ' (would be started)', label + ' (started)')
    service.end(APP, second)
    predicted, applied = predicted_and_applied_diffs(runner, service, dict(RELAY, stream_url=STREAM, repeat_num=3))
    assert predicted['before'] == applied['before'] and applied['before']['task_id'] == second
    assert predicted['before_header'] == applied['before_header'] == label + ' (ended)'


def test_check_mode_predicts_a_start_and_sends_nothing(runner):
    service = emulated_trtc()
    result = runner.run(main, dict(RELAY, stream_url=STREAM), service, check_mode=True, diff=True)
    assert result['changed'] is True and result['task_id'] is None and service.actions == []
    assert 'would be started' in result['diff']['after_header']
    run(runner, service, stream_url=STREAM, **RELAY)
    result = runner.run(main, dict(RELAY, stream_url=STREAM, volume=5), service, check_mode=True)
    assert result['changed'] is True and service.actions[-1] == 'DescribeStreamIngest'


def test_the_list_form_starts_relays_of_one_room_and_an_entry_may_name_its_own(runner):
    service = emulated_trtc()
    tasks = [dict(user_id='cam-1'), dict(user_id='cam-2', volume=30, private_map_key=PRIVATE_MAP_KEY),
             dict(user_id='cam-3', room_id='lobby', room_id_type='string')]
    result = run(runner, service, sdk_app_id=APP, room_id='8888', sdk_secret_key=SDK_KEY, stream_url=STREAM,
                 tasks=tasks)
    starts = dict((call['params']['UserId'], call['params']) for call in service.calls)
    assert sorted(starts) == ['cam-1', 'cam-2', 'cam-3']
    assert starts['cam-2']['Volume'] == 30 and starts['cam-2']['PrivateMapKey'] == PRIVATE_MAP_KEY
    assert (starts['cam-3']['RoomId'], starts['cam-3']['RoomIdType']) == ('lobby', 0)
    assert [entry['user_id'] for entry in result['tasks']] == ['cam-1', 'cam-2', 'cam-3']
    assert all(entry['task_id'] for entry in result['tasks'])


@pytest.mark.parametrize('args, message', [
    (dict(room_id='0'), 'room_id: must be an integer from 1 to 4294967294'),
    (dict(room_id='4294967295'), 'room_id: must be an integer from 1 to 4294967294'),
    (dict(room_id='lobby'), 'set room_id_type=string'),
    (dict(room_id='x' * 65, room_id_type='string'), 'room_id: must be 1 to 64 characters'),
    (dict(repeat_num=0), 'repeat_num: must be -1 (loop until stopped) or from 1 to 1000'),
    (dict(repeat_num=1001), 'repeat_num: must be -1'),
    (dict(max_duration=10), 'max_duration: only applies with repeat_num=-1'),
    (dict(repeat_num=-1, max_duration=10081), 'max_duration: must be from 1 to 10080 minutes'),
    (dict(seek_second=-1), 'seek_second: must be 0 or more'),
    (dict(repeat_num=True), 'repeat_num: must be an integer, got a boolean'),
    (dict(user_sig_expire=0), 'user_sig_expire: must be a positive number of seconds'),
    (dict(user_id=''), 'user_id: must be 1 to 32 letters, digits, underscores or hyphens'),
    (dict(user_id='cam 1'), 'user_id: must be 1 to 32 letters'),
    (dict(user_id='c' * 33), 'user_id: must be 1 to 32 letters'),
    (dict(stream_url='https://cdn.example.com/a\x1bb.flv'), 'stream_url: must not hold control or invisible'),
    (dict(stream_url='https://cdn\u200b.example.com/a.flv'), 'stream_url: must not hold control or invisible'),
    (dict(user_sig='given-sig'), 'parameters are mutually exclusive: sdk_secret_key|user_sig'),
    (dict(user_id='dup\n'), 'user_id: must be 1 to 32 letters'),
    (dict(room_id='08888'), 'room_id: must be an integer from 1 to 4294967294 (ASCII digits, no leading zero)'),
    (dict(room_id='\uff18\uff18\uff18\uff18'), 'room_id: must be an integer from 1 to 4294967294 (ASCII digits'),
    (dict(room_id='\u0668\u0668'), 'room_id: must be an integer from 1 to 4294967294 (ASCII digits'),
    (dict(room_id='\u00b2'), 'room_id: must be an integer from 1 to 4294967294 (ASCII digits'),
    (dict(room_id='lobby\u202e', room_id_type='string'), 'room_id: must not hold control or invisible characters'),
    (dict(room_id='lob\u200bby', room_id_type='string'), 'room_id: must not hold control or invisible characters'),
    (dict(room_id='\U0001f600' * 17, room_id_type='string'), 'room_id: must be 1 to 64 characters with '
     'room_id_type=string (TRTC counts UTF-8 bytes), got 68 bytes'),
    (dict(user_sig_expire=10 ** 23), 'user_sig_expire: must be a positive number of seconds, at most 315360000'),
    (dict(state='absent', repeat_num=3), 'cannot be used with state=absent'),
    # TRTC compares room ids as bytes: the same text in another Unicode form would be another room.
    (dict(room_id='Cafe\u0301', room_id_type='string'), "room_id: must be in Unicode normalization form NFC (TRTC "
     "compares bytes, so another form of the same text names another room): write it as 'Caf\u00e9'"),
    (dict(room_id='\u212b', room_id_type='string'), 'room_id: must be in Unicode normalization form NFC'),
    # An empty secret is no secret: refused, never taken for an option not given.
    (dict(sdk_secret_key=''), 'sdk_secret_key: must not be empty'),
    (dict(private_map_key=''), 'private_map_key: must not be empty'),
])
def test_bad_relay_values_are_refused_before_any_request(runner, args, message):
    service = FakeService()
    result = run(runner, service, **dict(dict(RELAY, stream_url=STREAM), **args))
    assert result['failed'] is True and message in result['msg'], result['msg']
    assert service.calls == []


@pytest.mark.parametrize('args, message', [
    (dict(sdk_app_id=APP, user_id='cam'), 'room_id: is required with user_id'),
    (dict(sdk_app_id=APP, room_id='8888', task_id='t'), 'room_id: needs user_id'),
    (dict(sdk_app_id=APP, task_id='t', repeat_num=2), 'repeat_num: applies only to relays named by room_id'),
    (dict(sdk_app_id=APP, room_id='8888', tasks=[dict(volume=3)]), 'tasks[0].task_id: or user_id'),
    (dict(sdk_app_id=APP, room_id='8888', tasks=[dict(user_id='a'), dict(user_id='a')]), 'listed twice'),
    (dict(sdk_app_id=APP, room_id='8888', user_id='relay-cam-1', user_sig='', stream_url=STREAM),
     'user_sig: must not be empty'),
    (dict(sdk_app_id=APP, room_id='8888', tasks=['cam-1']), 'tasks: entry 1 is a string, not a dictionary: each '
     'entry holds options (task_id, room_id, room_id_type, user_id, ...)'),
    (dict(sdk_app_id=APP, tasks=[dict(task_id='t-1'), 7]), 'tasks: entry 2 is a number, not a dictionary'),
    (dict(sdk_app_id=APP, room_id='8888', tasks=[dict(user_id='a', user_sig='')]), 'tasks[0].user_sig: must not be '
     'empty'),
])
def test_relay_names_are_checked_before_any_request(runner, args, message):
    service = FakeService()
    result = run(runner, service, **args)
    assert result['failed'] is True and message in result['msg'], result['msg']
    assert service.calls == []


def test_threads_naming_one_relay_start_it_exactly_once(tmp_path):
    service = emulated_trtc()
    record_path = str(tmp_path / 'record.json')
    outcomes = []

    def converge():
        client = TrtcClient((CONNECTION['secret_id'], SECRET_KEY, None), 'ap-singapore', 'http://127.0.0.1:9',
                            session=service, sleep=lambda seconds: None)
        target = Target(client.url, APP, name=dict(room_id='8888', room_id_type='integer', user_id='cam-1'))
        secrets = dict(sdk_secret_key=SDK_KEY, user_sig=None, user_sig_expire=60, private_map_key=None)
        outcomes.append(Executor(client, LastAppliedRecord(record_path)).converge(
            target, 'present', dict(stream_url=STREAM), dict(repeat_num=None), secrets))

    threads = [threading.Thread(target=converge) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert service.actions.count('StartStreamIngest') == 1
    assert len(set(outcome.task_id for outcome in outcomes)) == 1
    assert sum(outcome.changed for outcome in outcomes) == 1


def test_relays_waiting_for_the_start_budget_never_hold_back_updates(tmp_path):
    """Each action has its own budget: 40 Starts stuck waiting for theirs, 20 updates still go."""
    service = emulated_trtc()
    for number in range(20):
        service.put_tasks(dict(sdk_app_id=APP, task_id='task-%d' % number))
    start_budget = threading.Event()
    updates_done = threading.Event()

    def throttle(action):
        if action == 'StartStreamIngest':
            start_budget.wait(30)

    client = TrtcClient((CONNECTION['secret_id'], SECRET_KEY, None), 'ap-singapore', 'http://127.0.0.1:9',
                        session=service, throttle=throttle)
    secrets = dict(sdk_secret_key=SDK_KEY, user_sig=None, user_sig_expire=60, private_map_key=None)
    start = dict(seek_second=None, auto_push=None, repeat_num=None, max_duration=None)
    specs = [dict(user_id='cam-%d' % number, name=dict(room_id='8888', room_id_type='integer', user_id='cam-%d' % number),
                  secrets=secrets, start=start, force=False, replace=False, stream_url=STREAM, volume=None,
                  paused=None) for number in range(40)]
    specs += [dict(task_id='task-%d' % number, force=False, stream_url=None, volume=7, paused=None)
              for number in range(20)]

    def release_starts_once_updates_are_done():
        while service.actions.count('UpdateStreamIngest') < 20:
            if start_budget.is_set():
                return
            threading.Event().wait(0.01)
        updates_done.set()
        start_budget.set()

    watcher = threading.Thread(target=release_starts_once_updates_are_done)
    watcher.start()
    timer = threading.Timer(10, start_budget.set)
    timer.start()
    outcomes = converge_many(client, LastAppliedRecord(str(tmp_path / 'record.json')), APP, specs, 'present', False)
    timer.cancel()
    watcher.join(10)
    assert updates_done.is_set(), 'updates waited for the budget of StartStreamIngest'
    assert sum(outcome.changed for outcome in outcomes) == 60


def test_a_relay_named_by_its_task_id_is_the_same_one_entry(runner):
    """Set by TaskId, then asked again by name: the run knows what the TaskId run set, and sends what differs."""
    service = emulated_trtc()
    task_id = run(runner, service, stream_url=STREAM, volume=100, **RELAY)['task_id']
    by_task_id = run(runner, service, sdk_app_id=APP, task_id=task_id, volume=40)
    assert by_task_id['changed'] is True and service.tasks[task_id]['volume'] == 40
    again = run(runner, service, stream_url=STREAM, volume=100, **RELAY)
    assert again['changed'] is True and service.tasks[task_id]['volume'] == 100
    assert service.actions[-1] == 'UpdateStreamIngest'
    with open(runner.record_file) as handle:
        entries = json.load(handle)['tasks']
    assert [entry.get('volume') for entry in entries.values() if 'relay' not in entry] == [100]


def test_a_relay_stopped_by_its_task_id_is_forgotten_under_its_name_too(runner):
    service = emulated_trtc()
    task_id = run(runner, service, stream_url=STREAM, **RELAY)['task_id']
    assert run(runner, service, sdk_app_id=APP, task_id=task_id, state='absent')['changed'] is True
    with open(runner.record_file) as handle:
        assert list(json.load(handle)['tasks']) == [stopped_key(ENDPOINT_URL, APP)]
    restarted = run(runner, service, stream_url=STREAM, **RELAY)
    assert restarted['changed'] is True and restarted['task_id'] != task_id
    assert service.actions == ['StartStreamIngest', 'StopStreamIngest', 'StartStreamIngest']


def test_a_list_naming_one_relay_twice_is_refused_before_any_request(runner):
    service = emulated_trtc()
    task_id = run(runner, service, stream_url=STREAM, **RELAY)['task_id']
    result = run(runner, service, sdk_app_id=APP, room_id='8888', sdk_secret_key=SDK_KEY, tasks=[
        dict(user_id='relay-cam-1', volume=11), dict(task_id=task_id, volume=77)])
    assert result['failed'] is True
    assert result['msg'] == ("tasks: relay of user 'relay-cam-1' in room '8888' and task %r are one relay (the record "
                             "holds its TaskId under its room and user); name it once" % task_id)
    assert service.actions == ['StartStreamIngest']


def test_a_user_sig_is_used_with_the_sdk_secret_key_only_in_the_environment(runner, monkeypatch):
    """TENCENTCLOUD_TRTC_SDK_SECRET_KEY set, user_sig given: the UserSig is sent (not 'mutually exclusive')."""
    monkeypatch.setenv('TENCENTCLOUD_TRTC_SDK_SECRET_KEY', SDK_KEY)
    service = emulated_trtc()
    user_sig = make_user_sig(APP, SDK_KEY, 'relay-cam-1', 600, int(time.time()))
    result = run(runner, service, sdk_app_id=APP, room_id='8888', user_id='relay-cam-1', user_sig=user_sig,
                 stream_url=STREAM)
    assert result['changed'] is True, result
    assert service.calls[0]['params']['UserSig'] == user_sig


def test_the_sdk_secret_key_from_the_environment_makes_the_user_sig_and_never_shows(runner, monkeypatch):
    monkeypatch.setenv('TENCENTCLOUD_TRTC_SDK_SECRET_KEY', SDK_KEY)
    service = FakeService(START)
    result = run(runner, service, sdk_app_id=APP, room_id='8888', user_id='relay-cam-1', stream_url=STREAM)
    assert result['changed'] is True
    assert signature_matches(decode_user_sig(service.calls[0]['params']['UserSig']), SDK_KEY)


@pytest.mark.parametrize('user_sig, message', [
    ('given-sig', 'user_sig: is not a UserSig'),
    ('eJyrVgrxCdYrSy1SslJQMtIzUKoFADGSBNk_', 'user_sig: is not a UserSig of robot user'),
])
def test_a_user_sig_that_is_not_this_robot_users_is_refused_before_any_request(runner, user_sig, message):
    service = FakeService()
    result = run(runner, service, sdk_app_id=APP, room_id='8888', user_id='relay-cam-1', user_sig=user_sig,
                 stream_url=STREAM)
    assert result['failed'] is True and message in result['msg'], result['msg']
    assert service.calls == []


def test_a_user_sig_of_another_robot_user_is_refused(runner):
    service = FakeService()
    other = make_user_sig(APP, SDK_KEY, 'someone-else', 600, int(time.time()))
    result = run(runner, service, sdk_app_id=APP, room_id='8888', user_id='relay-cam-1', user_sig=other,
                 stream_url=STREAM)
    assert result['failed'] is True
    assert "is not a UserSig of robot user 'relay-cam-1' of SdkAppId 1400188366 (it names user 'someone-else'" in \
        result['msg']
    assert service.calls == []


@pytest.mark.parametrize('args, message', [
    (dict(volume=500), 'volume: must be between 0 and 100 on the intl site, got 500'),
    (dict(region='mars-1'), "region: 'mars-1' is not a region"),
    (dict(repeat_num=0), 'repeat_num: must be -1'),
])
def test_an_empty_list_still_checks_what_its_entries_would_inherit(runner, args, message):
    service = FakeService()
    result = run(runner, service, sdk_app_id=APP, tasks=[], **args)
    assert result['failed'] is True and message in result['msg'], result['msg']
    assert service.calls == []


def test_a_relay_started_but_not_paused_is_reported_with_its_task_id_and_paused_next_run(runner):
    refused = Call('UpdateStreamIngest', TaskId=TASK_ID, IsPause=True).fails('InvalidParameterValue',
                                                                             'cannot be paused now', 'r-refused')
    result = run(runner, FakeService(START, refused), stream_url=STREAM, paused=True, **RELAY)
    assert result['failed'] is True and result['changed'] is True and result['task_id'] == TASK_ID
    assert 'started relay task %s' % TASK_ID in result['msg'] and 'It runs unpaused' in result['msg']
    assert result['task']['paused'] is False
    paused = Call('UpdateStreamIngest', TaskId=TASK_ID, IsPause=True).answers('r-update', Status='InProgress')
    again = run(runner, FakeService(paused), stream_url=STREAM, paused=True, **RELAY)
    assert again['changed'] is True and again['task_id'] == TASK_ID


@pytest.mark.parametrize('calls, code, request_id', [
    ([Call('StartStreamIngest').fails('FailedOperation.TaskExist', 'a task runs for this user', 'r-exist')],
     'FailedOperation.TaskExist', 'r-exist'),
    ([Call('StartStreamIngest').answers('r-start', TaskId='t-1'),
      Call('UpdateStreamIngest', TaskId='t-1', IsPause=True).fails('InvalidParameterValue', 'cannot be paused now',
                                                                   'r-refused')],
     'InvalidParameterValue', 'r-refused'),
    ([Call('StartStreamIngest').answers('r-no-id')], None, 'r-no-id'),
], ids=['task-exist', 'pause-refused', 'no-task-id'])
def test_a_failure_the_service_answered_carries_its_request_id_and_error(runner, calls, code, request_id):
    """Every failure with an API answer behind it returns its RequestId, and its error dict when it is an error."""
    result = runner.run(main, dict(RELAY, stream_url=STREAM, paused=True), FakeService(*calls))
    assert result['failed'] is True and result['request_id'] == request_id, result
    if code is None:
        assert 'error' not in result
    else:
        assert result['error']['code'] == code and result['error']['request_id'] == request_id, result


def mark_lost_start(runner, **start):
    """The record as a Start whose answer was lost leaves it, with the start options it carried."""
    with open(runner.record_file) as handle:
        record = json.load(handle)
    record['tasks'] = dict((key, entry) for key, entry in record['tasks'].items() if key.startswith('["relay"'))
    for entry in record['tasks'].values():
        entry.pop('task_id', None)
        entry.update(starting_since='2026-12-04T00:00:00Z', start=dict(seek_second=0, auto_push=False, **start))
    with open(runner.record_file, 'w') as handle:
        json.dump(record, handle)


@pytest.mark.parametrize('start, says', [
    (dict(repeat_num=1), 'It ends by itself (after repeat_num=1 plays, or when the service finds it idle)'),
    (dict(repeat_num=-1), 'It does not end by itself: it loops (repeat_num=-1) until it is stopped'),
    (dict(repeat_num=-1, max_duration=30), 'It loops (repeat_num=-1) until max_duration=30 minutes have passed'),
])
def test_a_lost_start_says_how_the_relay_it_may_have_started_ends(runner, start, says):
    service = emulated_trtc()
    run(runner, service, stream_url=STREAM, **RELAY)
    service.end_all()
    mark_lost_start(runner, **start)
    refused = run(runner, service, stream_url=STREAM, **RELAY)
    assert refused['failed'] is True and says in refused['msg'], refused['msg']
    stop = run(runner, service, state='absent', **RELAY)
    assert stop['failed'] is True and 'it cannot be stopped from here' in stop['msg'] and says in stop['msg']
    assert 'state=absent with force=true clears this mark' in stop['msg']


def test_a_lost_start_mark_is_cleared_by_a_forced_state_absent(runner):
    service = emulated_trtc()
    run(runner, service, stream_url=STREAM, **RELAY)
    service.end_all()
    mark_lost_start(runner, repeat_num=1)
    cleared = run(runner, service, state='absent', force=True, **RELAY)
    assert cleared.get('failed') is not True and cleared['changed'] is False
    assert 'is cleared, as force=true asks; nothing was stopped' in cleared['warnings'][0]['event']['msg'] \
        if isinstance(cleared['warnings'][0], dict) else cleared['warnings'][0]
    with open(runner.record_file) as handle:
        assert json.load(handle)['tasks'] == {}
    started = run(runner, service, stream_url=STREAM, **RELAY)
    assert started['changed'] is True


def test_a_list_failure_names_its_relay_once(runner):
    started = Call('StartStreamIngest', UserId='relay-cam-1').answers('r-start', TaskId=TASK_ID)
    exists = Call('StartStreamIngest', UserId='relay-cam-2').fails('FailedOperation.TaskExist', 'runs', 'r-exist')
    service = FakeService(started, exists, in_any_order=True)
    result = run(runner, service, sdk_app_id=APP, room_id='8888', sdk_secret_key=SDK_KEY, tasks=[
        dict(user_id='relay-cam-1', stream_url=STREAM), dict(user_id='relay-cam-2', stream_url=STREAM)])
    assert result['failed'] is True
    label = "relay of user 'relay-cam-2' in room '8888'"
    assert result['msg'].count(label) == 1, result['msg']
    assert result['msg'].startswith('1 of 2 relay tasks failed: %s' % label)


@pytest.mark.parametrize('reply, says', [
    (FakeReply(404, content=b'<html><body>Not Found</body></html>'), 'does not look like the TRTC API (check endpoint)'),
    (FakeReply(200, content=b'<html><body>Welcome to nginx!</body></html>'),
     'does not look like the TRTC API (check endpoint)'),
    (FakeReply(200, content=b''), 'does not look like the TRTC API (check endpoint)'),
    (FakeReply(301, content=b''), 'HTTP 301 redirect to (no Location header), not followed'),
    (FakeReply(302, content=b'', headers={'Location': 'https://www.example.com/'}), 'set endpoint'),
], ids=['404-page', '200-page', '200-empty', '301-no-location', '302'])
def test_a_start_answered_by_a_page_that_is_not_the_api_leaves_no_mark(runner, reply, says):
    """A wrong endpoint answering with a page or a redirect (TRTC's API answers every request with its JSON, never
    so): nothing reached TRTC, so the name is not blocked."""
    not_the_api = FakeService(Call('StartStreamIngest', UserId='relay-cam-1').gives(reply))
    failed = runner.run(main, dict(RELAY, stream_url=STREAM), not_the_api)
    assert failed['failed'] is True and says in failed['msg'] and 'nothing reached the service' in failed['msg']
    assert 'may be running' not in failed['msg']
    with open(runner.record_file) as handle:
        assert 'starting_since' not in handle.read()
    service = FakeService(START)
    assert run(runner, service, stream_url=STREAM, **RELAY)['changed'] is True
    assert service.actions == ['StartStreamIngest']


@pytest.mark.parametrize('option, value, says', [
    ('secret_id', 'AKID\u00e9t\u00e9\u4e2d', 'a character outside ASCII'),
    ('session_token', 'token-\u4e2d\u6587', 'a character outside ASCII'),
    ('session_token', 'token\r\nX-Injected: 1', 'a space or control character'),
    ('secret_key', 'key with space', 'a space or control character'),
])
def test_credentials_that_cannot_go_in_a_header_are_refused_before_any_mark_or_request(runner, option, value, says):
    service = FakeService()
    result = run(runner, service, stream_url=STREAM, **dict(RELAY, **{option: value}))
    assert result['failed'] is True and result['msg'].startswith('%s: must be printable ASCII' % option)
    assert says in result['msg'] and value not in result['msg']
    assert service.calls == []
    assert not os.path.exists(runner.record_file) or 'starting_since' not in open(runner.record_file).read()


SIGNED = 'rtmp://pusher:s3cret-pass@cdn.example.com/live/cam?txSecret=9f86d081884c7d65&txTime=6A0F0000'
SIGNED_SHOWN = 'rtmp://pusher:***@cdn.example.com/live/cam?txSecret=***&txTime=6A0F0000'


def test_credentials_in_a_stream_url_are_sent_and_never_shown_nor_recorded(runner):
    service = emulated_trtc()
    started = runner.run(main, dict(RELAY, stream_url=SIGNED), service, diff=True)
    assert service.calls[0]['params']['StreamUrl'] == SIGNED
    shown = json.dumps(started)
    assert 's3cret-pass' not in shown and '9f86d081884c7d65' not in shown
    assert started['task']['stream_url'] == SIGNED_SHOWN and started['diff']['after']['stream_url'] == SIGNED_SHOWN
    recorded = record_text(runner)
    assert 's3cret-pass' not in recorded and '9f86d081884c7d65' not in recorded and SIGNED_SHOWN in recorded
    # The same URL again: nothing to send, as the record knows it by its HMAC.
    again = runner.run(main, dict(RELAY, stream_url=SIGNED), service, diff=True)
    assert again['changed'] is False and service.actions == ['StartStreamIngest', 'DescribeStreamIngest']
    predicted = runner.run(main, dict(RELAY, stream_url=SIGNED), service, check_mode=True)
    assert predicted['changed'] is False
    # A new signature: the new URL is sent, and shown masked.
    rotated = SIGNED.replace('9f86d081884c7d65', 'a665a45920422f9d')
    updated = runner.run(main, dict(RELAY, stream_url=rotated, volume=100), service, diff=True)
    assert updated['changed'] is True and service.calls[-1]['params']['StreamUrl'] == rotated
    assert 'a665a45920422f9d' not in json.dumps(updated) and 'a665a45920422f9d' not in record_text(runner)


def test_a_bad_stream_url_is_refused_without_showing_its_credentials(runner):
    service = FakeService()
    result = run(runner, service, stream_url='rtmp://pusher:s3cret-pass@cdn.example.com:99999/live?sign=abc', **RELAY)
    assert result['failed'] is True and result['msg'].startswith('stream_url: must be a valid absolute URL')
    assert 's3cret-pass' not in result['msg'] and 'sign=abc' not in result['msg'] and 'pusher:***@' in result['msg']


def test_the_invocation_shows_stream_url_credentials_masked(runner):
    """With INJECT_INVOCATION (ansible-core 2.21+; always before), the arguments shown hold no URL credential."""
    from ansible.module_utils.ansible_release import __version__ as core_version
    internal = dict(_ansible_inject_invocation=True) if tuple(int(part) for part in core_version.split('.')[:2]) >= (
        2, 21) else {}
    result = runner.run(main, dict(RELAY, stream_url=SIGNED, **internal), FakeService(START))
    assert result['invocation']['module_args']['stream_url'] == SIGNED_SHOWN
    listed = runner.run(main, dict(sdk_app_id=APP, room_id='8888', sdk_secret_key=SDK_KEY, tasks=[
        dict(user_id='relay-cam-9', stream_url=SIGNED)], **internal), FakeService(
            Call('StartStreamIngest', UserId='relay-cam-9', StreamUrl=SIGNED).answers('r-start', TaskId=TASK_ID)))
    assert listed['invocation']['module_args']['tasks'][0]['stream_url'] == SIGNED_SHOWN
    for shown in (json.dumps(result), json.dumps(listed)):
        assert 's3cret-pass' not in shown and '9f86d081884c7d65' not in shown


@pytest.mark.parametrize('url, secret', [
    ('https://cdn.example.com/a.flv?tx%53ecret=ENCODED-NAME-SECRET', 'ENCODED-NAME-SECRET'),
    ('https://cdn.example.com/a.flv?sig=AZURE-SAS-SECRET&sv=2024', 'AZURE-SAS-SECRET'),
    ('https://cdn.example.com/live/cam;token=PATH-PARAMETER-SECRET', 'PATH-PARAMETER-SECRET'),
    ('https://cdn.example.com/a.flv#token=FRAGMENT-SECRET', 'FRAGMENT-SECRET'),
])
def test_credentials_in_any_part_of_a_stream_url_are_masked(runner, url, secret):
    service = emulated_trtc()
    result = runner.run(main, dict(RELAY, stream_url=url), service, diff=True)
    assert service.calls[0]['params']['StreamUrl'] == url
    assert secret not in json.dumps(result) and secret not in record_text(runner)


@pytest.mark.parametrize('args, message', [
    (dict(room_id='08888'), 'room_id: must be an integer from 1 to 4294967294'),
    (dict(volume=500), 'volume: must be between 0 and 100'),
])
def test_an_empty_list_names_the_option_given_at_the_top(runner, args, message):
    service = FakeService()
    result = run(runner, service, sdk_app_id=APP, tasks=[], **args)
    assert result['failed'] is True and result['msg'].startswith(message), result['msg']
    assert service.calls == []


def stop_noted(runner, task_id):
    """The relay named by the record's note that the collection stopped task_id (None: no relay), or 'not noted'."""
    stop = LastAppliedRecord(runner.record_file).stopped_here(ENDPOINT_URL, APP, task_id)
    return 'not noted' if stop is None else relay_name(stop.get('relay') or '')


NAME = dict(room_id='8888', room_id_type='integer', user_id='relay-cam-1')


def test_the_record_keeps_what_the_collection_stopped_by_name_by_task_id_and_by_replace(runner):
    service = emulated_trtc()
    first = run(runner, service, stream_url=STREAM, repeat_num=1, **RELAY)['task_id']
    assert stop_noted(runner, first) == 'not noted'
    second = run(runner, service, stream_url=STREAM, repeat_num=-1, replace=True, **RELAY)['task_id']
    assert stop_noted(runner, first) == NAME
    run(runner, service, sdk_app_id=APP, task_id=second, state='absent')
    assert stop_noted(runner, second) == NAME
    third = run(runner, service, stream_url=STREAM, **RELAY)['task_id']
    run(runner, service, state='absent', **RELAY)
    assert stop_noted(runner, third) == NAME and stop_noted(runner, first) == NAME
    assert service.actions.count('StopStreamIngest') == 3


def test_a_task_named_by_task_id_that_the_collection_stopped_is_noted_without_a_relay(runner):
    service = emulated_trtc()
    service.put_tasks(dict(sdk_app_id=APP, task_id='elsewhere', room_id='1', user_id='u'))
    run(runner, service, sdk_app_id=APP, task_id='elsewhere', state='absent')
    assert stop_noted(runner, 'elsewhere') is None


def test_a_stop_the_service_refused_is_not_noted_and_one_it_may_have_applied_is(runner):
    refused = Call('StopStreamIngest').fails('InvalidParameter.SdkAppId', 'no such app', 'r-app')
    result = runner.run(main, dict(sdk_app_id=APP, task_id='t-refused', state='absent'), FakeService(refused))
    assert result['failed'] is True and stop_noted(runner, 't-refused') == 'not noted'
    lost = Call('StopStreamIngest').replies(502, content=b'bad gateway')
    result = runner.run(main, dict(sdk_app_id=APP, task_id='t-lost', state='absent'), FakeService(*[lost] * 6))
    assert result['failed'] is True and stop_noted(runner, 't-lost') is None


def test_a_stop_is_noted_for_at_least_an_hour_and_then_dropped(runner):
    service = emulated_trtc()
    task_id = run(runner, service, stream_url=STREAM, **RELAY)['task_id']
    run(runner, service, state='absent', **RELAY)
    stopped_at = time.time()
    assert STOPPED_KEEP_SECONDS >= 3600
    with mock.patch('time.time', return_value=stopped_at + 3600):
        assert stop_noted(runner, task_id) == NAME
    with mock.patch('time.time', return_value=stopped_at + STOPPED_KEEP_SECONDS + 1):
        assert stop_noted(runner, task_id) == 'not noted'
        LastAppliedRecord(runner.record_file).note_stopping(ENDPOINT_URL, APP, 'later')
    with open(runner.record_file) as handle:
        assert list(json.load(handle)['tasks'][stopped_key(ENDPOINT_URL, APP)]['tasks']) == ['later']
