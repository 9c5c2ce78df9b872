# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Check mode predicts the run: each situation a user meets, run in check mode and then for real, agrees."""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.tencentcloud.trtc.tests.unit.plugins.modules.test_trtc_stream_ingest_relay import (
    RELAY, STREAM, emulated_trtc, run,
)

OTHER = 'https://cdn.example.com/live/backup.flv'


def started(runner, service, **args):
    """The relay of RELAY started by a run."""
    return run(runner, service, **dict(dict(stream_url=STREAM, **RELAY), **args))


def ended_on_its_own(runner, service):
    service.end_all()


def lost_start(runner, service):
    with open(runner.record_file) as handle:
        record = json.load(handle)
    record['tasks'] = dict((key, entry) for key, entry in record['tasks'].items() if key.startswith('["relay"'))
    for entry in record['tasks'].values():
        entry.pop('task_id', None)
        entry['starting_since'] = '2026-12-04T00:00:00Z'
    with open(runner.record_file, 'w') as handle:
        json.dump(record, handle)


def started_elsewhere(runner, service):
    """A relay of RELAY's name started by another controller: this one's Start is refused with TaskExist."""
    runs_elsewhere_only(runner, service)
    assert started(runner, service)['failed'] is True


def runs_elsewhere_only(runner, service):
    """A relay of RELAY's name started elsewhere, which this controller's record knows nothing of."""
    service.put_tasks(dict(sdk_app_id=RELAY['sdk_app_id'], task_id='elsewhere-task', room_id='8888',
                           user_id='relay-cam-1'))


def other_relays(runner, service):
    """Two more relays in room 8888 and one in room 9999."""
    for room_id, user_id in (('8888', 'relay-cam-2'), ('8888', 'relay-cam-3'), ('9999', 'relay-cam-2')):
        started(runner, service, room_id=room_id, user_id=user_id)


def by_task_id(runner, service, **args):
    return dict(sdk_app_id=RELAY['sdk_app_id'], task_id=next(iter(service.tasks)), **args)


# (id, what happened before, the arguments of the run, given the service and the runner)
SITUATIONS = [
    ('start', [], lambda runner, service: dict(stream_url=STREAM, **RELAY)),
    ('start-paused', [], lambda runner, service: dict(stream_url=STREAM, paused=True, **RELAY)),
    ('keep', [started], lambda runner, service: dict(stream_url=STREAM, **RELAY)),
    ('update', [started], lambda runner, service: dict(stream_url=OTHER, volume=40, **RELAY)),
    ('ended-started-anew', [started, ended_on_its_own], lambda runner, service: dict(stream_url=STREAM, **RELAY)),
    ('start-option-kept', [started], lambda runner, service: dict(stream_url=STREAM, repeat_num=5, **RELAY)),
    ('replace', [started], lambda runner, service: dict(stream_url=STREAM, repeat_num=5, replace=True, **RELAY)),
    ('lost-start-refused', [started, ended_on_its_own, lost_start],
     lambda runner, service: dict(stream_url=STREAM, **RELAY)),
    ('stop', [started], lambda runner, service: dict(state='absent', **RELAY)),
    ('stop-lost-start-refused', [started, ended_on_its_own, lost_start],
     lambda runner, service: dict(state='absent', **RELAY)),
    ('stop-lost-start-forced-forgets', [started, ended_on_its_own, lost_start],
     lambda runner, service: dict(state='absent', force=True, **RELAY)),
    ('runs-elsewhere-refused', [started_elsewhere], lambda runner, service: dict(stream_url=STREAM, **RELAY)),
    ('stop-runs-elsewhere-refused', [started_elsewhere], lambda runner, service: dict(state='absent', **RELAY)),
    ('stop-runs-elsewhere-forced-forgets', [started_elsewhere],
     lambda runner, service: dict(state='absent', force=True, **RELAY)),
    ('adopt', [runs_elsewhere_only], lambda runner, service: dict(task_id='elsewhere-task', volume=30, **RELAY)),
    ('adopt-over-mark', [started_elsewhere], lambda runner, service: dict(task_id='elsewhere-task', **RELAY)),
    ('adopt-not-running-refused', [], lambda runner, service: dict(task_id='nothing-runs', **RELAY)),
    ('adopt-other-refused', [started, runs_elsewhere_only], lambda runner, service: dict(
        task_id='elsewhere-task', **RELAY)),
    ('adopt-absent-stops', [runs_elsewhere_only], lambda runner, service: dict(
        task_id='elsewhere-task', state='absent', **RELAY)),
    ('exclusive', [started, other_relays], lambda runner, service: dict(
        sdk_app_id=RELAY['sdk_app_id'], room_id='8888', sdk_secret_key=RELAY['sdk_secret_key'], exclusive=True,
        tasks=[dict(user_id='relay-cam-1', stream_url=STREAM), dict(user_id='relay-cam-new', stream_url=STREAM)])),
    ('stop-never-started', [], lambda runner, service: dict(state='absent', **RELAY)),
    ('stop-ended', [started, ended_on_its_own], lambda runner, service: dict(state='absent', **RELAY)),
    ('task-update', [started], lambda runner, service: by_task_id(runner, service, volume=10)),
    ('task-keep', [started], lambda runner, service: by_task_id(runner, service, paused=False)),
    ('task-stop', [started], lambda runner, service: by_task_id(runner, service, state='absent')),
    ('task-missing', [], lambda runner, service: dict(sdk_app_id=RELAY['sdk_app_id'], task_id='gone', volume=3)),
    ('list', [started], lambda runner, service: dict(sdk_app_id=RELAY['sdk_app_id'], room_id='8888',
                                                     sdk_secret_key=RELAY['sdk_secret_key'], tasks=[
                                                         dict(user_id='relay-cam-1', stream_url=STREAM, volume=9),
                                                         dict(user_id='relay-cam-2', stream_url=STREAM)])),
]


def without_task_ids(value):
    """A result, diff or view with its TaskIds and RequestIds left out (a check run cannot know a Start's TaskId), and
    its diff headers in one tense."""
    if isinstance(value, dict):
        return dict((key, in_one_tense(item) if key.endswith('_header') else without_task_ids(item))
                    for key, item in value.items() if key not in ('task_id', 'request_id'))
    if isinstance(value, list):
        return [without_task_ids(item) for item in value]
    return value


def in_one_tense(text):
    """A message as a run says it: check mode says what it would do ('would stop ...') where a run says what it did."""
    text = re.sub(r'would stop (relay task \S+) and start it again', r'stopped \1 and started it again', text)
    text = text.replace('(would be started)', '(started)')
    # The same error, found by check mode's DescribeStreamIngest or by the run's own request; each answer has a
    # RequestId of its own.
    text = re.sub(r'(^|: )\w+StreamIngest failed: |\(RequestId: [^)]*\)', r'\1', text)
    return re.sub(r'RequestId: [^\s),;]+', 'RequestId: ...', text)


def prediction_of(result):
    """What check mode must predict of a run."""
    entries = (result.get('tasks') or [result]) + result.get('stopped', [])
    warnings = [warning['event']['msg'] if isinstance(warning, dict) else warning for warning in result.get('warnings', [])]
    return dict(changed=result['changed'], failed=result.get('failed', False), msg=in_one_tense(result.get('msg') or ''),
                warnings=[in_one_tense(warning) for warning in warnings],
                entries=[dict(changed=entry['changed'], task=without_task_ids(entry['task']),
                              error=(entry.get('error') or {}).get('code')) for entry in entries],
                diff=without_task_ids(result.get('diff')))


def describe_only(calls):
    return [call['action'] for call in calls if call['action'] != 'DescribeStreamIngest']


@pytest.mark.parametrize('before, args', [situation[1:] for situation in SITUATIONS],
                         ids=[situation[0] for situation in SITUATIONS])
def test_check_mode_predicts_the_run(runner, before, args):
    service = emulated_trtc()
    for step in before:
        step(runner, service)
    arguments = args(runner, service)
    sent_before = len(service.calls)
    predicted = runner.run(_main(), arguments, service, check_mode=True, diff=True)
    assert describe_only(service.calls[sent_before:]) == [], 'check mode sent more than DescribeStreamIngest'
    ran = runner.run(_main(), arguments, service, diff=True)
    assert prediction_of(predicted) == prediction_of(ran)


def _main():
    from ansible_collections.tencentcloud.trtc.plugins.modules.trtc_stream_ingest import main
    return main
