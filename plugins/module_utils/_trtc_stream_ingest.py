# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""trtc_stream_ingest: its options and its run, shared by the module and its action plugin.

A run takes a runner (_runner.TrtcModule, or the action plugin's in-controller runner).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError, require_task_id
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay import (
    converge_many, desired_settings, list_result, require_sdk_app_id, stream_url_problem, volume_problem,
)

SETTING_OPTIONS = dict(
    stream_url=dict(type='str'),
    volume=dict(type='int'),
    paused=dict(type='bool', aliases=['is_pause']),
)

ARGUMENT_SPEC = dict(
    sdk_app_id=dict(type='int', required=True),
    task_id=dict(type='str'),
    tasks=dict(type='list', elements='dict',
               options=dict(task_id=dict(type='str', required=True), force=dict(type='bool'), **SETTING_OPTIONS)),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    force=dict(type='bool', default=False),
    **SETTING_OPTIONS
)

MODULE_KWARGS = dict(
    supports_check_mode=True,
    mutually_exclusive=[('task_id', 'tasks')],
    required_one_of=[('task_id', 'tasks')],
)


def task_specs(params):
    """One dict per task: its task_id, force and settings, an entry's own values before the module's."""
    entries = params['tasks'] if params['tasks'] is not None else [dict(task_id=params['task_id'])]
    specs = []
    for entry in entries:
        spec = dict((name, params[name]) for name in ('force', 'stream_url', 'volume', 'paused'))
        spec.update((name, value) for name, value in entry.items() if value is not None)
        specs.append(spec)
    return specs


def validate(params, specs):
    require_sdk_app_id(params['sdk_app_id'])
    option = 'task_id' if params['tasks'] is None else 'tasks[].task_id'
    prefix = '' if params['tasks'] is None else 'tasks[].'
    seen = set()
    for spec in specs:
        require_task_id(spec['task_id'], option)
        if spec['task_id'] in seen:
            raise ConfigurationError('tasks: task %r is listed twice' % spec['task_id'])
        seen.add(spec['task_id'])
        problems = (('stream_url', spec['stream_url'] is not None and stream_url_problem(spec['stream_url'])),
                    ('volume', volume_problem(spec['volume'])))
        for name, problem in problems:
            if problem:
                raise ConfigurationError('%s%s: %s' % (prefix, name, problem))
        if params['state'] == 'absent' and desired_settings(spec):
            raise ConfigurationError('stream_url, volume and paused cannot be used with state=absent')


def run(runner):
    """trtc_stream_ingest: one task (task_id) or many (tasks), present or absent."""
    params = runner.params
    if params['tasks'] == []:
        runner.exit_json(changed=False, tasks=[], diff=[])
    specs = task_specs(params)
    runner.check(validate, params, specs)
    client = runner.client()
    record = runner.record()
    outcomes = converge_many(client, record, params['sdk_app_id'], specs, params['state'], runner.check_mode)
    for outcome in outcomes:
        for warning in outcome.warnings:
            runner.warn(warning)
    result = outcomes[0].result() if params['tasks'] is None else list_result(outcomes)
    if any(outcome.error is not None for outcome in outcomes):
        runner.fail_json(**result)
    runner.exit_json(**result)
