# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The executor: applies what the planner decided, and owns the record's protocol around each request.

Under the target's lock, from reading its entry until the answer is settled: settings about to be sent are
marked pending, a Start is marked starting right before it is sent, every answer is settled, and settings
whose request may yet be applied later stay in doubt (see _record.py). In check mode it only asks the
service what the plan needs to know (DescribeStreamIngest) and reports the plan.
"""

from __future__ import annotations

from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import TencentCloudError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._plan import (
    ADOPT, FORGET, REFUSE, REPLACE, START, STOP, UPDATE, Outcome, RelayError, Seen, failure_outcome, full_start_options,
    missing_error, plan, relay_label, replace_warning, runs_elsewhere_error, start_request,
)
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import RecordError, record_key, relay_name
from ansible_collections.tencentcloud.trtc.plugins.module_utils._stream_urls import record_form, revealed
from ansible_collections.tencentcloud.trtc.plugins.module_utils._facts import API_NAMES
from ansible_collections.tencentcloud.trtc.plugins.module_utils._relay import IN_PROGRESS, NOT_EXIST, TASK_GONE_CODES


def answered_not_applied(error):
    """Whether the service answered that it did not apply the request, so the record may keep what it knew.

    A lost or broken answer (timeout, dropped connection, 5xx, InternalError), or a retry after
    one, may hide a request the service applied; a request refused or never sent (throttled, connection
    refused, name not resolved, TLS failed) did nothing, answer or not.
    """
    if error.maybe_applied:
        return False
    return error.never_applied or (error.request_id is not None and not error.ambiguous)


def describe(client, sdk_app_id, task_id):
    """What DescribeStreamIngest says of a task (it answers only InProgress or NotExist)."""
    response = client.call('DescribeStreamIngest', dict(SdkAppId=sdk_app_id, TaskId=task_id))
    return Seen(response.get('Status'), 'DescribeStreamIngest', response.get('RequestId'))


def resolved(record, target):
    """The target with the key of its one entry: a task named by TaskId that the collection started as a relay named
    by room and user is that relay's entry (and lock), however it is named."""
    if target.by_name:
        return target
    key = record.key_of_task(target.endpoint_url, target.sdk_app_id, target.task_id)
    return target if key == target.key else target.with_key(key)


class StreamUrlRecord:
    """The record as the executor uses it: stream URLs with credentials go in as their record form (masked, and an
    HMAC of the URL), and come out as the URL asked for when it is the one recorded."""

    def __init__(self, record, fingerprint):
        self.record = record
        self.fingerprint = fingerprint

    def __getattr__(self, name):
        return getattr(self.record, name)

    def entry_for(self, key, asked_url):
        entry = self.record.entry(key)
        if 'stream_url' in entry:
            entry['stream_url'] = revealed(entry['stream_url'], asked_url, self.fingerprint)
        return entry

    def _stored(self, settings):
        if settings is None or 'stream_url' not in settings:
            return settings
        return dict(settings, stream_url=record_form(settings['stream_url'], self.fingerprint))

    def settle(self, key, settings, in_doubt=()):
        self.record.settle(key, self._stored(settings), in_doubt)

    def started(self, key, task_id, settings, start):
        self.record.started(key, task_id, self._stored(settings), start)


class PendingMarks:
    """Called right before each attempt of a request is sent: the first marks its settings pending, each later one
    the time it was sent again, so that a lost answer keeps them in doubt from the last attempt, which a retry
    signs anew (and the rate limit may hold back), not from the first."""

    def __init__(self, record, key, names):
        self.record = record
        self.key = key
        self.names = names
        self.sent = 0

    def __call__(self):
        if self.sent:
            self.record.mark_sent_again(self.key)
        else:
            self.record.mark_pending(self.key, self.names)
        self.sent += 1


class _Gone(Exception):
    """An answer said the task is no more (seen: which action said so, with which RequestId)."""

    def __init__(self, seen):
        super().__init__(seen.action)
        self.seen = seen


class Executor:
    """Converges targets through one client and one record; never raises TencentCloudError, RecordError or RelayError."""

    def __init__(self, client, record):
        self.client = client
        self.record = StreamUrlRecord(record, client.fingerprint)

    def converge(self, target, state, desired, start_options=None, secrets=None, force=False, replace=False,
                 check_mode=False):
        """Bring target to state: in check mode, the plan as it would be applied; else the plan applied."""
        request = dict(state=state, desired=desired, start_options=start_options or {}, force=force, replace=replace,
                       secrets=secrets or {})
        try:
            target = resolved(self.record, target)
            request['held_by'] = self._held_by(target)
            if check_mode:
                return self._predicted(target, request)
            with self.record.hold(target.key):
                return self._applied(target, request, self.record.entry_for(target.key, desired.get('stream_url')))
        except (TencentCloudError, RecordError, RelayError) as error:
            return failure_outcome(target, error, self._recorded_task_id(target))

    def _recorded_task_id(self, target):
        """The TaskId a failed run leaves the record holding for target (a relay refused a replace still runs under
        it), None when it holds none or cannot be read."""
        try:
            return target.task_id_in(self.record.entry(target.key))
        except RecordError:
            return target.task_id

    def _held_by(self, target):
        """When adopting: the label of another relay under which the record holds the TaskId, else None."""
        if not target.adopting:
            return None
        key = self.record.key_of_task(target.endpoint_url, target.sdk_app_id, target.task_id)
        if key in (target.key, record_key(target.endpoint_url, target.sdk_app_id, target.task_id)):
            return None
        return relay_label(relay_name(key))

    def _plan(self, target, request, entry, seen):
        return plan(target, request['state'], request['desired'], request['start_options'], entry, seen,
                    request['force'], request['replace'], request['secrets'], request.get('held_by'))

    def _predicted(self, target, request):
        entry = self.record.entry_for(target.key, request['desired'].get('stream_url'))
        task_id = target.task_id_in(entry)
        seen = describe(self.client, target.sdk_app_id, task_id) if task_id else Seen()
        decided = self._plan(target, request, entry, seen)
        if decided.action == REFUSE:
            raise decided.error  # reported as the run reports it
        self._require_room(decided)  # the run would fail there: so does its prediction
        return decided.outcome()

    def _require_room(self, decided):
        """Before a Start (or a replace's Stop) is sent: a record that cannot take the TaskId starts nothing."""
        if decided.action in (START, REPLACE):
            self.record.require_room_for_start()

    def _applied(self, target, request, entry):
        decided = self._plan(target, request, entry, Seen())
        if decided.needs_status:
            seen = describe(self.client, target.sdk_app_id, decided.task_id)
            if seen.status != IN_PROGRESS and decided.action != ADOPT:  # a relay not adopted leaves the record as is
                return self._gone(target, request, entry, seen)
            decided = self._plan(target, request, entry, seen)
        return self._apply(target, request, entry, decided)

    def _apply(self, target, request, entry, decided):
        if decided.action == REFUSE:
            raise decided.error
        if decided.action == STOP:
            return self._stop(decided)
        if decided.action == UPDATE:
            try:
                return self._update(target, decided)
            except _Gone as gone:
                return self._gone(target, request, entry, gone.seen)
        if decided.action == ADOPT:
            return self._adopt(target, request, entry, decided)
        self._require_room(decided)
        if decided.action == REPLACE:
            return self._replace(decided, request['secrets'])
        if decided.action == START:
            return self._start(decided, request['secrets'])
        if decided.action == FORGET:
            self.record.settle(target.key, None)
        return decided.outcome()  # KEEP, NOTHING, MISSING: nothing to send

    def _adopt(self, target, request, entry, decided):
        """A relay started elsewhere, which Describe says runs, is recorded under its name, then sent what differs."""
        self.record.adopted(target.key, decided.task_id)
        if not decided.to_send:
            return decided.outcome()
        try:
            return self._update(target, decided)
        except _Gone as gone:
            return self._gone(target, request, entry, gone.seen)

    def _gone(self, target, request, entry, seen):
        """An answer said the task is gone: the record forgets it, then the plan says what follows (for a relay
        named by room and user, a Start anew; else an error saying so)."""
        if self.record.entry(target.key):
            self.record.settle(target.key, None)
        return self._apply(target, request, entry, self._plan(target, request, entry, Seen(
            NOT_EXIST, seen.action, seen.request_id)))

    def _call(self, target, action, task_id, before_send=None, **params):
        body = dict(SdkAppId=target.sdk_app_id, TaskId=task_id)
        body.update(params)
        return self.client.call(action, body, before_send=before_send)

    def _update(self, target, decided):
        """One UpdateStreamIngest of what the plan sends; _Gone when its answer says the task is no more."""
        key, to_send = target.key, decided.to_send
        try:
            answer = self._call(target, 'UpdateStreamIngest', decided.task_id, before_send=PendingMarks(
                self.record, key, list(to_send)), **dict((API_NAMES[name], value) for name, value in to_send.items()))
        except TencentCloudError as error:
            if error.code == 'FailedOperation.TaskNotExist':
                raise _Gone(Seen(NOT_EXIST, 'UpdateStreamIngest', error.request_id))
            if answered_not_applied(error):
                self.record.settle(key, decided.known)
            raise
        if answer.get('Status') == NOT_EXIST:
            raise _Gone(Seen(NOT_EXIST, 'UpdateStreamIngest', answer.get('RequestId')))
        warnings = []
        try:
            self.record.settle(key, decided.after, in_doubt=list(to_send) if answer.earlier_attempt_lost else ())
        except RecordError as error:
            warnings.append('%s: the update was applied, but %s; the next run will send it again' % (
                decided.task_id, error))
        return Outcome(decided.task_id, True, IN_PROGRESS, answer.get('RequestId'),
                       target.view(decided.task_id, decided.after), decided.diff, warnings=warnings + decided.warnings,
                       label=target.label)

    def _stop(self, decided):
        target, key, task_id = decided.target, decided.target.key, decided.task_id
        known = self.record.get(key)
        if known:
            # Until its answer, the task may be stopped: its settings are no longer known.
            self.record.mark_pending(key, list(known))
        try:
            was_running, request_id = self._stop_request(target, task_id)
        except TencentCloudError as error:
            if known and answered_not_applied(error):
                self.record.settle(key, known)
            raise
        if self.record.entry(key):
            self.record.settle(key, None)
        if not was_running:
            return Outcome(task_id, False, NOT_EXIST, request_id, target.view(task_id, {}), label=target.label)
        return Outcome(task_id, True, NOT_EXIST, request_id, target.view(task_id, {}), decided.diff, label=target.label)

    def _stop_request(self, target, task_id):
        """(whether this run stopped the task, request_id) after a StopStreamIngest.

        The record notes the TaskId as one the collection stops before the request goes, so that the service's stop
        event, which may come before the answer, is known as expected; a Stop refused unapplied takes it back.
        """
        self.record.note_stopping(target.endpoint_url, target.sdk_app_id, task_id, target.key)
        try:
            return True, self._call(target, 'StopStreamIngest', task_id).get('RequestId')
        except TencentCloudError as error:
            if error.code not in TASK_GONE_CODES:
                if answered_not_applied(error):
                    self.record.unnote_stopping(target.endpoint_url, target.sdk_app_id, task_id)
                raise
            # After a retry, "already stopped" means an earlier attempt whose answer was lost stopped it.
            return error.maybe_applied, error.request_id

    def _replace(self, decided, secrets):
        """Stop the running relay, then start it again with the new start options."""
        target, task_id = decided.target, decided.task_id
        self._stop_request(target, task_id)
        self.record.settle(target.key, None)
        outcome = self._start(decided, secrets)
        outcome.warnings.append(replace_warning(target, task_id, decided.differ))
        return outcome

    def _start(self, decided, secrets):
        """One StartStreamIngest; its TaskId is in the record before anything else happens.

        An earlier Start of this name that lost its answer (this one is forced) keeps its mark when this one
        is refused: the refusal says nothing of that one.
        """
        target, start = decided.target, decided.start
        params = start_request(target, decided.desired, start, secrets)
        try:
            # Marked only when the request may go: a store that fails before (the rate limit's) leaves no mark.
            answer = self.client.call('StartStreamIngest', params, retry='refused_only', before_send=lambda: (
                self.record.mark_starting(target.key, full_start_options(start))))
        except TencentCloudError as error:
            raise self._start_failed(target, error, start, decided.earlier_mark)
        task_id, request_id = answer.get('TaskId'), answer.get('RequestId')
        if not task_id:
            raise RelayError('%s: StartStreamIngest answered without a TaskId (RequestId: %s); a relay may be '
                             'running under this robot user' % (target.label, request_id), request_id)
        desired = decided.desired
        settings = dict(decided.after, paused=False)
        try:
            self.record.started(target.key, task_id, settings, full_start_options(start))
        except RecordError as error:
            return self._started_unrecorded(target, task_id, request_id, settings, error)
        if desired.get('paused'):
            paused = self._pause_started(target, task_id)
            if paused.error is not None:
                return self._started_unpaused(target, task_id, request_id, settings, paused.error)
            settings['paused'] = True
            request_id = paused.request_id
        return Outcome(task_id, True, IN_PROGRESS, request_id, target.view(task_id, settings),
                       decided.start_diff(task_id, settings, started=True), label=target.label)

    def _pause_started(self, target, task_id):
        """A relay just started, paused as asked: an update of its new entry (an error outcome if that fails)."""
        entry = self.record.entry(target.key)
        decided = plan(target, 'present', dict(paused=True), {}, entry, Seen(IN_PROGRESS))
        try:
            return self._update(target, decided) if decided.action == UPDATE else decided.outcome()
        except _Gone as gone:
            if self.record.entry(target.key):
                self.record.settle(target.key, None)
            return Outcome(task_id, False, NOT_EXIST, gone.seen.request_id, target.view(task_id, {}), label=target.label,
                           error=missing_error(target, task_id, gone.seen.request_id, gone.seen.action))
        except (TencentCloudError, RecordError) as error:
            return failure_outcome(target, error)

    @staticmethod
    def _started_unpaused(target, task_id, request_id, settings, error):
        """A relay started (its TaskId recorded) whose pausing Update failed: it runs unpaused, and the result says so."""
        return Outcome(task_id, True, IN_PROGRESS, getattr(error, 'request_id', None) or request_id,
                       target.view(task_id, settings), label=target.label, error=RelayError(
                           '%s: StartStreamIngest started relay task %s (RequestId: %s), but pausing it failed: %s. It '
                           'runs unpaused; the next run pauses it' % (target.label, task_id, request_id, error),
                           api_error=error if isinstance(error, TencentCloudError) else None))

    @staticmethod
    def _started_unrecorded(target, task_id, request_id, settings, error):
        """A relay started whose TaskId the record could not take: the result carries it, and says so."""
        return Outcome(task_id, True, IN_PROGRESS, request_id, target.view(task_id, settings), label=target.label,
                       error=RelayError(
                           '%s: StartStreamIngest started relay task %s (RequestId: %s), but the record could not '
                           'take its TaskId: %s. Keep this TaskId: the next run will not know it, and without it '
                           'the relay cannot be changed or stopped from here' % (target.label, task_id, request_id,
                                                                                 error)))

    def _start_failed(self, target, error, start, earlier_mark=False):
        """The error of a Start that failed; the relay's entry says what may run under its name."""
        if error.code == 'FailedOperation.TaskExist':
            if not earlier_mark:
                self.record.mark_runs_elsewhere(target.key, full_start_options(start), error.request_id)
            refused = runs_elsewhere_error(target, error.request_id, earlier_mark)
            refused.request_id, refused.api_error = error.request_id, error  # the result's, as for any failed call
            return refused
        if answered_not_applied(error):
            if not earlier_mark:
                self.record.settle(target.key, None)
            return error
        name = target.name
        return error.reworded(
            '%s. A relay may be running under robot user %r in room %r: the answer to StartStreamIngest was lost, so '
            'its TaskId is unknown and it is not started again' % (error.message, name['user_id'], name['room_id']))
