#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: trtc_stream_ingest
short_description: Start, update and stop TRTC relay tasks (stream ingest)
version_added: 1.0.0
description:
  - Manages TRTC relay tasks, which pull an online media stream (HLS, FLV, MP4 or RTMP) into a TRTC room through a
    robot user, over their whole life - C(StartStreamIngest), C(UpdateStreamIngest), C(StopStreamIngest).
  - 'A relay is named in one of two ways. By O(room_id) and O(user_id) (the room and the robot user that pushes the
    stream): the module starts the relay when nothing runs under that name, keeps its TaskId, converges its stream
    URL, volume and pause state, and stops it with O(state=absent). Or by O(task_id), for a task started elsewhere:
    the module updates and stops it.'
  - Idempotent through a last-applied record. No Tencent API lists relay tasks or reads back a task's stream URL,
    volume, pause state or start options (C(DescribeStreamIngest) only answers C(InProgress) or C(NotExist)), so the
    module remembers in O(record_file) the TaskId of each relay it started and what it last applied to each task.
    An update carries only the settings that differ from that record; nothing is sent when nothing differs.
  - StartStreamIngest is not idempotent. The module never starts two relays for one name - a per-relay lock covers
    reading the record, the Start and writing its TaskId, across forks and threads - and it does not send a Start
    again after one whose answer was lost; see O(force).
  - Changes made outside Ansible (console, tccli, SDK) are not seen. Use O(force=true) to send every given setting
    anyway, for instance after such a change.
author:
  - TRTC collection maintainers (@tencentcloud)
extends_documentation_fragment:
  - tencentcloud.trtc.connection
  - tencentcloud.trtc.connection.record
  - tencentcloud.trtc.connection.attributes
attributes:
  check_mode:
    description: Asks C(DescribeStreamIngest) (it only reads), sends no Start, Update or Stop and writes no record,
      but predicts RV(ignore:changed) and the diff; RV(task_id) is V(null) for a relay that would be started.
    support: full
  diff_mode:
    description: Before is the last-applied record (said plainly when nothing is known), after is what the task has
      once the module has run.
    support: full
options:
  sdk_app_id:
    description:
      - The SDKAppId of the TRTC application the relay belongs to.
    type: int
    required: true
  task_id:
    description:
      - The ID of a relay task, as returned by C(StartStreamIngest), to update or stop a task started elsewhere.
      - Exactly one of O(task_id), O(user_id) (with O(room_id)) and O(tasks) names what the module works on; or
        O(task_id) together with O(room_id) and O(user_id) to adopt a relay.
      - B(Adopt.) With O(room_id) and O(user_id), takes the relay task O(task_id) started elsewhere (tccli, the
        console, another controller) into the record under that name, once C(DescribeStreamIngest) says it runs;
        later runs by name converge and stop it. Refused when the record holds another TaskId for that name, or
        holds this one under another name. Its stream URL, volume, pause state and start options are not known
        until set through the module; start options cannot be given with it. It clears a mark of a Start that lost
        its answer or was refused with C(FailedOperation.TaskExist).
    type: str
  room_id:
    description:
      - The TRTC room of the relay named by O(room_id) and O(user_id); with O(tasks), the room of every entry that
        names no room of its own.
      - With O(room_id_type=integer) an integer from V(1) to V(4294967294) (given as a string or a number), with
        O(room_id_type=string) up to 64 UTF-8 bytes, in Unicode normalization form NFC (the form keyboards give).
        TRTC compares room ids as bytes, so the same text in another form would name another room; it is refused.
    type: str
    version_added: 1.1.0
  room_id_type:
    description:
      - Whether O(room_id) is an integer room id (C(RoomIdType) 1, the API's default) or a string one
        (C(RoomIdType) 0). It must match the room's type.
    type: str
    version_added: 1.1.0
    choices: [integer, string]
    default: integer
  user_id:
    description:
      - The robot user that enters the room and pushes the stream (C(UserId)). With O(room_id) it names the relay.
    type: str
    version_added: 1.1.0
  sdk_secret_key:
    description:
      - The application's SDK secret key (TRTC console, not the API O(secret_key)); the module makes the UserSig of
        O(user_id) from it (TLS sig v2) for each C(StartStreamIngest), valid for O(user_sig_expire) seconds.
      - Needed only when a relay must be started. Never logged, returned or written.
      - If not set, the environment variable E(TENCENTCLOUD_TRTC_SDK_SECRET_KEY) is used (not when O(user_sig) is
        given).
      - Mutually exclusive with O(user_sig).
    type: str
    version_added: 1.1.0
  user_sig:
    description:
      - A UserSig of O(user_id) made elsewhere, sent as is instead of one made from O(sdk_secret_key).
      - It must be a UserSig of O(user_id) and O(sdk_app_id); anything else, an empty string too, is refused before
        any request.
      - Never logged, returned or written.
    type: str
    version_added: 1.1.0
  user_sig_expire:
    description:
      - Lifetime in seconds of the UserSig the module makes from O(sdk_secret_key), at most 315360000 (ten years).
    type: int
    version_added: 1.1.0
    default: 86400
  private_map_key:
    description:
      - The C(PrivateMapKey), when the application has advanced room permissions on. Sent with C(StartStreamIngest)
        only. Never logged, returned or written.
    type: str
    version_added: 1.1.0
  seek_second:
    description:
      - Start-only - start playing the source at this second.
      - Start-only options are sent with C(StartStreamIngest) and cannot change on a running relay. When one differs
        from what the running relay was started with, the module warns, shows it in the diff and leaves the relay
        running; O(replace=true) stops it and starts it again with them.
    type: int
    version_added: 1.1.0
  auto_push:
    description:
      - Start-only - relay the stream to CDN as well (a console feature of the application).
    type: bool
    version_added: 1.1.0
  repeat_num:
    description:
      - Start-only - how many times the source is played; V(-1) loops until the relay is stopped or O(max_duration)
        passes. From V(-1) to V(1000), not V(0). The API's default is V(1).
    type: int
    version_added: 1.1.0
  max_duration:
    description:
      - Start-only - the longest the relay runs, in minutes, from V(1) to V(10080). Only with O(repeat_num=-1).
    type: int
    version_added: 1.1.0
  replace:
    description:
      - When a start-only option differs from what the running relay was started with, stop the relay and start it
        again with the new options (the stream is interrupted, and the relay gets a new TaskId).
    type: bool
    version_added: 1.1.0
    default: false
  tasks:
    description:
      - Many relays in one module run.
      - 'Each entry is a dictionary naming one relay, by O(tasks[].task_id) or by O(tasks[].user_id) (in the room
        O(tasks[].room_id), else O(room_id)): write C(- task_id: task-0001), not C(- task-0001). A list of plain task
        IDs such as C([task-0001, task-0002]) fails with C(dictionary requested, could not parse JSON or key=value).'
      - An entry may set its own settings, start options, O(tasks[].force), O(tasks[].replace) and secrets; what an
        entry leaves out is taken from the module's options. O(state) applies to every relay.
      - The relays are handled concurrently within O(rate_limit). Check mode, diff and the record behave per relay as
        for one. One relay's failure fails the module run but never stops the others; the message lists the relays
        that failed and why, and RV(tasks) holds the result of each.
    type: list
    elements: dict
    suboptions:
      task_id:
        description:
          - The ID of the relay task; with O(tasks[].user_id) and a room, the TaskId of a relay to adopt (see
            O(task_id)).
        type: str
      user_id:
        description:
          - The robot user of the relay, which names it with its room.
        type: str
      room_id:
        description:
          - The room of this relay, instead of O(room_id).
        type: str
      room_id_type:
        description:
          - The type of O(tasks[].room_id), instead of O(room_id_type).
        type: str
        choices: [integer, string]
      user_sig:
        description:
          - A UserSig of this relay's robot user, instead of one made from O(sdk_secret_key). Never logged.
        type: str
      private_map_key:
        description:
          - The C(PrivateMapKey) of this relay. Never logged.
        type: str
      stream_url:
        description:
          - The stream URL of this relay.
        type: str
      volume:
        description:
          - The volume of this relay, from V(0) to V(100) (V(200) on the China site).
        type: int
      paused:
        description:
          - Whether this relay is paused.
        type: bool
        aliases: [is_pause]
      seek_second:
        description:
          - Start-only, as O(seek_second).
        type: int
      auto_push:
        description:
          - Start-only, as O(auto_push).
        type: bool
      repeat_num:
        description:
          - Start-only, as O(repeat_num).
        type: int
      max_duration:
        description:
          - Start-only, as O(max_duration).
        type: int
      idle_timeout:
        description:
          - Start-only, as O(idle_timeout). China site only.
        type: int
      tempo:
        description:
          - The tempo of this relay, as O(tempo). China site only.
        type: float
      enable_progress:
        description:
          - As O(enable_progress), for this relay. China site only.
        type: bool
      force:
        description:
          - As O(force), for this relay.
        type: bool
      replace:
        description:
          - As O(replace), for this relay.
        type: bool
  stream_url:
    description:
      - The URL of the media stream the relay pulls; video of at most 1080p and 30 fps.
      - Must be an absolute URL with a host, with the scheme C(http), C(https), C(rtmp) or C(rtmps).
      - Required to start a relay. If omitted on a running relay, its stream URL is left as it is.
      - Credentials in it (the password of C(user:password@), a user part alone, and the values of query parameters
        named like C(txSecret), C(auth_key), C(sign), C(token) or C(Signature)) are sent to the service and shown
        masked (C(***)) everywhere else - results, diffs, messages. The last-applied record keeps its masked form and
        an HMAC of the whole URL keyed with O(secret_key), which tells whether a URL is the one last applied; after
        the secret key changes, such a URL is sent once more.
    type: str
  volume:
    description:
      - The volume, from V(0) to V(100) (V(200) on the China site); V(100) is the original volume (the default of a
        started relay).
      - If omitted, the volume is left as it is.
    type: int
  paused:
    description:
      - Whether the relay is paused. A paused relay is still billed, and the service destroys a relay paused for more
        than 12 hours. A relay started paused is a C(StartStreamIngest), then a C(UpdateStreamIngest).
      - If omitted, the pause state is left as it is.
    type: bool
    aliases: [is_pause]
  tempo:
    description:
      - The playback speed - V(0.5), V(0.75), V(1.0) (the default of a started relay), V(1.25), V(1.5), V(1.75) or
        V(2.0). China site only (O(site=china)).
      - If omitted, the tempo is left as it is.
    type: float
    version_added: 1.1.0
  enable_progress:
    description:
      - Whether the relay sends its playback progress to players as TRTC custom data. China site only.
      - If omitted, it is left as it is.
    type: bool
    version_added: 1.1.0
  idle_timeout:
    description:
      - Start-only - seconds, from V(0) to V(600), after which the service ends the relay when its source sends
        nothing; when not set, the service ends an idle relay as it sees fit. China site only.
    type: int
    version_added: 1.1.0
  exclusive:
    description:
      - With O(tasks), make the list the whole truth for the rooms it names - after converging the listed relays, stop
        every relay the record holds in those rooms (same application and endpoint) that the list does not name.
        Rooms the list does not name are never touched.
      - Each stopped relay has an entry in RV(stopped); check mode and diff show what would be stopped and send no
        C(StopStreamIngest). A relay of those rooms whose TaskId the record does not hold (a Start that lost its
        answer, a relay started elsewhere) cannot be stopped and is named in a warning. When a listed relay fails,
        nothing is stopped.
      - Only with O(tasks) and O(state=present); every entry names its relay by room and robot user.
    type: bool
    default: false
    version_added: 1.1.0
  state:
    description:
      - V(present) - a relay named by O(room_id) and O(user_id) is started if nothing runs under its name, then
        converged; a task named by O(task_id) is updated, and must exist.
      - V(absent) - the relay is stopped with C(StopStreamIngest) if it still runs. A relay named by room and user
        that the record does not know is V(ok), with a warning that nothing was stopped. One whose earlier
        C(StartStreamIngest) never answered fails, since it may run with a TaskId nobody knows; see O(force).
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - Send every given setting in the update, even those the record says the task already has.
      - For a relay whose earlier C(StartStreamIngest) never answered (a relay may run under its name with a TaskId
        nobody knows), send a C(StartStreamIngest) anyway; the service refuses it with
        C(FailedOperation.TaskExist) while such a relay runs. With O(state=absent), clear the mark of such a start
        (once none runs, since nothing can be stopped without its TaskId).
    type: bool
    default: false
notes:
  - The last-applied record lives on the host that runs the module. Running the same playbook from another machine,
    container or AWX job with a fresh file means nothing is known there - the first run sends the update again, and
    a relay named by room and user is started a second time. Keep O(record_file) on storage that outlives the job.
  - The entry of a task found stopped or missing is dropped from the record; a relay named by room and user whose
    task ended is started again by the next run with O(state=present).
seealso:
  - module: tencentcloud.trtc.trtc_stream_ingest_info
  - name: UpdateStreamIngest API reference
    description: The API this module calls to update a relay.
    link: https://www.tencentcloud.com/document/product/647/61469
  - plugin: tencentcloud.trtc.user_sig
    plugin_type: filter
'''

EXAMPLES = r'''
- name: Relay the event's main stream into room 8888 through the robot user relay-cam-1
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    room_id: "8888"
    user_id: relay-cam-1
    stream_url: https://cdn.example.com/live/event.flv
    repeat_num: -1
    max_duration: 180
    sdk_secret_key: "{{ vault_trtc_sdk_secret_key }}"
    region: ap-singapore
  register: relay

- name: Stop the relay of relay-cam-1 in room 8888
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    room_id: "8888"
    user_id: relay-cam-1
    state: absent

- name: Start one relay per camera in room 8888, each with its own stream
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    room_id: "8888"
    sdk_secret_key: "{{ vault_trtc_sdk_secret_key }}"
    tasks:
      - user_id: relay-cam-1
        stream_url: https://cdn.example.com/live/cam1.flv
      - user_id: relay-cam-2
        stream_url: https://cdn.example.com/live/cam2.flv
        volume: 60

- name: Room 8888 holds exactly these two relays; any other relay the record holds there is stopped
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    room_id: "8888"
    exclusive: true
    sdk_secret_key: "{{ vault_trtc_sdk_secret_key }}"
    tasks:
      - user_id: relay-cam-1
        stream_url: https://cdn.example.com/live/cam1.flv
      - user_id: relay-cam-2
        stream_url: https://cdn.example.com/live/cam2.flv

- name: Adopt a relay started with tccli, so that later runs by name converge and stop it
  tencentcloud.trtc.trtc_stream_ingest:
    sdk_app_id: 1400188366
    room_id: "8888"
    user_id: cam-tccli
    task_id: "{{ tccli_task_id }}"

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
    - With O(tasks), the result of each relay, in the order given.
  returned: when O(tasks) is used
  type: list
  elements: dict
  contains:
    task_id:
      description: The TaskId; V(null) in check mode for a relay that would be started.
      type: str
      returned: always
      sample: task-0001
    room_id: &relay_room_id
      description: The room of a relay named by room and user.
      type: str
      returned: for relays named by room and user
      sample: "8888"
    room_id_type: &relay_room_id_type
      description: The type of its room id.
      type: str
      returned: for relays named by room and user
      sample: integer
    user_id: &relay_user_id
      description: The robot user of a relay named by room and user.
      type: str
      returned: for relays named by room and user
      sample: relay-cam-1
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
stopped:
  description:
    - With O(exclusive=true), one entry per relay of the rooms the list names that the list does not name, stopped
      (in check mode, that would be stopped), with the fields of RV(tasks).
  returned: when O(exclusive=true)
  type: list
  elements: dict
  sample: [{"changed": true, "room_id": "8888", "room_id_type": "integer", "user_id": "relay-cam-3",
            "task_id": "task-0003", "status": "NotExist", "request_id": "9c0e3a5e-0f58-4c5b-8d3c-7c8f1d0b6f21"}]
task_id:
  description:
    - The TaskId of the relay, also when nothing changed; for a relay named by room and user, the one the record
      keeps. V(null) in check mode for a relay that would be started, and when a start failed.
  returned: for one relay (without O(tasks))
  type: str
  sample: CR6LqvF7Bz5Yr9Xq0t3xg+rTEL2p6vnZV4vJfQ1cUa8sHk/Y.
room_id:
  description: The room of a relay named by room and user.
  returned: for one relay named by room and user
  type: str
  sample: "8888"
room_id_type:
  description: The type of its room id.
  returned: for one relay named by room and user
  type: str
  sample: integer
user_id:
  description: The robot user of a relay named by room and user.
  returned: for one relay named by room and user
  type: str
  sample: relay-cam-1
status:
  description: The task status after the module ran, V(InProgress) or V(NotExist).
  returned: for one relay (without O(tasks))
  type: str
  sample: InProgress
request_id:
  description: The RequestId of the last API call made, to quote to Tencent Cloud support.
  returned: for one relay (without O(tasks))
  type: str
  sample: 71993312-6ab8-4768-9124-118e0a20c45f
task:
  description: The relay and the settings known for it (given now or last applied through this collection).
  returned: for one relay (without O(tasks))
  type: dict
  contains:
    sdk_app_id:
      description: The SDKAppId.
      type: int
      returned: always
      sample: 1400188366
    task_id:
      description: The task ID (V(null) for a relay not started).
      type: str
      returned: always
      sample: task-0001
    room_id: *relay_room_id
    room_id_type: *relay_room_id_type
    user_id: *relay_user_id
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
  returned: on API failure for one relay (without O(tasks))
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
