# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""trtc_stream_ingest_info: its options and its run, shared by the module and its action plugin."""

from __future__ import annotations

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError, require_task_id
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._executor import describe
from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import Target
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import known_settings
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

MODULE_KWARGS = dict(supports_check_mode=True, required_one_of=[('task_ids', 'relays')])


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
    for name in relay_names(params):
        problem = user_id_problem(name['user_id'])
        if problem:
            raise ConfigurationError('relays[].user_id: %s' % problem)
        if name['room_id'] is None:
            raise ConfigurationError('relays[].room_id: required (or room_id for every relay)')
        problem = room_id_problem(name['room_id'], name['room_id_type'])
        if problem:
            raise ConfigurationError('relays[].room_id: %s' % problem)


def describe_relay(client, record, sdk_app_id, name):
    """What the record knows of a relay named by room and user, and whether its task runs."""
    target = Target(client.url, sdk_app_id, name=name)
    entry = record.entry(target.key)
    task_id = entry.get('task_id')
    view = target.view(task_id, {})
    if not task_id:
        return dict(view, status='NotExist' if not entry.get('starting_since') else 'Unknown', request_id=None)
    seen = describe(client, sdk_app_id, task_id)
    known = known_settings(entry) if seen.status == IN_PROGRESS else {}
    return dict(target.view(task_id, known), status=seen.status, request_id=seen.request_id)


def describe_task(client, record, sdk_app_id, task_id):
    target = Target(client.url, sdk_app_id, task_id=task_id)
    seen = describe(client, sdk_app_id, task_id)
    known = record.get(target.key) if seen.status == IN_PROGRESS else {}
    return dict(target.view(task_id, known), status=seen.status, request_id=seen.request_id)


def run(runner):
    """trtc_stream_ingest_info: the status of each task and what the record knows of it."""
    params = runner.params
    runner.check(validate, params)
    client = runner.client()
    record = runner.record(read_only=True)
    tasks = []
    relays = []
    try:
        for task_id in params['task_ids'] or []:
            tasks.append(describe_task(client, record, params['sdk_app_id'], task_id))
        for name in relay_names(params):
            relays.append(describe_relay(client, record, params['sdk_app_id'], name))
    except TencentCloudError as error:
        runner.fail_api(error, tasks=tasks, relays=relays)
    runner.exit_json(changed=False, tasks=tasks, relays=relays)
