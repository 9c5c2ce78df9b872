# -*- coding: utf-8 -*-
# Copyright (c) 2026, tencentcloud.trtc contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A module run and what it needs besides its own logic: parameters, check mode, a client, the
record, warnings and failures. TrtcModule runs it as an Ansible module; the action plugins run
the same run functions inside the controller (plugin_utils/_in_process.py)."""

from __future__ import annotations

import copy

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible.module_utils.common.validation import check_type_dict
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
        throttle = HostRateLimiter(secret_id, self.params['rate_limit'], directory=self.params['rate_limit_dir'],
                                   warn=self.warn, store=self.store(), longest_request=self.params['timeout'] + 1.0)
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
            record.check(create=not (read_only or self.check_mode))
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


# Checked in order (a bool is an int); subclasses count (ansible-core 2.19 and later tag templated values with them).
KINDS = ((bool, 'a boolean'), (str, 'a string'), ((int, float), 'a number'), (list, 'a list'), (type(None), 'empty'))


def kind_of(value):
    return next((kind for types, kind in KINDS if isinstance(value, types)), 'a %s' % type(value).__name__)


def entry_that_is_no_dict(argument_spec, params):
    """The message for an entry of a list-of-dictionaries option that cannot be one (such as tasks: [cam-1]), or None.

    ansible-core's own message for it names no option. The entry is not shown: it may hold a secret.
    """
    for name, spec in argument_spec.items():
        entries = params.get(name)
        if spec.get('elements') != 'dict' or not isinstance(entries, list):
            continue
        for number, entry in enumerate(entries, 1):
            try:
                check_type_dict(entry)
            except (TypeError, ValueError):
                return '%s: entry %d is %s, not a dictionary: each entry holds options (%s, ...)' % (
                    name, number, kind_of(entry),
                    ', '.join(list(spec.get('options') or {})[:4]))
    return None


def declared_no_log_values(argument_spec, params):
    """The values of params' no_log options, suboptions of entries that are dictionaries included.

    ansible-core collects none of them when one entry of a list of dictionaries cannot be one (it stops at it): these
    are masked all the same.
    """
    values = set()
    for name, spec in argument_spec.items():
        value = params.get(name) if isinstance(params, dict) else None
        if value is None:
            continue
        if spec.get('no_log') and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            values.add(str(value))
        if spec.get('options'):
            for entry in value if isinstance(value, list) else [value]:
                try:
                    entry = check_type_dict(entry)
                except (TypeError, ValueError):
                    continue
                values.update(declared_no_log_values(spec['options'], entry))
    return values


def validation_message(argument_spec, given, validation):
    """What a failed validation of the arguments given says: ansible-core's words, unless the collection says it better."""
    return entry_that_is_no_dict(argument_spec, given) or validation.errors.msg


class MaskingModule(AnsibleModule):
    """An AnsibleModule whose every result, its own validation failures too, is masked by the collection's rules."""

    given_params = None

    def _load_params(self):
        super()._load_params()
        self.given_params = copy.deepcopy(self.params)  # validation replaces what it cannot convert

    def exit_json(self, **kwargs):
        super().exit_json(**reported(kwargs, self.params, self.no_log_values))

    def fail_json(self, msg, **kwargs):
        validation = getattr(self, 'validation_result', None)
        if validation is not None and validation.error_messages:
            for params in (self.params, self.given_params or {}):
                self.no_log_values.update(declared_no_log_values(self.argument_spec, params))
            if msg == validation.errors.msg:
                msg = validation_message(self.argument_spec, self.given_params or {}, validation)
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
