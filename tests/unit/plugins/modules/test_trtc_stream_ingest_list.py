# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest import main
from ansible_collections.tencentcloud.trtc.tests.unit.plugins.fake_service import Call, FakeService


UPDATE, DESCRIBE, STOP = 'UpdateStreamIngest', 'DescribeStreamIngest', 'StopStreamIngest'


def service(*expected):
    """The service expecting these calls in any order (the list form sends them from concurrent lanes)."""
    return FakeService(*expected, in_any_order=True)


def each(action, *task_ids, missing=()):
    """One call of action per task of SdkAppId 1; each task runs except the missing ones; RequestIds name action and
    task."""
    calls = []
    for task_id in task_ids:
        call, request_id = Call(action, SdkAppId=1, TaskId=task_id), '%s-%s' % (action, task_id)
        if task_id not in missing:
            calls.append(call.answers(request_id, Status='InProgress'))
        elif action == DESCRIBE:
            calls.append(call.answers(request_id, Status='NotExist'))
        else:
            calls.append(call.fails('FailedOperation.TaskNotExist', 'The task does not exist.', request_id))
    return calls


def sent(session, action):
    return dict((call['params']['TaskId'], call['params']) for call in session.calls if call['action'] == action)


def test_each_entry_takes_the_module_values_it_leaves_out(runner):
    tasks = [dict(task_id='t%d' % number) for number in range(10)] + [dict(task_id='own', volume=5, paused=False)]
    session = service(*each(UPDATE, *[task['task_id'] for task in tasks]))
    result = runner.run(main, dict(sdk_app_id=1, paused=True, volume=50, tasks=tasks), session)
    updates = sent(session, 'UpdateStreamIngest')
    assert result['changed'] is True
    assert len(updates) == 11 and session.actions.count('UpdateStreamIngest') == 11
    assert updates['t3'] == {'SdkAppId': 1, 'TaskId': 't3', 'IsPause': True, 'Volume': 50}
    assert updates['own'] == {'SdkAppId': 1, 'TaskId': 'own', 'IsPause': False, 'Volume': 5}
    assert [entry['task_id'] for entry in result['tasks']] == [task['task_id'] for task in tasks]
    assert all(entry['changed'] for entry in result['tasks'])
    assert result['tasks'][3]['request_id'] == 'UpdateStreamIngest-t3'


def test_a_second_run_sends_only_reads(runner):
    args = dict(sdk_app_id=1, paused=True, tasks=[dict(task_id='a'), dict(task_id='b')])
    runner.run(main, args, service(*each(UPDATE, 'a', 'b')))
    session = service(*each(DESCRIBE, 'a', 'b'))
    result = runner.run(main, args, session)
    assert result['changed'] is False
    assert sorted(session.actions) == ['DescribeStreamIngest', 'DescribeStreamIngest']


def test_one_failure_fails_the_run_but_the_others_are_applied_and_recorded(runner):
    session = service(*each(UPDATE, 'a', 'b', 'c', missing={'b'}))
    tasks = [dict(task_id='a'), dict(task_id='b'), dict(task_id='c')]
    result = runner.run(main, dict(sdk_app_id=1, volume=9, tasks=tasks), session)
    assert result['failed'] is True
    assert result['msg'].startswith('1 of 3 relay tasks failed: b: ')
    assert 'FailedOperation.TaskNotExist' in result['msg'] and 'UpdateStreamIngest-b' in result['msg']
    assert sorted(sent(session, 'UpdateStreamIngest')) == ['a', 'b', 'c']
    assert [entry.get('error', {}).get('code') for entry in result['tasks']] == [
        None, 'FailedOperation.TaskNotExist', None]
    with open(runner.record_file) as handle:
        recorded = json.load(handle)['tasks']
    assert sorted(key.rsplit('|', 1)[1] for key in recorded) == ['a', 'c']


def test_check_mode_and_diff_per_task(runner):
    runner.run(main, dict(sdk_app_id=1, volume=10, tasks=[dict(task_id='known')]), service(*each(UPDATE, 'known')))
    session = service(*each(DESCRIBE, 'known', 'new'))
    tasks = [dict(task_id='known'), dict(task_id='new')]
    result = runner.run(main, dict(sdk_app_id=1, volume=20, tasks=tasks), session, check_mode=True, diff=True)
    assert sorted(session.actions) == ['DescribeStreamIngest', 'DescribeStreamIngest']
    assert result['changed'] is True
    diffs = dict((diff['after']['task_id'], diff) for diff in result['diff'])
    assert diffs['known']['before']['volume'] == 10 and diffs['known']['after']['volume'] == 20
    assert 'no last-applied record' in diffs['new']['before_header']


def test_absent_for_many_tasks(runner):
    session = service(Call(STOP, TaskId='run').answers('r'),
                      Call(STOP, TaskId='done').fails('FailedOperation.TaskFinished', 'finished', 'r'))
    result = runner.run(main, dict(sdk_app_id=1, state='absent', tasks=[dict(task_id='run'), dict(task_id='done')]),
                        session)
    assert [entry['changed'] for entry in result['tasks']] == [True, False]
    assert sorted(session.actions) == ['StopStreamIngest', 'StopStreamIngest']


@pytest.mark.parametrize('args, message', [
    (dict(tasks=[dict(task_id='a'), dict(task_id='a')]), "tasks: task 'a' is listed twice"),
    (dict(tasks=[dict(task_id='a', volume=101)]), 'tasks[0].volume: must be between 0 and 100'),
    (dict(tasks=[dict(task_id='')]), 'tasks[0].task_id: must be a non-empty string'),
    (dict(tasks=[dict(task_id='a', stream_url='nope')]), 'tasks[0].stream_url: must be an absolute URL'),
    (dict(tasks=[dict(volume=3)]), 'task_id'),
    (dict(task_id='a', tasks=[dict(task_id='b')]), 'parameters are mutually exclusive: task_id|tasks'),
    (dict(), 'one of the following is required: task_id, user_id, tasks'),
])
def test_bad_lists_are_refused_before_any_request(runner, args, message):
    session = service()  # expecting no call
    result = runner.run(main, dict(sdk_app_id=1, **args), session)
    assert result['failed'] is True and message in result['msg']
    assert session.calls == []


@pytest.mark.parametrize('args, message', [
    (dict(tasks=[dict(task_id='a'), dict(task_id='b'), dict(task_id='c', volume=500)]),
     'tasks[2].volume: must be between 0 and 100 on the intl site, got 500'),
    (dict(tasks=[dict(task_id='a'), dict(task_id='b', stream_url='nope')]), 'tasks[1].stream_url: must be an absolute'),
    (dict(tasks=[dict(task_id='a'), dict(task_id='')]), 'tasks[1].task_id: must be a non-empty string'),
    # What every entry inherits is the module's option.
    (dict(volume=500, tasks=[dict(task_id='a'), dict(task_id='b')]), 'volume: must be between 0 and 100'),
    (dict(stream_url='nope', tasks=[dict(task_id='a')]), 'stream_url: must be an absolute'),
])
def test_a_bad_value_in_a_list_names_the_entry_it_is_in_or_the_option_every_entry_inherits(runner, args, message):
    session = service()  # expecting no call
    result = runner.run(main, dict(sdk_app_id=1, **args), session)
    assert result['failed'] is True and result['msg'].startswith(message), result['msg']
    assert session.calls == []


def test_an_unexpected_error_in_one_task_keeps_what_the_others_applied(runner):
    """The record is settled task by task: tasks applied before a crash are known, the crashed one is not."""
    args = dict(sdk_app_id=1, volume=30, tasks=[dict(task_id='a'), dict(task_id='b'), dict(task_id='c')])
    broken = Call(UPDATE, TaskId='c').raises(RuntimeError('the transport broke'))
    result = runner.run(main, args, service(*each(UPDATE, 'a', 'b') + [broken]))
    assert result['failed'] is True and 'RuntimeError' in result['msg']
    session = service(*each(UPDATE, 'c') + each(DESCRIBE, 'a', 'b'))
    runner.run(main, args, session)
    assert sorted(sent(session, 'UpdateStreamIngest')) == ['c']
    assert sorted(sent(session, 'DescribeStreamIngest')) == ['a', 'b']
