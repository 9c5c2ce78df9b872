# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The planner: what to do with one relay, decided once, from what is asked, what the record knows and
what the service said. Pure: no request, no record write.

A plan is reported as it is in check mode (Plan.outcome) and applied by _executor.py in a real run.
When an answer tells something new (the task is gone), the executor asks the planner again with that
fact: the rules are written here only.
"""

from __future__ import annotations

import copy
import time

from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import (
    API_NAMES, DEFAULT_VOLUME, SETTINGS, START_API_NAMES, START_DEFAULTS, settings_sent_at_start,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import known_settings, record_key, relay_key
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay import IN_PROGRESS, NOT_EXIST, ROOM_ID_TYPES
from ansible_collections.tencentcloud.trtc.plugins.module_utils._stream_urls import shown
from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import make_user_sig

# What a plan does. KEEP sends nothing but, when the task's status is not known yet, a Describe.
# FORGET clears a lost Start's mark (the user said, with force, that nothing runs under the name).
# ADOPT takes a relay started elsewhere into the record under its name (and sends what differs).
KEEP, UPDATE, START, STOP, REPLACE, MISSING, NOTHING, REFUSE, FORGET, ADOPT = (
    'keep', 'update', 'start', 'stop', 'replace', 'missing', 'nothing', 'refuse', 'forget', 'adopt')


class RelayError(Exception):
    """A relay named by room and user that cannot be started or converged; the message says why and what to do.

    request_id and api_error: the API's answer behind it, when there is one (the result returns both); status: the
    task's status that answer gave, when it gave one.
    """

    def __init__(self, message, request_id=None, api_error=None, status=None):
        super().__init__(message)
        self.api_error = api_error
        self.request_id = request_id or getattr(api_error, 'request_id', None)
        self.status = status


class Target:
    """What a plan works on: a relay task named by its TaskId, or a relay named by its room and robot user.

    One record entry (key) and one lock per target; a relay named by room and user keeps its TaskId there. A relay
    named by room and user and a TaskId (adopting) is the relay started elsewhere that the record is to hold.
    """

    def __init__(self, endpoint_url, sdk_app_id, task_id=None, name=None):
        self.endpoint_url = endpoint_url
        self.sdk_app_id = sdk_app_id
        self.task_id = task_id
        self.name = dict(name) if name else {}
        if self.name:
            self.key = relay_key(endpoint_url, sdk_app_id, name['room_id_type'], name['room_id'], name['user_id'])
            self.label = relay_label(name)
        else:
            self.key = record_key(endpoint_url, sdk_app_id, task_id)
            self.label = task_id

    def with_key(self, key):
        """This target, its entry being the one at key (a relay's, for a task named by the TaskId of one)."""
        other = copy.copy(self)
        other.key = key
        return other

    @property
    def by_name(self):
        return bool(self.name)

    @property
    def adopting(self):
        """Whether the relay is named by room and user and by the TaskId of a relay started elsewhere."""
        return self.by_name and self.task_id is not None

    def task_id_in(self, entry):
        """The TaskId the plan works on: the one named, or the one the record holds for the relay's name (when it holds
        none, the one to adopt)."""
        if self.by_name:
            return entry.get('task_id') or self.task_id
        return self.task_id

    def view(self, task_id, settings, start=None):
        """What the results show of it: its names and settings, never a secret."""
        view = dict(sdk_app_id=self.sdk_app_id, task_id=task_id, **self.name)
        view.update(settings)
        if 'stream_url' in view:
            view['stream_url'] = shown(view['stream_url'])
        if start:
            view['start'] = dict(start)
        return view


def relay_label(name):
    return 'relay of user %r in room %r' % (name['user_id'], name['room_id'])


class Seen:
    """What the service said of the task: its status, by which action, with which RequestId (status None: not asked)."""

    def __init__(self, status=None, action='DescribeStreamIngest', request_id=None):
        self.status = status
        self.action = action
        self.request_id = request_id


NOT_ASKED = Seen()


class Outcome:
    """What happened (or, in check mode, would happen) to one task."""

    def __init__(self, task_id, changed=False, status=None, request_id=None, task=None, diff=None, error=None,
                 warnings=None, label=None):
        self.task_id = task_id
        self.label = label or task_id
        self.changed = changed
        self.status = status
        self.request_id = request_id
        self.task = task
        self.diff = diff
        self.error = error
        self.warnings = warnings or []

    def result(self):
        result = dict(changed=self.changed, status=self.status, request_id=self.request_id, task=self.task,
                      task_id=self.task_id)
        # A relay named by room and user says so beside its TaskId, so list entries can be told apart.
        for name in ('room_id', 'room_id_type', 'user_id'):
            if name in (self.task or {}):
                result[name] = self.task[name]
        if self.diff is not None:
            result['diff'] = self.diff
        api_error = self.error if isinstance(self.error, TencentCloudError) else getattr(self.error, 'api_error', None)
        if api_error is not None:
            result['error'] = api_error.to_dict()
        if self.error is not None:
            result['msg'] = str(self.error)
        return result


class Plan:
    """One decision about one target, with everything needed to report it (check mode) or apply it."""

    def __init__(self, action, target, task_id=None, seen=NOT_ASKED, **details):
        self.action = action
        self.target = target
        self.task_id = task_id
        self.seen = seen
        self.known = details.get('known') or {}
        self.to_send = details.get('to_send') or {}
        self.desired = details.get('desired') or {}
        self.after = details.get('after') or {}
        self.diff = details.get('diff')
        self.start = details.get('start') or {}
        self.differ = details.get('differ') or {}
        self.warnings = list(details.get('warnings') or ())
        self.error = details.get('error')
        self.earlier_mark = details.get('earlier_mark', False)
        self.ended = details.get('ended')
        self.started_with = details.get('started_with') or {}

    @property
    def needs_status(self):
        """Whether only a Describe can finish the plan: nothing to send (or a relay to adopt), and whether the task
        runs is not known."""
        return self.action in (KEEP, ADOPT) and self.seen.status is None

    def outcome(self):
        """What the plan does, as check mode reports it; for KEEP, NOTHING, MISSING and REFUSE, also what a run does."""
        target, request_id = self.target, self.seen.request_id
        if self.action == REFUSE:
            return failure_outcome(target, self.error)
        if self.action in (NOTHING, FORGET):
            task_id = self.task_id
            return Outcome(task_id, False, NOT_EXIST, request_id, target.view(task_id, {}), warnings=self.warnings,
                           label=target.label)
        if self.action == MISSING:
            return Outcome(self.task_id, False, NOT_EXIST, request_id, target.view(self.task_id, {}),
                           error=missing_error(target, self.task_id, request_id, self.seen.action), label=target.label)
        if self.action == STOP:
            return Outcome(self.task_id, True, NOT_EXIST, request_id, target.view(self.task_id, {}), self.diff,
                           label=target.label)
        if self.action in (START, REPLACE):
            after = dict(self.after, paused=bool(self.after.get('paused')))
            return Outcome(None, True, None, request_id, target.view(None, after), self.start_diff(None, after),
                           warnings=self.warnings, label=target.label)
        return Outcome(self.task_id, self.action in (UPDATE, ADOPT), IN_PROGRESS, request_id,
                       target.view(self.task_id, self.after), self.diff, warnings=self.warnings, label=target.label)

    def start_diff(self, task_id, settings, started=False):
        """The diff of a Start or a replace, the same in check mode and in a run (but for started): before, the relay
        as the record held it: running, for a replace, with its settings and start options; ended, when the service
        no longer ran the task the record held; else not started."""
        target = self.target
        if self.action == REPLACE:
            before, state = target.view(self.task_id, self.known, self.started_with), 'running'
        elif self.ended:
            before, state = target.view(self.ended, {}), 'ended'
        else:
            before, state = target.view(None, {}), 'not started'
        return dict(before=before, after=target.view(task_id, settings, full_start_options(self.start)),
                    before_header='%s (%s)' % (target.label, state),
                    after_header='%s (%s)' % (target.label, 'started' if started else 'would be started'))


def failure_outcome(target, error, task_id=None):
    """A failed run's outcome: task_id is the one the record still holds for the target, when it holds one."""
    task_id = task_id or target.task_id
    return Outcome(task_id, status=getattr(error, 'status', None), request_id=getattr(error, 'request_id', None),
                   task=target.view(task_id, {}), error=error, label=target.label)


def missing_error(target, task_id, request_id, action='DescribeStreamIngest'):
    return TencentCloudError('FailedOperation.TaskNotExist',
                             'relay task %r of SdkAppId %s does not exist' % (task_id, target.sdk_app_id),
                             request_id, action)


def desired_settings(params):
    """The settings a user gave (an omitted option is not part of the desired state)."""
    return dict((name, params[name]) for name in SETTINGS if params.get(name) is not None)


def settings_to_send(desired, known, force):
    """The UpdateStreamIngest settings: those that differ from the record (every given one with force).

    An unchanged StreamUrl is not sent again: sending it can restart the source.
    """
    if force:
        return dict(desired)
    return dict((name, value) for name, value in desired.items() if known.get(name) != value)


def full_start_options(given):
    """The start options a relay runs with: those given, the API's defaults for the others."""
    start = dict(START_DEFAULTS)
    start.update((name, value) for name, value in given.items() if value is not None)
    return start


def start_options_that_differ(started_with, given):
    """{option: (started with, given)} for each given start option the running relay was not started with."""
    started_with = full_start_options(started_with or {})
    return dict((name, (started_with.get(name), value)) for name, value in given.items()
                if value is not None and started_with.get(name) != value)


def plan(target, state, desired, start_options, entry, seen=NOT_ASKED, force=False, replace=False, secrets=None,
         held_by=None):
    """The plan for target: what to do to bring it to state with the desired settings and start options.

    entry: what the record holds for target; seen: what the service said of its task (NOT_ASKED in a real run
    before any request: Update's and Stop's own answers tell whether the task exists); held_by: when adopting, the
    label of another relay under which the record already holds the TaskId.
    """
    if entry.get('moved_to'):
        return Plan(REFUSE, target, error=moved_error(target, entry))
    if target.adopting and entry.get('task_id') != target.task_id:
        return _plan_adopt(target, state, desired, entry, seen, force, held_by)
    task_id = target.task_id_in(entry)
    if target.by_name and not task_id:
        return _plan_unstarted_relay(target, state, desired, start_options, entry, force, secrets)
    if state == 'absent':
        return _plan_absent(target, task_id, entry, seen)
    if seen.status is not None and seen.status != IN_PROGRESS:
        if target.by_name:
            return _plan_start(target, desired, start_options, secrets, ended=task_id, seen=seen)
        return Plan(MISSING, target, task_id, seen)
    # An adopted relay's start options are not known: nothing can be said to differ.
    differ = start_options_that_differ(entry.get('start'), start_options) if target.by_name and not entry.get(
        'adopted') else {}
    if differ and replace:
        return _plan_start(target, desired, start_options, secrets, ended=task_id, seen=seen, differ=differ,
                           action=REPLACE, warnings=[replace_warning(target, task_id, differ, done=False)],
                           known=known_settings(entry), started_with=entry.get('start'))
    return _plan_settings(target, task_id, desired, entry, seen, force, differ)


def moved_words(entry):
    """Where an entry trtc_record_move carried away went, in words."""
    return ('its entry in this record was moved to the %s (%s, by trtc_record_move), which holds its TaskId now: name '
            'that record to work on it' % (entry['moved_to'], entry.get('moved_at')))


def moved_error(target, entry):
    return RelayError('%s: %s (nothing was sent)' % (target.label, moved_words(entry)))


def _plan_adopt(target, state, desired, entry, seen, force, held_by):
    """A relay named by room and user and by the TaskId of a relay started elsewhere, which the record does not hold
    under this name yet."""
    task_id = target.task_id
    if entry.get('task_id'):
        return Plan(REFUSE, target, error=RelayError(
            '%s: the record holds relay task %s under this name, not %s: it is not adopted. Leave task_id out to '
            'work on the recorded one, or stop it first (state=absent, without task_id)'
            % (target.label, entry['task_id'], task_id)))
    if held_by:
        return Plan(REFUSE, target, error=RelayError(
            '%s: the record holds relay task %s as the %s: it is not adopted under a second name. Stop it under '
            'that name first, or name it that way' % (target.label, task_id, held_by)))
    if state == 'absent':
        return _plan_absent(target, task_id, {}, seen)
    if seen.status is not None and seen.status != IN_PROGRESS:
        return Plan(REFUSE, target, task_id, seen, error=RelayError(
            '%s: relay task %s does not run (%s answered %s, RequestId: %s), so there is nothing to adopt; leave '
            'task_id out to start the relay' % (target.label, task_id, seen.action, seen.status, seen.request_id),
            request_id=seen.request_id, status=seen.status))
    settings = _plan_settings(target, task_id, desired, {}, seen, force, {})
    diff = dict(settings.diff, before=target.view(None, {}), before_header='%s (not in the record)' % target.label,
                after_header='%s (adopted: relay task %s)' % (target.label, task_id))
    return Plan(ADOPT, target, task_id, seen, to_send=settings.to_send, after=settings.after, diff=diff)


def unlisted_relays(listed, held_relays):
    """exclusive=true: ([names to stop], [names that cannot be stopped]) among the relays held (name, entry) in the
    rooms the list names, that it does not name; a relay whose TaskId the record does not hold cannot be stopped."""
    rooms = set((name['room_id'], name['room_id_type']) for name in listed)
    named = set((name['room_id'], name['room_id_type'], name['user_id']) for name in listed)
    to_stop, unknown = [], []
    for name, entry in held_relays:
        if (name['room_id'], name['room_id_type']) not in rooms or (
                name['room_id'], name['room_id_type'], name['user_id']) in named:
            continue
        (to_stop if entry.get('task_id') else unknown).append(name)
    return to_stop, unknown


def unlisted_unknown_warning(name):
    return ('%s: exclusive=true stops the relays of room %r that the list does not name, but this one\'s TaskId is '
            'not in the record (a Start that lost its answer, or a relay started elsewhere), so it cannot be stopped '
            'from here; adopt it by its TaskId (task_id with room_id and user_id), or stop it in the TRTC console'
            % (relay_label(name), name['room_id']))


def _plan_unstarted_relay(target, state, desired, start_options, entry, force, secrets):
    if entry.get('runs_elsewhere_since'):
        return _plan_relay_elsewhere(target, state, desired, start_options, entry, force, secrets)
    if state == 'absent':
        if not entry.get('starting_since'):
            return Plan(NOTHING, target, warnings=['%s: nothing is recorded for it, so nothing was stopped' % target.label])
        if not force:
            return Plan(REFUSE, target, error=lost_stop_error(target, entry))
        return Plan(FORGET, target, warnings=[
            '%s: the mark of an earlier StartStreamIngest that ended without an answer is cleared, as force=true asks; '
            'nothing was stopped' % target.label])
    if entry.get('starting_since') and not force:
        return Plan(REFUSE, target, error=lost_start_error(target, entry))
    return _plan_start(target, desired, start_options, secrets, earlier_mark=bool(entry.get('starting_since')))


def _plan_relay_elsewhere(target, state, desired, start_options, entry, force, secrets):
    """A name under which the service said a relay started elsewhere runs (FailedOperation.TaskExist)."""
    if not force:
        return Plan(REFUSE, target, error=runs_elsewhere_error(
            target, entry.get('runs_elsewhere_request_id'), since=entry.get('runs_elsewhere_since'), state=state))
    if state == 'absent':
        return Plan(FORGET, target, warnings=[
            '%s: the mark of a relay started elsewhere under this name is cleared, as force=true asks; nothing was '
            'stopped' % target.label])
    return _plan_start(target, desired, start_options, secrets)


def runs_elsewhere_error(target, request_id, earlier_mark=False, since=None, state='present'):
    """Why a relay named by room and user that runs with a TaskId this record does not hold cannot be worked on,
    and the ways out."""
    said = ('the service refused StartStreamIngest with FailedOperation.TaskExist (RequestId: %s%s): a relay already '
            'runs under this robot user in this room' % (request_id, ', at %s' % since if since else ''))
    if earlier_mark:
        whose = ('it may be the one of an earlier StartStreamIngest of this relay that ended without an answer, or '
                 'one started elsewhere')
    else:
        whose = ('it was started elsewhere: by another controller with a record of its own, by tccli, the console or '
                 'the SDK')
    what = 'it cannot be stopped from here' if state == 'absent' else 'it is not started again'
    return RelayError(
        '%s: %s; %s. Its TaskId is not in this record, so %s. If another controller started it, give every '
        'controller the same record_store (see the shared-store guide); else take it over by naming its TaskId '
        '(the TRTC console shows it): task_id together with room_id and user_id. Once none runs, force=true %s.'
        % (target.label, said, whose, what,
           'clears this mark (state=absent)' if state == 'absent' else 'starts it anyway'))


def _plan_absent(target, task_id, entry, seen):
    if seen.status is not None and seen.status != IN_PROGRESS:
        return Plan(NOTHING, target, task_id, seen)
    known = known_settings(entry)
    return Plan(STOP, target, task_id, seen, known=known, diff=absent_diff(target, task_id, known))


def _plan_start(target, desired, start_options, secrets, seen=NOT_ASKED, action=START, **details):
    start = dict((name, value) for name, value in start_options.items() if value is not None)
    try:
        start_request(target, desired, start, secrets)  # refuses now what the Start would refuse before its request
    except RelayError as error:
        return Plan(REFUSE, target, error=error)
    after = dict(desired, volume=desired.get('volume', DEFAULT_VOLUME))
    return Plan(action, target, details.get('ended'), seen, start=start, desired=desired, after=after, **details)


def _plan_settings(target, task_id, desired, entry, seen, force, differ):
    known = known_settings(entry)
    after = dict(known, **desired)
    to_send = settings_to_send(desired, known, force)
    diff = settings_diff(target, task_id, entry, after)
    warnings = []
    if differ:
        warnings.append(start_options_warning(target, differ))
        diff = start_diff(target, diff, entry.get('start'), differ)
    return Plan(UPDATE if to_send else KEEP, target, task_id, seen, known=known, to_send=to_send, after=after,
                diff=diff, differ=differ, warnings=warnings)


def absent_diff(target, task_id, known):
    return dict(before=dict(target.view(task_id, known), status=IN_PROGRESS),
                after=dict(target.view(task_id, {}), status=NOT_EXIST),
                before_header='%s (running)' % target.label, after_header='%s (stopped)' % target.label)


def settings_diff(target, task_id, entry, after):
    known = known_settings(entry)
    diff = dict(before=target.view(task_id, known), after=target.view(task_id, after),
                after_header='%s (after)' % target.label)
    pending = [name for name in entry.get('pending') or () if name in SETTINGS]
    if pending:
        diff['before_header'] = ('%s (last-applied record; %s unknown: an earlier run sent it and ended before '
                                 'its answer)' % (target.label, ', '.join(pending)))
    elif known:
        diff['before_header'] = '%s (last-applied record)' % target.label
    else:
        diff['before_header'] = ('%s (no last-applied record: the service cannot report '
                                 'this task\'s settings, so they are unknown)' % target.label)
    return diff


def start_options_warning(target, differ):
    return ('%s: start-only options cannot change on a running relay (%s); it keeps running as it was started. '
            'Set replace=true to stop it and start it again with them (the stream is interrupted).'
            % (target.label, ', '.join('%s: %r -> %r' % (name, old, new) for name, (old, new) in sorted(differ.items()))))


def start_diff(target, diff, started_with, differ):
    diff = dict(diff or {})
    before = dict(diff.get('before') or {}, start=full_start_options(started_with or {}))
    after = dict(diff.get('after') or {}, start=dict(before['start'], **dict(
        (name, new) for name, (old, new) in differ.items())))
    diff.update(before=before, after=after)
    diff['after_header'] = '%s (after; start-only options take effect only with replace=true)' % target.label
    return diff


def replace_warning(target, task_id, differ, done=True):
    """What replace=true does to a running relay whose start-only options changed (done: it did; else it would)."""
    what = 'stopped relay task %s and started it again' if done else 'would stop relay task %s and start it again'
    return '%s: %s, as replace=true asks, because start-only options changed (%s)' % (
        target.label, what % task_id, ', '.join(sorted(differ)))


def how_a_lost_relay_ends(entry):
    """When a relay started with the entry's start options ends by itself, if it does."""
    start = entry.get('start') or {}
    if start.get('repeat_num') != -1:
        return 'It ends by itself (after repeat_num=%s plays, or when the service finds it idle)' % start.get(
            'repeat_num', 1)
    if start.get('max_duration'):
        return ('It loops (repeat_num=-1) until max_duration=%s minutes have passed, or until the service finds it '
                'idle' % start['max_duration'])
    return ('It does not end by itself: it loops (repeat_num=-1) until it is stopped, or until the service finds it '
            'idle; stop it in the TRTC console')


def lost_start_error(target, entry):
    return RelayError(
        '%s: an earlier StartStreamIngest of this relay ended without an answer (or was refused because one '
        'already ran), so a relay may be running (and billed) under this robot user with a TaskId nobody '
        'knows. It is not started again. %s; the TRTC console shows it. Run with force=true to start anyway: the '
        'service refuses with FailedOperation.TaskExist while one runs.'
        % (target.label, how_a_lost_relay_ends(entry)))


def lost_stop_error(target, entry):
    return RelayError(
        '%s: an earlier StartStreamIngest of it ended without an answer, so a relay may be running (and billed) '
        'under this robot user with a TaskId nobody knows: it cannot be stopped from here. %s; the TRTC console '
        'shows it. Once none runs, state=absent with force=true clears this mark.' % (
            target.label, how_a_lost_relay_ends(entry)))


def user_sig(target, secrets):
    """The UserSig for a Start: given as is, or made now from the SDK secret key."""
    if secrets.get('user_sig'):
        return secrets['user_sig']
    if not secrets.get('sdk_secret_key'):
        raise RelayError('%s must be started, which needs sdk_secret_key (or user_sig)' % target.label)
    try:
        return make_user_sig(target.sdk_app_id, secrets['sdk_secret_key'], target.name['user_id'],
                             secrets['user_sig_expire'], int(time.time()))
    except ValueError as exc:
        raise RelayError('%s: cannot make its UserSig: %s' % (target.label, exc))


def start_request(target, desired, start, secrets):
    """The StartStreamIngest parameters of a relay named by room and user; RelayError when it cannot be started."""
    if not desired.get('stream_url'):
        raise RelayError('%s must be started, which needs stream_url' % target.label)
    name = target.name
    params = dict(SdkAppId=target.sdk_app_id, RoomId=name['room_id'], RoomIdType=ROOM_ID_TYPES[name['room_id_type']],
                  UserId=name['user_id'], UserSig=user_sig(target, secrets), StreamUrl=desired['stream_url'])
    for setting in settings_sent_at_start():
        if desired.get(setting) is not None:
            params[API_NAMES[setting]] = desired[setting]
    params.update((START_API_NAMES[option], value) for option, value in start.items() if value is not None)
    if secrets.get('private_map_key'):
        params['PrivateMapKey'] = secrets['private_map_key']
    return params
