# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Desired state against known state for one relay task: the decisions of trtc_stream_ingest."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.tencentcloud.trtc.plugins.module_utils.client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils.record import SETTINGS, record_key

from urllib.parse import urlsplit

API_NAMES = {'stream_url': 'StreamUrl', 'volume': 'Volume', 'paused': 'IsPause'}
STREAM_URL_SCHEMES = ('http', 'https', 'rtmp', 'rtmps')
VOLUME_RANGE = (0, 100)
IN_PROGRESS = 'InProgress'
NOT_EXIST = 'NotExist'


def stream_url_problem(value):
    """Why value is not an absolute stream URL, or None when it is one."""
    if not value or value != value.strip() or any(char.isspace() for char in value):
        return 'must be a non-empty absolute URL without spaces, got %r' % value
    parts = urlsplit(value)
    if parts.scheme.lower() not in STREAM_URL_SCHEMES or not parts.hostname:
        return 'must be an absolute URL with a host and one of the schemes %s, got %r' % (
            ', '.join(STREAM_URL_SCHEMES), value)
    return None


def volume_problem(value):
    low, high = VOLUME_RANGE
    if value is not None and not low <= value <= high:
        return 'must be between %d and %d, got %d' % (low, high, value)
    return None


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

    def __init__(self, task_id, changed=False, status=None, request_id=None, task=None, diff=None,
                 record_changes=None, error=None):
        self.task_id = task_id
        self.changed = changed
        self.status = status
        self.request_id = request_id
        self.task = task
        self.diff = diff
        self.record_changes = record_changes or {}
        self.error = error

    def result(self):
        result = dict(changed=self.changed, status=self.status, request_id=self.request_id, task=self.task)
        if self.diff is not None:
            result['diff'] = self.diff
        if self.error is not None:
            result['error'] = self.error.to_dict()
            result['msg'] = str(self.error)
        return result


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
        """Bring the task to state with the desired settings; never raises TencentCloudError."""
        try:
            known = self.known()
            status, request_id = self.describe()
            if state == 'absent':
                return self._absent(status, request_id, known, check_mode)
            return self._present(status, request_id, known, desired, force, check_mode)
        except TencentCloudError as error:
            return Outcome(self.task_id, task=task_view(self.sdk_app_id, self.task_id, {}), error=error)

    def _absent(self, status, request_id, known, check_mode):
        task = task_view(self.sdk_app_id, self.task_id, {})
        if status != IN_PROGRESS:
            return Outcome(self.task_id, False, NOT_EXIST, request_id, task, record_changes={self.key: None})
        diff = dict(before=dict(task_view(self.sdk_app_id, self.task_id, known), status=IN_PROGRESS),
                    after=dict(task, status=NOT_EXIST))
        if not check_mode:
            try:
                request_id = self._call('StopStreamIngest').get('RequestId')
            except TencentCloudError as error:
                # Stopped meanwhile (or by our own retried Stop): the state asked for holds.
                if error.code != 'FailedOperation.TaskFinished':
                    raise
                request_id = error.request_id
        return Outcome(self.task_id, True, NOT_EXIST, request_id, task, diff, {self.key: None})

    def _present(self, status, request_id, known, desired, force, check_mode):
        if status != IN_PROGRESS:
            return Outcome(self.task_id, False, status or NOT_EXIST, request_id,
                           task_view(self.sdk_app_id, self.task_id, {}), record_changes={self.key: None},
                           error=self.missing_error(request_id))
        to_send = settings_to_send(desired, known, force)
        after = dict(known, **desired)
        diff = self._diff(known, after)
        task = task_view(self.sdk_app_id, self.task_id, after)
        if not to_send:
            return Outcome(self.task_id, False, IN_PROGRESS, request_id, task, diff)
        if not check_mode:
            response = self._call('UpdateStreamIngest', **dict((API_NAMES[name], value) for name, value in to_send.items()))
            request_id = response.get('RequestId')
            if response.get('Status') == NOT_EXIST:
                return Outcome(self.task_id, False, NOT_EXIST, request_id, task_view(self.sdk_app_id, self.task_id, {}),
                               record_changes={self.key: None},
                               error=self.missing_error(request_id, 'UpdateStreamIngest'))
        return Outcome(self.task_id, True, IN_PROGRESS, request_id, task, diff, {self.key: after})

    def _diff(self, known, after):
        diff = dict(before=task_view(self.sdk_app_id, self.task_id, known),
                    after=task_view(self.sdk_app_id, self.task_id, after),
                    after_header='%s (after)' % self.task_id)
        if known:
            diff['before_header'] = '%s (last-applied record)' % self.task_id
        else:
            diff['before_header'] = ('%s (no last-applied record: the service cannot report '
                                     'this task\'s settings, so they are unknown)' % self.task_id)
        return diff
