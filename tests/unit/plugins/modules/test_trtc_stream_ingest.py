# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import multiprocessing
import time
from unittest import mock

import pytest

from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import DOUBT_SECONDS, LastAppliedRecord, record_key
from ansible_collections.tencentcloud.trtc.plugins.modules import trtc_stream_ingest_info
from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest import main
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import Call, FakeService

RECORD = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._record'
TASK = dict(sdk_app_id=1400188366, task_id='task-0001')
ID = dict(SdkAppId=1400188366, TaskId='task-0001')  # what names TASK in a request
RUNNING = Call('DescribeStreamIngest', **ID).answers('r-describe', Status='InProgress')
MISSING = Call('DescribeStreamIngest', **ID).answers('r-describe', Status='NotExist')
UPDATED = Call('UpdateStreamIngest', **ID).answers('r-update', Status='InProgress')


def test_first_run_updates_and_second_run_changes_nothing(runner):
    args = dict(TASK, stream_url='https://example.com/live/new.flv', volume=80)
    first = FakeService(UPDATED)
    result = runner.run(main, args, first)
    assert result['changed'] is True
    assert result['request_id'] == 'r-update'
    assert first.calls[0]['params'] == {'SdkAppId': 1400188366, 'TaskId': 'task-0001',
                                        'StreamUrl': 'https://example.com/live/new.flv', 'Volume': 80}
    assert result['task'] == dict(TASK, stream_url='https://example.com/live/new.flv', volume=80)

    second = FakeService(RUNNING)
    result = runner.run(main, args, second)
    assert result['changed'] is False
    assert second.actions == ['DescribeStreamIngest']


def test_only_given_options_are_sent_and_the_record_merges(runner):
    runner.run(main, dict(TASK, volume=80), FakeService(UPDATED))
    session = FakeService(UPDATED)
    result = runner.run(main, dict(TASK, paused=True), session)
    assert session.calls[0]['params'] == {'SdkAppId': 1400188366, 'TaskId': 'task-0001', 'IsPause': True}
    assert result['task'] == dict(TASK, volume=80, paused=True)


def test_is_pause_alias(runner):
    session = FakeService(UPDATED)
    runner.run(main, dict(TASK, is_pause=False), session)
    assert session.calls[0]['params']['IsPause'] is False


def test_force_resends_what_the_record_already_holds(runner):
    runner.run(main, dict(TASK, volume=80), FakeService(UPDATED))
    session = FakeService(UPDATED)
    assert runner.run(main, dict(TASK, volume=80, force=True), session)['changed'] is True
    assert session.actions == ['UpdateStreamIngest']


def test_check_mode_predicts_but_sends_and_writes_nothing(runner):
    session = FakeService(RUNNING)
    result = runner.run(main, dict(TASK, volume=80), session, check_mode=True, diff=True)
    assert result['changed'] is True
    assert session.actions == ['DescribeStreamIngest']
    assert result['diff']['after']['volume'] == 80
    session = FakeService(UPDATED)
    assert runner.run(main, dict(TASK, volume=80), session)['changed'] is True


@pytest.mark.parametrize('module_main, args, replies, check_mode', [
    (main, dict(TASK, volume=80), [RUNNING], True),
    (main, dict(sdk_app_id=1400188366, room_id='8888', user_id='relay-cam-1', sdk_secret_key='sdk-key-0123456789',
                stream_url='https://example.com/live/a.flv'), [], True),
    (trtc_stream_ingest_info.main, dict(sdk_app_id=1400188366, task_ids=['task-0001']), [RUNNING], False),
], ids=['check-mode-update', 'check-mode-start', 'info'])
def test_a_run_that_only_reads_creates_no_record_directory_nor_lock_file(runner, tmp_path, module_main, args, replies,
                                                                         check_mode):
    runner.record_file = str(tmp_path / 'not-yet' / 'record.json')
    result = runner.run(module_main, args, FakeService(*replies), check_mode=check_mode)
    assert 'failed' not in result, result
    assert not (tmp_path / 'not-yet').exists()
    (tmp_path / 'not-yet').mkdir(mode=0o700)
    runner.run(module_main, args, FakeService(*replies), check_mode=check_mode)
    assert list((tmp_path / 'not-yet').iterdir()) == []


def _hold_task(record_file, held, release):
    with LastAppliedRecord(record_file).hold(record_key('http://127.0.0.1:9/', TASK['sdk_app_id'], TASK['task_id'])):
        held.set()
        release.wait(30)


def test_a_task_whose_lock_another_run_keeps_fails_in_time_naming_the_lock_file_and_sends_nothing(runner):
    context = multiprocessing.get_context('fork')
    held, release = context.Event(), context.Event()
    other_run = context.Process(target=_hold_task, args=(runner.record_file, held, release))
    other_run.start()
    try:
        assert held.wait(10)
        with mock.patch(RECORD + '.LOCK_WAIT_SECONDS', 0.2):
            result = runner.run(main, dict(TASK, volume=80), FakeService())
    finally:
        release.set()
        other_run.join(10)
    assert result['failed'] is True and result['task_id'] == TASK['task_id']
    assert 'waited 0.2 s for the lock of task task-0001 in its lock file %s.lock, still held by process %d' % (
        runner.record_file, other_run.pid) in result['msg'] and result['msg'].endswith('nothing was sent for it')
    assert runner.run(main, dict(TASK, volume=80), FakeService(UPDATED))['changed'] is True


def test_diff_says_when_nothing_is_known_then_shows_the_record(runner):
    result = runner.run(main, dict(TASK, volume=80), FakeService(UPDATED), diff=True)
    assert 'no last-applied record' in result['diff']['before_header']
    assert result['diff']['before'] == TASK
    result = runner.run(main, dict(TASK, volume=30), FakeService(UPDATED), diff=True)
    assert result['diff']['before'] == dict(TASK, volume=80)
    assert result['diff']['after'] == dict(TASK, volume=30)
    assert 'last-applied record' in result['diff']['before_header']


def test_present_on_a_missing_task_fails_naming_it_and_drops_its_record(runner):
    runner.run(main, dict(TASK, volume=80), FakeService(UPDATED))
    result = runner.run(main, dict(TASK, volume=80), FakeService(MISSING))
    assert result['failed'] is True
    assert 'task-0001' in result['msg'] and 'FailedOperation.TaskNotExist' in result['msg']
    assert 'r-describe' in result['msg']
    assert result['error']['code'] == 'FailedOperation.TaskNotExist'
    with open(runner.record_file) as handle:
        assert json.load(handle)['tasks'] == {}


def test_update_of_a_missing_task_fails_with_the_update_request_id(runner):
    gone = Call('UpdateStreamIngest').fails('FailedOperation.TaskNotExist', 'The task does not exist.', 'r-gone')
    session = FakeService(gone)
    result = runner.run(main, dict(TASK, volume=80), session)
    assert session.actions == ['UpdateStreamIngest']
    assert result['failed'] is True and result['status'] == 'NotExist'
    assert result['error']['request_id'] == 'r-gone' and 'r-gone' in result['msg'] and 'task-0001' in result['msg']


def test_absent_stops_a_running_task_then_is_unchanged(runner):
    session = FakeService(Call('StopStreamIngest').answers('r-stop'))
    result = runner.run(main, dict(TASK, state='absent'), session)
    assert result['changed'] is True and result['status'] == 'NotExist' and result['request_id'] == 'r-stop'
    finished = Call('StopStreamIngest').fails('FailedOperation.TaskFinished', 'finished', 'r-fin')
    result = runner.run(main, dict(TASK, state='absent'), FakeService(finished))
    assert result['changed'] is False and result['request_id'] == 'r-fin'


def test_absent_in_check_mode_does_not_stop(runner):
    session = FakeService(RUNNING)
    assert runner.run(main, dict(TASK, state='absent'), session, check_mode=True)['changed'] is True


def test_api_errors_fail_with_code_message_and_request_id(runner):
    rejected = Call('UpdateStreamIngest').fails('InvalidParameter.StreamUrl', 'Invalid StreamUrl format', 'r-bad')
    session = FakeService(rejected)
    result = runner.run(main, dict(TASK, stream_url='https://example.com/x.flv'), session)
    assert result['failed'] is True
    assert result['error'] == dict(code='InvalidParameter.StreamUrl', message='Invalid StreamUrl format',
                                   request_id='r-bad', action='UpdateStreamIngest', attempts=1, maybe_applied=False)
    assert 'InvalidParameter.StreamUrl' in result['msg'] and 'r-bad' in result['msg']


def test_throttling_is_survived(runner):
    throttled = Call('UpdateStreamIngest').fails('RequestLimitExceeded')
    session = FakeService(throttled, throttled, UPDATED)
    assert runner.run(main, dict(TASK, volume=1), session)['changed'] is True


def test_auth_failure_is_reported_once(runner):
    session = FakeService(Call('UpdateStreamIngest').fails('AuthFailure.SignatureFailure', 'bad sig', 'r-auth'))
    result = runner.run(main, dict(TASK, volume=1), session)
    assert result['error']['code'] == 'AuthFailure.SignatureFailure' and result['error']['attempts'] == 1
    assert len(session.calls) == 1


def test_an_expired_signature_says_to_check_the_hosts_clock(runner):
    message = 'Signature expire. Server time: 2026-12-04 10:00:00'
    session = FakeService(Call('UpdateStreamIngest').fails('AuthFailure.SignatureExpire', message, 'r-clock'))
    result = runner.run(main, dict(TASK, volume=1), session)
    assert result['msg'].startswith('UpdateStreamIngest failed: AuthFailure.SignatureExpire: %s (RequestId: r-clock); '
                                    "check this host's clock" % message), result['msg']
    assert 'within 5 minutes' in result['msg'] and ' UTC (set it with NTP)' in result['msg']


def test_other_errors_carry_no_clock_hint(runner):
    session = FakeService(Call('UpdateStreamIngest').fails('AuthFailure.SignatureFailure', 'bad sig', 'r-auth'))
    assert "clock" not in runner.run(main, dict(TASK, volume=1), session)['msg']


@pytest.mark.parametrize('args, message', [
    (dict(volume=101), 'volume: must be between 0 and 100 on the intl site, got 101'),
    (dict(volume=-1), 'volume: must be between 0 and 100'),
    (dict(stream_url='example.com/live.flv'), 'stream_url: must be an absolute URL'),
    (dict(stream_url='ftp://example.com/live.flv'), 'stream_url: must be an absolute URL'),
    (dict(stream_url='https:///live.flv'), 'stream_url: must be an absolute URL'),
    (dict(stream_url=''), 'stream_url: must be a non-empty absolute URL'),
    (dict(task_id='  '), 'task_id: must be a non-empty string'),
    (dict(task_id=' task-0001'), 'task_id: must not start or end with white space'),
    (dict(task_id='task-0001\n'), 'task_id: must not start or end with white space'),
    (dict(task_id='task\x1b-0001'), 'task_id: must not hold control or invisible characters'),
    (dict(sdk_app_id=0), 'sdk_app_id: must be a positive 32-bit integer'),
    (dict(sdk_app_id=2 ** 70), 'sdk_app_id: must be a positive 32-bit integer (1 to 4294967295)'),
    (dict(sdk_app_id=True), 'sdk_app_id: must be an integer, got a boolean'),
    (dict(volume=True), 'volume: must be an integer, got a boolean'),
    (dict(rate_limit=True), 'rate_limit: must be an integer, got a boolean'),
    (dict(stream_url='http://[::1/x'), 'stream_url: must be a valid absolute URL'),
    (dict(stream_url='http://example.com:99999/x'), 'stream_url: must be a valid absolute URL'),
    (dict(timeout=float('nan')), 'timeout: must be a positive number'),
    (dict(timeout=float('inf')), 'timeout: must be a positive number'),
    (dict(record_file=''), 'record_file: must name a file'),
    (dict(volume='loud'), "volume"),
    (dict(sdk_app_id='app'), "sdk_app_id"),
    (dict(paused='maybe'), "paused"),
    (dict(state='gone'), 'state'),
    (dict(region='us-east-1'), "region: 'us-east-1' is not a region of this API"),
    (dict(endpoint='ftp://example.com'), 'endpoint: endpoint must be a host name or an http(s) URL'),
    (dict(timeout=0), 'timeout: must be a positive number'),
    (dict(rate_limit=-1), 'rate_limit: must be 0 (no limit) or a positive number of requests per second, got -1'),
    (dict(state='absent', volume=3), 'cannot be used with state=absent'),
])
def test_bad_input_is_refused_before_any_request(runner, args, message):
    result = runner.run(main, dict(TASK, **args), FakeService())
    assert result['failed'] is True
    assert message in result['msg']


def test_no_credentials_anywhere_is_a_clear_error(runner):
    result = runner.run(main, dict(TASK, region='ap-singapore'), FakeService(), connection=False)
    assert 'no credentials' in result['msg'] and 'secret_id' in result['msg']


def test_credentials_and_region_from_a_tccli_profile(runner):
    tccli = runner.home / '.tccli'
    tccli.mkdir()
    credential = {'secretId': 'AKIDprofile', 'secretKey': 'profile-key', 'token': 'profile-token'}
    configure = {'_sys_param': {'region': 'ap-tokyo'}, 'trtc': {'endpoint': 'http://127.0.0.1:9'}}
    (tccli / 'prod.credential').write_text(json.dumps(credential))
    (tccli / 'prod.configure').write_text(json.dumps(configure))
    session = FakeService(RUNNING)
    runner.run(main, dict(TASK, profile='prod'), session, connection=False)
    headers = session.calls[0]['headers']
    assert headers['X-TC-Region'] == 'ap-tokyo'
    assert headers['X-TC-Token'] == 'profile-token'
    assert 'Credential=AKIDprofile/' in headers['Authorization']


def test_session_token_is_sent_as_x_tc_token(runner):
    session = FakeService(RUNNING)
    runner.run(main, dict(TASK, session_token='sts-token'), session)
    assert session.calls[0]['headers']['X-TC-Token'] == 'sts-token'


def test_an_unexpected_error_fails_with_a_message_not_a_traceback(runner):
    limiter = 'ansible_collections.tencentcloud.trtc.plugins.module_utils._ratelimit.HostRateLimiter.__call__'
    with mock.patch(limiter, side_effect=OSError(28, 'No space left on device')):
        result = runner.run(main, dict(TASK, volume=3), FakeService())
    assert result['failed'] is True
    assert result['msg'] == ('unexpected error: OSError: [Errno 28] No space left on device')
    assert 'Traceback' not in json.dumps(result)


def record_of(runner):
    with open(runner.record_file) as handle:
        return json.load(handle)['tasks']


def test_an_empty_task_list_changes_nothing_and_sends_nothing(runner):
    result = runner.run(main, dict(sdk_app_id=1, tasks=[], volume=3), FakeService())
    assert result['changed'] is False and result['tasks'] == []


class Killed(BaseException):
    """What a run sees of SIGINT, a task timeout or a kill: the run ends where it stands."""


def test_a_run_killed_after_sending_leaves_the_setting_unknown_so_the_next_run_sends_it(runner):
    runner.run(main, dict(TASK, volume=10), FakeService(UPDATED))
    with pytest.raises(Killed):
        runner.run(main, dict(TASK, volume=20), FakeService(Call('UpdateStreamIngest').raises(Killed())))
    entry = record_of(runner)['http://127.0.0.1:9/|1400188366|task-0001']
    assert 'volume' not in entry and entry['pending'] == ['volume']
    session = FakeService(UPDATED)
    result = runner.run(main, dict(TASK, volume=10), session, diff=True)
    assert session.actions == ['UpdateStreamIngest'] and result['changed'] is True
    assert 'volume unknown' in result['diff']['before_header']
    # The killed run's request may still reach the service for a while: volume stays unknown until then.
    entry = list(record_of(runner).values())[0]
    assert 'volume' not in entry and list(entry['doubt_until']) == ['volume']
    assert runner.run(main, dict(TASK, volume=10), FakeService(UPDATED))['changed'] is True
    later = time.time() + DOUBT_SECONDS + 60
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._record.time.time', return_value=later):
        runner.run(main, dict(TASK, volume=10), FakeService(UPDATED))
    entry = list(record_of(runner).values())[0]
    assert entry['volume'] == 10 and 'doubt_until' not in entry


def test_a_lost_request_stays_in_doubt_as_long_as_a_fast_clock_lets_the_service_accept_it(runner):
    """A controller 240 s fast: its lost request (volume 10) may land 400 s later, after a run at +349 s set 70."""
    runner.run(main, dict(TASK, volume=5), FakeService(UPDATED))
    with pytest.raises(Killed):
        runner.run(main, dict(TASK, volume=10), FakeService(Call('UpdateStreamIngest').raises(Killed())))
    killed_at = time.time()
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._record.time.time',
                    return_value=killed_at + 349):
        assert runner.run(main, dict(TASK, volume=70), FakeService(UPDATED))['changed'] is True
    entry = list(record_of(runner).values())[0]
    assert 'volume' not in entry, 'the record claims 70 while the lost request may still set 10'
    with mock.patch('ansible_collections.tencentcloud.trtc.plugins.module_utils._record.time.time',
                    return_value=killed_at + 2 * 300 + 31):
        runner.run(main, dict(TASK, volume=70), FakeService(UPDATED))
    assert list(record_of(runner).values())[0]['volume'] == 70


def test_an_update_whose_first_attempt_lost_its_answer_puts_later_values_in_doubt(runner):
    """The lost attempt may land after a later run's update: that later value must not be recorded as known."""
    lost = Call('UpdateStreamIngest').replies(502, content=b'bad gateway')
    runner.run(main, dict(TASK, volume=30), FakeService(lost, UPDATED))
    assert list(record_of(runner).values())[0]['volume'] == 30
    runner.run(main, dict(TASK, volume=40), FakeService(UPDATED))
    entry = list(record_of(runner).values())[0]
    assert 'volume' not in entry and 'volume' in entry['doubt_until']
    session = FakeService(UPDATED)
    assert runner.run(main, dict(TASK, volume=40), session)['changed'] is True


@pytest.mark.parametrize('fault', [
    Call('UpdateStreamIngest').replies(502, content=b'bad gateway'),
    Call('UpdateStreamIngest').fails('InternalError.DBError', 'db', 'r-db'),
])
def test_an_answer_that_may_hide_an_applied_update_leaves_the_setting_unknown(runner, fault):
    runner.run(main, dict(TASK, volume=10), FakeService(UPDATED))
    result = runner.run(main, dict(TASK, volume=20, timeout=1), FakeService(*[fault] * 6))
    assert result['failed'] is True
    session = FakeService(UPDATED)
    assert runner.run(main, dict(TASK, volume=10), session)['changed'] is True
    assert session.actions == ['UpdateStreamIngest']


def test_an_update_the_service_refused_keeps_what_the_record_knew(runner):
    runner.run(main, dict(TASK, volume=10, stream_url='https://a.example/x.flv'), FakeService(UPDATED))
    refused = Call('UpdateStreamIngest').fails('InvalidParameter.StreamUrl', 'Invalid StreamUrl format', 'r-bad')
    assert runner.run(main, dict(TASK, stream_url='https://b.example/y.flv'), FakeService(refused))['failed']
    session = FakeService(RUNNING)
    assert runner.run(main, dict(TASK, volume=10, stream_url='https://a.example/x.flv'), session)['changed'] is False
    assert session.actions == ['DescribeStreamIngest']


def test_a_retried_stop_whose_lost_first_attempt_stopped_the_task_reports_changed(runner):
    lost = Call('StopStreamIngest').replies(502, content=b'bad gateway')
    finished = Call('StopStreamIngest').fails('FailedOperation.TaskFinished', 'finished', 'r-fin')
    result = runner.run(main, dict(TASK, state='absent'), FakeService(lost, finished))
    assert result['changed'] is True and result['status'] == 'NotExist'


def test_a_file_that_is_no_record_fails_before_any_request_and_stays_untouched(runner):
    with open(runner.record_file, 'w') as handle:
        handle.write('{"not": "a record"}')
    result = runner.run(main, dict(TASK, volume=10), FakeService())
    assert result['failed'] is True and runner.record_file in result['msg'] and 'left untouched' in result['msg']
    with open(runner.record_file) as handle:
        assert handle.read() == '{"not": "a record"}'


@pytest.mark.parametrize('first, second', [
    ('http://127.0.0.1', 'http://127.0.0.1:80'),
    ('http://127.0.0.1:80', 'HTTP://127.0.0.1/'),
    ('https://Example.COM:443', 'example.com'),
])
def test_one_service_spelled_two_ways_is_one_record(runner, first, second):
    runner.run(main, dict(TASK, volume=10, endpoint=first), FakeService(UPDATED))
    session = FakeService(RUNNING)
    assert runner.run(main, dict(TASK, volume=10, endpoint=second), session)['changed'] is False


def test_a_stop_killed_before_its_answer_leaves_no_settings_claimed(runner):
    runner.run(main, dict(TASK, volume=10), FakeService(UPDATED))
    with pytest.raises(Killed):
        runner.run(main, dict(TASK, state='absent'), FakeService(Call('StopStreamIngest').raises(Killed())))
    entry = record_of(runner)['http://127.0.0.1:9/|1400188366|task-0001']
    assert 'volume' not in entry and entry['pending'] == ['volume']


def test_a_failed_call_returns_its_request_id_at_the_top_level(runner):
    rejected = Call('UpdateStreamIngest').fails('InvalidParameter.StreamUrl', 'Invalid StreamUrl format', 'r-bad')
    result = runner.run(main, dict(TASK, stream_url='https://example.com/x.flv'), FakeService(rejected))
    assert result['request_id'] == 'r-bad'
