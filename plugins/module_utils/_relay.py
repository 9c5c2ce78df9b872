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
from urllib.parse import urlsplit

from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError, require_integer
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import (
    SETTINGS, RecordError, known_settings, record_key,
)

API_NAMES = {'stream_url': 'StreamUrl', 'volume': 'Volume', 'paused': 'IsPause'}
STREAM_URL_SCHEMES = ('http', 'https', 'rtmp', 'rtmps')
VOLUME_RANGE = (0, 100)
SDK_APP_ID_MAX = 2 ** 32 - 1
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
    try:
        parts = urlsplit(value)
        parts.port
    except ValueError as exc:
        return 'must be a valid absolute URL, got %r (%s)' % (value, exc)
    if parts.scheme.lower() not in STREAM_URL_SCHEMES or not parts.hostname:
        return 'must be an absolute URL with a host and one of the schemes %s, got %r' % (
            ', '.join(STREAM_URL_SCHEMES), value)
    return None


def volume_problem(value):
    low, high = VOLUME_RANGE
    if isinstance(value, bool):
        return 'must be an integer, got a boolean (%s)' % value
    if value is not None and not low <= value <= high:
        return 'must be between %d and %d, got %d' % (low, high, value)
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
    """The UpdateStreamIngest settings: all given ones when any differs from the record (or force), else none."""
    if not desired:
        return {}
    if force or any(known.get(name) != value for name, value in desired.items()):
        return dict(desired)
    return {}


def task_view(sdk_app_id, task_id, settings):
    view = dict(sdk_app_id=sdk_app_id, task_id=task_id)
    view.update(settings)
    return view


class Outcome:
    """What happened (or, in check mode, would happen) to one task."""

    def __init__(self, task_id, changed=False, status=None, request_id=None, task=None, diff=None, error=None,
                 warnings=None):
        self.task_id = task_id
        self.changed = changed
        self.status = status
        self.request_id = request_id
        self.task = task
        self.diff = diff
        self.error = error
        self.warnings = warnings or []

    def result(self):
        result = dict(changed=self.changed, status=self.status, request_id=self.request_id, task=self.task)
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
    one, may hide a request the service applied.
    """
    return error.request_id is not None and not error.ambiguous and not error.maybe_applied


class StreamIngestTask:
    """One relay task of one SdkAppId, reached through one client and one record."""

    def __init__(self, client, record, sdk_app_id, task_id):
        self.client = client
        self.record = record
        self.sdk_app_id = sdk_app_id
        self.task_id = task_id
        self.key = record_key(client.url, sdk_app_id, task_id)

    def _call(self, action, **params):
        body = dict(SdkAppId=self.sdk_app_id, TaskId=self.task_id)
        body.update(params)
        return self.client.call(action, body)

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
            return Outcome(self.task_id, task=task_view(self.sdk_app_id, self.task_id, {}), error=error)

    def _missing(self, request_id, action):
        if self.record.entry(self.key):
            self.record.settle(self.key, None)
        return Outcome(self.task_id, False, NOT_EXIST, request_id, task_view(self.sdk_app_id, self.task_id, {}),
                       error=self.missing_error(request_id, action))

    def _predict(self, state, desired, force):
        """Check mode: a Describe, then what a real run would change."""
        entry = self.record.entry(self.key)
        known = known_settings(entry)
        status, request_id = self.describe()
        if state == 'absent':
            if status != IN_PROGRESS:
                return Outcome(self.task_id, False, NOT_EXIST, request_id, task_view(self.sdk_app_id, self.task_id, {}))
            return Outcome(self.task_id, True, NOT_EXIST, request_id, task_view(self.sdk_app_id, self.task_id, {}),
                           self._absent_diff(known))
        if status != IN_PROGRESS:
            return Outcome(self.task_id, False, NOT_EXIST, request_id, task_view(self.sdk_app_id, self.task_id, {}),
                           error=self.missing_error(request_id))
        after = dict(known, **desired)
        return Outcome(self.task_id, bool(settings_to_send(desired, known, force)), IN_PROGRESS, request_id,
                       task_view(self.sdk_app_id, self.task_id, after), self._diff(entry, after))

    def _absent(self):
        known = self.known()
        was_running, request_id = self._stop()
        if self.record.entry(self.key):
            self.record.settle(self.key, None)
        task = task_view(self.sdk_app_id, self.task_id, {})
        if not was_running:
            return Outcome(self.task_id, False, NOT_EXIST, request_id, task)
        return Outcome(self.task_id, True, NOT_EXIST, request_id, task, self._absent_diff(known))

    def _absent_diff(self, known):
        return dict(before=dict(task_view(self.sdk_app_id, self.task_id, known), status=IN_PROGRESS),
                    after=dict(task_view(self.sdk_app_id, self.task_id, {}), status=NOT_EXIST),
                    before_header='%s (running)' % self.task_id, after_header='%s (stopped)' % self.task_id)

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
        task = task_view(self.sdk_app_id, self.task_id, after)
        diff = self._diff(entry, after)
        if not to_send:
            status, request_id = self.describe()
            if status != IN_PROGRESS:
                return self._missing(request_id, 'DescribeStreamIngest')
            return Outcome(self.task_id, False, IN_PROGRESS, request_id, task, diff)
        self.record.mark_pending(self.key, list(to_send))
        try:
            response = self._call('UpdateStreamIngest',
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
            self.record.settle(self.key, after)
        except RecordError as error:
            warnings.append('%s: the update was applied, but %s; the next run will send it again' % (
                self.task_id, error))
        return Outcome(self.task_id, True, IN_PROGRESS, response.get('RequestId'), task, diff, warnings=warnings)

    def _diff(self, entry, after):
        known = known_settings(entry)
        diff = dict(before=task_view(self.sdk_app_id, self.task_id, known),
                    after=task_view(self.sdk_app_id, self.task_id, after),
                    after_header='%s (after)' % self.task_id)
        pending = [name for name in entry.get('pending') or () if name in SETTINGS]
        if pending:
            diff['before_header'] = ('%s (last-applied record; %s unknown: an earlier run sent it and ended before '
                                     'its answer)' % (self.task_id, ', '.join(pending)))
        elif known:
            diff['before_header'] = '%s (last-applied record)' % self.task_id
        else:
            diff['before_header'] = ('%s (no last-applied record: the service cannot report '
                                     'this task\'s settings, so they are unknown)' % self.task_id)
        return diff


def converge_many(client, record, sdk_app_id, specs, state, check_mode):
    """The outcome of each task spec (task_id, force and settings), in order; the client's limit paces them."""
    def converge_one(spec):
        task = StreamIngestTask(client, record, sdk_app_id, spec['task_id'])
        return task.converge(state, desired_settings(spec), spec['force'], check_mode)

    if len(specs) == 1:
        return [converge_one(specs[0])]
    with concurrent.futures.ThreadPoolExecutor(min(MAX_WORKERS, len(specs))) as pool:
        return list(pool.map(converge_one, specs))


def list_result(outcomes):
    """The module result of the list form: one entry per task, a diff per changed task, failures named in msg."""
    entries = []
    for outcome in outcomes:
        entry = dict(outcome.result(), task_id=outcome.task_id)
        entry.pop('diff', None)
        entry.pop('msg', None)
        entries.append(entry)
    result = dict(changed=any(outcome.changed for outcome in outcomes), tasks=entries,
                  diff=[outcome.diff for outcome in outcomes if outcome.changed and outcome.diff])
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        result['msg'] = '%d of %d relay tasks failed: %s' % (
            len(failed), len(outcomes), '; '.join('%s: %s' % (outcome.task_id, outcome.error) for outcome in failed))
    return result
