# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""trtc_stream_ingest: its options and its run, shared by the module and its action plugin.

A relay is named by its TaskId (task_id) or by its room and robot user (room_id and user_id);
the list form (tasks) names many. A run takes a runner (_runner.TrtcModule, or the action
plugin's in-controller runner).
"""

from __future__ import annotations

import os

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import (
    ConfigurationError, require_integer, text_problem,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import (
    SETTING, START_API_NAMES, START_ONLY, argument_specs, option_range,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import Target, desired_settings
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay import (
    DEFAULT_USER_SIG_EXPIRE, MAX_USER_SIG_EXPIRE, ROOM_ID_TYPES, require_sdk_app_id, room_id_problem, site_problems, stream_url_problem,
    user_id_problem,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._executor import resolved
from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import decode_user_sig
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay_list import (
    converge_many, list_result, stop_unlisted, target_of,
)

SETTING_OPTIONS = argument_specs(SETTING)
START_OPTIONS = argument_specs(START_ONLY)

# What a tasks entry may set for itself; what it leaves out comes from the module's options.
ENTRY_OPTIONS = dict(
    task_id=dict(type='str'),
    room_id=dict(type='str'),
    room_id_type=dict(type='str', choices=list(ROOM_ID_TYPES)),
    user_id=dict(type='str'),
    user_sig=dict(type='str', no_log=True),
    private_map_key=dict(type='str', no_log=True),
    force=dict(type='bool'),
    replace=dict(type='bool'),
    **dict(SETTING_OPTIONS, **START_OPTIONS)
)

ARGUMENT_SPEC = dict(
    sdk_app_id=dict(type='int', required=True),
    task_id=dict(type='str'),
    room_id=dict(type='str'),
    room_id_type=dict(type='str', choices=list(ROOM_ID_TYPES), default='integer'),
    user_id=dict(type='str'),
    # Its environment variable is read by the run (see sdk_secret_key_from_environment), not as a fallback: a
    # fallback would make the variable conflict with user_sig, which is mutually exclusive with the option only.
    sdk_secret_key=dict(type='str', no_log=True),
    user_sig=dict(type='str', no_log=True),
    user_sig_expire=dict(type='int', default=DEFAULT_USER_SIG_EXPIRE),
    private_map_key=dict(type='str', no_log=True),
    tasks=dict(type='list', elements='dict', options=ENTRY_OPTIONS),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    force=dict(type='bool', default=False),
    replace=dict(type='bool', default=False),
    exclusive=dict(type='bool', default=False),
    **dict(SETTING_OPTIONS, **START_OPTIONS)
)

MODULE_KWARGS = dict(
    supports_check_mode=True,
    mutually_exclusive=[('task_id', 'tasks'), ('user_id', 'tasks'), ('sdk_secret_key', 'user_sig')],
    required_one_of=[('task_id', 'user_id', 'tasks')],
)

INHERITED = ('force', 'replace', 'room_id', 'room_id_type', 'user_sig', 'private_map_key') + tuple(SETTING_OPTIONS) \
    + tuple(START_OPTIONS)


def task_specs(params):
    """One dict per relay, an entry's own values before the module's: its name, settings, start options, flags."""
    if params['tasks'] is not None:
        entries = params['tasks']
    else:
        entries = [dict(task_id=params['task_id'], user_id=params['user_id'])]
    specs = []
    for entry in entries:
        spec = dict((name, params[name]) for name in INHERITED)
        spec.update((name, value) for name, value in entry.items() if value is not None)
        spec.setdefault('task_id', None)
        spec.setdefault('user_id', None)
        spec['secrets'] = dict(sdk_secret_key=params['sdk_secret_key'], user_sig=spec.pop('user_sig'),
                               user_sig_expire=params['user_sig_expire'],
                               private_map_key=spec.pop('private_map_key'))
        spec['start'] = dict((name, spec.pop(name)) for name in START_OPTIONS)
        if spec['user_id'] is not None:
            spec['name'] = dict(room_id=spec['room_id'], room_id_type=spec['room_id_type'], user_id=spec['user_id'])
        specs.append(spec)
    return specs


def inherited_spec(params):
    """The module's own settings and start options: what every entry inherits (checked even when tasks is empty)."""
    spec = dict((name, params[name]) for name in INHERITED)
    spec['start'] = dict((name, spec.pop(name)) for name in START_OPTIONS)
    return spec


def start_option_problems(start):
    """(option, problem) for each start option out of its range."""
    problems = []
    for name, value in start.items():
        if value is not None and name != 'auto_push':
            require_integer(value, name)
    low, high = option_range('repeat_num')
    repeat_num, max_duration = start['repeat_num'], start['max_duration']
    if repeat_num is not None and (not low <= repeat_num <= high or repeat_num == 0):
        problems.append(('repeat_num', 'must be -1 (loop until stopped) or from 1 to %d, got %d' % (high, repeat_num)))
    low, high = option_range('max_duration')
    if max_duration is not None and not low <= max_duration <= high:
        problems.append(('max_duration', 'must be from %d to %d minutes, got %d' % (low, high, max_duration)))
    if max_duration is not None and repeat_num != -1:
        problems.append(('max_duration', 'only applies with repeat_num=-1'))
    if start['seek_second'] is not None and start['seek_second'] < 0:
        problems.append(('seek_second', 'must be 0 or more, got %d' % start['seek_second']))
    return problems


# The options that name an entry of tasks: a problem with one of them is that entry's, given or not.
NAMING_OPTIONS = ('task_id', 'user_id')


def option_of(params, index, name):
    """How a message names option name of the index-th relay: tasks[index].name when it is the entry's own (or names
    the entry), else the module's option, which every entry inherits."""
    if params['tasks'] is None:
        return name
    if name in NAMING_OPTIONS or params['tasks'][index].get(name) is not None:
        return 'tasks[%d].%s' % (index, name)
    return name


def exclusive_problem(params, specs):
    """ConfigurationError for exclusive=true where it cannot say which relays the rooms hold beyond the list."""
    if params['tasks'] is None:
        raise ConfigurationError('exclusive: needs tasks (the list of the relays the rooms named are to hold)')
    if params['state'] != 'present':
        raise ConfigurationError('exclusive: only with state=present')
    for index, spec in enumerate(specs):
        if spec['user_id'] is None and spec['task_id'] is not None:
            raise ConfigurationError('%s: exclusive=true needs every relay named by room_id and user_id, got task %r'
                                     % (option_of(params, index, 'user_id'), spec['task_id']))


def name_problems(spec):
    """(option, problem) for a relay named neither or both ways, or by a room id that cannot be."""
    if spec['task_id'] is None and spec['user_id'] is None:
        return [('task_id', 'or user_id (with room_id) must name each relay')]
    if spec['task_id'] is not None:
        if text_problem(spec['task_id']):
            return [('task_id', text_problem(spec['task_id']))]
        given = [name for name, value in spec['start'].items() if value is not None]
        if spec['user_id'] is not None:  # adopting a relay started elsewhere, whose start options are not known
            return [(name, 'cannot be used with task_id: a relay started elsewhere is adopted as it runs (it is an '
                           'option of StartStreamIngest)') for name in given[:1]] + adopt_name_problems(spec)
        return [(name, 'applies only to relays named by room_id and user_id (it is an option of '
                       'StartStreamIngest)') for name in given[:1]]
    if user_id_problem(spec['user_id']):
        return [('user_id', user_id_problem(spec['user_id']))]
    if spec['room_id'] is None:
        return [('room_id', 'is required with user_id')]
    problem = room_id_problem(spec['room_id'], spec['room_id_type'])
    return [('room_id', problem)] if problem else []


def adopt_name_problems(spec):
    """(option, problem) for the room and user of a relay to adopt."""
    if user_id_problem(spec['user_id']):
        return [('user_id', user_id_problem(spec['user_id']))]
    if spec['room_id'] is None:
        return [('room_id', 'is required with task_id and user_id (a relay started elsewhere is adopted under its '
                            'room and robot user)')]
    problem = room_id_problem(spec['room_id'], spec['room_id_type'])
    return [('room_id', problem)] if problem else []


def user_sig_problems(params, spec):
    """(option, problem) for a UserSig given that is none, or not one of this relay's robot user and application."""
    user_sig = spec['secrets']['user_sig']
    if not user_sig or spec['user_id'] is None:
        return []
    try:
        fields = decode_user_sig(user_sig)
    except ValueError as exc:
        return [('user_sig', str(exc).replace('user_sig ', '', 1))]
    if fields.get('TLS.identifier') != spec['user_id'] or fields.get('TLS.sdkappid') != params['sdk_app_id']:
        return [('user_sig', 'is not a UserSig of robot user %r of SdkAppId %s (it names user %r of SdkAppId %s)' % (
            spec['user_id'], params['sdk_app_id'], fields.get('TLS.identifier'), fields.get('TLS.sdkappid')))]
    return []


EMPTY_SECRET_HINTS = dict(
    sdk_secret_key='leave it out to use TENCENTCLOUD_TRTC_SDK_SECRET_KEY, or give user_sig',
    user_sig='leave it out to make the UserSig from sdk_secret_key',
    private_map_key='leave it out when the room needs none',
)


def empty_secret_problems(secrets):
    """(option, problem) for each secret given empty: an empty one is no secret, and is never taken for one not given."""
    return [(name, 'must not be empty; %s' % hint) for name, hint in EMPTY_SECRET_HINTS.items()
            if secrets.get(name) == '']


def validate(params, specs):
    require_sdk_app_id(params['sdk_app_id'])
    for name, problem in empty_secret_problems(params):
        raise ConfigurationError('%s: %s' % (name, problem))
    require_integer(params['user_sig_expire'], 'user_sig_expire')
    if not 0 < params['user_sig_expire'] <= MAX_USER_SIG_EXPIRE:
        raise ConfigurationError('user_sig_expire: must be a positive number of seconds, at most %d (ten years), got %d'
                                 % (MAX_USER_SIG_EXPIRE, params['user_sig_expire']))
    if params['tasks'] is None and params['room_id'] is not None and params['user_id'] is None:
        raise ConfigurationError('room_id: needs user_id (the robot user of the relay)')
    if params['exclusive']:
        exclusive_problem(params, specs)
    if not specs:  # tasks: [] names no relay, but what every entry would inherit is still checked
        inherited = inherited_spec(params)
        room_id = inherited['room_id']
        for name, problem in start_option_problems(inherited['start']) + [
                ('stream_url', inherited['stream_url'] is not None and stream_url_problem(inherited['stream_url'])),
                ('room_id', room_id is not None and room_id_problem(room_id, inherited['room_id_type']))]:
            if problem:
                raise ConfigurationError('%s: %s' % (name, problem))
    seen = set()
    for index, spec in enumerate(specs):
        problems = name_problems(spec) + empty_secret_problems(spec['secrets']) + start_option_problems(spec['start'])
        problems += user_sig_problems(params, spec)
        problems += [('stream_url', spec['stream_url'] is not None and stream_url_problem(spec['stream_url']))]
        for name, problem in problems:
            if problem:
                raise ConfigurationError('%s: %s' % (option_of(params, index, name), problem))
        name = spec['task_id'] or tuple(sorted(spec['name'].items()))
        if name in seen:
            raise ConfigurationError('tasks: %s is listed twice' % (
                'task %r' % spec['task_id'] if spec['task_id'] else 'the relay of user %r in room %r' % (
                    spec['user_id'], spec['room_id'])))
        seen.add(name)
        if params['state'] == 'absent' and (desired_settings(spec) or any(
                value is not None for value in spec['start'].values())):
            raise ConfigurationError('stream_url, volume, paused and start options (%s) cannot be used with '
                                     'state=absent' % ', '.join(START_API_NAMES))


SDK_SECRET_KEY_ENV = 'TENCENTCLOUD_TRTC_SDK_SECRET_KEY'


def sdk_secret_key_from_environment(runner):
    """sdk_secret_key from TENCENTCLOUD_TRTC_SDK_SECRET_KEY when the option is not set, unless user_sig is given."""
    params = runner.params
    if params['sdk_secret_key'] is not None or params['user_sig'] is not None:
        return
    value = os.environ.get(SDK_SECRET_KEY_ENV) or None
    if value is not None:
        runner.no_log_values.add(value)  # masked wherever it could show, as a no_log option's value is
        params['sdk_secret_key'] = value


def run(runner):
    """trtc_stream_ingest: one relay (task_id, or room_id and user_id) or many (tasks), present or absent."""
    sdk_secret_key_from_environment(runner)
    params = runner.params
    specs = task_specs(params)
    runner.check(validate, params, specs)
    client = runner.client()
    runner.check(check_site, client.site, params, specs)
    if params['tasks'] == []:
        runner.exit_json(changed=False, tasks=[], diff=[])
    record = runner.record()
    runner.check(require_start_secrets, client, record, params, specs)
    runner.check(require_each_relay_once, client, record, params, specs)
    outcomes = converge_many(client, record, params['sdk_app_id'], specs, params['state'], runner.check_mode)
    stopped = None
    if params['exclusive']:
        stopped = exclusive_stops(runner, client, record, params, specs, outcomes)
    for outcome in outcomes + (stopped or []):
        for warning in outcome.warnings:
            runner.warn(warning)
    result = outcomes[0].result() if params['tasks'] is None else list_result(outcomes, stopped)
    if any(outcome.error is not None for outcome in outcomes + (stopped or [])):
        runner.fail_json(**result)
    runner.exit_json(**result)


def exclusive_stops(runner, client, record, params, specs, outcomes):
    """exclusive=true: the outcomes of stopping what the listed rooms hold beyond the list; none when a listed relay
    failed, since the room is then not as the list says."""
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        runner.warn('exclusive=true: no relay was stopped, since %d listed relays failed; the next run stops the '
                    'relays the list does not name once every listed one converged' % len(failed))
        return []
    stopped, warnings = stop_unlisted(client, record, params['sdk_app_id'], specs, runner.check_mode)
    for warning in warnings:
        runner.warn(warning)
    return stopped


def check_site(site, params, specs):
    """What only the site, known once the connection is resolved, can refuse: before any request too."""
    for index, spec in enumerate(specs or [inherited_spec(params)]):
        values = dict((name, spec[name]) for name in SETTING_OPTIONS)
        values.update(spec['start'])
        for name, problem in site_problems(site, values):
            raise ConfigurationError('%s: %s' % (name if not specs else option_of(params, index, name), problem))


def require_start_secrets(client, record, params, specs):
    """Before any request: a relay the record does not know will be started, so its Start must be possible."""
    if params['state'] != 'present':
        return
    for index, spec in enumerate(specs):
        if spec['user_id'] is None or spec['task_id'] is not None:  # adopting starts nothing
            continue
        name = spec['name']
        entry = record.entry(Target(client.url, params['sdk_app_id'], name=name).key)
        if entry.get('task_id') or entry.get('moved_to'):  # a moved entry is refused by the plan, naming its record
            continue
        label = 'the relay of user %r in room %r' % (name['user_id'], name['room_id'])
        if not spec['stream_url']:
            raise ConfigurationError('%s: required to start %s (nothing is recorded for it)'
                                     % (option_of(params, index, 'stream_url'), label))
        if not (spec['secrets']['user_sig'] or spec['secrets']['sdk_secret_key']):
            raise ConfigurationError('sdk_secret_key (or %s): required to start %s (nothing is recorded for it); '
                                     'sdk_secret_key also comes from TENCENTCLOUD_TRTC_SDK_SECRET_KEY'
                                     % (option_of(params, index, 'user_sig'), label))


def require_each_relay_once(client, record, params, specs):
    """Before any request: a list names each relay once, by its room and user or by the TaskId the record holds for it."""
    if params['tasks'] is None:
        return
    named = {}
    for spec in specs:
        target = resolved(record, target_of(client, params['sdk_app_id'], spec))
        label = target.label if target.by_name else 'task %r' % target.task_id
        if target.key in named:
            raise ConfigurationError('tasks: %s and %s are one relay (the record holds its TaskId under its room and '
                                     'user); name it once' % (named[target.key], label))
        named[target.key] = label
