# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A module run and what it needs besides its own logic: parameters, check mode, a client, the
record, warnings and failures. TrtcModule runs it as an Ansible module; the action plugins run
the same run functions inside the controller (plugin_utils/_in_process.py)."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible_collections.tencentcloud.trtc.plugins.module_utils._checks import ConfigurationError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, TrtcClient
from ansible_collections.tencentcloud.trtc.plugins.module_utils._connection import CONNECTION_ARGUMENT_SPEC, resolve_connection
from ansible_collections.tencentcloud.trtc.plugins.module_utils._masking import masked
from ansible_collections.tencentcloud.trtc.plugins.module_utils._stream_urls import masked_url
from ansible_collections.tencentcloud.trtc.plugins.module_utils._ratelimit import HostRateLimiter
from ansible_collections.tencentcloud.trtc.plugins.module_utils._record import DEFAULT_RECORD_FILE, LastAppliedRecord, NoRecord, RecordError
from ansible_collections.tencentcloud.trtc.plugins.module_utils._redis_store import RedisStore, redis_import_error, validate_store_url

RECORD_ARGUMENT_SPEC = dict(
    record_file=dict(type='path', default=DEFAULT_RECORD_FILE,
                     fallback=(env_fallback, ['TENCENTCLOUD_TRTC_RECORD_FILE'])),
)


class TrtcRunner:
    """What a module run needs besides its own logic: params, check mode, a client, the record, failures.

    TrtcModule runs as an Ansible module; the action plugins run the same logic inside the controller
    with their own subclass. Subclasses set params and check_mode and provide warn, fail_json and exit_json.
    """

    params = None
    check_mode = False
    no_log_values = frozenset()
    _store = None

    def warn(self, message):
        raise NotImplementedError

    def fail_json(self, **result):
        raise NotImplementedError

    def exit_json(self, **result):
        raise NotImplementedError

    def run(self, run_function):
        """Run a module's logic; an unexpected error fails the run with its message, never a traceback."""
        try:
            run_function(self)
        except RecordError as exc:  # the shared store lost on the way (the rate limit lives there too)
            self.fail_json(msg=str(exc))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.fail_json(msg='unexpected error: %s: %s' % (type(exc).__name__, exc))

    def check(self, validation, *args):
        """Run a validation of module_utils; its ConfigurationError fails the run before any request."""
        try:
            return validation(*args)
        except ConfigurationError as exc:
            self.fail_json(msg=str(exc))

    def client(self):
        connection = self.check(resolve_connection, self.params)
        secret_id = connection['credentials'][0]
        throttle = HostRateLimiter(secret_id, self.params['rate_limit'], warn=self.warn, store=self.store(),
                                   longest_request=self.params['timeout'] + 1.0)
        client = TrtcClient(connection['credentials'], connection['region'], connection['endpoint'],
                            timeout=self.params['timeout'], validate_certs=self.params['validate_certs'],
                            throttle=throttle, site=connection['site'])
        return client

    def store(self):
        """The shared store named by record_store (None for the local files), checked before any request.

        It fails closed: a store that cannot be reached, authenticated or written fails the run, naming it.
        """
        url = self.params.get('record_store')
        if url is None:
            return None
        if self._store is None:
            self.check(validate_store_url, url)
            error = redis_import_error()
            if error is not None:
                self.fail_json(msg=missing_required_lib('redis') + ' (record_store names a Redis store)',
                               exception=error)
            try:
                store = RedisStore.of(url, self.params['validate_certs'])
                store.check()
            except RecordError as exc:
                self.fail_json(msg=str(exc))
            self._store = store
        return self._store

    def record(self, read_only=False):
        """The last-applied record, checked before any request: a file that is no record fails the run.

        Where only reading is wanted, such a file is a warning and counts as empty. A shared store that
        cannot be used always fails the run (it holds the rate limit too).
        """
        try:
            store = self.store()
            record = LastAppliedRecord(self.params['record_file'], backend=store)
            record.check()
        except RecordError as exc:
            if not read_only or self.params.get('record_store') is not None:
                self.fail_json(msg=str(exc))
            self.warn('%s; nothing is known of any task' % exc)
            return NoRecord()
        return record

    def fail_api(self, error, **result):
        """Fail with the Tencent error code, message and RequestId, in msg and in an error dict."""
        self.fail_json(msg=str(error), error=error.to_dict(), **result)


def reported(result, params, no_log_values):
    """A result as a run reports it: with its invocation and every no_log value masked, on every ansible-core.

    ansible-core keeps the invocation given, or drops it where (2.21 and later) INJECT_INVOCATION does not ask for it.
    """
    return masked(dict(result, invocation={'module_args': shown_params(params)}), no_log_values)


def shown_params(params):
    """The module's arguments as the invocation shows them: the credentials of stream URLs masked."""
    if not isinstance(params, dict):
        return params
    shown = dict(params)
    if isinstance(shown.get('stream_url'), str):
        shown['stream_url'] = masked_url(shown['stream_url'])
    if isinstance(shown.get('tasks'), list):
        shown['tasks'] = [shown_params(entry) for entry in shown['tasks']]
    return shown


class MaskingModule(AnsibleModule):
    """An AnsibleModule whose every result, its own validation failures too, is masked by the collection's rules."""

    def exit_json(self, **kwargs):
        super().exit_json(**reported(kwargs, self.params, self.no_log_values))

    def fail_json(self, msg, **kwargs):
        super().fail_json(**reported(dict(kwargs, msg=msg), self.params, self.no_log_values))


def full_argument_spec(argument_spec):
    """A module's own options plus the shared connection and record options."""
    spec = dict(CONNECTION_ARGUMENT_SPEC)
    spec.update(RECORD_ARGUMENT_SPEC)
    spec.update(argument_spec)
    return spec


class TrtcModule(TrtcRunner):
    """A run as an Ansible module, on whatever host the task targets."""

    def __init__(self, argument_spec, **kwargs):
        self.module = MaskingModule(argument_spec=full_argument_spec(argument_spec), **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.no_log_values = self.module.no_log_values
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

    def warn(self, message):
        self.module.warn(masked(message, self.no_log_values))

    def fail_json(self, **result):
        self.module.fail_json(**result)

    def exit_json(self, **result):
        self.module.exit_json(**result)
