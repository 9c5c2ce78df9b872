# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""trtc_stream_ingest_info: its options and its run, shared by the module and its action plugin."""

from __future__ import annotations

import concurrent.futures
import time

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError, require_task_id
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._executor import describe
from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import Target, moved_words
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import SETTINGS
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    held, known_settings, live_doubts, relay_name_of,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay import (
    IN_PROGRESS, ROOM_ID_TYPES, require_sdk_app_id, room_id_problem, user_id_problem,
)

ARGUMENT_SPEC = dict(
    sdk_app_id=dict(type='int', required=True),
    task_ids=dict(type='list', elements='str'),
    room_id=dict(type='str'),
    room_id_type=dict(type='str', choices=list(ROOM_ID_TYPES), default='integer'),
    relays=dict(type='list', elements='dict', options=dict(
        user_id=dict(type='str', required=True),
        room_id=dict(type='str'),
        room_id_type=dict(type='str', choices=list(ROOM_ID_TYPES)),
    )),
)

MODULE_KWARGS = dict(supports_check_mode=True)

# Threads asking DescribeStreamIngest for the list; the rate limit, not this, sets the pace.
MAX_WORKERS = 16


def relay_names(params):
    """room_id, room_id_type and user_id of each relay asked for, an entry's own before the module's."""
    names = []
    for entry in params['relays'] or []:
        name = dict(room_id=params['room_id'], room_id_type=params['room_id_type'])
        name.update((key, value) for key, value in entry.items() if value is not None)
        names.append(name)
    return names


def validate(params):
    require_sdk_app_id(params['sdk_app_id'])
    for task_id in params['task_ids'] or []:
        require_task_id(task_id, 'task_ids')
    if params['room_id'] is not None and not params['relays']:
        problem = room_id_problem(params['room_id'], params['room_id_type'])
        if problem:
            raise ConfigurationError('room_id: %s' % problem)
    for name in relay_names(params):
        problem = user_id_problem(name['user_id'])
        if problem:
            raise ConfigurationError('relays[].user_id: %s' % problem)
        if name['room_id'] is None:
            raise ConfigurationError('relays[].room_id: required (or room_id for every relay)')
        problem = room_id_problem(name['room_id'], name['room_id_type'])
        if problem:
            raise ConfigurationError('relays[].room_id: %s' % problem)


def describe_relay(client, record, target):
    """What the record knows of a relay named by room and user (target), and whether its task runs."""
    entry = record.entry(target.key)
    task_id = entry.get('task_id')
    view = target.view(task_id, {})
    if entry.get('moved_to'):  # another record holds it: nothing here says whether it runs
        return dict(view, status='Unknown', request_id=None, note=moved_words(entry))
    if not task_id:
        return dict(view, status='NotExist' if not entry.get('starting_since') else 'Unknown', request_id=None)
    seen = describe(client, target.sdk_app_id, task_id)
    known = known_settings(entry) if seen.status == IN_PROGRESS else {}
    return dict(target.view(task_id, known), status=seen.status, request_id=seen.request_id)


def describe_task(client, record, sdk_app_id, task_id):
    target = Target(client.url, sdk_app_id, task_id=task_id)
    seen = describe(client, sdk_app_id, task_id)
    known = record.get(target.key) if seen.status == IN_PROGRESS else {}
    return dict(target.view(task_id, known), status=seen.status, request_id=seen.request_id)


def statuses(client, sdk_app_id, task_ids):
    """{task_id: Seen} of DescribeStreamIngest, asked concurrently (the client keeps within the rate limit)."""
    if not task_ids:
        return {}
    with concurrent.futures.ThreadPoolExecutor(min(MAX_WORKERS, len(task_ids))) as pool:
        futures = dict((task_id, pool.submit(describe, client, sdk_app_id, task_id)) for task_id in task_ids)
        return dict((task_id, future.result()) for task_id, future in futures.items())


def unknown_settings(entry, now):
    """The settings an earlier request may have changed since the record last knew them: pending or in doubt."""
    pending = [name for name in entry.get('pending') or () if name in SETTINGS]
    return sorted(set(pending) | set(name for name in live_doubts(entry, now) if name in SETTINGS))


def listed(view, entry, seen, now):
    """One entry of the list: what the record holds and what the service said, and what the record cannot vouch for."""
    if seen is None and entry.get('runs_elsewhere_since'):
        return dict(view, status='Unknown', request_id=None, start=None, since=entry['runs_elsewhere_since'],
                    unknown=[], note='the service refused its StartStreamIngest with FailedOperation.TaskExist '
                                     '(RequestId: %s): a relay started elsewhere runs under it, with a TaskId the '
                                     'record does not hold; adopt it (task_id with room_id and user_id), or use the '
                                     'record_store of the controller that started it'
                                     % entry.get('runs_elsewhere_request_id'))
    if seen is None:  # no TaskId: a Start that lost its answer (or was refused while a relay ran under it)
        return dict(view, status='Unknown', request_id=None, start=entry.get('start'),
                    since=entry.get('starting_since'), unknown=[],
                    note='an earlier StartStreamIngest of it ended without an answer (or was refused because a relay '
                         'already ran under this robot user): a relay may be running under it with a TaskId the '
                         'record does not hold')
    running = seen.status == IN_PROGRESS
    result = dict(view, status=seen.status, request_id=seen.request_id, start=entry.get('start'),
                  since=entry.get('started_at'), applied_at=entry.get('applied_at'), unknown=[], note=None)
    if entry.get('adopted'):
        result['adopted'] = True
    if not running:
        result['note'] = ('the record holds it, but the service says it no longer runs (it ended by itself); the '
                          'next run that names it starts it anew, or forgets it with state=absent')
        return result
    result.update(known_settings(entry))
    result['unknown'] = unknown_settings(entry, now)
    if result['unknown']:
        result['note'] = ('%s unknown: an earlier request set it and its answer never came, or it may still land; '
                          'the next run that gives it sends it again' % ', '.join(result['unknown']))
    return result


def moved_away(entries, endpoint_url, sdk_app_id, room=None):
    """{where: how many} of the relays of this application here (and room) that trtc_record_move carried to another
    record: this one holds only a mark of where each went, so the list cannot show them."""
    counts = {}
    for key, entry in entries.items():
        name = relay_name_of(key)
        if entry.get('moved_to') and name is not None and name[:2] == (endpoint_url, sdk_app_id) and room in (
                None, (name[3], name[2])):
            counts[entry['moved_to']] = counts.get(entry['moved_to'], 0) + 1
    return counts


def list_held(client, record, sdk_app_id, room=None):
    """(relays, tasks, moved) of the list form: every relay and task the record holds here, with the service's
    status, and where the relays it no longer holds were moved (moved_away)."""
    entries = record.entries()
    relays, tasks = held(entries, client.url, sdk_app_id, room)
    task_ids = [entry['task_id'] for name, entry in relays if entry.get('task_id')]
    task_ids += [task_id for task_id, dummy in tasks]
    seen = statuses(client, sdk_app_id, sorted(set(task_ids)))
    now = time.time()
    relay_views = []
    for name, entry in relays:
        target = Target(client.url, sdk_app_id, name=name)
        task_id = entry.get('task_id')
        relay_views.append(listed(target.view(task_id, {}), entry, seen.get(task_id), now))
    task_views = [listed(Target(client.url, sdk_app_id, task_id=task_id).view(task_id, {}), entry, seen[task_id], now)
                  for task_id, entry in tasks]
    for view in task_views:
        view.pop('start', None)
        view.pop('since', None)
    return relay_views, task_views, moved_away(entries, client.url, sdk_app_id, room)


def run(runner):
    """trtc_stream_ingest_info: the status of each task and what the record knows of it; with neither task_ids nor
    relays, every relay and task the record holds for the application at this endpoint."""
    params = runner.params
    runner.check(validate, params)
    client = runner.client()
    record = runner.record(read_only=True)
    if params['task_ids'] is None and params['relays'] is None:
        room = (params['room_id'], params['room_id_type']) if params['room_id'] is not None else None
        try:
            relays, tasks, moved = list_held(client, record, params['sdk_app_id'], room)
        except TencentCloudError as error:
            runner.fail_api(error, tasks=[], relays=[])
        for where, count in sorted(moved.items()):
            runner.warn('%d relays of this application here were moved to the %s (by trtc_record_move), which holds '
                        'them now: list them through that record' % (count, where))
        runner.exit_json(changed=False, tasks=tasks, relays=relays)
    tasks = []
    relays = []
    try:
        for task_id in params['task_ids'] or []:
            tasks.append(describe_task(client, record, params['sdk_app_id'], task_id))
        for name in relay_names(params):
            target = Target(client.url, params['sdk_app_id'], name=name)
            relays.append(describe_relay(client, record, target))
            if relays[-1].get('note'):
                runner.warn('%s: %s' % (target.label, relays[-1]['note']))
    except TencentCloudError as error:
        runner.fail_api(error, tasks=tasks, relays=relays)
    runner.exit_json(changed=False, tasks=tasks, relays=relays)
