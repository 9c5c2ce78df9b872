# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""trtc_stream_ingest_info: its options and its run, shared by the module and its action plugin."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import require_task_id
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay import (
    IN_PROGRESS, StreamIngestTask, require_sdk_app_id, task_view,
)

ARGUMENT_SPEC = dict(
    sdk_app_id=dict(type='int', required=True),
    task_ids=dict(type='list', elements='str', required=True),
)

MODULE_KWARGS = dict(supports_check_mode=True)


def validate(params):
    require_sdk_app_id(params['sdk_app_id'])
    for task_id in params['task_ids']:
        require_task_id(task_id, 'task_ids')


def describe_task(client, record, sdk_app_id, task_id):
    task = StreamIngestTask(client, record, sdk_app_id, task_id)
    status, request_id = task.describe()
    known = task.known() if status == IN_PROGRESS else {}
    return dict(task_view(sdk_app_id, task_id, known), status=status, request_id=request_id)


def run(runner):
    """trtc_stream_ingest_info: the status of each task and what the record knows of it."""
    params = runner.params
    runner.check(validate, params)
    client = runner.client()
    record = runner.record(read_only=True)
    tasks = []
    try:
        for task_id in params['task_ids']:
            tasks.append(describe_task(client, record, params['sdk_app_id'], task_id))
    except TencentCloudError as error:
        runner.fail_api(error, tasks=tasks)
    runner.exit_json(changed=False, tasks=tasks)
