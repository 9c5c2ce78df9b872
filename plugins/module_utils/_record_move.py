# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""trtc_record_move: carry the record's entries from the local file to a shared Redis store, or back.

Each entry moves under its lock in both records (the file's first, then the store's, in both directions): it is
written to the destination, then the source's entry becomes a mark saying where it went, which every later run
naming it through the source refuses to work on. So at no moment does a relay's name hold nothing in both records,
and no controller can start it a second time: one that uses the source is refused, one that uses the destination
finds its TaskId. An entry the destination holds with another TaskId is a conflict: both are left as they are; one
it holds with the same TaskId and other settings (a move cut short, then a run through one record) is one relay, whose
differing settings become unknown, so the next run sends them again.
"""

from __future__ import annotations

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError, require_integer
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import SETTINGS
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    LastAppliedRecord, RecordError, moved_mark, relay_name_of, stopped_kind_of, task_of,
)

ARGUMENT_SPEC = dict(
    to=dict(type='str', choices=['store', 'file'], required=True),
    sdk_app_id=dict(type='int'),
)

MODULE_KWARGS = dict(supports_check_mode=True)


def validate(params):
    if params.get('record_store') is None:
        raise ConfigurationError('record_store: required: the Redis store to move the record to (to=store) or from '
                                 '(to=file); it also comes from TENCENTCLOUD_TRTC_RECORD_STORE')
    if params['sdk_app_id'] is not None:
        require_integer(params['sdk_app_id'], 'sdk_app_id')


def app_of(key):
    """The SdkAppId (as text) an entry's key belongs to, or None for a key that is no entry of a relay or task."""
    for parse, index in ((relay_name_of, 1), (task_of, 1), (stopped_kind_of, 1)):
        parts = parse(key)
        if parts is not None:
            return str(parts[index])
    return None


def described(key):
    """What an entry's key names, as the result shows it."""
    name = relay_name_of(key)
    if name is not None:
        return dict(kind='relay', endpoint=name[0], sdk_app_id=name[1], room_id_type=name[2], room_id=name[3],
                    user_id=name[4])
    task = task_of(key)
    if task is not None:
        return dict(kind='task', endpoint=task[0], sdk_app_id=int(task[1]), task_id=task[2])
    stopped = stopped_kind_of(key)
    return dict(kind='stopped', endpoint=stopped[0], sdk_app_id=stopped[1])


def merged_stops(there, here):
    """The notes of tasks the collection stopped, of both records (they are merged, never marked moved)."""
    stops = dict((there or {}).get('tasks') or {})
    stops.update((here or {}).get('tasks') or {})
    return dict(tasks=stops)


def reconciled(there, here):
    """One relay (one TaskId) that both records hold with other settings: a move cut short, then a run through one of
    them. The destination's entry, without the settings the two tell apart (nor their doubts): unknown, so the next
    run that gives them sends them again."""
    differing = set(name for name in SETTINGS if (there or {}).get(name) != here.get(name))
    differing.update(name for name in (here.get('pending') or ()) if name in SETTINGS)
    merged = dict((name, value) for name, value in (there or {}).items() if name not in differing)
    return merged if there and there.get('task_id') == here.get('task_id') else there


def move_entry(source, destination, key, where_to, check_mode):
    """'moved', 'same' (the destination holds it already), 'conflict' or None (nothing to move) for one key."""
    stopped = stopped_kind_of(key) is not None
    first, second = (source, destination) if source.path else (destination, source)  # the file's lock first
    with first.hold(key), second.hold(key):
        entry = source.file.get(key)
        if not entry or entry.get('moved_to'):
            return None
        there = destination.file.get(key)
        if stopped:
            if not check_mode:
                destination.file.commit(key, lambda old: merged_stops(old, entry))
            return 'moved'
        if there and not there.get('moved_to'):
            if there != entry:
                if not there.get('task_id') or there.get('task_id') != entry.get('task_id'):
                    return 'conflict'
                if not check_mode:
                    destination.file.commit(key, lambda old: reconciled(old, entry))
        elif not check_mode:
            destination.file.commit(key, lambda old: dict(entry))
        if not check_mode:
            source.file.commit(key, lambda old: moved_mark(where_to))
        return 'same' if there and not there.get('moved_to') else 'moved'


def move(source, destination, where_to, sdk_app_id, check_mode):
    """{'moved': [...], 'conflicts': [...]}: what moved (or would) and what could not, each as described()."""
    result = dict(moved=[], conflicts=[])
    for key in sorted(source.entries()):
        if app_of(key) is None or (sdk_app_id is not None and app_of(key) != str(sdk_app_id)):
            continue
        outcome = move_entry(source, destination, key, where_to, check_mode)
        if outcome in ('moved', 'same'):
            result['moved'].append(described(key))
        elif outcome == 'conflict':
            result['conflicts'].append(described(key))
    return result


def run(runner):
    """trtc_record_move: every entry of the file moved to the store (to=store), or of the store to the file."""
    params = runner.params
    runner.check(validate, params)
    store = runner.record()
    try:
        local = LastAppliedRecord(params['record_file'])
        local.check(create=not runner.check_mode)
    except RecordError as exc:
        runner.fail_json(msg=str(exc))
    if params['to'] == 'store':
        source, destination, where_to = local, store, 'record_store %s' % store.file.name
    else:
        source, destination, where_to = store, local, 'record_file %s' % local.path
    try:
        result = move(source, destination, where_to, params['sdk_app_id'], runner.check_mode)
    except RecordError as exc:
        runner.fail_json(msg=str(exc), changed=True)
    relays = [entry for entry in result['moved'] if entry['kind'] == 'relay']
    result.update(changed=bool(result['moved']), msg='%d entries moved (%d relays) to the %s' % (
        len(result['moved']), len(relays), where_to))
    if result['conflicts']:
        result['msg'] = ('%d entries not moved: the destination holds each of them differently, so both are left as '
                         'they are (two relays may run under one name: check the TRTC console, stop one, and run '
                         'again); %s' % (len(result['conflicts']), result['msg']))
        runner.fail_json(**result)
    runner.exit_json(**result)
