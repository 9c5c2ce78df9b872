#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: trtc_record_move
short_description: Move the last-applied record between the local file and a shared Redis store
version_added: 1.1.0
description:
  - Carries every entry of the last-applied record of M(tencentcloud.trtc.trtc_stream_ingest) - the TaskIds of the
    relays named by room and robot user, what was last applied, the marks of Starts that lost their answer - from
    the local O(record_file) into the Redis store O(record_store) (O(to=store)), or back (O(to=file)).
  - Each entry moves under its lock in both records - written to the destination, then, in the source, replaced by a
    mark saying where it went. At no moment does a relay's name hold nothing in both records, so no controller can
    start it a second time - one that still uses the source is refused, naming the record that holds it now; one
    that uses the destination finds its TaskId.
  - An entry that the destination holds differently (another TaskId for a relay's name) is a conflict - both are
    left as they are, the others move, and the module fails naming it. An entry the destination holds already is
    taken as moved; one it holds with the same TaskId but other settings (a move cut short, then a run through one
    record) moves as the one relay it is, the settings the two records tell apart made unknown, so the next run
    sends them again. Running it again moves nothing more.
  - The notes of the tasks the collection stopped in the last two hours are copied, and stay in the source too.
  - Sends no API request; the connection options other than O(record_store), O(record_file) and O(validate_certs)
    are accepted (for C(module_defaults)) and not used.
author:
  - TRTC collection maintainers (@tencentcloud)
extends_documentation_fragment:
  - tencentcloud.trtc.connection
  - tencentcloud.trtc.connection.record
  - tencentcloud.trtc.connection.attributes
attributes:
  check_mode:
    description: Reports what would move, and moves nothing.
    support: full
  diff_mode:
    description: No diff; RV(moved) names what moved.
    support: none
options:
  to:
    description:
      - V(store) - from O(record_file) to O(record_store).
      - V(file) - from O(record_store) back to O(record_file).
      - O(record_store) is required either way.
    type: str
    choices: [store, file]
    required: true
  sdk_app_id:
    description:
      - Move only the entries of this application; by default, every entry.
    type: int
seealso:
  - module: tencentcloud.trtc.trtc_stream_ingest
  - module: tencentcloud.trtc.trtc_stream_ingest_info
'''

EXAMPLES = r'''
- name: Carry this controller's relays into the shared store
  tencentcloud.trtc.trtc_record_move:
    to: store
    record_store: "{{ vault_trtc_record_store }}"

- name: From now on, every controller names the store
  tencentcloud.trtc.trtc_stream_ingest_info:
    sdk_app_id: 1400188366
    record_store: "{{ vault_trtc_record_store }}"
  register: held
'''

RETURN = r'''
moved:
  description: One entry per record entry moved (in check mode, that would move), or that the destination held already.
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: V(relay) (named by room and robot user), V(task) (named by TaskId) or V(stopped) (the notes of tasks
        the collection stopped).
      type: str
      returned: always
      sample: relay
    endpoint:
      description: The endpoint of the entry.
      type: str
      returned: always
      sample: https://trtc.intl.tencentcloudapi.com/
    sdk_app_id:
      description: The SDKAppId of the entry.
      type: int
      returned: always
      sample: 1400188366
    room_id:
      description: The room, for a relay.
      type: str
      returned: when RV(moved[].kind=relay)
      sample: "8888"
    room_id_type:
      description: The type of the room id, for a relay.
      type: str
      returned: when RV(moved[].kind=relay)
      sample: integer
    user_id:
      description: The robot user, for a relay.
      type: str
      returned: when RV(moved[].kind=relay)
      sample: relay-cam-1
    task_id:
      description: The TaskId, for a task (a relay's TaskId is in its entry, listed by trtc_stream_ingest_info).
      type: str
      returned: when RV(moved[].kind=task)
      sample: task-0001
conflicts:
  description: The entries the destination holds differently, left as they are in both records, as RV(moved) shows them.
  returned: always
  type: list
  elements: dict
  sample: []
'''

from ansible_collections.tencentcloud.trtc.plugins.module_utils._runner import TrtcModule
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record_move import ARGUMENT_SPEC, MODULE_KWARGS, run


def main():
    TrtcModule(ARGUMENT_SPEC, **MODULE_KWARGS).run(run)


if __name__ == '__main__':
    main()
