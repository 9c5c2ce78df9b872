#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: trtc_stream_ingest
short_description: Update or stop a TRTC relay task (stream ingest)
version_added: 1.0.0
description:
  - Sets the stream URL, volume and pause state of a running TRTC relay task, which pulls an online media stream
    (HLS, FLV, MP4 or RTMP) into a TRTC room, with the C(UpdateStreamIngest) API; or stops it with
    C(StopStreamIngest).
  - Idempotent through a last-applied record. No Tencent API reads back a task's stream URL, volume or pause state
    (C(DescribeStreamIngest) only answers C(InProgress) or C(NotExist)), so the module remembers what it last applied
    to each task in O(record_file) and sends an update only when a given option differs from that record.
  - Changes made outside Ansible (console, tccli, SDK) are therefore not seen. Use O(force=true) to send the update
    anyway, for instance after such a change.
author:
  - TRTC collection maintainers (@tencentcloud)
extends_documentation_fragment:
  - tencentcloud.trtc.connection
  - tencentcloud.trtc.connection.record
  - tencentcloud.trtc.connection.attributes
attributes:
  check_mode:
    description: Asks C(DescribeStreamIngest) (it only reads), sends no update and writes no record, but predicts
      RV(ignore:changed) and the diff.
    support: full
  diff_mode:
    description: Before is the last-applied record (said plainly when nothing is known), after is what the task has
      once the module has run.
    support: full
options:
  sdk_app_id:
    description:
      - The SDKAppId of the TRTC application the relay task belongs to.
    type: int
    required: true
  task_id:
    description:
      - The ID of the relay task, as returned by C(StartStreamIngest).
      - Exactly one of O(task_id) and O(tasks) is required.
    type: str
  tasks:
    description:
      - Many relay tasks in one module run.
      - 'Each entry is a dictionary with the key O(tasks[].task_id): write C(- task_id: task-0001), not C(- task-0001).
        A list of plain task IDs such as C([task-0001, task-0002]) fails with
        C(dictionary requested, could not parse JSON or key=value).'
      - An entry may set its own O(tasks[].stream_url), O(tasks[].volume), O(tasks[].paused) and O(tasks[].force);
        what an entry leaves out is taken from the module's O(stream_url), O(volume), O(paused) and O(force).
        O(state) applies to every task.
      - The tasks are handled concurrently within O(rate_limit). Check mode, diff and the record behave per task as
        for one task. One task's failure fails the module run but never stops the others from being applied; the
        message lists the tasks that failed and why, and RV(tasks) holds the result of each.
      - Exactly one of O(task_id) and O(tasks) is required.
    type: list
    elements: dict
    suboptions:
      task_id:
        description:
          - The ID of the relay task.
        type: str
        required: true
      stream_url:
        description:
          - The new stream URL of this task.
        type: str
      volume:
        description:
          - The volume of this task, from V(0) to V(100).
        type: int
      paused:
        description:
          - Whether this task is paused.
        type: bool
        aliases: [is_pause]
      force:
        description:
          - Send the update of this task even when the record says nothing would change.
        type: bool
  stream_url:
    description:
      - The new URL of the media stream the task pulls.
      - Must be an absolute URL with a host, with the scheme C(http), C(https), C(rtmp) or C(rtmps).
      - If omitted, the stream URL is left as it is.
    type: str
  volume:
    description:
      - The volume, from V(0) to V(100); V(100) is the original volume.
      - If omitted, the volume is left as it is.
    type: int
  paused:
    description:
      - Whether the task is paused. A paused task is still billed, and the service destroys a task paused for more
        than 12 hours.
      - If omitted, the pause state is left as it is.
    type: bool
    aliases: [is_pause]
  state:
    description:
      - V(present) updates the task, which must exist.
      - V(absent) stops the task with C(StopStreamIngest) if it still runs.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Send the update even when the last-applied record says nothing would change.
    type: bool
    default: false
notes:
  - The last-applied record lives on the host that runs the module. Running the same playbook from another machine,
    container or AWX job with a fresh file means nothing is known there, and the first run sends the update again.
  - The entry of a task found stopped or missing is dropped from the record.
seealso:
  - module: tencentcloud.trtc.trtc_stream_ingest_info
  - name: UpdateStreamIngest API reference
    description: The API this module calls.
    link: https://www.tencentcloud.com/document/product/647/61469
'''

EXAMPLES = r'''
- name: Switch a relay task to the backup stream at 80% volume
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    task_id: "{{ relay_task_id }}"
    stream_url: https://backup.example.com/live/event.flv
    volume: 80
    region: ap-singapore

- name: Pause a relay task, with credentials from the environment
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    task_id: "{{ relay_task_id }}"
    paused: true

- name: Pause every relay task of the event in one module run
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    paused: true
    tasks:
      - task_id: task-0001
      - task_id: task-0002
      - task_id: task-0003

- name: Switch each task to its own backup stream
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    tasks:
      - task_id: task-0001
        stream_url: https://backup.example.com/live/cam1.flv
      - task_id: task-0002
        stream_url: https://backup.example.com/live/cam2.flv
        volume: 60

- name: Set connection options once for every module of the collection
  module_defaults:
    group/tencentcloud.trtc.trtc:
      region: ap-singapore
      profile: production
  block:
    - name: Resume the task and send the update even if the record says it is already resumed
      tencentcloud.trtc.trtc_stream_ingest:
        sdk_app_id: 1400188366
        task_id: "{{ relay_task_id }}"
        paused: false
        force: true

    - name: Stop the relay task
      tencentcloud.trtc.trtc_stream_ingest:
        sdk_app_id: 1400188366
        task_id: "{{ relay_task_id }}"
        state: absent
'''

RETURN = r'''
tasks:
  description:
    - With O(tasks), the result of each task, in the order given.
  returned: when O(tasks) is used
  type: list
  elements: dict
  contains:
    task_id:
      description: The task ID.
      type: str
      returned: always
      sample: task-0001
    changed:
      description: Whether this task was changed (or, in check mode, would be).
      type: bool
      returned: always
      sample: true
    status:
      description: The task status, V(InProgress) or V(NotExist), when known.
      type: str
      returned: always
      sample: InProgress
    request_id:
      description: The RequestId of the last API call for this task.
      type: str
      returned: always
      sample: 71993312-6ab8-4768-9124-118e0a20c45f
    task:
      description: The task and its known settings, as RV(task) for one task.
      type: dict
      returned: always
      sample: {"sdk_app_id": 1400188366, "task_id": "task-0001", "paused": true}
    error:
      description: The API error of this task, as RV(error).
      type: dict
      returned: when this task failed
      sample: {"code": "FailedOperation.TaskNotExist", "message": "relay task 'task-0002' of SdkAppId 1400188366
        does not exist", "request_id": "2a0b0a4e-7d1f-4a53-9d6c-5b3b1c7e9f10", "action": "UpdateStreamIngest",
        "attempts": 1, "maybe_applied": false}
status:
  description: The task status after the module ran, V(InProgress) or V(NotExist).
  returned: with O(task_id)
  type: str
  sample: InProgress
request_id:
  description: The RequestId of the last API call made, to quote to Tencent Cloud support.
  returned: with O(task_id)
  type: str
  sample: 71993312-6ab8-4768-9124-118e0a20c45f
task:
  description: The task and the settings known for it (given now or last applied through this collection).
  returned: with O(task_id)
  type: dict
  contains:
    sdk_app_id:
      description: The SDKAppId.
      type: int
      returned: always
      sample: 1400188366
    task_id:
      description: The task ID.
      type: str
      returned: always
      sample: task-0001
    stream_url:
      description: The stream URL, when known.
      type: str
      returned: when known
      sample: https://backup.example.com/live/event.flv
    volume:
      description: The volume, when known.
      type: int
      returned: when known
      sample: 80
    paused:
      description: Whether the task is paused, when known.
      type: bool
      returned: when known
      sample: false
error:
  description: The API error that failed the module.
  returned: on API failure with O(task_id)
  type: dict
  contains:
    code:
      description: The Tencent Cloud error code, or C(ClientError.*), C(HTTPError.429) or C(HTTPError.5xx) for faults
        on the way.
      type: str
      returned: always
      sample: FailedOperation.TaskNotExist
    message:
      description: The error message.
      type: str
      returned: always
      sample: The task does not exist.
    request_id:
      description: The RequestId of the failed call, when the service answered.
      type: str
      returned: always
      sample: 2a0b0a4e-7d1f-4a53-9d6c-5b3b1c7e9f10
    action:
      description: The API action that failed.
      type: str
      returned: always
      sample: UpdateStreamIngest
    attempts:
      description: How many times the call was sent.
      type: int
      returned: always
      sample: 1
    maybe_applied:
      description:
        - Whether an earlier attempt of the call may have been applied by the service although its answer was lost
          (a timeout, a dropped connection, HTTP 5xx or C(InternalError*) before a retry).
      type: bool
      returned: always
      sample: false
'''

from ansible_collections.tencentcloud.trtc.plugins.module_utils._runner import TrtcModule
from ansible_collections.tencentcloud.trtc.plugins.module_utils._trtc_stream_ingest import ARGUMENT_SPEC, MODULE_KWARGS, run


def main():
    TrtcModule(ARGUMENT_SPEC, **MODULE_KWARGS).run(run)


if __name__ == '__main__':
    main()
