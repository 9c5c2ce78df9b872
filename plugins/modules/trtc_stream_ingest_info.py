#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: trtc_stream_ingest_info
short_description: Tell whether TRTC relay tasks run, and what was last applied to them
version_added: 1.0.0
description:
  - Asks C(DescribeStreamIngest) for each task ID whether the relay task is V(InProgress) or V(NotExist).
  - Answers also for relays named by room and robot user, as M(tencentcloud.trtc.trtc_stream_ingest) starts them -
    their TaskId from the last-applied record, and their status.
  - Adds what the last-applied record of M(tencentcloud.trtc.trtc_stream_ingest) knows of each task (stream URL,
    volume, pause state), since no Tencent API reads those back.
  - With neither O(task_ids) nor O(relays), lists every relay and task the record holds for O(sdk_app_id) at this
    endpoint (with O(room_id), only that room's relays), each with its status from C(DescribeStreamIngest), asked
    concurrently within the rate limit. No Tencent API lists relay tasks, so this is the list of what the collection
    started. Through O(record_store), it lists what every controller sharing the store started. Entries the record
    cannot vouch for say so in RV(relays[].note).
  - The record's layout is private and may change; this module is the supported way to read it.
  - Never changes anything, neither the tasks nor the record.
author:
  - TRTC collection maintainers (@tencentcloud)
extends_documentation_fragment:
  - tencentcloud.trtc.connection
  - tencentcloud.trtc.connection.record
  - tencentcloud.trtc.connection.attributes
attributes:
  check_mode:
    description: The module only reads, so it runs the same in check mode.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: N/A
options:
  sdk_app_id:
    description:
      - The SDKAppId of the TRTC application the relay tasks belong to.
    type: int
    required: true
  task_ids:
    description:
      - The IDs of the relay tasks to describe.
      - Without O(task_ids) and O(relays), the module lists what the record holds.
    type: list
    elements: str
  relays:
    description:
      - Relays named by room and robot user, to describe.
    type: list
    version_added: 1.1.0
    elements: dict
    suboptions:
      user_id:
        description:
          - The robot user of the relay.
        type: str
        required: true
      room_id:
        description:
          - The room of the relay, instead of O(room_id).
        type: str
      room_id_type:
        description:
          - The type of O(relays[].room_id), instead of O(room_id_type).
        type: str
        choices: [integer, string]
  room_id:
    description:
      - The room of every entry of O(relays) that names no room of its own.
      - Without O(task_ids) and O(relays), list only the relays of this room (of type O(room_id_type)).
    type: str
    version_added: 1.1.0
  room_id_type:
    description:
      - Whether room ids are integer (the API's default) or string room ids.
    type: str
    version_added: 1.1.0
    choices: [integer, string]
    default: integer
seealso:
  - module: tencentcloud.trtc.trtc_stream_ingest
'''

EXAMPLES = r'''
- name: Find out which relay tasks of an event still run
  tencentcloud.trtc.trtc_stream_ingest_info:
    sdk_app_id: 1400188366
    task_ids:
      - task-0001
      - task-0002
    region: ap-singapore
  register: relay

- name: Ask for the relays of two robot users in room 8888
  tencentcloud.trtc.trtc_stream_ingest_info:
    sdk_app_id: 1400188366
    room_id: "8888"
    relays:
      - user_id: relay-cam-1
      - user_id: relay-cam-2
  register: relays

- name: List every relay and task the record holds for the application, with their status
  tencentcloud.trtc.trtc_stream_ingest_info:
    sdk_app_id: 1400188366
  register: held

- name: Show the relays of room 8888 that run, and what the record cannot vouch for
  ansible.builtin.debug:
    msg:
      running: "{{ held.relays | selectattr('room_id', 'equalto', '8888') | selectattr('status', 'equalto', 'InProgress')
                   | map(attribute='user_id') | list }}"
      in_doubt: "{{ held.relays | selectattr('note') | map(attribute='note') | list }}"

- name: Show the tasks that run
  ansible.builtin.debug:
    msg: "{{ relay.tasks | selectattr('status', 'equalto', 'InProgress') | map(attribute='task_id') | list }}"
'''

RETURN = r'''
tasks:
  description:
    - One entry per task ID of O(task_ids), in the order given.
    - When listing, one entry per task the record holds that was named by its TaskId and is no relay's, by TaskId.
  returned: always
  type: list
  elements: dict
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
    status:
      description: V(InProgress) or V(NotExist), as C(DescribeStreamIngest) answered.
      type: str
      returned: always
      sample: InProgress
    request_id:
      description: The RequestId of the C(DescribeStreamIngest) call.
      type: str
      returned: always
      sample: 71993312-6ab8-4768-9124-118e0a20c45f
    stream_url: &task_stream_url
      description: The stream URL last applied through this collection, when known.
      type: str
      returned: when known
      sample: https://backup.example.com/live/event.flv
    volume: &task_volume
      description: The volume last applied through this collection, when known.
      type: int
      returned: when known
      sample: 80
    paused: &task_paused
      description: The pause state last applied through this collection, when known.
      type: bool
      returned: when known
      sample: false
    applied_at: &applied_at
      description: When the record last settled what the service holds (UTC).
      type: str
      returned: when listing
      sample: "2026-12-07T06:30:00Z"
    unknown: &unknown
      description:
        - The settings whose value the record cannot vouch for, since an earlier request set them and its answer never
          came, or may still land; the next run that gives them sends them again.
      type: list
      elements: str
      returned: when listing
      sample: [volume]
    note: &note
      description:
        - What the record cannot vouch for, in words, V(null) when it vouches for all it shows - settings unknown, a
          relay that no longer runs, or a Start that lost its answer (status V(Unknown)).
      type: str
      returned: when listing
      sample: "volume unknown: an earlier request set it and its answer never came, or it may still land"
relays:
  description:
    - One entry per relay of O(relays), in the order given.
    - When listing, one entry per relay the record holds (named by room and robot user), by room and user.
  returned: always
  type: list
  elements: dict
  contains:
    room_id:
      description: The room.
      type: str
      returned: always
      sample: "8888"
    room_id_type:
      description: The type of the room id.
      type: str
      returned: always
      sample: integer
    user_id:
      description: The robot user.
      type: str
      returned: always
      sample: relay-cam-1
    task_id:
      description: The TaskId the record keeps for the relay, V(null) when none.
      type: str
      returned: always
      sample: CR6LqvF7Bz5Yr9Xq0t3xg+rTEL2p6vnZV4vJfQ1cUa8sHk/Y.
    status:
      description:
        - V(InProgress) or V(NotExist), as C(DescribeStreamIngest) answered for the recorded TaskId; V(NotExist) when
          the record knows no TaskId, and V(Unknown) when an earlier start of it never answered (a relay may run
          under that name with a TaskId nobody knows) or when M(tencentcloud.trtc.trtc_record_move) moved it to
          another record, which RV(relays[].note) names.
      type: str
      returned: always
      sample: InProgress
    request_id:
      description: The RequestId of the C(DescribeStreamIngest) call, V(null) when none was made.
      type: str
      returned: always
      sample: 71993312-6ab8-4768-9124-118e0a20c45f
    stream_url: *task_stream_url
    volume: *task_volume
    paused: *task_paused
    start:
      description:
        - The start options the relay was started with (V(null) when not known, as for an adopted relay).
      type: dict
      returned: when listing
      sample: {seek_second: 0, auto_push: false, repeat_num: -1}
    since:
      description: Since when the record holds the relay (UTC), V(null) when not known.
      type: str
      returned: when listing
      sample: "2026-12-07T06:00:00Z"
    applied_at: *applied_at
    unknown: *unknown
    note:
      description:
        - What the record cannot vouch for, in words, V(null) when it vouches for all it shows - settings unknown, a
          relay that no longer runs, a Start that lost its answer, or a relay moved to another record (status
          V(Unknown)).
      type: str
      returned: when listing, and for a relay of O(relays) moved to another record
      sample: "volume unknown: an earlier request set it and its answer never came, or it may still land"
error:
  description: The API error that failed the module, with C(code), C(message), C(request_id), C(action),
    C(attempts) and C(maybe_applied), the fields of RV(tencentcloud.trtc.trtc_stream_ingest#module:error).
  returned: on API failure
  type: dict
  sample:
    code: AuthFailure.SignatureFailure
    message: The provided credentials could not be validated.
    request_id: 2a0b0a4e-7d1f-4a53-9d6c-5b3b1c7e9f10
    action: DescribeStreamIngest
    attempts: 1
    maybe_applied: false
'''

from ansible_collections.tencentcloud.trtc.plugins.module_utils._runner import TrtcModule
from ansible_collections.tencentcloud.trtc.plugins.module_utils._trtc_stream_ingest_info import ARGUMENT_SPEC, MODULE_KWARGS, run


def main():
    TrtcModule(ARGUMENT_SPEC, **MODULE_KWARGS).run(run)


if __name__ == '__main__':
    main()
