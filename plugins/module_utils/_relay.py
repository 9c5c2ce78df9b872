# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Relay tasks: the API's facts about them, and desired state against known state (the decisions).

Each task is converged under its lock in the record; see _record.py for the rules that keep the
record truthful."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import concurrent.futures
import re
import time
from urllib.parse import urlsplit

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import (
    ConfigurationError, has_invisible_characters, require_integer,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    SETTINGS, RecordError, known_settings, record_key, relay_key,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._usersig import make_user_sig

API_NAMES = {'stream_url': 'StreamUrl', 'volume': 'Volume', 'paused': 'IsPause', 'tempo': 'Tempo',
             'enable_progress': 'EnableProgress'}
STREAM_URL_SCHEMES = ('http', 'https', 'rtmp', 'rtmps')
# What differs per site besides endpoint and regions (those are in _connection.SITES).
SITE_LIMITS = {'intl': dict(max_volume=100), 'china': dict(max_volume=200)}
# Options only the China site accepts, on Start and Update alike unless they are start options.
CHINA_ONLY = ('tempo', 'enable_progress', 'idle_timeout')
TEMPO_CHOICES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
IDLE_TIMEOUT_RANGE = (0, 600)
SDK_APP_ID_MAX = 2 ** 32 - 1
DEFAULT_VOLUME = 100
# StartStreamIngest: RoomIdType 1 (the default) is a 32-bit integer room id, 0 a string of up to 64 characters.
ROOM_ID_TYPES = {'string': 0, 'integer': 1}
INTEGER_ROOM_ID_RANGE = (1, 4294967294)
STRING_ROOM_ID_MAX_LENGTH = 64
# TRTC user IDs: letters, digits, underscores and hyphens, at most 32 of them.
USER_ID_PATTERN = re.compile(r'^[A-Za-z0-9_-]{1,32}$')
# Options only StartStreamIngest takes; what the API assumes for those not sent.
START_API_NAMES = {'seek_second': 'SeekSecond', 'auto_push': 'AutoPush', 'repeat_num': 'RepeatNum',
                   'max_duration': 'MaxDuration', 'idle_timeout': 'IdleTimeout'}
START_DEFAULTS = {'seek_second': 0, 'auto_push': False, 'repeat_num': 1}
REPEAT_NUM_RANGE = (-1, 1000)
MAX_DURATION_RANGE = (1, 10080)
DEFAULT_USER_SIG_EXPIRE = 86400
IN_PROGRESS = 'InProgress'
NOT_EXIST = 'NotExist'
# StopStreamIngest of a task that is no more. (After a retried Stop, the first attempt may have stopped it.)
TASK_GONE_CODES = ('FailedOperation.TaskFinished', 'FailedOperation.TaskNotExist')
# Threads of the list form; the rate limit, not this, sets the pace.
MAX_WORKERS = 16


def stream_url_problem(value):
    """Why value is not an absolute stream URL, or None when it is one."""
    if not value or value != value.strip() or any(char.isspace() for char in value):
        return 'must be a non-empty absolute URL without spaces, got %r' % value
    if has_invisible_characters(value):
        return 'must not hold control or invisible characters, got %r' % value
    try:
        parts = urlsplit(value)
        parts.port
    except ValueError as exc:
        return 'must be a valid absolute URL, got %r (%s)' % (value, exc)
    if parts.scheme.lower() not in STREAM_URL_SCHEMES or not parts.hostname:
        return 'must be an absolute URL with a host and one of the schemes %s, got %r' % (
            ', '.join(STREAM_URL_SCHEMES), value)
    return None


def volume_problem(value, site='intl'):
    high = SITE_LIMITS[site]['max_volume']
    if isinstance(value, bool):
        return 'must be an integer, got a boolean (%s)' % value
    if value is not None and not 0 <= value <= high:
        return 'must be between 0 and %d on the %s site, got %d' % (high, site, value)
    return None


def site_problems(site, values):
    """(option, problem) for each value the site refuses: China-only options, a volume above its maximum."""
    problems = [(name, 'is accepted only on the China site (site=china); this is the %s site' % site)
                for name in CHINA_ONLY if values.get(name) is not None and site != 'china']
    problems.append(('volume', volume_problem(values.get('volume'), site)))
    if values.get('tempo') is not None and values['tempo'] not in TEMPO_CHOICES:
        problems.append(('tempo', 'must be one of %s, got %s' % (', '.join('%g' % tempo for tempo in TEMPO_CHOICES),
                                                                 values['tempo'])))
    idle_timeout = values.get('idle_timeout')
    if idle_timeout is not None and not IDLE_TIMEOUT_RANGE[0] <= idle_timeout <= IDLE_TIMEOUT_RANGE[1]:
        problems.append(('idle_timeout', 'must be from %d to %d seconds, got %d' % (
            IDLE_TIMEOUT_RANGE + (idle_timeout,))))
    return [(name, problem) for name, problem in problems if problem]


def room_id_problem(room_id, room_id_type):
    """Why room_id cannot name a room of room_id_type, or None."""
    if room_id_type == 'integer':
        low, high = INTEGER_ROOM_ID_RANGE
        if not room_id.isdigit() or not low <= int(room_id) <= high:
            return ('must be an integer from %d to %d with room_id_type=integer (the default), got %r; '
                    'set room_id_type=string for a string room id' % (low, high, room_id))
    elif not 0 < len(room_id) <= STRING_ROOM_ID_MAX_LENGTH:
        return 'must be 1 to %d characters with room_id_type=string, got %d' % (
            STRING_ROOM_ID_MAX_LENGTH, len(room_id))
    return None


def user_id_problem(value):
    """Why value cannot be a TRTC user ID, or None."""
    if not USER_ID_PATTERN.match(value):
        return 'must be 1 to 32 letters, digits, underscores or hyphens (a TRTC user ID), got %r' % value
    return None


def require_sdk_app_id(value):
    require_integer(value, 'sdk_app_id')
    if not 0 < value <= SDK_APP_ID_MAX:
        raise ConfigurationError('sdk_app_id: must be a positive 32-bit integer (1 to %d), got %d'
                                 % (SDK_APP_ID_MAX, value))


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


def task_view(sdk_app_id, task_id, settings):
    view = dict(sdk_app_id=sdk_app_id, task_id=task_id)
    view.update(settings)
    return view


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
        if isinstance(self.error, TencentCloudError):
            result['error'] = self.error.to_dict()
        if self.error is not None:
            result['msg'] = str(self.error)
        return result


def answered_not_applied(error):
    """Whether the service answered that it did not apply the request, so the record may keep what it knew.

    A lost or broken answer (timeout, dropped connection, 5xx, InternalError), or a retry after
    one, may hide a request the service applied; a request refused or never sent (throttled, connection
    refused, name not resolved, TLS failed) did nothing, answer or not.
    """
    if error.maybe_applied:
        return False
    return error.never_applied or (error.request_id is not None and not error.ambiguous)


class StreamIngestTask:
    """One relay task of one SdkAppId, reached through one client and one record."""

    def __init__(self, client, record, sdk_app_id, task_id, key=None, name=None):
        """key and name: the record entry and the room and user of a relay started by name (see Relay)."""
        self.client = client
        self.record = record
        self.sdk_app_id = sdk_app_id
        self.task_id = task_id
        self.key = key or record_key(client.url, sdk_app_id, task_id)
        self.name = name or {}
        self.label = relay_label(self.name) if self.name else task_id

    def view(self, settings):
        """What the results show of the task: its names and settings, never a secret."""
        view = dict(sdk_app_id=self.sdk_app_id, task_id=self.task_id, **self.name)
        view.update(settings)
        return view

    def _call(self, action, on_ambiguous=None, **params):
        body = dict(SdkAppId=self.sdk_app_id, TaskId=self.task_id)
        body.update(params)
        return self.client.call(action, body, on_ambiguous=on_ambiguous)

    def describe(self):
        """(status, request_id): DescribeStreamIngest answers only InProgress or NotExist."""
        response = self._call('DescribeStreamIngest')
        return response.get('Status'), response.get('RequestId')

    def known(self):
        return self.record.get(self.key)

    def missing_error(self, request_id, action='DescribeStreamIngest'):
        return TencentCloudError('FailedOperation.TaskNotExist',
                                 'relay task %r of SdkAppId %s does not exist' % (self.task_id, self.sdk_app_id),
                                 request_id, action)

    def converge(self, state, desired, force=False, check_mode=False):
        """Bring the task to state with the desired settings; never raises TencentCloudError or RecordError.

        A DescribeStreamIngest is sent only when no Update or Stop is: their own answers tell
        whether the task exists. Outside check mode the task's lock is held from reading its
        entry until its answer is settled in the record.
        """
        try:
            if check_mode:
                return self._predict(state, desired, force)
            with self.record.hold(self.key):
                if state == 'absent':
                    return self._absent()
                return self._present(desired, force)
        except (TencentCloudError, RecordError) as error:
            return Outcome(self.task_id, request_id=getattr(error, 'request_id', None), task=self.view({}),
                           error=error)

    def _missing(self, request_id, action):
        if self.record.entry(self.key):
            self.record.settle(self.key, None)
        return Outcome(self.task_id, False, NOT_EXIST, request_id, self.view({}),
                       error=self.missing_error(request_id, action))

    def _predict(self, state, desired, force):
        """Check mode: a Describe, then what a real run would change."""
        entry = self.record.entry(self.key)
        known = known_settings(entry)
        status, request_id = self.describe()
        if state == 'absent':
            if status != IN_PROGRESS:
                return Outcome(self.task_id, False, NOT_EXIST, request_id, self.view({}))
            return Outcome(self.task_id, True, NOT_EXIST, request_id, self.view({}),
                           self._absent_diff(known))
        if status != IN_PROGRESS:
            return Outcome(self.task_id, False, NOT_EXIST, request_id, self.view({}),
                           error=self.missing_error(request_id))
        after = dict(known, **desired)
        return Outcome(self.task_id, bool(settings_to_send(desired, known, force)), IN_PROGRESS, request_id,
                       self.view(after), self._diff(entry, after))

    def _absent(self):
        known = self.known()
        if known:
            # Until its answer, the task may be stopped: its settings are no longer known.
            self.record.mark_pending(self.key, list(known))
        try:
            was_running, request_id = self._stop()
        except TencentCloudError as error:
            if known and answered_not_applied(error):
                self.record.settle(self.key, known)
            raise
        if self.record.entry(self.key):
            self.record.settle(self.key, None)
        task = self.view({})
        if not was_running:
            return Outcome(self.task_id, False, NOT_EXIST, request_id, task)
        return Outcome(self.task_id, True, NOT_EXIST, request_id, task, self._absent_diff(known))

    def _absent_diff(self, known):
        return dict(before=dict(self.view(known), status=IN_PROGRESS),
                    after=dict(self.view({}), status=NOT_EXIST),
                    before_header='%s (running)' % self.label, after_header='%s (stopped)' % self.label)

    def _stop(self):
        """(whether this run stopped the task, request_id) after a StopStreamIngest."""
        try:
            return True, self._call('StopStreamIngest').get('RequestId')
        except TencentCloudError as error:
            if error.code not in TASK_GONE_CODES:
                raise
            # After a retry, "already stopped" means an earlier attempt whose answer was lost stopped it.
            return error.maybe_applied, error.request_id

    def _present(self, desired, force):
        entry = self.record.entry(self.key)
        known = known_settings(entry)
        to_send = settings_to_send(desired, known, force)
        after = dict(known, **desired)
        task = self.view(after)
        diff = self._diff(entry, after)
        if not to_send:
            status, request_id = self.describe()
            if status != IN_PROGRESS:
                return self._missing(request_id, 'DescribeStreamIngest')
            return Outcome(self.task_id, False, IN_PROGRESS, request_id, task, diff)
        self.record.mark_pending(self.key, list(to_send))
        lost_answers = []
        try:
            response = self._call('UpdateStreamIngest', on_ambiguous=lambda: lost_answers.append(True),
                                  **dict((API_NAMES[name], value) for name, value in to_send.items()))
        except TencentCloudError as error:
            if error.code == 'FailedOperation.TaskNotExist':
                return self._missing(error.request_id, 'UpdateStreamIngest')
            if answered_not_applied(error):
                self.record.settle(self.key, known)
            raise
        if response.get('Status') == NOT_EXIST:
            return self._missing(response.get('RequestId'), 'UpdateStreamIngest')
        warnings = []
        try:
            self.record.settle(self.key, after, in_doubt=list(to_send) if lost_answers else ())
        except RecordError as error:
            warnings.append('%s: the update was applied, but %s; the next run will send it again' % (
                self.task_id, error))
        return Outcome(self.task_id, True, IN_PROGRESS, response.get('RequestId'), task, diff, warnings=warnings)

    def _diff(self, entry, after):
        known = known_settings(entry)
        diff = dict(before=self.view(known),
                    after=self.view(after),
                    after_header='%s (after)' % self.label)
        pending = [name for name in entry.get('pending') or () if name in SETTINGS]
        if pending:
            diff['before_header'] = ('%s (last-applied record; %s unknown: an earlier run sent it and ended before '
                                     'its answer)' % (self.label, ', '.join(pending)))
        elif known:
            diff['before_header'] = '%s (last-applied record)' % self.label
        else:
            diff['before_header'] = ('%s (no last-applied record: the service cannot report '
                                     'this task\'s settings, so they are unknown)' % self.label)
        return diff


class RelayError(Exception):
    """A relay named by room and user that cannot be started or converged; the message says why and what to do."""


def relay_label(name):
    return 'relay of user %r in room %r' % (name['user_id'], name['room_id'])


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


class Relay:
    """A relay named by its room and robot user: started, converged and stopped through the record.

    The record keeps its TaskId under the relay's name; the relay's lock is held from reading the
    entry until the answer is written, so forks and threads naming one relay start it once.
    secrets holds sdk_secret_key or user_sig, user_sig_expire and private_map_key: they go into the
    StartStreamIngest request and nowhere else.
    """

    def __init__(self, client, record, sdk_app_id, name, secrets):
        self.client = client
        self.record = record
        self.sdk_app_id = sdk_app_id
        self.name = dict(name)
        self.secrets = secrets
        self.key = relay_key(client.url, sdk_app_id, name['room_id_type'], name['room_id'], name['user_id'])
        self.label = relay_label(name)

    def view(self, task_id, settings, start=None):
        view = dict(sdk_app_id=self.sdk_app_id, task_id=task_id, **self.name)
        view.update(settings)
        if start:
            view['start'] = dict(start)
        return view

    def task(self, task_id):
        return StreamIngestTask(self.client, self.record, self.sdk_app_id, task_id, key=self.key, name=self.name)

    def converge(self, state, desired, start_options, force=False, replace=False, check_mode=False):
        """Bring the relay to state; never raises TencentCloudError, RecordError or RelayError."""
        try:
            if check_mode:
                return self._predict(state, desired, start_options, force, replace)
            with self.record.hold(self.key):
                entry = self.record.entry(self.key)
                if state == 'absent':
                    return self._absent(entry)
                return self._present(entry, desired, start_options, force, replace)
        except (TencentCloudError, RecordError, RelayError) as error:
            return Outcome(None, request_id=getattr(error, 'request_id', None), task=self.view(None, {}), error=error,
                           label=self.label)

    def lost_start_error(self):
        return RelayError(
            '%s: an earlier StartStreamIngest of this relay ended without an answer (or was refused because one '
            'already ran), so a relay may be running (and billed) under this robot user with a TaskId nobody '
            'knows. It is not started again. It ends by itself (repeat_num, max_duration, or when the service '
            'finds it idle); the TRTC console shows it. Run with force=true to start anyway: the service refuses '
            'with FailedOperation.TaskExist while one runs.'
            % self.label)

    def _present(self, entry, desired, start_options, force, replace):
        task_id = entry.get('task_id')
        if not task_id:
            if entry.get('starting_since') and not force:
                raise self.lost_start_error()
            return self._start(desired, start_options, earlier_mark=bool(entry.get('starting_since')))
        differ = start_options_that_differ(entry.get('start'), start_options)
        if differ and replace:
            return self._replace(task_id, desired, start_options, differ)
        outcome = self.task(task_id)._present(desired, force)
        if outcome.status == NOT_EXIST and isinstance(outcome.error, TencentCloudError):
            # The relay ended (its file played out, or it idled): start it anew under its name.
            return self._start(desired, start_options, ended=task_id)
        outcome.label = self.label
        if differ:
            outcome.warnings.append(self.start_options_warning(differ))
            outcome.diff = self._start_diff(outcome.diff, entry.get('start'), differ)
        return outcome

    def start_options_warning(self, differ):
        return ('%s: start-only options cannot change on a running relay (%s); it keeps running as it was started. '
                'Set replace=true to stop it and start it again with them (the stream is interrupted).'
                % (self.label, ', '.join('%s: %r -> %r' % (name, old, new) for name, (old, new) in sorted(differ.items()))))

    def _start_diff(self, diff, started_with, differ):
        diff = dict(diff or {})
        before = dict(diff.get('before') or {}, start=full_start_options(started_with or {}))
        after = dict(diff.get('after') or {}, start=dict(before['start'], **dict(
            (name, new) for name, (old, new) in differ.items())))
        diff.update(before=before, after=after)
        diff['after_header'] = '%s (after; start-only options take effect only with replace=true)' % self.label
        return diff

    def _replace(self, task_id, desired, start_options, differ):
        """Stop the running relay, then start it again with the new start options."""
        self.task(task_id)._stop()
        self.record.settle(self.key, None)
        outcome = self._start(desired, start_options, ended=task_id)
        outcome.warnings.append('%s: stopped relay task %s and started it again, as replace=true asks, because '
                                'start-only options changed (%s)' % (self.label, task_id, ', '.join(sorted(differ))))
        return outcome

    def user_sig(self):
        """The UserSig for this Start: given as is, or made now from the SDK secret key."""
        if self.secrets.get('user_sig'):
            return self.secrets['user_sig']
        if not self.secrets.get('sdk_secret_key'):
            raise RelayError('%s must be started, which needs sdk_secret_key (or user_sig)' % self.label)
        try:
            return make_user_sig(self.sdk_app_id, self.secrets['sdk_secret_key'], self.name['user_id'],
                                 self.secrets['user_sig_expire'], int(time.time()))
        except ValueError as exc:
            raise RelayError('%s: cannot make its UserSig: %s' % (self.label, exc))

    def start_request(self, desired, start):
        if not desired.get('stream_url'):
            raise RelayError('%s must be started, which needs stream_url' % self.label)
        params = dict(SdkAppId=self.sdk_app_id, RoomId=self.name['room_id'],
                      RoomIdType=ROOM_ID_TYPES[self.name['room_id_type']], UserId=self.name['user_id'],
                      UserSig=self.user_sig(), StreamUrl=desired['stream_url'])
        for name in ('volume', 'tempo', 'enable_progress'):
            if desired.get(name) is not None:
                params[API_NAMES[name]] = desired[name]
        params.update((START_API_NAMES[name], value) for name, value in start.items() if value is not None)
        if self.secrets.get('private_map_key'):
            params['PrivateMapKey'] = self.secrets['private_map_key']
        return params

    def _start(self, desired, start_options, ended=None, earlier_mark=False):
        """One StartStreamIngest; its TaskId is in the record before anything else happens.

        earlier_mark: an earlier Start of this name lost its answer (this one is forced); a refusal of this one
        says nothing of that one, so the name stays marked.
        """
        start = dict((name, value) for name, value in start_options.items() if value is not None)
        params = self.start_request(desired, start)
        try:
            # Marked only when the request may go: a store that fails before (the rate limit's) leaves no mark.
            response = self.client.call('StartStreamIngest', params, retry='refused_only', before_send=lambda: (
                self.record.mark_starting(self.key, full_start_options(start))))
        except TencentCloudError as error:
            raise self._start_failed(error, earlier_mark)
        task_id = response.get('TaskId')
        if not task_id:
            raise RelayError('%s: StartStreamIngest answered without a TaskId (RequestId: %s); a relay may be '
                             'running under this robot user' % (self.label, response.get('RequestId')))
        settings = dict(desired, volume=desired.get('volume', DEFAULT_VOLUME), paused=False)
        try:
            self.record.started(self.key, task_id, settings, full_start_options(start))
        except RecordError as error:
            return self._started_unrecorded(task_id, response.get('RequestId'), settings, error)
        request_id = response.get('RequestId')
        warnings = []
        if desired.get('paused'):
            paused = self.task(task_id)._present(dict(paused=True), force=False)
            if paused.error is not None:
                raise paused.error
            settings['paused'] = True
            request_id = paused.request_id
        before = self.view(None, {}) if not ended else self.view(ended, {})
        diff = dict(before=before, after=self.view(task_id, settings, full_start_options(start)),
                    before_header='%s (%s)' % (self.label, 'ended' if ended else 'not started'),
                    after_header='%s (started)' % self.label)
        return Outcome(task_id, True, IN_PROGRESS, request_id, self.view(task_id, settings), diff, warnings=warnings,
                       label=self.label)

    def _started_unrecorded(self, task_id, request_id, settings, error):
        """A relay started whose TaskId the record could not take: the result carries it, and says so."""
        return Outcome(task_id, True, IN_PROGRESS, request_id, self.view(task_id, settings), label=self.label,
                       error=RelayError(
                           '%s: StartStreamIngest started relay task %s (RequestId: %s), but the record could not '
                           'take its TaskId: %s. Keep this TaskId: the next run will not know it, and without it '
                           'the relay cannot be changed or stopped from here' % (self.label, task_id, request_id,
                                                                                 error)))

    def _start_failed(self, error, earlier_mark=False):
        """The error of a Start that failed; the relay's entry says what may run under its name."""
        if error.code == 'FailedOperation.TaskExist':
            return RelayError('%s: the service says a relay already runs under this robot user (%s, RequestId: %s), '
                              'but its TaskId is not in the record, so it cannot be changed or stopped from here'
                              % (self.label, error.code, error.request_id))
        if answered_not_applied(error):
            if not earlier_mark:
                self.record.settle(self.key, None)
            return error
        return TencentCloudError(
            error.code, '%s. A relay may be running under robot user %r in room %r: the answer to StartStreamIngest '
            'was lost, so its TaskId is unknown and it is not started again' % (
                error.message, self.name['user_id'], self.name['room_id']),
            error.request_id, error.action, error.attempts, error.maybe_applied)

    def _absent(self, entry):
        task_id = entry.get('task_id')
        if task_id:
            outcome = self.task(task_id)._absent()
            outcome.label = self.label
            return outcome
        if entry.get('starting_since'):
            warning = ('%s: an earlier StartStreamIngest of it ended without an answer; a relay may be running under '
                       'this robot user, but its TaskId is unknown, so it cannot be stopped from here' % self.label)
        else:
            warning = '%s: nothing is recorded for it, so nothing was stopped' % self.label
        return Outcome(None, False, NOT_EXIST, None, self.view(None, {}), warnings=[warning], label=self.label)

    def _predict(self, state, desired, start_options, force, replace):
        """Check mode: a Describe of the known relay, then what a real run would do; no Start, Update or Stop."""
        entry = self.record.entry(self.key)
        task_id = entry.get('task_id')
        status = request_id = None
        if task_id:
            status, request_id = self.task(task_id).describe()
        running = status == IN_PROGRESS
        if state == 'absent':
            if running:
                return Outcome(task_id, True, NOT_EXIST, request_id, self.view(task_id, {}),
                               self.task(task_id)._absent_diff(known_settings(entry)), label=self.label)
            return self._absent(entry) if not task_id else Outcome(
                task_id, False, NOT_EXIST, request_id, self.view(task_id, {}), label=self.label)
        differ = start_options_that_differ(entry.get('start'), start_options) if running else {}
        if not running or (differ and replace):
            if entry.get('starting_since') and not task_id and not force:
                raise self.lost_start_error()
            start = dict((name, value) for name, value in start_options.items() if value is not None)
            self.start_request(desired, start)  # refuses now what a real run would refuse before its Start
            after = dict(desired, volume=desired.get('volume', DEFAULT_VOLUME), paused=bool(desired.get('paused')))
            diff = dict(before=self.view(task_id, {}), after=self.view(None, after, full_start_options(start)),
                        before_header='%s (%s)' % (self.label, 'running' if running else 'not started'),
                        after_header='%s (would be started)' % self.label)
            return Outcome(None, True, None, request_id, self.view(None, after), diff, label=self.label)
        known = known_settings(entry)
        after = dict(known, **desired)
        outcome = Outcome(task_id, bool(settings_to_send(desired, known, force)), IN_PROGRESS, request_id,
                          self.view(task_id, after), self.task(task_id)._diff(entry, after), label=self.label)
        if differ:
            outcome.warnings.append(self.start_options_warning(differ))
            outcome.diff = self._start_diff(outcome.diff, entry.get('start'), differ)
        return outcome


def converge_many(client, record, sdk_app_id, specs, state, check_mode):
    """The outcome of each relay spec (see _trtc_stream_ingest.task_specs), in order; the client's limit paces them.

    The service limits each action on its own, so relays about to be started and the others go in two lanes, each
    with its own threads: threads waiting for the budget of StartStreamIngest never hold back updates.
    """
    def converge_one(spec):
        desired = desired_settings(spec)
        if spec.get('user_id') is not None:
            relay = Relay(client, record, sdk_app_id, spec['name'], spec['secrets'])
            return relay.converge(state, desired, spec['start'], spec['force'], spec['replace'], check_mode)
        task = StreamIngestTask(client, record, sdk_app_id, spec['task_id'])
        return task.converge(state, desired, spec['force'], check_mode)

    if len(specs) == 1:
        return [converge_one(specs[0])]
    lanes = {}
    for index, spec in enumerate(specs):
        lanes.setdefault(lane_of(client, record, sdk_app_id, spec), []).append(index)
    outcomes = [None] * len(specs)
    pools = [concurrent.futures.ThreadPoolExecutor(min(MAX_WORKERS, len(indexes))) for indexes in lanes.values()]
    try:
        futures = dict((pool.submit(converge_one, specs[index]), index)
                       for pool, indexes in zip(pools, lanes.values()) for index in indexes)
        for future in concurrent.futures.as_completed(futures):
            outcomes[futures[future]] = future.result()
    finally:
        for pool in pools:
            pool.shutdown(wait=True)
    return outcomes


def lane_of(client, record, sdk_app_id, spec):
    """'start' for a relay named by room and user that the record does not know, else 'task'."""
    if spec.get('user_id') is None:
        return 'task'
    name = spec['name']
    entry = record.entry(relay_key(client.url, sdk_app_id, name['room_id_type'], name['room_id'], name['user_id']))
    return 'task' if entry.get('task_id') else 'start'


def list_result(outcomes):
    """The module result of the list form: one entry per relay, a diff per change, failures named in msg."""
    entries = []
    for outcome in outcomes:
        entry = outcome.result()
        entry.pop('diff', None)
        entry.pop('msg', None)
        entries.append(entry)
    result = dict(changed=any(outcome.changed for outcome in outcomes), tasks=entries,
                  diff=[outcome.diff for outcome in outcomes if outcome.changed and outcome.diff])
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        result['msg'] = '%d of %d relay tasks failed: %s' % (
            len(failed), len(outcomes), '; '.join('%s: %s' % (outcome.label, outcome.error) for outcome in failed))
    return result
